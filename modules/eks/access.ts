import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { EksAccessPolicyAssociation } from "@cdktf/provider-aws/lib/eks-access-policy-association";
import { type ITerraformDependable } from "cdktf";
import { Construct } from "constructs";

/** EKS access policies this project grants (https://docs.aws.amazon.com/eks/latest/userguide/access-policy-permissions.html). */
export const ACCESS_POLICIES = {
  /** Everything, cluster-wide. */
  admin: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
  /** Read everything but Secrets, cluster-wide. */
  view: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy",
  /** Read everything, Secrets included: scoped to the namespaces whose Helm releases must be planned. */
  adminView: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy",
} as const;

/** One access policy of a principal, in a scope. */
export interface AccessPolicyGrant {
  /** The access policy. */
  readonly policy: keyof typeof ACCESS_POLICIES;
  /**
   * Namespaces the policy is limited to.
   * @default - the whole cluster
   */
  readonly namespaces?: readonly string[];
}

/** Who gets which access to the cluster. */
export interface AccessGrant {
  /** IAM role or user ARN. */
  readonly principalArn: string;
  /** Its access policies. */
  readonly policies: readonly AccessPolicyGrant[];
  /**
   * Kubernetes groups the principal is in, for RBAC bindings beside its access policies (the
   * two add up).
   * @default - none
   */
  readonly kubernetesGroups?: readonly string[];
}

/** Props of {@link ClusterAccess}. */
export interface ClusterAccessProps {
  /** The cluster's name. */
  readonly clusterName: string;
  /** Grants, keyed by a short stable name (it becomes the construct id). */
  readonly grants: Readonly<Record<string, AccessGrant>>;
  /** The cluster resource, so entries are created after it. */
  readonly cluster: ITerraformDependable;
}

/**
 * Access entries and their policy associations: who may use the Kubernetes API, with which
 * policy, in which scope. This replaces the aws-auth ConfigMap.
 */
export class ClusterAccess extends Construct {
  constructor(scope: Construct, id: string, props: ClusterAccessProps) {
    super(scope, id);
    for (const [name, grant] of Object.entries(props.grants)) {
      if (!/^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@/-]+$/.test(grant.principalArn)) {
        throw new Error(`${this.node.path}/${name}: principalArn must be an IAM role or user ARN (got "${grant.principalArn}")`);
      }
      const entry = new EksAccessEntry(this, name, { clusterName: props.clusterName, principalArn: grant.principalArn, type: "STANDARD", ...(grant.kubernetesGroups?.length ? { kubernetesGroups: [...grant.kubernetesGroups] } : {}), dependsOn: [props.cluster] });
      for (const p of grant.policies) {
        new EksAccessPolicyAssociation(entry, p.policy, {
          clusterName: props.clusterName,
          principalArn: entry.principalArn,
          policyArn: ACCESS_POLICIES[p.policy],
          accessScope: p.namespaces ? { type: "namespace", namespaces: [...p.namespaces] } : { type: "cluster" },
        });
      }
    }
  }
}
