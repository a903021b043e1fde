import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { SecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/secretsmanager-secret-version";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { App as K8sApp } from "cdk8s";
import { type Construct } from "constructs";
import { addonPlacement, alertTopicArn, appNamespace, grafanaCloudWatchEnabled, kafkaClusterName, clusterAutoscalerEnabled, clusterName, externalDnsHosts, karpenterSettings, kedaEnabled, type PlatformConfig, receiverEntries, receiverSecretKey, receiverSecretName, serviceDashboardUid, serviceEntries, hasSharedNodeGroup, SHARED_NODE_GROUP, SYSTEM_NODE_GROUP, tracingEnabled } from "../config";
import { ClusterAutoscaler } from "../modules/addons/cluster-autoscaler";
import { ExternalDns, EXTERNAL_DNS_CHART } from "../modules/addons/external-dns";
import { ExternalSecrets, EXTERNAL_SECRETS_CHART, PLATFORM_SECRETS_ACCOUNT } from "../modules/addons/external-secrets";
import { Karpenter, KARPENTER_CHART, KARPENTER_METRICS_PORT } from "../modules/addons/karpenter";
import { Keda, KEDA_CHART } from "../modules/addons/keda";
import { LoadBalancerController, LOAD_BALANCER_CONTROLLER_CHART } from "../modules/addons/load-balancer-controller";
import { LogShipping, LOG_SHIPPING_CHART } from "../modules/addons/log-shipping";
import { MetricsServer } from "../modules/addons/metrics-server";
import { GRAFANA_ADMIN_SECRET, Monitoring, MONITORING_CHART } from "../modules/addons/monitoring";
import { OtelCollector, OTEL_COLLECTOR_CHART } from "../modules/addons/otel-collector";
import { mskScrapeJobs, serviceScrapeJob } from "../modules/addons/scrape-jobs";
import { clusterProviders } from "../modules/helm/cluster-providers";
import { ManifestRelease } from "../modules/helm/manifest-release";
import { EncryptionKey } from "../modules/kms/encryption-key";
import { logGroupKeyStatement } from "../modules/logs/retention";
import { resolveMetrics } from "../k8s/metric-presets";
import { PlatformObjects, SECRET_STORE, STORAGE_CLASS } from "../k8s/platform-objects";
import { kafkaAlerts } from "../k8s/kafka-alerts";
import { ALERTMANAGER_CONFIG, MonitoringObjects, RECEIVERS_SECRET } from "../k8s/monitoring-objects";
import { AlarmForwarder, forwardedReceivers } from "../modules/alerts/alarm-forwarder";
import { ReceiverSecrets } from "../modules/alerts/receiver-secrets";
import { runbookBaseUrl } from "./runbooks";
import { memberNamespaceNames, memberNamespaces, namespaceMembers } from "./cluster-members";
import { servicePods } from "./pod-security-group-services";
import { DEPLOY_ROLE_VARIABLE } from "./aws-provider";
import { zoneIdOf } from "./contracts/dns";
import { eksFromRemoteState } from "./contracts/eks";
import { iamFromRemoteState } from "./contracts/iam";
import { networkFromRemoteState, type NetworkOutputs } from "./contracts/network";
import { PLATFORM_CONTRACT } from "./contracts/platform";
import { streamingFromRemoteState } from "./contracts/streaming";
import { EnvironmentStack, type EnvironmentStackProps } from "./environment-stack";

/** The IngressClass the load balancer controller's chart creates (its `ingressClass` default). */
export const INGRESS_CLASS = "alb";

/** Seconds Helm waits, on destroy, for Karpenter to drain and terminate its nodes (each drain honours PodDisruptionBudgets). */
export const NODE_DRAIN_TIMEOUT_SECONDS = 1200;

/**
 * `<env>-platform`: the add-ons every application relies on, as Helm releases at pinned
 * versions (load balancer controller, External Secrets, metrics-server, Fluent Bit, Karpenter,
 * kube-prometheus-stack, external-dns with a dns section, KEDA when on), their namespaces, the containers' log group, and the platform's own
 * typed objects, installed after the releases that bring their CRDs.
 */
export class AddonsStack extends EnvironmentStack {
  /** The platform's typed objects. */
  readonly objects: ManifestRelease;

  constructor(scope: Construct, props: EnvironmentStackProps) {
    super(scope, "platform", props);
    const { env } = props;
    const { account } = env;
    const platform = env.platform as PlatformConfig;
    const network = networkFromRemoteState(this, props.backend, env);
    const eks = eksFromRemoteState(this, props.backend, env);
    const iam = iamFromRemoteState(this, props.backend, env);
    clusterProviders(this, { clusterName: eks.cluster_name, endpoint: eks.cluster_endpoint, certificateAuthority: eks.cluster_certificate_authority, region: account.region, roleVariable: DEPLOY_ROLE_VARIABLE });
    const identityMode = env.eks.workloadIdentity;
    const cluster = clusterName(env);

    const namespace = (name: string, labels: Record<string, string> = {}) => new NamespaceV1(this, `namespace-${name}`, { metadata: { name, labels } });
    const namespaces = Object.fromEntries(
      [LOAD_BALANCER_CONTROLLER_CHART, EXTERNAL_SECRETS_CHART, MONITORING_CHART, LOG_SHIPPING_CHART, ...(env.eks.karpenter ? [KARPENTER_CHART] : []), ...(externalDnsHosts(env).length ? [EXTERNAL_DNS_CHART] : []), ...(kedaEnabled(env) ? [KEDA_CHART] : [])].map((c) => c.namespace).map((n) => [n, namespace(n)]),
    );
    const app = appNamespace(env);
    // Each environment's namespace in the cluster (the host's own, each tenant's) refuses any pod
    // that breaks the restricted Pod Security Standard; its label is what its guard rails and
    // priority are keyed by (k8s/member-namespace.ts).
    const memberNamespaceList = namespaceMembers(env).map((member) =>
      namespace(appNamespace(member), { "pod-security.kubernetes.io/enforce": "restricted", "pod-security.kubernetes.io/audit": "restricted", "pod-security.kubernetes.io/warn": "restricted", "platform/environment": member.name }),
    );
    const watched = memberNamespaceNames(env);

    const logGroupName = `/aws/eks/${cluster}/containers`;
    const logKey = new EncryptionKey(this, "container-logs-key", {
      description: `Encrypts the containers' logs of ${cluster}`,
      aliasName: `alias/${cluster}-containers`,
      accountId: account.id,
      statements: [logGroupKeyStatement(account.region, `arn:aws:logs:${account.region}:${account.id}:log-group:${logGroupName}`)],
    });
    const logGroup = new CloudwatchLogGroup(this, "container-logs", { name: logGroupName, retentionInDays: platform.containerLogRetentionDays, kmsKeyId: logKey.arn });

    // Grafana's admin credentials: a random password made by Secrets Manager at apply, written
    // write-only (never in state or plan), synced into the cluster by External Secrets.
    const grafanaKey = `${env.name}/platform/grafana-admin`;
    const grafanaSecret = new SecretsmanagerSecret(this, "grafana-admin", { name: grafanaKey, description: `Grafana's admin user and password (synced into ${MONITORING_CHART.namespace}/${GRAFANA_ADMIN_SECRET})`, kmsKeyId: iam.app_secrets_kms_key_arn });
    this.addOverride("ephemeral.aws_secretsmanager_random_password.grafana-admin", { password_length: 32, exclude_punctuation: true });
    const grafanaValue = new SecretsmanagerSecretVersion(this, "grafana-admin-value", {
      secretId: grafanaSecret.id,
      secretStringWo: '${jsonencode({"admin-user" = "admin", "admin-password" = ephemeral.aws_secretsmanager_random_password.grafana-admin.random_password})}',
      // Write-only values are written again only when their version changes: bumping it rotates.
      secretStringWoVersion: platform.grafana.adminPasswordVersion,
    });

    // Every add-on on the system nodes, or on a small cluster's shared group (config/node-groups.ts).
    const placement = addonPlacement(env);
    const on = (...names: string[]) => ({ dependsOn: names.map((n) => namespaces[n]!), placement });
    new LoadBalancerController(this, "load-balancer-controller", { ...on(LOAD_BALANCER_CONTROLLER_CHART.namespace), clusterName: eks.cluster_name, region: account.region, vpcId: network.vpcId, roleArn: iam.load_balancer_controller_role_arn, identityMode, defaultTags: { environment: env.name } });
    const externalSecrets = new ExternalSecrets(this, "external-secrets", on(EXTERNAL_SECRETS_CHART.namespace));
    new MetricsServer(this, "metrics-server", on());
    new LogShipping(this, "log-shipping", { ...on(LOG_SHIPPING_CHART.namespace), region: account.region, logGroupName: logGroup.name, roleArn: iam.log_shipping_role_arn, identityMode });
    if (env.dns && externalDnsHosts(env).length) {
      new ExternalDns(this, "external-dns", {
        ...on(EXTERNAL_DNS_CHART.namespace),
        roleArn: iam.external_dns_role_arn,
        identityMode,
        zoneId: zoneIdOf(this, props.backend, env),
        zoneName: env.dns.zone,
        ownerId: cluster,
        region: account.region,
        ingressClass: INGRESS_CLASS,
      });
    }
    const karpenter = env.eks.karpenter
      ? new Karpenter(this, "karpenter", { ...on(KARPENTER_CHART.namespace), clusterName: eks.cluster_name, clusterEndpoint: eks.cluster_endpoint, interruptionQueue: iam.karpenter_queue_name, roleArn: iam.karpenter_role_arn, identityMode })
      : undefined;
    // Without Karpenter, the Cluster Autoscaler sizes the managed node groups (in kube-system: no namespace to make).
    if (clusterAutoscalerEnabled(env)) {
      new ClusterAutoscaler(this, "cluster-autoscaler", { ...on(), clusterName: cluster, kubernetesVersion: env.eks.version, region: account.region, roleArn: iam.cluster_autoscaler_role_arn, identityMode });
    }
    // KEDA, for the services that scale on Kafka lag: its CRDs come with it, before the app's ScaledObjects (the app layer follows this one).
    if (kedaEnabled(env)) new Keda(this, "keda", { ...on(KEDA_CHART.namespace), roleArn: iam.keda_role_arn, identityMode, watchNamespaces: watched });
    // The OpenTelemetry Collector, with tracing on: the services' spans to X-Ray, from a namespace
    // under the restricted Pod Security Standard (its pods meet it). Two replicas, unless the
    // add-ons' group never has a second node for the other to survive on.
    if (tracingEnabled(env)) {
      const otelNs = namespace(OTEL_COLLECTOR_CHART.namespace, { "pod-security.kubernetes.io/enforce": "restricted" });
      const addonNodes = env.eks.nodeGroups[hasSharedNodeGroup(env) ? SHARED_NODE_GROUP : SYSTEM_NODE_GROUP];
      new OtelCollector(this, "otel-collector", { dependsOn: [otelNs], placement, roleArn: iam.otel_collector_role_arn, identityMode, region: account.region, sourceNamespaces: watched, replicas: (addonNodes?.size.max ?? 1) >= 2 ? 2 : 1 });
    }

    const karpenterConfig = karpenterSettings(platform);
    const objects = new PlatformObjects(new K8sApp(), "platform-objects", {
      region: account.region,
      platformSecrets: { serviceAccount: PLATFORM_SECRETS_ACCOUNT, roleArn: iam.external_secrets_role_arn },
      secretNamespaces: [MONITORING_CHART.namespace],
      grafanaAdmin: { secretName: GRAFANA_ADMIN_SECRET, namespace: MONITORING_CHART.namespace, secretsManagerKey: grafanaKey, version: platform.grafana.adminPasswordVersion },
      members: memberNamespaces(env),
      servicePods: servicePods(env, eks),
      karpenter: karpenter && { clusterName: cluster, nodeRoleName: eks.node_role_name, nodeSecurityGroupId: eks.node_security_group_id, amiAlias: karpenterConfig.amiAlias, pools: karpenterConfig.nodePools },
      // Grafana's dashboards (k8s/dashboards/): the platform's, Kafka's with streaming, one per service, from its metrics preset.
      dashboards: {
        namespace: MONITORING_CHART.namespace,
        platform: { addonNamespaces: ["kube-system", ...Object.keys(namespaces)].sort(), karpenterPools: karpenter && Object.keys(karpenterConfig.nodePools) },
        kafka: env.streaming && { clusterName: kafkaClusterName(env) },
        // Every environment's services in the cluster, each under its own namespace and uid.
        services: namespaceMembers(env).flatMap((member) =>
          serviceEntries(member).map(([name, s]) => ({ name, uid: serviceDashboardUid(member, name), namespace: appNamespace(member), metrics: s.port === undefined ? undefined : resolveMetrics(s.metrics), kedaScaled: s.scaling.kafkaLag !== undefined })),
        ),
      },
    });
    this.objects = new ManifestRelease(this, "platform-objects", {
      name: "platform-objects",
      namespace: "kube-system",
      chart: objects,
      // Their CRDs first: External Secrets' (templates of its release), Karpenter's (its CRD chart).
      // Grafana's admin secret has its value before its ExternalSecret first syncs it.
      // And after Karpenter's controller, so that destroy removes the NodePools and the
      // EC2NodeClass while the controller still runs: only it terminates their nodes' instances
      // (the NodeClaims' karpenter.sh/termination finalizer). Helm's uninstall waits (`wait`)
      // until every object is gone, and the EC2NodeClass's karpenter.k8s.aws/termination finalizer
      // holds it until no NodeClaim uses it, so the destroy returns once the nodes are gone
      // (aws/karpenter-provider-aws pkg/controllers/nodeclass, finalize; helm pkg/action/uninstall.go).
      dependsOn: [externalSecrets.release.release, ...memberNamespaceList, namespaces[MONITORING_CHART.namespace]!, grafanaValue, ...(karpenter ? [karpenter.crds.release, karpenter.release.release] : [])],
      // Long enough for Karpenter to drain and terminate every node of its pools on destroy.
      timeoutSeconds: karpenter ? NODE_DRAIN_TIMEOUT_SECONDS : undefined,
    });
    const monitoring = new Monitoring(this, "monitoring", {
      // After the objects: Grafana's admin Secret and the StorageClass its volumes use exist first.
      dependsOn: [namespaces[MONITORING_CHART.namespace]!, this.objects.release.release],
      placement,
      retentionDays: platform.prometheus.retentionDays,
      storageGiB: platform.prometheus.storageGiB,
      replicas: platform.prometheus.replicas,
      memoryGiB: platform.prometheus.memoryGiB,
      alertmanagerReplicas: platform.alertmanager.replicas,
      grafanaAdminVersion: platform.grafana.adminPasswordVersion,
      storageClass: STORAGE_CLASS,
      // The MSK brokers' exporters, by DNS name: outside the cluster, no ServiceMonitor reaches them.
      // Karpenter's controller, whose release comes before the ServiceMonitor CRD.
      scrapeJobs: [
        ...(env.streaming ? mskScrapeJobs({ brokerDomain: streamingFromRemoteState(this, props.backend, env).broker_domain, brokers: env.streaming.brokers, clusterName: kafkaClusterName(env) }) : []),
        ...(karpenter ? [serviceScrapeJob({ job: "karpenter", namespace: KARPENTER_CHART.namespace, service: KARPENTER_CHART.chart, port: KARPENTER_METRICS_PORT })] : []),
      ],
      alerting: { configName: ALERTMANAGER_CONFIG, roleArn: iam.alertmanager_role_arn, identityMode },
      cloudWatch: grafanaCloudWatchEnabled(env) ? { roleArn: iam.grafana_role_arn, identityMode, region: account.region } : undefined,
      environment: env.name,
    });
    this.alerting(props, iam.app_secrets_kms_key_arn, monitoring, network);

    PLATFORM_CONTRACT.publish(this, { ingress_class: INGRESS_CLASS, secret_store: SECRET_STORE, storage_class: STORAGE_CLASS, app_namespace: app, container_log_group: logGroup.name });
  }

  /**
   * Alert delivery: the receivers' secrets (no value: an operator puts each), and the
   * `monitoring-objects` release after the monitoring release, which brings the CRDs of its
   * AlertmanagerConfig and PrometheusRules (External Secrets' CRDs come earlier).
   */
  private alerting(props: EnvironmentStackProps, kmsKeyId: string, monitoring: Monitoring, network: NetworkOutputs): void {
    const { env } = props;
    const namespace = MONITORING_CHART.namespace;
    const receivers = receiverEntries(env).map(([name, receiver]) => {
      const key = receiverSecretKey(receiver);
      return { name, receiver, secret: key === undefined ? undefined : { name: receiverSecretName(env, name), key } };
    });
    const secrets = new ReceiverSecrets(this, "alerting-secrets", {
      secrets: receivers.flatMap((r) => (r.secret ? [{ receiver: r.name, secretName: r.secret.name, key: r.secret.key }] : [])),
      kmsKeyId,
      syncedInto: `${namespace}/${RECEIVERS_SECRET}`,
    });
    const { alerting } = env.observability;
    const chart = new MonitoringObjects(new K8sApp(), "monitoring-objects", {
      namespace,
      secretStore: SECRET_STORE,
      environment: env.name,
      receivers,
      alerting: { routes: alerting.routes, heartbeat: alerting.heartbeat, repeatHours: alerting.repeatHours, topic: { arn: alertTopicArn(env), region: env.account.region } },
      runbookBaseUrl: runbookBaseUrl(props.project),
      ruleGroups: env.streaming ? { kafka: kafkaAlerts({ clusterName: kafkaClusterName(env), runbookBaseUrl: runbookBaseUrl(props.project) }) } : undefined,
    });
    new ManifestRelease(this, "monitoring-objects", { name: "monitoring-objects", namespace, chart, dependsOn: [monitoring.release.release, ...Object.values(secrets.secrets)] });

    // The CloudWatch alarms' way to the same chat and paging receivers (email ones are the topic's
    // subscriptions): here, beside the secrets it reads and with the iam stack's key they are encrypted with.
    const forwarderReceivers = Object.fromEntries(
      receivers.map(({ name, receiver, secret }) => {
        const arn = secrets.secrets[name]?.arn;
        return [name, { type: receiver.type, ...(receiver.type === "slack" ? { channel: receiver.channel } : {}), ...(receiver.type === "pagerduty" ? { severity: receiver.severity } : {}), secret: secret && arn ? { ...secret, arn } : undefined }];
      }),
    );
    if (forwardedReceivers(forwarderReceivers, alerting.routes).length > 0) {
      new AlarmForwarder(this, "alarm-forwarder", {
        name: `${env.name}-alarm-forwarder`,
        environment: env.name,
        topicArn: alertTopicArn(env),
        receivers: forwarderReceivers,
        routes: alerting.routes,
        secretsKeyArn: kmsKeyId,
        vpcId: network.vpcId,
        subnetIds: network.subnetIds.private,
        accountId: env.account.id,
        region: env.account.region,
        permissionsBoundaryArn: network.permissionsBoundaryArn,
        runbookBaseUrl: runbookBaseUrl(props.project),
      });
    }
  }
}
