import { crdKind } from "./crd-kind";

/**
 * The typed SecurityGroupPolicy (vpcresources.k8s.aws/v1beta1), whose CRD EKS installs with the
 * VPC resource controller it runs on the control plane (aws/amazon-vpc-resource-controller-k8s
 * v1.7.19, `config/crd/bases/vpcresources.k8s.aws_securitygrouppolicies.yaml`). The CRD keeps no
 * unknown field (no `x-kubernetes-preserve-unknown-fields`): the API server would drop a misspelt
 * one silently, so the type lists exactly its fields.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/sg-pods-example-deployment.html
 */

/** A label selector, as the CRD has it (`x-kubernetes-map-type: atomic`). */
export interface SecurityGroupPolicySelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: ReadonlyArray<{ readonly key: string; readonly operator: "In" | "NotIn" | "Exists" | "DoesNotExist"; readonly values?: readonly string[] }>;
}

/**
 * Which pods of its namespace get which security groups. The controller ignores a policy with
 * neither selector, or with no group; with both, a pod must match both; a pod matched by several
 * policies gets the union of their groups (pkg/utils/helper.go). It is read when a pod is
 * created (the webhook adds the pod's `vpc.amazonaws.com/pod-eni` request then), never for
 * running pods.
 */
export interface SecurityGroupPolicySpec {
  readonly podSelector?: SecurityGroupPolicySelector;
  readonly serviceAccountSelector?: SecurityGroupPolicySelector;
  /** 1 to 5 groups (the CRD says minItems 1; the controller README: "only supports up to 5 security groups per custom resource"). */
  readonly securityGroups: { readonly groupIds: readonly string[] };
}

/** The security groups of some pods' branch network interfaces (security groups for pods). */
export class SecurityGroupPolicy extends crdKind<SecurityGroupPolicySpec>({ apiVersion: "vpcresources.k8s.aws/v1beta1", kind: "SecurityGroupPolicy" }) {}

/**
 * The SecurityGroupPolicy CRD the objects are checked against: no chart brings it (EKS installs
 * it), so CI downloads it (`npm run -s kube-check -- --print-sources`). v1.7.19 is the
 * controller's newest tag; the CRD is unchanged on its main branch since.
 */
export const SECURITY_GROUP_POLICY_CRD = {
  name: "amazon-vpc-resource-controller-k8s-1.7.19",
  url: "https://raw.githubusercontent.com/aws/amazon-vpc-resource-controller-k8s/v1.7.19/config/crd/bases/vpcresources.k8s.aws_securitygrouppolicies.yaml",
} as const;

/** The most groups one SecurityGroupPolicy may name (amazon-vpc-resource-controller-k8s README). */
export const MAX_POLICY_SECURITY_GROUPS = 5;
