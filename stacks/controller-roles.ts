import { type TerraformStack } from "cdktf";
import { alertTopicArn, type BackendSettings, clusterAutoscalerEnabled, clusterName, type EnvironmentConfig, externalDnsHosts, grafanaCloudWatchEnabled, kedaEnabled, platformSecretsPrefix, secretArnsUnder, tracingEnabled } from "../config";
import { PLATFORM_SECRETS_ACCOUNT } from "../modules/addons/external-secrets";
import { KEDA_CHART, KEDA_OPERATOR_SERVICE_ACCOUNT } from "../modules/addons/keda";
import { secretReaderStatements } from "../modules/iam/policies/secret-reader";
import { ALERTMANAGER_SERVICE_ACCOUNT, GRAFANA_SERVICE_ACCOUNT, MONITORING_CHART } from "../modules/addons/monitoring";
import { OTEL_COLLECTOR_CHART, OTEL_COLLECTOR_NAME } from "../modules/addons/otel-collector";
import { CLUSTER_AUTOSCALER_CHART, CLUSTER_AUTOSCALER_SERVICE_ACCOUNT } from "../modules/addons/cluster-autoscaler";
import { InterruptionQueue } from "../modules/eks/interruption-queue";
import { alertTopicPublishStatements } from "../modules/iam/policies/alert-topic-publish";
import { clusterAutoscalerStatements } from "../modules/iam/policies/cluster-autoscaler";
import { externalDnsStatements } from "../modules/iam/policies/external-dns";
import { grafanaCloudWatchStatements } from "../modules/iam/policies/grafana-cloudwatch";
import { karpenterControllerStatements } from "../modules/iam/policies/karpenter";
import { loadBalancerControllerStatements } from "../modules/iam/policies/load-balancer-controller";
import { otelCollectorStatements } from "../modules/iam/policies/otel-collector";
import { type WorkloadRole, type WorkloadRoleProps } from "../modules/iam/workload-role";
import { type EncryptionKey } from "../modules/kms/encryption-key";
import { zoneIdOf } from "./contracts/dns";
import { type EksOutputs } from "./contracts/eks";
import { type IamOutputs } from "./contracts/iam";
import { NETWORK_CONTRACT, type NetworkOutputs } from "./contracts/network";

/** What {@link controllerRoles} is given: the environment, and the iam stack's role factory and key. */
export interface ControllerRolesProps {
  readonly env: EnvironmentConfig;
  readonly backend: BackendSettings;
  readonly network: NetworkOutputs;
  readonly eks: EksOutputs;
  /** Makes the role `<env>-<id>` for one service account (stacks/iam-stack.ts). */
  readonly workload: (id: string, namespace: string, serviceAccount: string, description: string, rest?: Partial<WorkloadRoleProps>) => WorkloadRole;
  /** The key of the environment's secrets in Secrets Manager. */
  readonly secretsKey: EncryptionKey;
}

/** The controllers' part of the iam contract: their roles, and Karpenter's queue. */
export type ControllerOutputs = Omit<IamOutputs, "app_secrets_kms_key_arn">;

/** A tenant's iam layer makes no controller role: the cluster's are its host's. */
export const NO_CONTROLLERS: ControllerOutputs = {
  load_balancer_controller_role_arn: "",
  external_secrets_role_arn: "",
  log_shipping_role_arn: "",
  karpenter_role_arn: "",
  karpenter_queue_name: "",
  cluster_autoscaler_role_arn: "",
  keda_role_arn: "",
  otel_collector_role_arn: "",
  external_dns_role_arn: "",
  alertmanager_role_arn: "",
  grafana_role_arn: "",
};

/**
 * The roles of the platform's controllers, in a cluster host's `<env>-iam`: each trusted by one
 * controller's service account, each with exactly what that controller calls. Made in the stack
 * itself (the construct ids are the stack's), so their addresses are those they always had.
 */
export function controllerRoles(stack: TerraformStack, props: ControllerRolesProps): ControllerOutputs {
  const { env, backend, network, eks, workload, secretsKey } = props;
  const { account } = env;
  const lbc = workload("load-balancer-controller", "aws-load-balancer-controller", "aws-load-balancer-controller", "AWS Load Balancer Controller", {
    statements: loadBalancerControllerStatements({ region: account.region, accountId: account.id, vpcId: network.vpcId }),
  });

  // The platform's ClusterSecretStore reads the platform's own secrets (Grafana's admin, the
  // alert receivers') as this role, through a service account no pod runs as, by JWT in both
  // identity modes: the operator's pods have no credentials (modules/addons/external-secrets.ts).
  // Each environment's services' secrets are its SecretStore's (<env>-secret-store, iam-stack.ts).
  const externalSecrets = workload("external-secrets", PLATFORM_SECRETS_ACCOUNT.namespace, PLATFORM_SECRETS_ACCOUNT.name, "External Secrets: the platform's ClusterSecretStore, this environment's platform secrets", {
    mode: "irsa",
    statements: secretReaderStatements([secretArnsUnder(env, platformSecretsPrefix(env))]),
  });
  secretsKey.grantDecrypt(externalSecrets);

  const logGroup = `arn:aws:logs:${account.region}:${account.id}:log-group:/aws/eks/${clusterName(env)}/containers`;
  const logShipping = workload("log-shipping", "logging", "fluent-bit", "Fluent Bit: ships container logs to its log group", {
    statements: [{ Sid: "WriteTheContainerLogGroupOnly", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"], Resource: [logGroup, `${logGroup}:*`] }],
  });

  let karpenterRoleArn = "";
  let karpenterQueue = "";
  if (env.eks.karpenter) {
    const queue = new InterruptionQueue(stack, "karpenter-interruption-queue", { clusterName: clusterName(env) });
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
      statements: externalDnsStatements({ zoneId: zoneIdOf(stack, backend, env), hosts }),
    }).arn;
  }

  // Alertmanager's email receivers publish to the alert topic (made by <env>-network, encrypted
  // with its own key) as this role, and may do nothing else; only where Alertmanager runs.
  const alertmanagerRoleArn = env.platform
    ? workload("alertmanager", MONITORING_CHART.namespace, ALERTMANAGER_SERVICE_ACCOUNT, "Alertmanager: publishes the email receivers' alerts to the alert topic", {
        statements: alertTopicPublishStatements({ topicArn: alertTopicArn(env), keyArn: NETWORK_CONTRACT.read(stack, backend, env).alert_topic_key_arn, region: account.region }),
      }).arn
    : "";

  // Grafana reads CloudWatch (its data source) as this role, read-only; only when config asks.
  const grafanaRoleArn = grafanaCloudWatchEnabled(env)
    ? workload("grafana", MONITORING_CHART.namespace, GRAFANA_SERVICE_ACCOUNT, "Grafana: reads CloudWatch's metrics and alarms for its data source", { statements: grafanaCloudWatchStatements({ accountId: account.id, region: account.region }) }).arn
    : "";

  return {
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
  };
}
