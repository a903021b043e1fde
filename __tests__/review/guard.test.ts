import path from "node:path";
import { dependencyOrder, guard, guardReport, KNOWN_ACTIONS, loadSynthContext, STATEFUL_TYPES, stackFromFileName, unjudgeable, type ResourceChange, type StackPlan } from "../../review";
import { readPlans } from "../../scripts/review-cli";

const context = loadSynthContext(path.join(__dirname, "..", "fixtures", "cdktf.out", "manifest.json"));

function planOf(stack: string, changes: Array<Partial<ResourceChange> & { type: string; actions: ResourceChange["change"]["actions"] }>): StackPlan {
  return {
    stack,
    plan: {
      format_version: "1.2",
      resource_changes: changes.map(({ type, actions, ...rest }) => ({ address: `${type}.x`, type, mode: "managed", change: { actions, before: {}, after: {} }, ...rest })),
    },
  };
}

describe("plan-guard", () => {
  it.each(Object.keys(STATEFUL_TYPES))("blocks deleting or replacing a %s", (type) => {
    for (const actions of [["delete"], ["delete", "create"], ["create", "delete"]] as const) {
      const { blocked } = guard([planOf("dev-x", [{ type, actions: [...actions] }])]);
      expect(blocked).toEqual([expect.objectContaining({ stack: "dev-x", address: `${type}.x`, why: `stateful: ${STATEFUL_TYPES[type]}` })]);
    }
  });

  it("blocks any destroy in the state backend", () => {
    expect(guard([planOf("state-backend", [{ type: "aws_s3_bucket_policy", actions: ["delete"] }])]).blocked[0]?.why).toBe("stateful: state backend");
  });

  it("lets stateless deletes, updates and creates through", () => {
    const plans = [planOf("dev-network", [{ type: "aws_route", actions: ["delete"] }, { type: "aws_db_instance", actions: ["update"] }, { type: "aws_s3_bucket", actions: ["create"] }])];
    expect(guard(plans).blocked).toEqual([]);
  });

  it("blocks construct paths the config protects", () => {
    const plans = [planOf("dev-network", [{ type: "aws_nat_gateway", address: "aws_nat_gateway.network_nat_eu-west-1a_5E6F7A8B", actions: ["delete", "create"] }])];
    const { blocked } = guard(plans, { protectedPaths: ["dev-network/network/nat"], context });
    expect(blocked).toEqual([
      {
        stack: "dev-network",
        address: "aws_nat_gateway.network_nat_eu-west-1a_5E6F7A8B",
        constructPath: "dev-network/network/nat/eu-west-1a",
        action: "replace",
        why: "protected by config: dev-network/network/nat",
      },
    ]);
  });

  it("passes only the addresses explicitly allowed, each with its stack", () => {
    const plans = [planOf("dev-database", [{ type: "aws_db_instance", actions: ["delete"] }]), planOf("dev-network", [{ type: "aws_s3_bucket", actions: ["delete"] }])];
    expect(guard(plans, { allow: ["dev-database:aws_db_instance.x"] }).blocked.map((b) => b.stack)).toEqual(["dev-network"]);
    const all = guard(plans, { allow: ["dev-database:aws_db_instance.x", "dev-network:aws_s3_bucket.x"] });
    expect(all.blocked).toEqual([]);
    expect(all.allowed).toHaveLength(2);
    expect(guard(plans, { allow: ["prod-database:aws_db_instance.x"] }).blocked).toHaveLength(2);
  });

  it("refuses a mistyped allow instead of ignoring it: an unknown stack, or an address its plan does not change, with the near matches", () => {
    const plans = [planOf("dev-database", [{ type: "aws_db_instance", address: "aws_db_instance.postgres_instance", actions: ["delete"] }])];
    expect(() => guard(plans, { allow: ["dev-databse:aws_db_instance.postgres_instance"], context })).toThrow('--allow dev-databse:aws_db_instance.postgres_instance: no such stack (did you mean "dev-database"?)');
    expect(() => guard(plans, { allow: ["dev-database:aws_db_instance.postgres_instanc"], context })).toThrow(
      '--allow dev-database:aws_db_instance.postgres_instanc: the plan of dev-database changes no such address (did you mean "aws_db_instance.postgres_instance"?)',
    );
  });

  it("reports every allow that allowed nothing here, and why, rather than dropping it", () => {
    const plans = [planOf("dev-database", [{ type: "aws_db_instance", actions: ["delete"] }, { type: "aws_route", actions: ["delete"] }])];
    const result = guard(plans, { allow: ["dev-network:aws_s3_bucket.x", "dev-database:aws_route.x", "dev-database:aws_db_instance.x", "dev-database:orphaned-state"], context });
    expect(result.blocked).toEqual([]);
    expect(result.unused).toEqual([
      { allow: "dev-network:aws_s3_bucket.x", why: "no plan of dev-network was given" },
      { allow: "dev-database:aws_route.x", why: "is not destroyed, replaced or changed in a way that destroys data, or not protected: nothing to allow" },
      { allow: "dev-database:orphaned-state", why: "is not orphaned here: nothing to allow" },
    ]);
    expect(guardReport(result)).toContain(`Allowed, but unused here:\n  - dev-network:aws_s3_bucket.x no plan of dev-network was given`);
  });

  it("refuses an allow without a stack: the network stacks of every environment share addresses", () => {
    const plans = [planOf("dev-network", [{ type: "aws_s3_bucket", actions: ["delete"] }]), planOf("prod-network", [{ type: "aws_s3_bucket", actions: ["delete"] }])];
    expect(() => guard(plans, { allow: ["aws_s3_bucket.x"] })).toThrow('--allow takes stack:address (stacks share addresses, so the stack is required), or stack:orphaned-state for an orphaned state; got "aws_s3_bucket.x"');
  });

  it("refuses an allow-destroy label: labels, which any writer can add, allow nothing", () => {
    const plans = [planOf("dev-network", [{ type: "aws_s3_bucket", actions: ["delete"] }])];
    expect(() => guard(plans, { allow: ["allow-destroy:0b407ba28311"] })).toThrow(
      "--allow allow-destroy:0b407ba28311: labels allow nothing any more; a reviewer allows a change with an /allow line in an approving review (review/allow.ts), handed to the guard as stack:address",
    );
  });

  it("protects by the naming rule too, so a protected resource removed from the code stays protected", () => {
    const plans = [planOf("prod-network", [{ type: "aws_nat_gateway", address: "aws_nat_gateway.network_nat_eu-west-1c", actions: ["delete"] }])];
    expect(guard(plans, { protectedPaths: ["prod-network/network/nat"] }).blocked).toEqual([
      { stack: "prod-network", address: "aws_nat_gateway.network_nat_eu-west-1c", constructPath: undefined, action: "delete", why: "protected by config: prod-network/network/nat" },
    ]);
    expect(guard(plans, { protectedPaths: ["prod-network/network/na"] }).blocked).toEqual([]);
    expect(guard(plans, { protectedPaths: ["dev-network/network/nat"] }).blocked).toEqual([]);
  });

  it("says exactly which addresses blocked it and why", () => {
    const result = guard([planOf("dev-database", [{ type: "aws_db_instance", address: "aws_db_instance.database_instance_ABCDEF12", actions: ["delete", "create"] }])], { context });
    expect(guardReport(result)).toBe(
      [
        "plan-guard: 1 change(s) refused until allowed:",
        "  - dev-database: aws_db_instance.database_instance_ABCDEF12 (dev-database/database/instance) would be replaced; stateful: RDS instance",
        "",
        "To proceed deliberately, a reviewer on the approver list allows each one with a line in an approving review of the latest head (locally: --allow <stack>:<address>):",
        "  /allow dev-database aws_db_instance.database_instance_ABCDEF12 sha256:<sha256 of dev-database's .tfplan>",
      ].join("\n"),
    );
    expect(guardReport({ blocked: [], allowed: [] })).toBe("plan-guard: nothing refused: no stateful, protected or data-destroying change, and no orphaned state.");
  });

  it("names the plan's sha256 in the allow line when the caller knows it", () => {
    const result = guard([planOf("dev-database", [{ type: "aws_db_instance", actions: ["delete"] }])]);
    const sha = "a".repeat(64);
    expect(guardReport(result, { plans: { "dev-database": sha } })).toContain(`  /allow dev-database aws_db_instance.x sha256:${sha}`);
  });
});

describe("plans the guard cannot judge", () => {
  const nat = { type: "aws_nat_gateway", actions: ["delete"] as ResourceChange["change"]["actions"] };

  it("refuses a plan that errored part-way", () => {
    const plan = planOf("prod-network", [nat]);
    expect(() => guard([{ ...plan, plan: { ...plan.plan, errored: true } }])).toThrow(
      "plan-guard cannot judge these plans: prod-network: the plan errored (errored: true): Terraform stopped part-way, so it does not show every change; fix the error and plan again",
    );
  });

  it("refuses an incomplete plan (complete: false)", () => {
    const plan = planOf("prod-network", [nat]);
    expect(() => guard([{ ...plan, plan: { ...plan.plan, complete: false } }])).toThrow(
      "prod-network: the plan is incomplete (complete: false): more changes follow after this apply, which no one has reviewed; plan again once nothing is deferred",
    );
  });

  it("refuses an action list Terraform never plans, and a change with no action list", () => {
    const odd = planOf("dev-database", [{ type: "aws_db_instance", actions: ["update", "delete"] as never }]);
    expect(() => guard([odd])).toThrow(`dev-database: aws_db_instance.x has actions ["update","delete"], none of those Terraform plans (${KNOWN_ACTIONS.map((a) => JSON.stringify(a)).join(", ")})`);
    const none: StackPlan = { stack: "dev-database", plan: { format_version: "1.2", resource_changes: [{ address: "aws_db_instance.x", type: "aws_db_instance", change: {} as never }] } };
    expect(() => guard([none])).toThrow("dev-database: aws_db_instance.x has actions undefined, none of those Terraform plans");
  });

  it("refuses a data source planned as a delete, which every rule would otherwise pass over", () => {
    const plan = planOf("dev-database", [{ type: "aws_db_instance", mode: "data", address: "data.aws_db_instance.x", actions: ["delete"] }]);
    expect(() => guard([plan])).toThrow('dev-database: data.aws_db_instance.x is a data source (mode "data") planned as ["delete"]: Terraform only reads data sources, so this is not a plan Terraform made');
  });

  it("judges every documented action list, and data sources that are read", () => {
    const plans = [planOf("dev-network", [...KNOWN_ACTIONS.map((actions) => ({ type: "aws_route", actions: [...actions] as ResourceChange["change"]["actions"] })), { type: "aws_vpc", mode: "data", actions: ["read"] }])];
    expect(unjudgeable(plans)).toEqual([]);
    expect(unjudgeable([{ stack: "dev-network", plan: { format_version: "1.2", complete: true, errored: false } }])).toEqual([]);
  });
});

// The semantic digest is tested in digest.test.ts.

describe("stacks and files", () => {
  it("orders stacks after their dependencies", () => {
    expect(dependencyOrder({ app: ["eks", "database"], eks: ["network"], database: ["network"], network: [] })).toEqual(["network", "eks", "database", "app"]);
    expect(context.order).toEqual(["state-backend", "dev-network", "dev-database"]);
  });

  it("rejects a dependency cycle", () => {
    expect(() => dependencyOrder({ a: ["b"], b: ["a"] })).toThrow("stack dependency cycle: a → b → a");
  });

  it("takes the stack from the plan file's name", () => {
    expect(["dev-network.json", "out/dev-network.plan.json", "plan-dev-network.json", "dev-network.tfplan.json"].map(stackFromFileName)).toEqual(Array(4).fill("dev-network"));
  });

  it("reads plan files as path or stack=path, with clear errors", () => {
    const file = path.join(__dirname, "..", "fixtures", "plans", "basic.json");
    expect(readPlans([file, `dev-eks=${file}`]).map((p) => p.stack)).toEqual(["basic", "dev-eks"]);
    expect(() => readPlans([])).toThrow("no plan files given");
    expect(() => readPlans(["/nonexistent/x.json"])).toThrow(/\/nonexistent\/x\.json: cannot be read as JSON/);
  });
});
