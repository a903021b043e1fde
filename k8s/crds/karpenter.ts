import { type ApiObjectMetadata } from "cdk8s";
import { crdKind } from "./crd-kind";

/**
 * Typed Karpenter objects (karpenter.sh/v1 and karpenter.k8s.aws/v1, chart 1.14.1): the fields
 * this project sets.
 * @see https://karpenter.sh/docs/concepts/nodepools/
 */

export interface NodeSelectorRequirement {
  readonly key: string;
  readonly operator: "In" | "NotIn" | "Exists" | "DoesNotExist" | "Gt" | "Lt" | "Gte" | "Lte";
  readonly values?: readonly string[];
}

/** A disruption budget: how many nodes may be disrupted at once, optionally for some reasons or at some times. */
export interface DisruptionBudget {
  readonly nodes: string;
  readonly reasons?: ReadonlyArray<"Underutilized" | "Empty" | "Drifted">;
  readonly schedule?: string;
  readonly duration?: string;
}

export interface NodePoolProps {
  readonly metadata: ApiObjectMetadata;
  readonly spec: {
    readonly template: {
      readonly metadata?: { readonly labels?: Readonly<Record<string, string>> };
      readonly spec: {
        readonly nodeClassRef: { readonly group: "karpenter.k8s.aws"; readonly kind: "EC2NodeClass"; readonly name: string };
        readonly requirements: readonly NodeSelectorRequirement[];
        readonly expireAfter: string;
      };
    };
    readonly limits: { readonly cpu: string; readonly memory?: string };
    readonly disruption: { readonly consolidationPolicy: "WhenEmptyOrUnderutilized" | "WhenEmpty"; readonly consolidateAfter: string; readonly budgets?: readonly DisruptionBudget[] };
    readonly weight?: number;
  };
}

/** What nodes Karpenter may launch for pods that fit no existing node. */
export class NodePool extends crdKind<NodePoolProps["spec"]>({ apiVersion: "karpenter.sh/v1", kind: "NodePool" }) {}

export interface Ec2NodeClassProps {
  readonly metadata: ApiObjectMetadata;
  readonly spec: {
    readonly role: string;
    readonly amiSelectorTerms: ReadonlyArray<{ readonly alias: string }>;
    readonly subnetSelectorTerms: ReadonlyArray<{ readonly tags: Readonly<Record<string, string>> }>;
    readonly securityGroupSelectorTerms: ReadonlyArray<{ readonly id: string }>;
    readonly metadataOptions: { readonly httpEndpoint: "enabled"; readonly httpTokens: "required"; readonly httpPutResponseHopLimit: number };
    readonly blockDeviceMappings: ReadonlyArray<{ readonly deviceName: string; readonly ebs: { readonly volumeSize: string; readonly volumeType: "gp3"; readonly encrypted: true; readonly deleteOnTermination: true } }>;
  };
}

/** How Karpenter's EC2 nodes are made: AMI, subnets, security groups, IMDS, disks. */
export class Ec2NodeClass extends crdKind<Ec2NodeClassProps["spec"]>({ apiVersion: "karpenter.k8s.aws/v1", kind: "EC2NodeClass" }) {}
