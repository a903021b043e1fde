import { EksPodIdentityAssociation } from "@cdktf/provider-aws/lib/eks-pod-identity-association";
import { Construct } from "constructs";
import { type IGrantable } from "./grant";
import { type PolicyStatement } from "./policy-document";
import { Role, type RoleProps } from "./role";

/** The cluster a workload role is for: what its trust policy names. */
export interface WorkloadCluster {
  /** Cluster name (Pod Identity associations name it). */
  readonly name: string;
  /** ARN of the cluster's IAM OIDC provider (IRSA). */
  readonly oidcProviderArn: string;
  /** The OIDC issuer without `https://` (`oidc.eks.<region>.amazonaws.com/id/<id>`): the prefix of the IRSA condition keys. */
  readonly oidcIssuer: string;
  /** The cluster's account, for the Pod Identity trust's source condition. */
  readonly accountId: string;
}

/** Props of {@link WorkloadRole}: a {@link Role}'s, but the trust, which is made here. */
export interface WorkloadRoleProps extends Omit<RoleProps, "trust"> {
  /** Namespace of the service account. */
  readonly namespace: string;
  /** The service account the role is for. */
  readonly serviceAccount: string;
  /**
   * Further service accounts of the same namespace that act as the same workload (a migration
   * Job's hook account): each may assume the role too.
   * @default - none
   */
  readonly additionalServiceAccounts?: readonly string[];
  /** The cluster. */
  readonly cluster: WorkloadCluster;
  /**
   * IRSA (OIDC web identity) or EKS Pod Identity.
   * @default "irsa"
   */
  readonly mode?: "irsa" | "pod-identity";
}

/**
 * The IAM role of one Kubernetes service account, and nothing else can assume it.
 *
 * - IRSA: trust `sts:AssumeRoleWithWebIdentity` from this cluster's OIDC provider only, with
 *   `StringEquals` on `<issuer>:sub = system:serviceaccount:<ns>:<sa>` and
 *   `<issuer>:aud = sts.amazonaws.com`; the service account carries the role in an annotation.
 * - Pod Identity: trust `pods.eks.amazonaws.com` from this account, and an association that binds
 *   the role to exactly that namespace and service account.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/iam-roles-for-service-accounts.html
 */
export class WorkloadRole extends Construct implements IGrantable {
  /** The role. */
  readonly role: Role;
  /** ARN of the role. */
  readonly arn: string;
  /** Annotations the service account needs (IRSA's role annotation; none for Pod Identity). */
  readonly serviceAccountAnnotations: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: WorkloadRoleProps) {
    super(scope, id);
    const accounts = [props.serviceAccount, ...(props.additionalServiceAccounts ?? [])];
    const badAccount = accounts.find((sa) => !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(sa));
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(props.namespace) || badAccount !== undefined) {
      throw new Error(`${this.node.path}: namespace and serviceAccount must be Kubernetes names (got "${props.namespace}" and "${badAccount ?? props.serviceAccount}")`);
    }
    const subjects = accounts.map((sa) => `system:serviceaccount:${props.namespace}:${sa}`);
    const mode = props.mode ?? "irsa";
    const { cluster } = props;
    const trust: PolicyStatement =
      mode === "irsa"
        ? {
            Sid: "ThisServiceAccountOfThisCluster",
            Effect: "Allow",
            Principal: { Federated: cluster.oidcProviderArn },
            Action: "sts:AssumeRoleWithWebIdentity",
            Condition: {
              StringEquals: { [`${cluster.oidcIssuer}:sub`]: subjects.length === 1 ? (subjects[0] as string) : subjects, [`${cluster.oidcIssuer}:aud`]: "sts.amazonaws.com" },
            },
          }
        : {
            Sid: "EksPodIdentityOfThisAccount",
            Effect: "Allow",
            Principal: { Service: "pods.eks.amazonaws.com" },
            Action: ["sts:AssumeRole", "sts:TagSession"],
            Condition: { StringEquals: { "aws:SourceAccount": cluster.accountId } },
          };
    const { namespace: _namespace, serviceAccount: _serviceAccount, additionalServiceAccounts: _more, cluster: _cluster, mode: _mode, ...roleProps } = props;
    this.role = new Role(this, "Default", { ...roleProps, trust: [trust] });
    this.arn = this.role.arn;
    if (mode === "pod-identity") {
      new EksPodIdentityAssociation(this, "association", { clusterName: cluster.name, namespace: props.namespace, serviceAccount: props.serviceAccount, roleArn: this.arn });
      for (const sa of props.additionalServiceAccounts ?? []) new EksPodIdentityAssociation(this, `association-${sa}`, { clusterName: cluster.name, namespace: props.namespace, serviceAccount: sa, roleArn: this.arn });
      this.serviceAccountAnnotations = {};
    } else {
      this.serviceAccountAnnotations = { "eks.amazonaws.com/role-arn": this.arn };
    }
  }

  get grantName(): string {
    return this.node.path;
  }

  addToPrincipalPolicy(statement: PolicyStatement): void {
    this.role.addToPrincipalPolicy(statement);
  }
}
