import { type Construct } from "constructs";
import { alertTopicArn, clusterAutoscalerEnabled, clusterName, MIGRATIONS_SUFFIX, platformRoleName, externalDnsHosts, kedaEnabled, serviceAccountOf, serviceEntries, serviceRoleName, serviceSecretsPrefix, tracingEnabled, grafanaCloudWatchEnabled } from "../config";
import { KEDA_CHART, KEDA_OPERATOR_SERVICE_ACCOUNT } from "../modules/addons/keda";
import { ALERTMANAGER_SERVICE_ACCOUNT, GRAFANA_SERVICE_ACCOUNT, MONITORING_CHART } from "../modules/addons/monitoring";
import { alertTopicPublishStatements } from "../modules/iam/policies/alert-topic-publish";
import { OTEL_COLLECTOR_CHART, OTEL_COLLECTOR_NAME } from "../modules/addons/otel-collector";
import { otelCollectorStatements } from "../modules/iam/policies/otel-collector";
import { CLUSTER_AUTOSCALER_CHART, CLUSTER_AUTOSCALER_SERVICE_ACCOUNT } from "../modules/addons/cluster-autoscaler";
import { InterruptionQueue } from "../modules/eks/interruption-queue";
import { clusterAutoscalerStatements } from "../modules/iam/policies/cluster-autoscaler";
import { externalDnsStatements } from "../modules/iam/policies/external-dns";
import { karpenterControllerStatements } from "../modules/iam/policies/karpenter";
import { loadBalancerControllerStatements } from "../modules/iam/policies/load-balancer-controller";
import { grafanaCloudWatchStatements } from "../modules/iam/policies/grafana-cloudwatch";
import { type WorkloadRoleProps, WorkloadRole } from "../modules/iam/workload-role";
import { EncryptionKey } from "../modules/kms/encryption-key";
import { zoneIdOf } from "./contracts/dns";
import { eksFromRemoteState } from "./contracts/eks";
import { IAM_CONTRACT } from "./contracts/iam";
import { NETWORK_CONTRACT, networkFromRemoteState } from "./contracts/network";
import { EnvironmentStack, type EnvironmentStackProps } from "./environment-stack";

/** `<env>-iam`: the roles of the platform's controllers and of each service, each for one service account. */
export class IamStack extends EnvironmentStack {
  /** Each service's role, by service: the data layers' grant methods add its database and Kafka access. */
  readonly serviceRoles: Readonly<Record<string, WorkloadRole>>;

  constructor(scope: Construct, props: EnvironmentStackProps) {
    super(scope, "iam", props);
    const { env } = props;
    const { account } = env;
    const network = networkFromRemoteState(this, props.backend, env);
    const eks = eksFromRemoteState(this, props.backend, env);
    const cluster = { name: eks.cluster_name, oidcProviderArn: eks.oidc_provider_arn, oidcIssuer: eks.oidc_issuer, accountId: account.id };
    const base = { cluster, mode: env.eks.workloadIdentity, permissionsBoundaryArn: network.permissionsBoundaryArn } satisfies Partial<WorkloadRoleProps>;
    const role = (name: string) => (id: string, namespace: string, serviceAccount: string, description: string, rest: Partial<WorkloadRoleProps> = {}) =>
      new WorkloadRole(this, id, { ...base, name, description, namespace, serviceAccount, ...rest });
    const workload = (id: string, namespace: string, serviceAccount: string, description: string, rest: Partial<WorkloadRoleProps> = {}) => role(platformRoleName(env, id))(id, namespace, serviceAccount, description, rest);

    const lbc = workload("load-balancer-controller", "aws-load-balancer-controller", "aws-load-balancer-controller", "AWS Load Balancer Controller", {
      statements: loadBalancerControllerStatements({ region: account.region, accountId: account.id, vpcId: network.vpcId }),
    });

    // The application's secrets live under <env>/ in Secrets Manager, encrypted with this key.
    const secretsKey = new EncryptionKey(this, "app-secrets-key", { description: `Encrypts the application secrets of ${env.name} in Secrets Manager`, aliasName: `alias/${env.name}-app-secrets`, accountId: account.id });
    const secretsUnder = (prefix: string) => `arn:aws:secretsmanager:${account.region}:${account.id}:secret:${prefix}*`;
    const externalSecrets = workload("external-secrets", "external-secrets", "external-secrets", "External Secrets: reads this environment's secrets", {
      statements: [
        // The values: only this environment's secrets, whichever call reads them (BatchGetSecretValue
        // reads each secret with the caller's GetSecretValue permission on it).
        { Sid: "ReadThisEnvironmentsSecrets", Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret", "secretsmanager:ListSecretVersionIds"], Resource: secretsUnder(`${env.name}/`) },
        // The app's ExternalSecret finds its secrets by name (dataFrom.find), which ESO v2.9.0's
        // AWS provider does with BatchGetSecretValue filtered on the prefix; a filtered batch also
        // needs ListSecrets. Neither action has a resource type (Service Authorization Reference,
        // AWS Secrets Manager), so they take "*": they list names and metadata, never a value,
        // and a secret outside <env>/ is left out of the batch for want of GetSecretValue on it.
        { Sid: "FindSecretsByName", Effect: "Allow", Action: ["secretsmanager:BatchGetSecretValue", "secretsmanager:ListSecrets"], Resource: "*" },
      ],
    });
    secretsKey.grantDecrypt(externalSecrets);

    const logGroup = `arn:aws:logs:${account.region}:${account.id}:log-group:/aws/eks/${clusterName(env)}/containers`;
    const logShipping = workload("log-shipping", "logging", "fluent-bit", "Fluent Bit: ships container logs to its log group", {
      statements: [{ Sid: "WriteTheContainerLogGroupOnly", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"], Resource: [logGroup, `${logGroup}:*`] }],
    });

    let karpenterRoleArn = "";
    let karpenterQueue = "";
    if (env.eks.karpenter) {
      const queue = new InterruptionQueue(this, "karpenter-interruption-queue", { clusterName: clusterName(env) });
      karpenterRoleArn = workload("karpenter", "karpenter", "karpenter", "Karpenter controller: launches and retires this cluster's nodes", {
        statements: karpenterControllerStatements({ region: account.region, accountId: account.id, clusterName: clusterName(env), nodeRoleArn: eks.node_role_arn, queueArn: queue.queue.arn }),
      }).arn;
      karpenterQueue = queue.queue.name;
    }
    // Without Karpenter, the Cluster Autoscaler scales the managed node groups (config refuses both).
    const clusterAutoscalerRoleArn = clusterAutoscalerEnabled(env)
      ? workload("cluster-autoscaler", CLUSTER_AUTOSCALER_CHART.namespace, CLUSTER_AUTOSCALER_SERVICE_ACCOUNT, "Cluster Autoscaler: scales this cluster's managed node groups", {
          statements: clusterAutoscalerStatements({ region: account.region, accountId: account.id, clusterName: clusterName(env) }),
        }).arn
      : "";

    // KEDA's operator reads consumer lag as its own role; `<env>-streaming` grants it exactly the
    // topics and groups services scale on (KafkaCluster.grantReadLag), so it holds nothing here.
    const kedaRoleArn = kedaEnabled(env) ? workload("keda", KEDA_CHART.namespace, KEDA_OPERATOR_SERVICE_ACCOUNT, "KEDA operator: reads the Kafka lag services scale on").arn : "";
    // The OpenTelemetry Collector writes the services' traces to X-Ray, and may do nothing else.
    const otelCollectorRoleArn = tracingEnabled(env)
      ? workload("otel-collector", OTEL_COLLECTOR_CHART.namespace, OTEL_COLLECTOR_NAME, "OpenTelemetry Collector: writes the services' traces to X-Ray", { statements: otelCollectorStatements() }).arn
      : "";

    let externalDnsRoleArn = "";
    const hosts = externalDnsHosts(env);
    if (hosts.length) {
      externalDnsRoleArn = workload("external-dns", "external-dns", "external-dns", "external-dns: writes the services' records in the environment's zone", {
        statements: externalDnsStatements({ zoneId: zoneIdOf(this, props.backend, env), hosts }),
      }).arn;
    }

    // Alertmanager's email receivers publish to the alert topic (made by <env>-network, encrypted
    // with its own key) as this role, and may do nothing else; only where Alertmanager runs.
    const alertmanagerRoleArn = env.platform
      ? workload("alertmanager", MONITORING_CHART.namespace, ALERTMANAGER_SERVICE_ACCOUNT, "Alertmanager: publishes the email receivers' alerts to the alert topic", {
          statements: alertTopicPublishStatements({ topicArn: alertTopicArn(env), keyArn: NETWORK_CONTRACT.read(this, props.backend, env).alert_topic_key_arn, region: account.region }),
        }).arn
      : "";

    // Grafana reads CloudWatch (its data source) as this role, read-only; only when config asks.
    const grafanaRoleArn = grafanaCloudWatchEnabled(env)
      ? workload("grafana", MONITORING_CHART.namespace, GRAFANA_SERVICE_ACCOUNT, "Grafana: reads CloudWatch's metrics and alarms for its data source", { statements: grafanaCloudWatchStatements({ accountId: account.id, region: account.region }) }).arn
      : "";

    // One role per service, named <env>-<service>, for its service account only (and its
    // migrations Job's, which acts as the same service).
    const roles: Record<string, WorkloadRole> = {};
    for (const [name, service] of serviceEntries(env)) {
      // Its id is the service's name, so the role is named serviceRoleName(env, name), as grantees expect.
      const serviceRole = role(serviceRoleName(env, name))(name, service.namespace, serviceAccountOf(name), `Service ${name}: its own secrets; the data layers grant its database and Kafka access`, {
        additionalServiceAccounts: service.migrations ? [`${serviceAccountOf(name)}${MIGRATIONS_SUFFIX}`] : [],
      });
      serviceRole.addToPrincipalPolicy({ Sid: "ReadItsOwnSecrets", Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], Resource: secretsUnder(serviceSecretsPrefix(env, name)) });
      secretsKey.grantDecrypt(serviceRole);
      roles[name] = serviceRole;
    }
    this.serviceRoles = roles;

    IAM_CONTRACT.publish(this, {
      load_balancer_controller_role_arn: lbc.arn,
      external_secrets_role_arn: externalSecrets.arn,
      log_shipping_role_arn: logShipping.arn,
      karpenter_role_arn: karpenterRoleArn,
      karpenter_queue_name: karpenterQueue,
      cluster_autoscaler_role_arn: clusterAutoscalerRoleArn,
      keda_role_arn: kedaRoleArn,
      otel_collector_role_arn: otelCollectorRoleArn,
      external_dns_role_arn: externalDnsRoleArn,
      alertmanager_role_arn: alertmanagerRoleArn,
      grafana_role_arn: grafanaRoleArn,
      app_secrets_kms_key_arn: secretsKey.arn,
    });
  }
}
