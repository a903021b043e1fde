import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { loadEnvironments } from "../../config";
import { asPlan, countChanges, guard, guardReport, loadSynthContext, renderComment, semanticDigest, type StackPlan } from "../../review";
import { FIXTURE, ROOT, TEST_NOW } from "../helpers";

// Real Terraform plans, made offline by `npm run real-plans` (scripts/real-plans.ts): all-create
// plans of every shipped stack, and plans of changes to deployed infrastructure, planned against
// a state built from each stack's own plan. Regenerate them when the stacks change.
const FIXTURES = path.join(ROOT, "__tests__", "fixtures", "real-plans");
const plansIn = (scenario: string): StackPlan[] =>
  readdirSync(path.join(FIXTURES, scenario))
    .filter((f) => f.endsWith(".json"))
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
    const result = renderComment(plans, { context, sha: "test" });
    expect(result.markdown.length).toBeLessThanOrEqual(65_536);
    expect(result.markdown).toMatch(/\*\*Plan:\*\* \d+ to create · 0 to update · 0 to replace · 0 to delete/);
    expect(guard(plans, { protectedPaths, context }).blocked).toEqual([]);
  });

  it("have a stable semantic digest", () => {
    expect(semanticDigest(plans)).toBe(semanticDigest([...plans].reverse()));
  });
});

describe("a VPC CIDR change (dev)", () => {
  const plans = plansIn("vpc-cidr-change");
  const comment = renderComment(plans, { context: contextOf("vpc-cidr-change"), sha: "test" }).markdown;

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

  it("deletes the third zone's NAT gateway and Elastic IP, which prod's config protects: the guard blocks them", () => {
    const { blocked } = guard(plans, { protectedPaths, context });
    expect(blocked.map((b) => [b.address, b.action, b.why])).toEqual([
      ["aws_eip.network_nat_eip-eu-west-1c", "delete", "protected by config: prod-network/network/nat"],
      ["aws_nat_gateway.network_nat_eu-west-1c", "delete", "protected by config: prod-network/network/nat"],
    ]);
    expect(guardReport({ blocked, allowed: [] })).toContain("prod-network: aws_nat_gateway.network_nat_eu-west-1c would be deleted; protected by config: prod-network/network/nat");
  });

  it("lets them through only when each is allowed with its stack", () => {
    const allow = ["prod-network:aws_eip.network_nat_eip-eu-west-1c", "prod-network:aws_nat_gateway.network_nat_eu-west-1c"];
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
    const comment = renderComment(plans, { context, sha: "test" }).markdown;
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
    expect(guard(plans, { protectedPaths, context, allow: ["dev-database:aws_db_instance.postgres_instance"] }).blocked).toEqual([]);
  });

  it("is flagged as stateful, first, in the comment", () => {
    const comment = renderComment(plans, { context, sha: "test" }).markdown;
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
