import path from "node:path";
import { accountStateKey, stateKey } from "../../config/naming";
import { asOrphans, guard, guardReport, loadSynthContext, orphansOf, stackOfKey, STATE_BACKEND_STATE_KEY, stateKeyOfStack, type StackPlan } from "../../review";

// A stack that leaves the synth leaves its state behind: orphaned, its resources unmanaged.
// orphansOf finds them among the bucket's state keys; the guard refuses them until allowed.

const context = loadSynthContext(path.join(__dirname, "..", "fixtures", "cdktf.out", "manifest.json"));
const manifest = ["account-111111111111", "state-backend", "dev-network", "dev-database"];

describe("orphansOf", () => {
  it("is every key whose stack the manifest does not list and that still holds managed resources", () => {
    const keys = [
      { key: "dev/network.tfstate", resources: 42 },
      { key: "dev/database.tfstate", resources: 24 },
      { key: "prod/database.tfstate", resources: 40 },
      { key: "prod/old.tfstate", resources: 3 },
      { key: "prod/streaming.tfstate", resources: 0 },
      { key: "stage/app.tfstate", resources: null },
    ];
    expect(orphansOf(keys, manifest)).toEqual([
      { stack: "prod-database", key: "prod/database.tfstate", resources: 40 },
      { stack: "prod-old", key: "prod/old.tfstate", resources: 3 },
      { stack: "stage-app", key: "stage/app.tfstate", resources: null },
    ]);
  });

  it("owns the account stacks' and state-backend's keys while their stack is in the manifest", () => {
    const keys = [
      { key: accountStateKey("111111111111"), resources: 14 },
      { key: accountStateKey("222222222222"), resources: 14 },
      { key: STATE_BACKEND_STATE_KEY, resources: 19 },
    ];
    expect(orphansOf(keys, manifest)).toEqual([{ stack: "account-222222222222", key: "bootstrap/account-222222222222.tfstate", resources: 14 }]);
    expect(orphansOf(keys, ["account-111111111111", "account-222222222222"])).toEqual([{ stack: "state-backend", key: STATE_BACKEND_STATE_KEY, resources: 19 }]);
  });

  it("reads keys back to stacks, and stacks to keys, by the naming rules", () => {
    expect(["dev/network.tfstate", "bootstrap/account-111111111111.tfstate", "state-backend/terraform.tfstate"].map(stackOfKey)).toEqual(["dev-network", "account-111111111111", "state-backend"]);
    for (const stack of ["dev-network", "prod-database", "account-111111111111", "state-backend"]) expect(stackOfKey(stateKeyOfStack(stack))).toBe(stack);
    expect(stateKeyOfStack("prod-database")).toBe(stateKey({ name: "prod" }, "database"));
    expect(() => stateKeyOfStack("prod")).toThrow("prod: not a stack id (<env>-<layer>, account-<id> or state-backend)");
  });
});

describe("asOrphans (plan-guard's --orphans file)", () => {
  it("takes a list of { stack, key, resources }, resources null when not counted", () => {
    const list = [
      { stack: "prod-database", key: "prod/database.tfstate", resources: 40 },
      { stack: "prod-app", key: "prod/app.tfstate", resources: null },
    ];
    expect(asOrphans("o.json", list)).toEqual(list);
  });

  it("refuses anything else, so that a file it cannot read never passes as no orphans", () => {
    expect(() => asOrphans("o.json", { orphans: [] })).toThrow("o.json: must be a JSON list of { stack, key, resources } (the orphaned state keys); got object");
    expect(() => asOrphans("o.json", [{ stack: "prod-database", key: "prod/database.tfstate", resources: "40" }])).toThrow(
      'o.json: entry 0 must be { stack, key, resources } with resources a whole number, or null when not counted; got {"stack":"prod-database","key":"prod/database.tfstate","resources":"40"}',
    );
    expect(() => asOrphans("o.json", [{ stack: "prod-network", key: "prod/database.tfstate", resources: 40 }])).toThrow("o.json: entry 0: key prod/database.tfstate is the state of prod-database, not of prod-network");
  });
});

describe("the guard and orphaned state", () => {
  const plans: StackPlan[] = [{ stack: "dev-network", plan: { format_version: "1.2", resource_changes: [] } }];
  const orphans = [{ stack: "prod-database", key: "prod/database.tfstate", resources: 40 }];

  it("refuses each orphan: nothing is destroyed, but nothing plans or drift-checks it again", () => {
    const result = guard(plans, { orphans, context });
    expect(result.blocked).toEqual([{ stack: "prod-database", address: "orphaned-state", action: "orphan", why: "orphaned: 40 resources will no longer be managed (nothing is destroyed)", stateKey: "prod/database.tfstate" }]);
    const report = guardReport(result, { orphanReport: "b".repeat(64) });
    expect(report).toContain("  - prod-database: orphaned-state (prod/database.tfstate) would be left unmanaged; orphaned: 40 resources will no longer be managed (nothing is destroyed)");
    expect(report).toContain(`  /allow prod-database orphaned-state sha256:${"b".repeat(64)}`);
    expect(guard([], { orphans: [{ stack: "prod-old", key: "prod/old.tfstate", resources: 1 }] }).blocked[0]?.why).toBe("orphaned: 1 resource will no longer be managed (nothing is destroyed)");
    expect(guard([], { orphans: [{ stack: "prod-old", key: "prod/old.tfstate", resources: null }] }).blocked[0]?.why).toBe(
      "orphaned: its resources (not counted: the state could not be read) will no longer be managed (nothing is destroyed)",
    );
  });

  it("lets it through when allowed as stack:orphaned-state, though the manifest no longer has the stack", () => {
    const result = guard(plans, { orphans, context, allow: ["prod-database:orphaned-state"] });
    expect(result.blocked).toEqual([]);
    expect(result.allowed.map((b) => `${b.stack}:${b.address}`)).toEqual(["prod-database:orphaned-state"]);
  });

  it("refuses an allow of an orphan that is not there, with the near matches", () => {
    expect(() => guard(plans, { orphans, context, allow: ["prod-databse:orphaned-state"] })).toThrow('--allow prod-databse:orphaned-state: no such stack (did you mean "prod-database"?)');
  });

  it("refuses an orphan whose stack the manifest still lists: the list is wrong", () => {
    expect(() => guard(plans, { orphans: [{ stack: "dev-network", key: "dev/network.tfstate", resources: 42 }], context })).toThrow("orphans: dev-network (dev/network.tfstate) is a stack of the manifest, so its state is not orphaned");
  });
});
