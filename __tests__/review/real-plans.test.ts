import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { loadEnvironments } from "../../config";
import { asPlan, countChanges, guard, guardReport, loadSynthContext, orphansOf, renderComment, semanticDigest, stackOfKey, type StackPlan, type StateKey } from "../../review";
import { protectedPathsIn } from "../../scripts/review-cli";
import { FIXTURE, ROOT, TEST_NOW } from "../helpers";

/** Any fixed key: the digests here are compared with each other only. */
const DIGEST_KEY = "real-plans-test-key";

// Real Terraform plans, made offline by `npm run real-plans` (scripts/real-plans.ts): all-create
// plans of every shipped stack, and plans of changes to deployed infrastructure, planned against
// a state built from each stack's own plan. Regenerate them when the stacks change.
const FIXTURES = path.join(ROOT, "__tests__", "fixtures", "real-plans");
const plansIn = (scenario: string): StackPlan[] =>
  readdirSync(path.join(FIXTURES, scenario))
    .filter((f) => f.endsWith(".json") && f !== "state-keys.json")
    .map((f) => ({ stack: f.replace(/\.json$/, ""), plan: asPlan(f, JSON.parse(readFileSync(path.join(FIXTURES, scenario, f), "utf8"))) }));
const contextOf = (scenario: string) => loadSynthContext(path.join(FIXTURES, scenario, "cdktf.out", "manifest.json"));
const protectedPaths = loadEnvironments({ configDir: path.join(FIXTURE, "config"), now: TEST_NOW }).flatMap((env) => env.protect);

describe("all-create plans of every shipped stack", () => {
  const plans = plansIn("all-create");
  const context = contextOf("all-create");

  it("cover every stack of the synthesized output that plans without upstream state", () => {
    // The account stacks and state-backend (applied once, by an operator) read no other stack's state; nor do the network stacks.
    const readsNoState = (s: string) => (context.dependencies[s] ?? []).every((d) => d === "state-backend" || d.startsWith("account-"));
    expect(plans.map((p) => p.stack).sort()).toEqual(context.order.filter(readsNoState).sort());
  });

  it.each(plansIn("all-create").map((p) => [p.stack, p] as const))("%s: creates exactly what the synthesized stack declares", (stack, p) => {
    const tf = JSON.parse(readFileSync(path.join(FIXTURES, "all-create", "cdktf.out", "stacks", stack, "cdk.tf.json"), "utf8")) as { resource: Record<string, Record<string, unknown>> };
    const declared = Object.values(tf.resource).reduce((n, byName) => n + Object.keys(byName).length, 0);
    expect(countChanges(p.plan.resource_changes ?? [])).toMatchObject({ create: declared, update: 0, replace: 0, delete: 0 });
  });

  it("render as one comment within GitHub's limit, and pass the guard", () => {
    const result = renderComment(plans, { context, sha: "test", digestKey: DIGEST_KEY });
    expect(result.markdown.length).toBeLessThanOrEqual(65_536);
    expect(result.markdown).toMatch(/\*\*Plan:\*\* \d+ to create · 0 to update · 0 to replace · 0 to delete/);
    expect(guard(plans, { protectedPaths, context }).blocked).toEqual([]);
  });

  it("have a stable semantic digest", () => {
    expect(semanticDigest(plans, DIGEST_KEY)).toBe(semanticDigest([...plans].reverse(), DIGEST_KEY));
  });
});

describe("a VPC CIDR change (dev)", () => {
  const plans = plansIn("vpc-cidr-change");
  const comment = renderComment(plans, { context: contextOf("vpc-cidr-change"), sha: "test", digestKey: DIGEST_KEY }).markdown;

  it("replaces the VPC and everything in it, and the comment says which attribute forces it", () => {
    expect(countChanges(plans[0]!.plan.resource_changes ?? []).replace).toBeGreaterThanOrEqual(25);
    expect(comment).toContain("> [!CAUTION]");
    expect(comment).toMatch(/`dev-network` `aws_vpc\.network_vpc` \(`dev-network\/network\/vpc`\): \*\*replace\*\* \(destroy, then create\), reason `replace_because_cannot_update`, forced by `cidr_block`/);
    expect(comment).toMatch(/`aws_subnet\.network_private_eu-west-1a`.*forced by `vpc_id`, `cidr_block`/);
  });
});

describe("an azCount reduction in prod", () => {
  const plans = plansIn("az-count-reduction");
  const context = contextOf("az-count-reduction");

  it("deletes the third zone's NAT gateway and Elastic IP, which prod's config protects, and its subnets: the guard blocks them", () => {
    const { blocked } = guard(plans, { protectedPaths, context });
    expect(blocked.map((b) => [b.address, b.action, b.why])).toEqual([
      ["aws_eip.network_nat_eip-eu-west-1c", "delete", "protected by config: prod-network/network/nat"],
      ["aws_nat_gateway.network_nat_eu-west-1c", "delete", "protected by config: prod-network/network/nat"],
      ...["data", "private", "public"].map((tier) => [`aws_subnet.network_${tier}_eu-west-1c`, "delete", expect.stringMatching(/^data-destroying: deletion of aws_subnet: what runs in 10\.30\.\d+\.0\/2\d /)]),
    ]);
    expect(guardReport({ blocked, allowed: [] })).toContain("prod-network: aws_nat_gateway.network_nat_eu-west-1c would be deleted; protected by config: prod-network/network/nat");
  });

  it("lets them through only when each is allowed with its stack", () => {
    const allow = ["prod-network:aws_eip.network_nat_eip-eu-west-1c", "prod-network:aws_nat_gateway.network_nat_eu-west-1c", ...["data", "private", "public"].map((tier) => `prod-network:aws_subnet.network_${tier}_eu-west-1c`)];
    expect(guard(plans, { protectedPaths, context, allow }).blocked).toEqual([]);
  });
});

describe("replacing the state bucket (prevent_destroy lifted)", () => {
  const plans = plansIn("state-bucket-replacement");
  const context = contextOf("state-bucket-replacement");

  it("is blocked by the guard as a stateful resource of the state backend", () => {
    const { blocked } = guard(plans, { protectedPaths, context });
    expect(blocked).toContainEqual(expect.objectContaining({ stack: "state-backend", address: "aws_s3_bucket.bucket", action: "replace", why: "stateful: state backend" }));
  });

  it("is flagged as stateful, first, in the comment", () => {
    const comment = renderComment(plans, { context, sha: "test", digestKey: DIGEST_KEY }).markdown;
    const caution = comment.split("\n").filter((l) => l.startsWith("> - "));
    expect(caution[0]).toMatch(/^> - 🛑 \*\*STATEFUL: state backend\*\* `state-backend` `aws_s3_bucket\.bucket`.*\*\*replace\*\*.*forced by `bucket`/);
  });
});

describe("switching dev's database from RDS to Aurora", () => {
  const plans = plansIn("database-engine-change");
  const context = contextOf("database-engine-change");

  it("deletes the RDS instance and creates a cluster: the guard refuses it as a stateful delete", () => {
    const { blocked } = guard(plans, { protectedPaths, context });
    expect(blocked).toContainEqual(expect.objectContaining({ stack: "dev-database", address: "aws_db_instance.postgres_instance", action: "delete", why: "stateful: RDS instance" }));
    expect(guardReport({ blocked, allowed: [] })).toContain("dev-database: aws_db_instance.postgres_instance would be deleted");
  });

  it("deletes the database's log groups with it, their logs too: refused as data-destroying", () => {
    const { blocked } = guard(plans, { protectedPaths, context, allow: ["dev-database:aws_db_instance.postgres_instance"] });
    expect(blocked.map((b) => [b.address, b.action, b.why])).toEqual([
      ["aws_cloudwatch_log_group.postgres_logs-postgresql", "replace", "data-destroying: replacement of aws_cloudwatch_log_group: its log events of /aws/rds/instance/dev-postgres/postgresql are deleted with it"],
      ["aws_cloudwatch_log_group.postgres_logs-upgrade", "delete", "data-destroying: deletion of aws_cloudwatch_log_group: its log events of /aws/rds/instance/dev-postgres/upgrade are deleted with it"],
    ]);
    const allow = ["dev-database:aws_db_instance.postgres_instance", ...blocked.map((b) => `${b.stack}:${b.address}`)];
    expect(guard(plans, { protectedPaths, context, allow }).blocked).toEqual([]);
  });

  it("is flagged as stateful, first, in the comment", () => {
    const comment = renderComment(plans, { context, sha: "test", digestKey: DIGEST_KEY }).markdown;
    expect(comment).toContain("> [!CAUTION]");
    const caution = comment.split("\n").filter((l) => l.startsWith("> - "));
    expect(caution[0]).toMatch(/^> - 🛑 \*\*STATEFUL: RDS instance\*\* `dev-database` `aws_db_instance\.postgres_instance`.*\*\*delete\*\*/);
  });
});

describe("upgrading stage's Kafka", () => {
  const plans = plansIn("kafka-version-upgrade");
  const changes = plans[0]!.plan.resource_changes ?? [];
  const actionsOf = (address: string) => changes.find((rc) => rc.address === address)?.change.actions;

  it("creates the new version's configuration before deleting the old one, and upgrades the cluster in place", () => {
    expect(actionsOf("aws_msk_configuration.kafka_configuration")).toEqual(["create", "delete"]);
    expect(actionsOf("aws_msk_cluster.kafka")).toEqual(["update"]);
    const cluster = changes.find((rc) => rc.address === "aws_msk_cluster.kafka")!.change;
    expect([(cluster.before as { kafka_version: string }).kafka_version, (cluster.after as { kafka_version: string }).kafka_version]).toEqual(["3.9.x.kraft", "4.0.x.kraft"]);
  });

  it("passes the guard: no stateful resource is replaced", () => {
    expect(guard(plans, { protectedPaths, context: contextOf("kafka-version-upgrade") }).blocked).toEqual([]);
  });
});

describe("a protect removal together with prod's azCount 3 → 2: the change never judges itself", () => {
  const plans = plansIn("protect-removal-az-count");
  const context = contextOf("protect-removal-az-count");
  const base = path.join(FIXTURE, "config");
  const change = path.join(FIXTURES, "protect-removal-az-count", "config");
  const nat = ["aws_eip.network_nat_eip-eu-west-1c", "aws_nat_gateway.network_nat_eu-west-1c"];
  const byConfig = (paths: string[]) => guard(plans, { protectedPaths: paths, context }).blocked.filter((b) => b.why.startsWith("protected by config"));

  it("deletes the third zone's NAT, which the change's own config no longer protects", () => {
    expect(protectedPathsIn(change)).not.toContain("prod-network/network/nat");
    expect(byConfig(protectedPathsIn(change))).toEqual([]);
  });

  it("is blocked by the guard given the base branch's config beside the change's", () => {
    expect(byConfig(protectedPathsIn([base, change])).map((b) => [b.address, b.action, b.why])).toEqual(nat.map((a) => [a, "delete", "protected by config: prod-network/network/nat"]));
  });
});

describe("stacks that leave the synth orphan their state", () => {
  const orphansIn = (scenario: string) => {
    const keys = JSON.parse(readFileSync(path.join(FIXTURES, scenario, "state-keys.json"), "utf8")) as StateKey[];
    return orphansOf(keys, contextOf(scenario).order);
  };

  it("prod's database section removed: prod-database's state, with its 40 resources, is orphaned, and the guard refuses it", () => {
    const orphans = orphansIn("layer-removed");
    expect(orphans).toEqual([{ stack: "prod-database", key: "prod/database.tfstate", resources: 40 }]);
    const context = contextOf("layer-removed");
    expect(guard([], { orphans, context }).blocked).toEqual([
      { stack: "prod-database", address: "orphaned-state", action: "orphan", why: "orphaned: 40 resources will no longer be managed (nothing is destroyed)", stateKey: "prod/database.tfstate" },
    ]);
    expect(guard([], { orphans, context, allow: ["prod-database:orphaned-state"] }).blocked).toEqual([]);
  });

  it("prod renamed to prd: every prod stack's state is orphaned, each refused on its own", () => {
    const orphans = orphansIn("environment-renamed");
    const deployed = (JSON.parse(readFileSync(path.join(FIXTURES, "environment-renamed", "state-keys.json"), "utf8")) as StateKey[]).map((k) => stackOfKey(k.key));
    const prodStacks = deployed.filter((s) => s.startsWith("prod-"));
    expect(orphans.map((o) => o.stack)).toEqual([...prodStacks].sort());
    expect(orphans.map((o) => o.stack)).toEqual(["prod-access", "prod-app", "prod-database", "prod-eks", "prod-iam", "prod-network", "prod-platform", "prod-streaming"]);
    expect(orphans.every((o) => (o.resources ?? 0) > 0)).toBe(true);
    const context = contextOf("environment-renamed");
    expect(context.order.filter((s) => s.startsWith("prd-"))).toHaveLength(prodStacks.length);
    expect(guard([], { orphans, context }).blocked.map((b) => [b.stack, b.action])).toEqual(orphans.map((o) => [o.stack, "orphan"]));
  });
});

describe("in-place updates that destroy data, each on a real plan", () => {
  it.each([
    ["backup-retention-cut", "prod-database", "aws_rds_cluster.postgres_cluster", "decrease of backup_retention_period (35 → 7): automated backups older than 7 days are deleted"],
    ["backup-retention-cut", "prod-database", "aws_backup_plan.backup_plan", 'decrease of rule.lifecycle.delete_after of continuous rule "continuous" (35 → 7): point-in-time restore reaches back 7 days only'],
    ["log-retention-cut", "prod-database", "aws_cloudwatch_log_group.postgres_logs-postgresql", "decrease of retention_in_days (365 → 1): log events of /aws/rds/cluster/prod-postgres/postgresql older than 1 day are deleted"],
    ["flow-log-retention-cut", "prod-network", "aws_cloudwatch_log_group.network_flow-logs_log-group", "decrease of retention_in_days (365 → 7): log events of /aws/vpc/flow-logs/prod older than 7 days are deleted"],
    ["performance-insights-retention-cut", "prod-database", "aws_rds_cluster_instance.postgres_cluster_instance-1", "decrease of performance_insights_retention_period (31 → 7): Performance Insights data older than 7 days is deleted"],
    ["kafka-broker-reduction", "prod-streaming", "aws_msk_cluster.kafka", "decrease of number_of_broker_nodes (6 → 3): brokers are removed"],
    ["deletion-protection-off", "prod-database", "aws_rds_cluster.postgres_cluster", "change of deletion_protection (true → false): the database can then be deleted by one API call or a later apply"],
    ["final-snapshot-skipped", "prod-database", "aws_rds_cluster.postgres_cluster", "change of skip_final_snapshot (false → true): deleting the database later takes no final snapshot"],
  ])("%s: %s %s is refused until allowed", (scenario, stack, address, why) => {
    const plans = plansIn(scenario);
    const context = contextOf(scenario);
    const { blocked } = guard(plans, { protectedPaths, context });
    const entry = blocked.find((b) => b.address === address);
    expect(entry).toMatchObject({ stack, address, action: "update" });
    expect(entry?.why).toContain(`data-destroying: ${why}`);
    expect(guard(plans, { protectedPaths, context, allow: blocked.map((b) => `${b.stack}:${b.address}`) }).blocked).toEqual([]);
  });
});

describe("the control-plane subnet tier added to a running environment (stage)", () => {
  it("adds subnets, a route table and its associations to the network, and changes nothing else", () => {
    const [network] = plansIn("control-plane-tier-network");
    const changing = (network!.plan.resource_changes ?? []).filter((rc) => rc.change.actions.join() !== "no-op");
    expect(changing.every((rc) => rc.change.actions.join() === "create")).toBe(true);
    expect(changing.map((rc) => rc.address).sort()).toEqual([
      "aws_route_table.network_routes-control-plane",
      ...["a", "b", "c"].map((z) => `aws_route_table_association.network_routes-control-plane_eu-west-1${z}`),
      ...["a", "b", "c"].map((z) => `aws_subnet.network_control-plane_eu-west-1${z}`),
    ]);
  });

  it("moves the cluster's network interfaces to them in place: an update of vpc_config.subnet_ids, no replacement", () => {
    const [eks] = plansIn("control-plane-tier-eks");
    const changes = eks!.plan.resource_changes ?? [];
    const cluster = changes.find((rc) => rc.address === "aws_eks_cluster.cluster")!;
    expect(cluster.change.actions).toEqual(["update"]);
    expect((cluster.change.after as { vpc_config: Array<{ subnet_ids: string[] }> }).vpc_config[0]!.subnet_ids).toEqual(["subnet-0123456789abc400", "subnet-0123456789abc401", "subnet-0123456789abc402"]);
    // Nothing is replaced or deleted. (The add-on roles' trust policies read the cluster's issuer,
    // which the offline plan cannot know after an update: in-place updates of the roles, no more.)
    expect(countChanges(changes)).toMatchObject({ replace: 0, delete: 0 });
    expect(guard(plansIn("control-plane-tier-eks"), { protectedPaths, context: contextOf("control-plane-tier-eks") }).blocked).toEqual([]);
  });
});
