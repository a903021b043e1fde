import { DATA_LOSS, dataLoss, guard, guardReport, type ResourceChange, type StackPlan } from "../../review";

// Changes that destroy data (review/data-loss.ts): in-place updates in one direction of one
// attribute, and deletions of types that hold data. The guard refuses each until it is allowed.

const change = (type: string, actions: ResourceChange["change"]["actions"], before: unknown, after: unknown, afterUnknown: unknown = {}): ResourceChange => ({
  address: `${type}.x`,
  type,
  mode: "managed",
  change: { actions, before, after, after_unknown: afterUnknown },
});
const update = (type: string, before: Record<string, unknown>, after: Record<string, unknown>, afterUnknown?: Record<string, unknown>) => change(type, ["update"], before, after, afterUnknown);
const plan = (stack: string, ...changes: ResourceChange[]): StackPlan => ({ stack, plan: { format_version: "1.2", resource_changes: changes } });

describe("data-destroying updates", () => {
  it.each([
    ["aws_db_instance", "backup_retention_period", 35, 7, "decrease of backup_retention_period (35 → 7): automated backups older than 7 days are deleted"],
    ["aws_rds_cluster", "backup_retention_period", 35, 1, "decrease of backup_retention_period (35 → 1): automated backups older than 1 day are deleted"],
    ["aws_db_instance", "backup_retention_period", 7, 0, "decrease of backup_retention_period (7 → 0): automated backups are turned off, and the existing ones deleted"],
    ["aws_cloudwatch_log_group", "retention_in_days", 365, 1, "decrease of retention_in_days (365 → 1): log events older than 1 day are deleted"],
    ["aws_db_instance", "performance_insights_retention_period", 731, 7, "decrease of performance_insights_retention_period (731 → 7): Performance Insights data older than 7 days is deleted"],
    ["aws_rds_cluster", "performance_insights_retention_period", 93, 31, "decrease of performance_insights_retention_period (93 → 31): Performance Insights data older than 31 days is deleted"],
    ["aws_rds_cluster_instance", "performance_insights_retention_period", 31, 7, "decrease of performance_insights_retention_period (31 → 7): Performance Insights data older than 7 days is deleted"],
    ["aws_msk_cluster", "number_of_broker_nodes", 6, 3, "decrease of number_of_broker_nodes (6 → 3): brokers are removed: every partition replica on them must be moved off first, and the cluster keeps the storage of 3 brokers only"],
    ["aws_db_instance", "deletion_protection", true, false, "change of deletion_protection (true → false): the database can then be deleted by one API call or a later apply, with nothing to stop it"],
    ["aws_rds_cluster", "deletion_protection", true, false, "change of deletion_protection (true → false): the database can then be deleted by one API call or a later apply, with nothing to stop it"],
    ["aws_lb", "enable_deletion_protection", true, false, "change of enable_deletion_protection (true → false): the load balancer (and the DNS name clients and partners use) can then be deleted by one API call or a later apply"],
    ["aws_eks_cluster", "deletion_protection", true, false, "change of deletion_protection (true → false): the cluster, and everything running in it, can then be deleted by one API call or a later apply"],
    ["aws_dynamodb_table", "deletion_protection_enabled", true, false, "change of deletion_protection_enabled (true → false): the table and its items can then be deleted by one API call or a later apply"],
    ["aws_db_instance", "skip_final_snapshot", false, true, "change of skip_final_snapshot (false → true): deleting the database later takes no final snapshot: its data goes with it"],
    ["aws_rds_cluster", "skip_final_snapshot", false, true, "change of skip_final_snapshot (false → true): deleting the database later takes no final snapshot: its data goes with it"],
    ["aws_rds_cluster", "delete_automated_backups", false, true, "change of delete_automated_backups (false → true): deleting the database later deletes its automated backups with it"],
  ])("%s: %s %p → %p", (type, attribute, before, after, why) => {
    expect(dataLoss(update(type, { [attribute]: before }, { [attribute]: after }))).toEqual([why]);
    // The other way round keeps data, or is not a change at all.
    expect(dataLoss(update(type, { [attribute]: after }, { [attribute]: before }))).toEqual([]);
    expect(dataLoss(update(type, { [attribute]: before }, { [attribute]: before }))).toEqual([]);
  });

  it("reads a log group's 0 (and no value) as never expire: from it to any number is a decrease, to it an increase", () => {
    expect(dataLoss(update("aws_cloudwatch_log_group", { retention_in_days: 0, name: "/aws/rds/prod" }, { retention_in_days: 3653 }))).toEqual([
      "decrease of retention_in_days (0 (never expire) → 3653): log events of /aws/rds/prod older than 3653 days are deleted",
    ]);
    expect(dataLoss(update("aws_cloudwatch_log_group", { retention_in_days: null }, { retention_in_days: 30 }))).toEqual(["decrease of retention_in_days (0 (never expire) → 30): log events older than 30 days are deleted"]);
    expect(dataLoss(update("aws_cloudwatch_log_group", { retention_in_days: 1 }, { retention_in_days: 0 }))).toEqual([]);
    expect(dataLoss(update("aws_cloudwatch_log_group", { retention_in_days: 1 }, { retention_in_days: null }))).toEqual([]);
  });

  it("names the VPC flow logs' group: their retention is that log group's (modules/network/flow-logs.ts)", () => {
    expect(dataLoss(update("aws_cloudwatch_log_group", { name: "/aws/vpc/flow-logs/prod", retention_in_days: 365 }, { name: "/aws/vpc/flow-logs/prod", retention_in_days: 7 }))).toEqual([
      "decrease of retention_in_days (365 → 7): log events of /aws/vpc/flow-logs/prod older than 7 days are deleted",
    ]);
  });

  it("flags a value known only after apply, which may go either way", () => {
    expect(dataLoss(update("aws_db_instance", { backup_retention_period: 35 }, {}, { backup_retention_period: true }))).toEqual([
      "decrease of backup_retention_period (35 → known only after apply): if the new value is lower, what is older than it is deleted",
    ]);
    expect(dataLoss(update("aws_rds_cluster", { deletion_protection: true }, {}, { deletion_protection: true }))).toEqual([
      "change of deletion_protection (true → known only after apply): if it becomes false, the database can then be deleted by one API call or a later apply, with nothing to stop it",
    ]);
  });

  it("reads a setting removed from the config as the provider's default", () => {
    expect(dataLoss(update("aws_rds_cluster", { delete_automated_backups: false }, { delete_automated_backups: null }))).toEqual([
      "change of delete_automated_backups (false → true): deleting the database later deletes its automated backups with it",
    ]);
    expect(dataLoss(update("aws_db_instance", { deletion_protection: true }, { deletion_protection: null }))).toHaveLength(1);
    expect(dataLoss(update("aws_db_instance", { skip_final_snapshot: null }, { skip_final_snapshot: true }))).toHaveLength(1);
  });

  it("judges each AWS Backup rule's retention on its own: a continuous rule's is the restore window AWS Backup shortens in place", () => {
    const rules = (continuous: number, daily: number, copy: number) => ({
      rule: [
        { rule_name: "continuous", enable_continuous_backup: true, lifecycle: [{ delete_after: continuous }], copy_action: [] },
        { rule_name: "daily", enable_continuous_backup: false, lifecycle: [{ delete_after: daily }], copy_action: [{ destination_vault_arn: "arn:aws:backup:eu-central-1:303030303030:backup-vault:copy", lifecycle: [{ delete_after: copy }] }] },
      ],
    });
    expect(dataLoss(update("aws_backup_plan", rules(35, 35, 35), rules(7, 35, 14)))).toEqual([
      'decrease of rule.lifecycle.delete_after of continuous rule "continuous" (35 → 7): point-in-time restore reaches back 7 days only: AWS Backup shortens the existing continuous recovery point',
      'decrease of rule.lifecycle.delete_after of rule "daily", copy to arn:aws:backup:eu-central-1:303030303030:backup-vault:copy (35 → 14): its recovery points expire after 14 days',
    ]);
    expect(dataLoss(update("aws_backup_plan", rules(7, 35, 14), rules(35, 400, 35)))).toEqual([]);
  });

  it("lists every attribute that destroys data in one update", () => {
    expect(dataLoss(update("aws_rds_cluster", { backup_retention_period: 35, deletion_protection: true }, { backup_retention_period: 7, deletion_protection: false }))).toEqual([
      "decrease of backup_retention_period (35 → 7): automated backups older than 7 days are deleted",
      "change of deletion_protection (true → false): the database can then be deleted by one API call or a later apply, with nothing to stop it",
    ]);
  });

  it("leaves other types and attributes alone", () => {
    expect(dataLoss(update("aws_ebs_volume", { backup_retention_period: 35 }, { backup_retention_period: 1 }))).toEqual([]);
    expect(dataLoss(update("aws_db_instance", { allocated_storage: 100 }, { allocated_storage: 20 }))).toEqual([]);
    expect(dataLoss(change("aws_db_instance", ["create"], null, { backup_retention_period: 1 }))).toEqual([]);
  });
});

describe("the data stores' node-group rules (security groups for pods)", () => {
  const rule = (address: string): ResourceChange => ({ ...change("aws_vpc_security_group_ingress_rule", ["delete"], { referenced_security_group_id: "sg-0123456789abcdef1", description: "PostgreSQL from the cluster's nodes and pods" }, null), address });

  it("refuses deleting the rule running pods reach their database or brokers through, and no other rule", () => {
    for (const address of ["aws_vpc_security_group_ingress_rule.postgres_from-clients", "aws_vpc_security_group_ingress_rule.kafka_from-clients-iam", "aws_vpc_security_group_ingress_rule.kafka_from-clients-tls"]) {
      expect(dataLoss(rule(address))).toEqual([expect.stringMatching(/^deletion of aws_vpc_security_group_ingress_rule: the rule admitting sg-0123456789abcdef1 \("PostgreSQL from the cluster's nodes and pods"\) is how pods without a security group of their own reach the data store: .* apply with eks\.nodesReachDataStores: true first/)]);
    }
    for (const address of ["aws_vpc_security_group_ingress_rule.postgres_from-app-pods", "aws_vpc_security_group_ingress_rule.kafka_from-prometheus", "aws_vpc_security_group_ingress_rule.network_endpoints_https-from-vpc"]) expect(dataLoss(rule(address))).toEqual([]);
  });
});

describe("data-destroying deletions", () => {
  it.each([
    ["aws_cloudwatch_log_group", { name: "/aws/rds/instance/dev-postgres/postgresql" }, "deletion of aws_cloudwatch_log_group: its log events of /aws/rds/instance/dev-postgres/postgresql are deleted with it"],
    ["aws_vpc", {}, "deletion of aws_vpc: everything in it loses its network"],
    ["aws_subnet", { cidr_block: "10.30.2.0/24" }, "deletion of aws_subnet: what runs in 10.30.2.0/24 (nodes, database and broker interfaces, NAT gateways, endpoints) loses its addresses"],
    ["kubernetes_namespace_v1", {}, "deletion of kubernetes_namespace_v1: deleting a namespace deletes everything in it"],
    ["kubernetes_namespace", {}, "deletion of kubernetes_namespace: deleting a namespace deletes everything in it"],
    ["helm_release", { name: "monitoring" }, "deletion of helm_release: uninstalling monitoring deletes every object its chart made, PersistentVolumeClaims"],
    ["aws_secretsmanager_secret", { recovery_window_in_days: 7 }, "deletion of aws_secretsmanager_secret: its value is deleted after the recovery window (7 days)"],
    ["aws_secretsmanager_secret", { recovery_window_in_days: 0 }, "deletion of aws_secretsmanager_secret: its value is deleted at once (recovery_window_in_days = 0)"],
    ["aws_ecr_repository", { force_delete: true }, "deletion of aws_ecr_repository: its images are deleted with it (force_delete)"],
  ])("%s %p", (type, before, why) => {
    const [line] = dataLoss(change(type, ["delete"], before, null));
    expect(line?.startsWith(why)).toBe(true);
    expect(dataLoss(change(type, ["delete", "create"], before, {}))[0]).toMatch(/^replacement of /);
    expect(dataLoss(change(type, ["create"], null, before))).toEqual([]);
  });

  it("flags every helm_release, whatever its values say: a chart's own defaults may template volumes", () => {
    const bare = change("helm_release", ["delete"], { name: "x", values: ["replicas: 2\n"] }, null);
    expect(dataLoss(bare)).toHaveLength(1);
  });

  it("leaves data sources alone", () => {
    expect(dataLoss({ ...change("aws_vpc", ["delete"], {}, null), mode: "data" })).toEqual([]);
  });
});

describe("the table", () => {
  it("cites where each rule is documented, and names each type once per attribute and direction", () => {
    const keys = DATA_LOSS.flatMap((r) => r.types.map((t) => `${t} ${"attribute" in r ? r.attribute : ""} ${r.direction}`));
    expect(new Set(keys).size).toBe(keys.length);
    for (const rule of DATA_LOSS) expect(rule.see.length).toBeGreaterThan(0);
  });
});

describe("the guard refuses data-destroying changes, as a protected delete", () => {
  const plans = [
    plan("prod-database", update("aws_rds_cluster", { backup_retention_period: 35 }, { backup_retention_period: 7 })),
    plan("prod-platform", change("kubernetes_namespace_v1", ["delete"], { metadata: [{ name: "app" }] }, null)),
  ];

  it("blocks each, with what it destroys", () => {
    expect(guard(plans).blocked).toEqual([
      { stack: "prod-database", address: "aws_rds_cluster.x", constructPath: undefined, action: "update", why: "data-destroying: decrease of backup_retention_period (35 → 7): automated backups older than 7 days are deleted" },
      expect.objectContaining({ stack: "prod-platform", address: "kubernetes_namespace_v1.x", action: "delete", why: expect.stringMatching(/^data-destroying: deletion of kubernetes_namespace_v1: /) }),
    ]);
    expect(guardReport(guard(plans))).toContain("  - prod-database: aws_rds_cluster.x would be changed in place; data-destroying: decrease of backup_retention_period (35 → 7)");
  });

  it("lets each through when allowed as stack:address, like the others", () => {
    const result = guard(plans, { allow: ["prod-database:aws_rds_cluster.x", "prod-platform:kubernetes_namespace_v1.x"] });
    expect(result.blocked).toEqual([]);
    expect(result.allowed.map((b) => b.action)).toEqual(["update", "delete"]);
  });

  it("says stateful first: a stateful type's delete is not also counted as data-destroying", () => {
    const { blocked } = guard([plan("prod-streaming", change("aws_msk_topic", ["delete"], { name: "orders" }, null))]);
    expect(blocked.map((b) => b.why)).toEqual(["stateful: Kafka topic (its records)"]);
  });
});
