import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { SecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/secretsmanager-secret-version";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { App as K8sApp } from "cdk8s";
import { type Construct } from "constructs";
import { addonPlacement, appNamespace, clusterAutoscalerEnabled, clusterName, externalDnsHosts, karpenterSettings, kedaEnabled, type PlatformConfig, serviceEntries } from "../config";
import { ClusterAutoscaler } from "../modules/addons/cluster-autoscaler";
import { ExternalDns, EXTERNAL_DNS_CHART } from "../modules/addons/external-dns";
import { ExternalSecrets, EXTERNAL_SECRETS_CHART } from "../modules/addons/external-secrets";
import { Karpenter, KARPENTER_CHART } from "../modules/addons/karpenter";
import { Keda, KEDA_CHART } from "../modules/addons/keda";
import { LoadBalancerController, LOAD_BALANCER_CONTROLLER_CHART } from "../modules/addons/load-balancer-controller";
import { LogShipping, LOG_SHIPPING_CHART } from "../modules/addons/log-shipping";
import { MetricsServer } from "../modules/addons/metrics-server";
import { GRAFANA_ADMIN_SECRET, Monitoring, MONITORING_CHART } from "../modules/addons/monitoring";
import { clusterProviders } from "../modules/helm/cluster-providers";
import { ManifestRelease } from "../modules/helm/manifest-release";
import { EncryptionKey } from "../modules/kms/encryption-key";
import { logGroupKeyStatement } from "../modules/logs/retention";
import { PlatformObjects, SECRET_STORE, STORAGE_CLASS } from "../k8s/platform-objects";
import { DEPLOY_ROLE_VARIABLE } from "./aws-provider";
import { zoneIdOf } from "./contracts/dns";
import { eksFromRemoteState } from "./contracts/eks";
import { iamFromRemoteState } from "./contracts/iam";
import { networkFacts, networkFromRemoteState } from "./contracts/network";
import { PLATFORM_CONTRACT } from "./contracts/platform";
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
    // The application's namespace refuses any pod that breaks the restricted Pod Security Standard.
    const appNs = namespace(app, { "pod-security.kubernetes.io/enforce": "restricted", "pod-security.kubernetes.io/audit": "restricted", "pod-security.kubernetes.io/warn": "restricted" });

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
    new LoadBalancerController(this, "load-balancer-controller", { ...on(LOAD_BALANCER_CONTROLLER_CHART.namespace), clusterName: eks.cluster_name, region: account.region, vpcId: network.vpcId, roleArn: iam.load_balancer_controller_role_arn, identityMode });
    const externalSecrets = new ExternalSecrets(this, "external-secrets", { ...on(EXTERNAL_SECRETS_CHART.namespace), roleArn: iam.external_secrets_role_arn, identityMode });
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
    if (kedaEnabled(env)) new Keda(this, "keda", { ...on(KEDA_CHART.namespace), roleArn: iam.keda_role_arn, identityMode, watchNamespace: app });

    const karpenterConfig = karpenterSettings(platform);
    const objects = new PlatformObjects(new K8sApp(), "platform-objects", {
      region: account.region,
      externalSecretsServiceAccount: identityMode === "irsa" ? externalSecrets.serviceAccount : undefined,
      secretNamespaces: [MONITORING_CHART.namespace, app],
      grafanaAdmin: { secretName: GRAFANA_ADMIN_SECRET, namespace: MONITORING_CHART.namespace, secretsManagerKey: grafanaKey, version: platform.grafana.adminPasswordVersion },
      app: {
        namespace: app,
        monitoringNamespace: MONITORING_CHART.namespace,
        // Both ALBs are in the public subnets (the internal one by name: stacks/contracts/network.ts).
        loadBalancerCidrs: Object.values(networkFacts(env).subnetCidrs.public),
        services: serviceEntries(env).map(([name, service]) => ({ name, port: service.port, exposure: service.exposure, ownChart: service.chart !== undefined })),
      },
      karpenter: karpenter && { clusterName: cluster, nodeRoleName: eks.node_role_name, nodeSecurityGroupId: eks.node_security_group_id, amiAlias: karpenterConfig.amiAlias, pools: karpenterConfig.nodePools },
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
      dependsOn: [externalSecrets.release.release, appNs, namespaces[MONITORING_CHART.namespace]!, grafanaValue, ...(karpenter ? [karpenter.crds.release, karpenter.release.release] : [])],
      // Long enough for Karpenter to drain and terminate every node of its pools on destroy.
      timeoutSeconds: karpenter ? NODE_DRAIN_TIMEOUT_SECONDS : undefined,
    });
    new Monitoring(this, "monitoring", {
      // After the objects: Grafana's admin Secret and the StorageClass its volumes use exist first.
      dependsOn: [namespaces[MONITORING_CHART.namespace]!, this.objects.release.release],
      placement,
      retentionDays: platform.prometheus.retentionDays,
      storageGiB: platform.prometheus.storageGiB,
      replicas: platform.prometheus.replicas,
      memoryGiB: platform.prometheus.memoryGiB,
      grafanaAdminVersion: platform.grafana.adminPasswordVersion,
      storageClass: STORAGE_CLASS,
    });

    PLATFORM_CONTRACT.publish(this, { ingress_class: INGRESS_CLASS, secret_store: SECRET_STORE, storage_class: STORAGE_CLASS, app_namespace: app, container_log_group: logGroup.name });
  }
}
