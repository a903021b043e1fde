import path from "node:path";
import { allowLabel, dependencyOrder, guard, guardReport, loadSynthContext, semanticDigest, STATEFUL_TYPES, stackFromFileName, type ResourceChange, type StackPlan } from "../../review";
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
        label: allowLabel("dev-network", "aws_nat_gateway.network_nat_eu-west-1a_5E6F7A8B"),
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
    const result = guard(plans, { allow: ["dev-network:aws_s3_bucket.x", "dev-database:aws_route.x", allowLabel("dev-database", "aws_db_instance.x"), allowLabel("prod-database", "aws_db_instance.x")], context });
    expect(result.blocked).toEqual([]);
    expect(result.unused).toEqual([
      { allow: "dev-network:aws_s3_bucket.x", why: "no plan of dev-network was given" },
      { allow: "dev-database:aws_route.x", why: "is not destroyed or replaced, or not protected: nothing to allow" },
      { allow: allowLabel("prod-database", "aws_db_instance.x"), why: "matches no protected destroy or replace in these plans" },
    ]);
    expect(guardReport(result)).toContain(`Allowed, but unused here:\n  - dev-network:aws_s3_bucket.x no plan of dev-network was given`);
  });

  it("refuses an allow without a stack: the network stacks of every environment share addresses", () => {
    const plans = [planOf("dev-network", [{ type: "aws_s3_bucket", actions: ["delete"] }]), planOf("prod-network", [{ type: "aws_s3_bucket", actions: ["delete"] }])];
    expect(() => guard(plans, { allow: ["aws_s3_bucket.x"] })).toThrow('--allow takes stack:address (stacks share addresses, so the stack is required) or an allow-destroy:<12 hex digits> label; got "aws_s3_bucket.x"');
  });

  it("protects by the naming rule too, so a protected resource removed from the code stays protected", () => {
    const plans = [planOf("prod-network", [{ type: "aws_nat_gateway", address: "aws_nat_gateway.network_nat_eu-west-1c", actions: ["delete"] }])];
    expect(guard(plans, { protectedPaths: ["prod-network/network/nat"] }).blocked).toEqual([
      { stack: "prod-network", address: "aws_nat_gateway.network_nat_eu-west-1c", constructPath: undefined, action: "delete", why: "protected by config: prod-network/network/nat", label: "allow-destroy:0b407ba28311" },
    ]);
    expect(guard(plans, { protectedPaths: ["prod-network/network/na"] }).blocked).toEqual([]);
    expect(guard(plans, { protectedPaths: ["dev-network/network/nat"] }).blocked).toEqual([]);
  });

  it("says exactly which addresses blocked it and why", () => {
    const result = guard([planOf("dev-database", [{ type: "aws_db_instance", address: "aws_db_instance.database_instance_ABCDEF12", actions: ["delete", "create"] }])], { context });
    expect(guardReport(result)).toBe(
      [
        "plan-guard: 1 protected resource(s) would be destroyed or replaced:",
        "  - dev-database: aws_db_instance.database_instance_ABCDEF12 (dev-database/database/instance) would be replaced; stateful: RDS instance",
        "",
        "To proceed deliberately, allow each one: --allow <stack>:<address>, or in CI a maintainer adds its label to the pull request:",
        `  ${allowLabel("dev-database", "aws_db_instance.database_instance_ABCDEF12")}   (dev-database: aws_db_instance.database_instance_ABCDEF12)`,
      ].join("\n"),
    );
    expect(guardReport({ blocked: [], allowed: [] })).toBe("plan-guard: no protected resource would be destroyed or replaced.");
  });
});

describe("semantic digest", () => {
  const base = planOf("dev-network", [{ type: "aws_subnet", actions: ["update"] }]);
  const withAfter = (after: unknown, sensitive?: unknown): StackPlan => ({
    stack: "dev-network",
    plan: { format_version: "1.2", resource_changes: [{ address: "aws_subnet.x", type: "aws_subnet", change: { actions: ["update"], before: {}, after, after_sensitive: sensitive } }] },
  });

  it("is the same for the same changes, whatever the order of stacks", () => {
    const other = planOf("dev-eks", [{ type: "aws_eks_cluster", actions: ["create"] }]);
    expect(semanticDigest([base, other])).toBe(semanticDigest([other, base]));
  });

  it("changes when an address, action or visible after-value changes", () => {
    expect(semanticDigest([withAfter({ cidr: "a" })])).not.toBe(semanticDigest([withAfter({ cidr: "b" })]));
    expect(semanticDigest([base])).not.toBe(semanticDigest([planOf("dev-network", [{ type: "aws_subnet", actions: ["delete"] }])]));
  });

  it("leaves sensitive values out, so it reveals nothing about them", () => {
    expect(semanticDigest([withAfter({ password: "a" }, { password: true })])).toBe(semanticDigest([withAfter({ password: "b" }, { password: true })]));
  });
});

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

describe("allow labels", () => {
  it("fit GitHub's 50-character limit however long the address, and are one per stack and address", () => {
    const long = allowLabel("prod-database", "aws_rds_cluster_instance.database_aurora_cluster_instances_reader-eu-west-1c");
    expect(long).toMatch(/^allow-destroy:[0-9a-f]{12}$/);
    expect(long.length).toBeLessThanOrEqual(50);
    expect(allowLabel("dev-network", "aws_eip.x")).not.toBe(allowLabel("prod-network", "aws_eip.x"));
  });

  it("allow exactly the destroy they name", () => {
    const plans = [planOf("dev-network", [{ type: "aws_s3_bucket", actions: ["delete"] }]), planOf("prod-network", [{ type: "aws_s3_bucket", actions: ["delete"] }])];
    const result = guard(plans, { allow: [allowLabel("dev-network", "aws_s3_bucket.x")] });
    expect(result.allowed.map((a) => a.stack)).toEqual(["dev-network"]);
    expect(result.blocked.map((b) => b.stack)).toEqual(["prod-network"]);
  });
});
