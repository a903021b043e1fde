import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { Fn, Token, type TerraformStack } from "cdktf";

/** The cluster the kubernetes and helm providers talk to. */
export interface ClusterConnection {
  /** Cluster name, for `aws eks get-token`. */
  readonly clusterName: string;
  /** The API server's URL. */
  readonly endpoint: string;
  /** The cluster CA certificate, base64 (as EKS returns it). */
  readonly certificateAuthority: string;
  /** The cluster's region. */
  readonly region: string;
  /**
   * Name of the stack's variable holding a role to get the token as; when it is null the token
   * is the caller's (CI's role from its OIDC token).
   */
  readonly roleVariable: string;
  /**
   * Also configure the kubernetes provider (for stacks with kubernetes_* resources).
   * @default true
   */
  readonly kubernetes?: boolean;
}

/** An element of a Terraform list expression: a string literal, or (for a token) the reference it resolves to. */
function literalOrReference(value: string): string {
  return Token.isUnresolved(value) ? value : JSON.stringify(value);
}

/**
 * Configures the kubernetes and helm providers of a stack for one EKS cluster. Authentication is
 * `exec` with `aws eks get-token`: a short-lived token made on each run, as the caller (or the
 * deploy role), never a static token or a kubeconfig file, so nothing secret is in the
 * configuration, the state or the plan.
 * @see https://registry.terraform.io/providers/hashicorp/helm/latest/docs#exec-plugins
 */
export function clusterProviders(stack: TerraformStack, cluster: ClusterConnection): { kubernetes?: KubernetesProvider; helm: HelmProvider } {
  const base = ["eks", "get-token", "--cluster-name", cluster.clusterName, "--region", cluster.region, "--output", "json"];
  const role = `var.${cluster.roleVariable}`;
  const exec = {
    apiVersion: "client.authentication.k8s.io/v1beta1",
    command: "aws",
    // --role-arn only when the variable is set, as the AWS provider's assume_role.
    args: Token.asList(`\${concat([${base.map(literalOrReference).join(", ")}], ${role} == null ? [] : ["--role-arn", ${role}])}`),
  };
  const connection = { host: cluster.endpoint, clusterCaCertificate: Fn.base64decode(cluster.certificateAuthority) };
  const kubernetes = cluster.kubernetes === false ? undefined : new KubernetesProvider(stack, "kubernetes", { ...connection, exec: [exec] });
  // Helm provider 3.x: `kubernetes` is an attribute (an object), not a block.
  const helm = new HelmProvider(stack, "helm", { kubernetes: { ...connection, exec } });
  return { kubernetes, helm };
}
