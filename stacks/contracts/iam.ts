import { type TerraformStack } from "cdktf";
import { type BackendSettings } from "../../config";
import { type ContractValues, StackContract } from "./contract";

const role = (what: string) => ({ kind: "string" as const, description: `ARN of the ${what} role`, mock: "arn:aws:iam::{account}:role/mock-{name}" });

/** The outputs `<env>-iam` publishes: the workload roles the platform and app releases annotate their service accounts with. */
export const IAM_CONTRACT = new StackContract("iam", {
  load_balancer_controller_role_arn: role("AWS Load Balancer Controller"),
  external_secrets_role_arn: role("External Secrets"),
  log_shipping_role_arn: role("log shipping (Fluent Bit)"),
  karpenter_role_arn: { ...role("Karpenter controller"), description: "ARN of the Karpenter controller role (empty when Karpenter is off)" },
  karpenter_queue_name: { kind: "string", description: "Karpenter's interruption queue (empty when Karpenter is off)", mock: "mock-queue" },
  external_dns_role_arn: { ...role("external-dns"), description: "ARN of the external-dns role (empty without a dns section)" },
  app_role_arn: { ...role("application"), description: "ARN of the role of the service app (empty without an app)" },
  app_role_name: { kind: "string", description: "Name of the application's role: the data stacks add their grants to it as inline policies of their own", mock: "mock-app" },
  app_secrets_kms_key_arn: { kind: "string", description: "ARN of the key that encrypts the application's secrets in Secrets Manager", mock: "arn:aws:kms:{region}:{account}:key/00000000-0000-0000-0000-000000000001" },
});

/** The workload roles of an environment. */
export type IamOutputs = ContractValues<typeof IAM_CONTRACT.outputs>;

/** The workload roles of an environment, read from its IAM stack's state. */
export function iamFromRemoteState(stack: TerraformStack, backend: BackendSettings, env: { readonly name: string }): IamOutputs {
  return IAM_CONTRACT.read(stack, backend, env);
}
