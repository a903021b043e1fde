import { type TerraformStack } from "cdktf";
import { type BackendSettings, type EnvironmentConfig } from "../../config";
import { type ContractValues, StackContract } from "./contract";

/** The outputs `<env>-eks` publishes: everything consumers know of the cluster, wherever it lives. */
export const EKS_CONTRACT = new StackContract("eks", {
  cluster_name: { kind: "string", description: "The EKS cluster's name" },
  cluster_arn: { kind: "string", description: "The EKS cluster's ARN", mock: "arn:aws:eks:{region}:{account}:cluster/mock" },
  cluster_endpoint: { kind: "string", description: "The Kubernetes API endpoint", mock: "https://0123456789ABCDEF0123456789ABCDEF.gr7.{region}.eks.amazonaws.com" },
  cluster_certificate_authority: { kind: "string", description: "The cluster CA certificate, base64", mock: "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1PQ0sKLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo=" },
  oidc_issuer: { kind: "string", description: "The cluster's OIDC issuer without https://: the prefix of IRSA condition keys", mock: "oidc.eks.{region}.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF" },
  oidc_provider_arn: { kind: "string", description: "ARN of the cluster's IAM OIDC provider (IRSA)", mock: "arn:aws:iam::{account}:oidc-provider/oidc.eks.{region}.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF" },
  cluster_security_group_id: { kind: "string", description: "The cluster security group, which EKS also attaches to managed nodes", mock: "sg-0123456789abcdef1" },
  api_security_group_id: { kind: "string", description: "The API's own security group (on the control plane's interfaces only): clients of the API are admitted to it on 443", mock: "sg-0123456789abcdef2" },
  node_security_group_id: { kind: "string", description: "The security group of the nodes, and of the pods without a group of their own (the platform's): the brokers admit Prometheus and KEDA from it; services' pods have their own (pod_security_groups)", mock: "sg-0123456789abcdef1" },
  node_role_arn: { kind: "string", description: "ARN of the node role (Karpenter's nodes use it too)", mock: "arn:aws:iam::{account}:role/mock-nodes" },
  node_role_name: { kind: "string", description: "Name of the node role", mock: "mock-nodes" },
  secrets_kms_key_arn: { kind: "string", description: "ARN of the key that encrypts Kubernetes secrets", mock: "arn:aws:kms:{region}:{account}:key/00000000-0000-0000-0000-000000000000" },
  pod_security_groups: {
    kind: "string-map",
    description: "The security group of each service's pods (security groups for pods), by <env>/<service>, for every environment whose services run in the cluster: its SecurityGroupPolicy gives it to the pods, its database and Kafka admit it",
    mock: "sg-0123456789abcde00",
  },
});

/** The key of a service's pod security group in {@link EKS_CONTRACT}'s `pod_security_groups`: `<env>/<service>`. */
export function podSecurityGroupKey(env: { readonly name: string }, service: string): string {
  return `${env.name}/${service}`;
}

/** What consumers know of a cluster. */
export type EksOutputs = ContractValues<typeof EKS_CONTRACT.outputs>;

/**
 * The cluster an environment runs in, read from its EKS stack's state: its own, or for a tenant
 * (`cluster.environment`) its host's.
 */
export function eksFromRemoteState(stack: TerraformStack, backend: BackendSettings, env: Pick<EnvironmentConfig, "name" | "cluster">): EksOutputs {
  return EKS_CONTRACT.read(stack, backend, env);
}
