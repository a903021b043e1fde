import { type Change, type ResourceChange } from "./plan";

/** Kinds of change counted in the summary; one resource can be e.g. moved and updated. */
export const KINDS = ["create", "update", "replace", "delete", "move", "import", "forget"] as const;
export type Kind = (typeof KINDS)[number];
export type Counts = Record<Kind, number>;

export const zeroCounts = (): Counts => ({ create: 0, update: 0, replace: 0, delete: 0, move: 0, import: 0, forget: 0 });

/** Whether a change (of an output, say) changes nothing: only no-op or read actions. */
export function changesNothing(change: Change): boolean {
  return change.actions.every((a) => a === "no-op" || a === "read");
}

/** What a resource change does, in summary terms (data sources and plain no-ops: nothing). */
export function kindsOf(rc: ResourceChange): Kind[] {
  if (rc.mode === "data") return [];
  const a = rc.change.actions;
  const kinds: Kind[] = [];
  if (a.length === 2 && a.includes("delete") && a.includes("create")) kinds.push("replace");
  else if (a.length === 1 && (a[0] === "create" || a[0] === "update" || a[0] === "delete" || a[0] === "forget")) kinds.push(a[0]);
  if (rc.previous_address && rc.previous_address !== rc.address) kinds.push("move");
  if (rc.change.importing) kinds.push("import");
  return kinds;
}

/** The main action of a change, for labels (`replace` for both orders). */
export function primaryKind(rc: ResourceChange): Kind | undefined {
  return kindsOf(rc)[0];
}

/** Whether a replace creates the new object before destroying the old (create_before_destroy). */
export function createsFirst(rc: ResourceChange): boolean {
  return rc.change.actions[0] === "create" && rc.change.actions[1] === "delete";
}

export function countChanges(changes: readonly ResourceChange[]): Counts {
  const counts = zeroCounts();
  for (const rc of changes) for (const k of kindsOf(rc)) counts[k] += 1;
  return counts;
}

export function addCounts(a: Counts, b: Counts): Counts {
  const out = zeroCounts();
  for (const k of KINDS) out[k] = a[k] + b[k];
  return out;
}

export const isEmpty = (c: Counts) => KINDS.every((k) => c[k] === 0);

/** Resources whose loss loses data or access: their deletes and replaces are flagged loudly. */
export const STATEFUL_TYPES: Readonly<Record<string, string>> = {
  aws_db_instance: "RDS instance",
  aws_rds_cluster: "Aurora cluster",
  aws_rds_cluster_instance: "Aurora instance",
  aws_msk_cluster: "MSK cluster",
  aws_msk_serverless_cluster: "MSK cluster",
  aws_msk_topic: "Kafka topic (its records)",
  aws_route53_zone: "Route 53 hosted zone (its name servers, which the parent delegates to)",
  aws_eks_cluster: "EKS cluster",
  aws_eks_node_group: "EKS node group",
  aws_s3_bucket: "S3 bucket",
  aws_dynamodb_table: "DynamoDB table",
  aws_kms_key: "KMS key",
  aws_kms_alias: "KMS alias",
  aws_iam_role: "IAM role (trust policy)",
  aws_iam_openid_connect_provider: "IAM OIDC provider (trust)",
};

/** Stacks whose every resource counts as stateful. */
export const STATEFUL_STACKS = ["state-backend"] as const;

/** Why a change is to a stateful resource, or undefined. */
export function statefulReason(stack: string, rc: ResourceChange): string | undefined {
  if ((STATEFUL_STACKS as readonly string[]).includes(stack)) return "state backend";
  return STATEFUL_TYPES[rc.type];
}
