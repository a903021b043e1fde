import { type ResourceChange } from "./plan";

/**
 * Changes that destroy data, in one table of type → attribute → direction: in-place updates
 * ("decrease of `backup_retention_period`") and deletions of types that hold data or everything
 * in them. The guard refuses each, as it refuses a protected delete, until it is allowed; the
 * comment shows it beside the change. Every attribute is the AWS provider's (6.x, the version
 * the stacks pin: the registry pages linked are those the @cdktf/provider-aws 21 typings link;
 * 5.100's schema, `terraform providers schema -json`, has each too, with the same type).
 *
 * Deletes and replaces of the stateful types (review/classify.ts STATEFUL_TYPES: databases,
 * Kafka clusters and topics, buckets, keys...) are refused as "stateful" before this table is read.
 */

/** How a change to one attribute destroys data. */
export type Direction = "decrease" | "true → false" | "false → true";

/** A change to one attribute that destroys data. */
export interface AttributeRule {
  readonly types: readonly string[];
  /** A top-level attribute of the resource. */
  readonly attribute: string;
  /**
   * Reads values below the attribute (in nested blocks), each under a label: every backup rule's
   * `lifecycle.delete_after`, by rule name. Each label is judged on its own; the change is named
   * by {@link path} and the label.
   * @default - the attribute's own value
   */
  readonly values?: (attribute: unknown) => Readonly<Record<string, Scalar>>;
  /** How the value is named when {@link values} reads it from nested blocks (`rule.lifecycle.delete_after`). @default - the attribute */
  readonly path?: string;
  readonly direction: Direction;
  /** What the attribute means when the plan has no value for it (null): the provider's or AWS's default. @default - unknown: not judged */
  readonly unset?: number | boolean;
  /** A value that means "forever" and so is above every number (CloudWatch Logs' 0: never expire). @default - none */
  readonly forever?: number;
  /** What is lost, for the reviewer; `after` is the new value, `name` the resource's own name when it has one, `label` the value's label. */
  readonly loses: (after: Scalar, name: string | undefined, label: string) => string;
  /** Where the attribute, and what the change does, are documented. */
  readonly see: readonly string[];
}

/** A deletion (or replacement: the old object is deleted too) that destroys data. */
export interface DeleteRule {
  readonly types: readonly string[];
  readonly direction: "delete";
  /**
   * Which of the type's resources it judges, by address.
   * @default - every one
   */
  readonly addresses?: RegExp;
  /** What is lost, for the reviewer. */
  readonly loses: (before: Readonly<Record<string, unknown>>) => string;
  readonly see: readonly string[];
}

export type DataLossRule = AttributeRule | DeleteRule;

type Scalar = number | boolean | undefined;

const REGISTRY = "https://registry.terraform.io/providers/hashicorp/aws/6.25.0/docs/resources";
const days = (n: number | boolean | undefined) => `${String(n)} day${n === 1 ? "" : "s"}`;
const of = (name: string | undefined) => (name ? ` of ${name}` : "");

export const DATA_LOSS: readonly DataLossRule[] = [
  {
    types: ["aws_db_instance", "aws_rds_cluster"],
    attribute: "backup_retention_period",
    direction: "decrease",
    loses: (after) => (after === 0 ? "automated backups are turned off, and the existing ones deleted" : `automated backups older than ${days(after)} are deleted`),
    see: [`${REGISTRY}/db_instance#backup_retention_period`, `${REGISTRY}/rds_cluster#backup_retention_period`, "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.BackupRetention.html"],
  },
  // AWS Backup beside RDS's own backups (stacks/database-stack.ts): a continuous rule's retention
  // is the point-in-time window of the one recovery point, which AWS Backup shortens in place.
  {
    types: ["aws_backup_plan"],
    attribute: "rule",
    path: "rule.lifecycle.delete_after",
    values: backupRuleRetention,
    direction: "decrease",
    loses: (after, _name, label) =>
      label.startsWith("continuous ") ? `point-in-time restore reaches back ${days(after)} only: AWS Backup shortens the existing continuous recovery point` : `its recovery points expire after ${days(after)}`,
    see: [`${REGISTRY}/backup_plan#delete_after`, "https://docs.aws.amazon.com/aws-backup/latest/devguide/point-in-time-recovery-retention-period.html"],
  },
  // Every log group, the VPC flow logs' too: modules/network/flow-logs.ts delivers them to a
  // CloudWatch log group, so their retention is this attribute of that group.
  {
    types: ["aws_cloudwatch_log_group"],
    attribute: "retention_in_days",
    direction: "decrease",
    // Unset and 0 both mean "never expire": from 0 to any number is a decrease, to 0 an increase.
    unset: 0,
    forever: 0,
    loses: (after, name) => `log events${of(name)} older than ${days(after)} are deleted`,
    see: [`${REGISTRY}/cloudwatch_log_group#retention_in_days`, "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html"],
  },
  {
    types: ["aws_db_instance", "aws_rds_cluster", "aws_rds_cluster_instance"],
    attribute: "performance_insights_retention_period",
    direction: "decrease",
    loses: (after) => `Performance Insights data older than ${days(after)} is deleted`,
    see: [`${REGISTRY}/db_instance#performance_insights_retention_period`, `${REGISTRY}/rds_cluster#performance_insights_retention_period`, `${REGISTRY}/rds_cluster_instance#performance_insights_retention_period`],
  },
  {
    types: ["aws_msk_cluster"],
    attribute: "number_of_broker_nodes",
    direction: "decrease",
    loses: (after) => `brokers are removed: every partition replica on them must be moved off first, and the cluster keeps the storage of ${String(after)} brokers only`,
    see: [`${REGISTRY}/msk_cluster#number_of_broker_nodes`, "https://docs.aws.amazon.com/msk/latest/developerguide/msk-remove-broker.html"],
  },
  {
    types: ["aws_db_instance", "aws_rds_cluster"],
    attribute: "deletion_protection",
    direction: "true → false",
    unset: false,
    loses: () => "the database can then be deleted by one API call or a later apply, with nothing to stop it",
    see: [`${REGISTRY}/db_instance#deletion_protection`, `${REGISTRY}/rds_cluster#deletion_protection`],
  },
  {
    types: ["aws_lb"],
    attribute: "enable_deletion_protection",
    direction: "true → false",
    unset: false,
    loses: () => "the load balancer (and the DNS name clients and partners use) can then be deleted by one API call or a later apply",
    see: [`${REGISTRY}/lb#enable_deletion_protection`],
  },
  {
    types: ["aws_eks_cluster"],
    attribute: "deletion_protection",
    direction: "true → false",
    unset: false,
    loses: () => "the cluster, and everything running in it, can then be deleted by one API call or a later apply",
    see: [`${REGISTRY}/eks_cluster#deletion_protection`],
  },
  {
    types: ["aws_dynamodb_table"],
    attribute: "deletion_protection_enabled",
    direction: "true → false",
    unset: false,
    loses: () => "the table and its items can then be deleted by one API call or a later apply",
    see: [`${REGISTRY}/dynamodb_table#deletion_protection_enabled`],
  },
  {
    types: ["aws_db_instance", "aws_rds_cluster"],
    attribute: "skip_final_snapshot",
    direction: "false → true",
    unset: false,
    loses: () => "deleting the database later takes no final snapshot: its data goes with it",
    see: [`${REGISTRY}/db_instance#skip_final_snapshot`, `${REGISTRY}/rds_cluster#skip_final_snapshot`],
  },
  {
    types: ["aws_db_instance", "aws_rds_cluster"],
    attribute: "delete_automated_backups",
    direction: "false → true",
    // The provider's default is true: the stacks set false, so that backups outlive the database.
    unset: true,
    loses: () => "deleting the database later deletes its automated backups with it",
    see: [`${REGISTRY}/db_instance#delete_automated_backups`, `${REGISTRY}/rds_cluster#delete_automated_backups`],
  },
  {
    types: ["aws_cloudwatch_log_group"],
    direction: "delete",
    loses: (b) => `its log events${of(str(b.name))} are deleted with it`,
    see: [`${REGISTRY}/cloudwatch_log_group`],
  },
  {
    types: ["aws_vpc"],
    direction: "delete",
    loses: () => "everything in it loses its network: its subnets, routes, endpoints and security groups go with it, and what other stacks run there (the cluster, the database) is cut off or holds the apply half-way",
    see: [`${REGISTRY}/vpc`],
  },
  {
    types: ["aws_subnet"],
    direction: "delete",
    loses: (b) => `what runs in ${str(b.cidr_block) ?? "it"} (nodes, database and broker interfaces, NAT gateways, endpoints) loses its addresses, and the range is given up`,
    see: [`${REGISTRY}/subnet`],
  },
  // Not data, but the way to it: the data stores' rule admitting the cluster's nodes (as every pod
  // without a security group of its own is seen) is what running pods reach their database and
  // brokers through until they restart with their own groups (docs/security-groups-for-pods.md).
  {
    types: ["aws_vpc_security_group_ingress_rule"],
    addresses: /\.(postgres|kafka)_from-clients(-iam|-tls)?$/,
    direction: "delete",
    loses: (b) =>
      `the rule admitting ${str(b.referenced_security_group_id) ?? "the cluster's nodes"} ${str(b.description) ? `("${str(b.description)}") ` : ""}is how pods without a security group of their own reach the data store: every pod started before its SecurityGroupPolicy opens no new connection once it is gone; apply with eks.nodesReachDataStores: true first, restart the services, then remove it (docs/security-groups-for-pods.md, "Upgrading a running environment")`,
    see: ["https://docs.aws.amazon.com/eks/latest/userguide/security-groups-for-pods.html", "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/security-group-connection-tracking.html"],
  },
  {
    types: ["kubernetes_namespace_v1", "kubernetes_namespace"],
    direction: "delete",
    loses: () => "deleting a namespace deletes everything in it: workloads, Secrets, ConfigMaps and PersistentVolumeClaims (with their volumes, under a Delete reclaim policy)",
    see: ["https://registry.terraform.io/providers/hashicorp/kubernetes/latest/docs/resources/namespace_v1", "https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/"],
  },
  // Every release, not only those whose values name persistence or storage keys: whether a chart
  // templates a PersistentVolumeClaim is in its own defaults and templates, which the plan does not
  // show (persistence is on by default in many charts), and an uninstall deletes what it made.
  {
    types: ["helm_release"],
    direction: "delete",
    loses: (b) => `uninstalling ${str(b.name) ?? "the release"} deletes every object its chart made, PersistentVolumeClaims (and their volumes, under a Delete reclaim policy) among them unless annotated helm.sh/resource-policy: keep; the plan cannot show whether the chart has any`,
    see: ["https://registry.terraform.io/providers/hashicorp/helm/latest/docs/resources/release", "https://helm.sh/docs/helm/helm_uninstall/", "https://github.com/helm/helm/blob/main/pkg/kube/resource_policy.go"],
  },
  {
    types: ["aws_secretsmanager_secret"],
    direction: "delete",
    loses: (b) => `its value is deleted ${b.recovery_window_in_days === 0 ? "at once (recovery_window_in_days = 0)" : `after the recovery window (${days(typeof b.recovery_window_in_days === "number" ? b.recovery_window_in_days : 30)})`}, and whatever reads it fails from the apply on`,
    see: [`${REGISTRY}/secretsmanager_secret#recovery_window_in_days`],
  },
  {
    types: ["aws_ecr_repository"],
    direction: "delete",
    loses: (b) => `its images are deleted with it${b.force_delete === true ? " (force_delete)" : ", or, without force_delete, the apply fails half-way while it holds any"}`,
    see: [`${REGISTRY}/ecr_repository#force_delete`],
  },
];

const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);

/** Each backup rule's retention (its first lifecycle's delete_after), and each copy's, by rule name. */
function backupRuleRetention(rules: unknown): Record<string, Scalar> {
  const out: Record<string, Scalar> = {};
  const deleteAfter = (lifecycle: unknown) => {
    const v = (Array.isArray(lifecycle) ? (lifecycle[0] as Record<string, unknown> | undefined) : undefined)?.delete_after;
    return typeof v === "number" ? v : undefined;
  };
  for (const rule of Array.isArray(rules) ? (rules as Record<string, unknown>[]) : []) {
    const name = `${rule.enable_continuous_backup === true ? "continuous " : ""}rule "${String(rule.rule_name)}"`;
    out[name] = deleteAfter(rule.lifecycle);
    for (const copy of Array.isArray(rule.copy_action) ? (rule.copy_action as Record<string, unknown>[]) : []) out[`${name}, copy to ${String(copy.destination_vault_arn)}`] = deleteAfter(copy.lifecycle);
  }
  return out;
}

/** The values a rule judges, by label (one, unlabelled, for a top-level attribute), with its `unset` meaning where the plan has none. */
function valuesOf(object: unknown, rule: AttributeRule): Record<string, Scalar> {
  const v = (object as Record<string, unknown> | null | undefined)?.[rule.attribute];
  if (rule.values) return { ...rule.values(v) };
  if (typeof v === "number" || typeof v === "boolean") return { "": v };
  return { "": v === null || v === undefined ? rule.unset : undefined };
}

const shown = (v: Scalar, rule: AttributeRule) => (v === undefined ? "unknown" : rule.forever !== undefined && v === rule.forever ? `${String(v)} (never expire)` : String(v));

/** Whether an attribute's change goes the rule's way; `after` undefined with `unknownAfter`: it may. */
function destroys(rule: AttributeRule, before: Scalar, after: Scalar, unknownAfter: boolean): boolean {
  if (rule.direction === "decrease") {
    if (typeof before !== "number") return false;
    if (unknownAfter) return true;
    if (typeof after !== "number") return false;
    const rank = (n: number) => (n === rule.forever ? Infinity : n);
    return rank(after) < rank(before);
  }
  const [from, to] = rule.direction === "true → false" ? [true, false] : [false, true];
  return before === from && (unknownAfter || after === to);
}

/** What an attribute known only after apply may destroy. */
function unknownLoss(rule: AttributeRule, name: string | undefined, label: string): string {
  if (rule.direction === "decrease") return "if the new value is lower, what is older than it is deleted";
  const to = rule.direction === "false → true";
  return `if it becomes ${String(to)}, ${rule.loses(to, name, label)}`;
}

/**
 * Why a resource change destroys data, one line per rule it meets ("decrease of
 * backup_retention_period (35 → 7): automated backups older than 7 days are deleted"), or
 * nothing. Deletes and replaces meet the delete rules; in-place updates the attribute rules. An
 * attribute that becomes known only after apply may go either way: it is flagged.
 */
export function dataLoss(rc: ResourceChange): string[] {
  if (rc.mode === "data") return [];
  const actions = rc.change.actions;
  const deletes = actions.includes("delete");
  const updates = actions.length === 1 && actions[0] === "update";
  const before = (rc.change.before ?? {}) as Record<string, unknown>;
  const reasons: string[] = [];
  for (const rule of DATA_LOSS) {
    if (!rule.types.includes(rc.type)) continue;
    if (rule.direction === "delete") {
      if (rule.addresses && !rule.addresses.test(rc.address)) continue;
      if (deletes) reasons.push(`${actions.length === 2 ? "replacement" : "deletion"} of ${rc.type}: ${rule.loses(before)}`);
      continue;
    }
    if (!updates) continue;
    const unknownAfter = (rc.change.after_unknown as Record<string, unknown> | undefined)?.[rule.attribute] === true;
    const was = valuesOf(rc.change.before, rule);
    const now = unknownAfter ? {} : valuesOf(rc.change.after, rule);
    for (const [label, value] of Object.entries(was)) {
      if (!destroys(rule, value, now[label], unknownAfter)) continue;
      const what = `${rule.path ?? rule.attribute}${label ? ` of ${label}` : ""}`;
      const change = `${rule.direction === "decrease" ? "decrease" : "change"} of ${what} (${shown(value, rule)} → ${unknownAfter ? "known only after apply" : shown(now[label], rule)})`;
      reasons.push(`${change}: ${unknownAfter ? unknownLoss(rule, str(before.name), label) : rule.loses(now[label], str(before.name), label)}`);
    }
  }
  return reasons;
}
