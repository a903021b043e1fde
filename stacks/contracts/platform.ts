import { type TerraformStack } from "cdktf";
import { type BackendSettings, type EnvironmentConfig } from "../../config";
import { type ContractValues, StackContract } from "./contract";

/** The outputs `<env>-platform` publishes: the names the application's release refers to. */
export const PLATFORM_CONTRACT = new StackContract("platform", {
  ingress_class: { kind: "string", description: "IngressClass of the AWS Load Balancer Controller", mock: "alb" },
  secret_store: { kind: "string", description: "The name of the SecretStore for Secrets Manager in each environment's namespace (and of the platform's ClusterSecretStore)", mock: "aws-secrets-manager" },
  storage_class: { kind: "string", description: "The default StorageClass (encrypted gp3)", mock: "gp3-encrypted" },
  app_namespace: { kind: "string", description: "The application's namespace (Pod Security restricted, default-deny ingress)", mock: "app" },
  container_log_group: { kind: "string", description: "CloudWatch log group of the containers' logs", mock: "/aws/eks/mock/containers" },
});

/** The names the application's release refers to. */
export type PlatformOutputs = ContractValues<typeof PLATFORM_CONTRACT.outputs>;

/** The platform of an environment, read from its platform stack's state. */
export function platformFromRemoteState(stack: TerraformStack, backend: BackendSettings, env: Pick<EnvironmentConfig, "name" | "cluster">): PlatformOutputs {
  return PLATFORM_CONTRACT.read(stack, backend, env);
}
