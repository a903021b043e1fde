import { type TerraformStack } from "cdktf";
import { type BackendSettings } from "../../config";
import { type ContractValues, StackContract } from "./contract";

const role = (what: string) => ({ kind: "string" as const, description: `ARN of the ${what} role`, mock: "arn:aws:iam::{account}:role/mock-{name}" });

/**
 * The outputs `<env>-iam` publishes: the platform's workload roles its releases annotate their
 * service accounts with. The services' roles are named by config (`<env>-<service>`), so the app
 * and data stacks name them without reading this contract.
 */
export const IAM_CONTRACT = new StackContract("iam", {
  load_balancer_controller_role_arn: role("AWS Load Balancer Controller"),
  external_secrets_role_arn: role("External Secrets"),
  log_shipping_role_arn: role("log shipping (Fluent Bit)"),
  karpenter_role_arn: { ...role("Karpenter controller"), description: "ARN of the Karpenter controller role (empty when Karpenter is off)" },
  karpenter_queue_name: { kind: "string", description: "Karpenter's interruption queue (empty when Karpenter is off)", mock: "mock-queue" },
  cluster_autoscaler_role_arn: { ...role("Cluster Autoscaler"), description: "ARN of the Cluster Autoscaler's role (empty when it is off: with Karpenter, or eks.clusterAutoscaler false)" },
  keda_role_arn: { ...role("KEDA operator"), description: "ARN of the KEDA operator role (empty when KEDA is off)" },
  otel_collector_role_arn: { ...role("OpenTelemetry Collector"), description: "ARN of the OpenTelemetry Collector's role, which writes traces to X-Ray (empty when tracing is off)" },
  external_dns_role_arn: { ...role("external-dns"), description: "ARN of the external-dns role (empty without a dns section)" },
  grafana_role_arn: { ...role("Grafana"), description: "ARN of Grafana's role, which reads CloudWatch for its data source (empty unless observability.grafana.cloudWatch)" },
  alertmanager_role_arn: { ...role("Alertmanager"), description: "ARN of Alertmanager's role, which publishes the email receivers' alerts to the alert topic (empty without a platform section)" },
  app_secrets_kms_key_arn: { kind: "string", description: "ARN of the key that encrypts the application's secrets in Secrets Manager", mock: "arn:aws:kms:{region}:{account}:key/00000000-0000-0000-0000-000000000001" },
});

/** The workload roles of an environment. */
export type IamOutputs = ContractValues<typeof IAM_CONTRACT.outputs>;

/** The workload roles of an environment, read from its IAM stack's state. */
export function iamFromRemoteState(stack: TerraformStack, backend: BackendSettings, env: { readonly name: string }): IamOutputs {
  return IAM_CONTRACT.read(stack, backend, env);
}
