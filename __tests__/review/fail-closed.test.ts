import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadEnvironments } from "../../config";
import { asPlan, diffChange, guard, loadSynthContext, markStale, renderComment, statusesOf, statusWarning, type StackPlan } from "../../review";
import { FIXTURE, ROOT, TEST_NOW } from "../helpers";

// The review tools fail closed: what they cannot check is an error, what the guard will refuse
// is shown before approval, and a comment never passes for more than it is.
const REAL = path.join(ROOT, "__tests__", "fixtures", "real-plans");
const plansIn = (scenario: string): StackPlan[] =>
  readdirSync(path.join(REAL, scenario))
    .filter((f) => f.endsWith(".json"))
    .map((f) => ({ stack: f.replace(/\.json$/, ""), plan: asPlan(f, JSON.parse(readFileSync(path.join(REAL, scenario, f), "utf8"))) }));
const digestKey = "fail-closed-test-key";
const protectedPaths = loadEnvironments({ configDir: path.join(FIXTURE, "config"), now: TEST_NOW }).flatMap((env) => env.protect);


// Run in the fixture project, so that they read its config (its protect lists), never the user's.
const cli = (script: string, args: string[], cwd = FIXTURE) => spawnSync("node", [path.join(ROOT, "dist", "scripts", `${script}.js`), ...args], { cwd, encoding: "utf8" });
const manifest = path.join(REAL, "all-create", "cdktf.out", "manifest.json");

describe("unknown or unmatched input is an error, never a silent pass", () => {
  it.each(["plan-guard", "plan-comment"])("%s refuses a plan file whose stack the manifest does not list", (script) => {
    const dir = mkdtempSync(path.join(tmpdir(), "plans-"));
    writeFileSync(path.join(dir, "prod.json"), readFileSync(path.join(REAL, "all-create", "dev-network.json")));
    const result = cli(script, [path.join(dir, "prod.json"), "--manifest", manifest]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`error: "prod": no such stack in ${manifest}; name plan files <stack>.json or pass stack=path. Stacks: account-101010101010, account-202020202020, account-303030303030, account-909090909090, state-backend, dev-network,`);
  });

  it.each(["plan-guard", "plan-comment"])("%s refuses to run without the manifest", (script) => {
    const result = cli(script, [path.join(REAL, "all-create", "dev-network.json"), "--manifest", "/nonexistent/manifest.json"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("/nonexistent/manifest.json: not found; run npm run synth first, from the project root");
  });

  it("plan-guard refuses to run from another directory (no manifest, no config there)", () => {
    const result = cli("plan-guard", [path.join(REAL, "all-create", "dev-network.json")], tmpdir());
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^error: cdktf.out\/manifest.json: not found/);
  });
});

describe("the comment shows what the guard will refuse, next to the change", () => {
  const plans = plansIn("az-count-reduction");
  const context = loadSynthContext(path.join(REAL, "az-count-reduction", "cdktf.out", "manifest.json"));
  const { blocked } = guard(plans, { protectedPaths, context });
  const comment = renderComment(plans, { context, blocked, digestKey }).markdown;

  it("marks each refused delete with why and how it is allowed, first", () => {
    const items = comment.split("\n").filter((l) => l.startsWith("> - "));
    expect(items[0]).toContain(
      "`aws_eip.network_nat_eip-eu-west-1c`: **delete**, reason `delete_because_no_resource_config` — ⛔ **plan-guard will refuse this** (protected by config: prod-network/network/nat); to allow it, an approver adds its `/allow` line to an approving review",
    );
    expect(items[1]).toContain("`aws_nat_gateway.network_nat_eu-west-1c`");
    expect(comment).toContain(`(${blocked.length} refused by plan-guard until allowed)`);
  });

  it("plan-comment does the same from the command line", () => {
    const dir = path.join(REAL, "az-count-reduction");
    const result = cli("plan-comment", [path.join(dir, "prod-network.json"), "--manifest", path.join(dir, "cdktf.out", "manifest.json")]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("⛔ **plan-guard will refuse this**");
  });
});

describe("every expected stack is listed, with its status", () => {
  const plans = plansIn("all-create").filter((p) => p.stack !== "prod-network");
  const expected = ["state-backend", "dev-network", "prod-network", "stage-network", "dev-eks"];
  const statuses = statusesOf(expected, plans, [
    { stack: "stage-network", status: "failed", detail: "Error: configuring Terraform AWS Provider: no valid credential sources\nline 2\nline 3\nline 4\nline 5" },
    { stack: "dev-eks", status: "awaiting-upstream", detail: "reads dev-network, which is not applied yet" },
  ]);

  it("planned, failed with the error's first lines, waiting for upstream, or missing", () => {
    expect(statuses.map((s) => [s.stack, s.status])).toEqual([
      ["state-backend", "planned"],
      ["dev-network", "planned"],
      ["prod-network", "missing"],
      ["stage-network", "failed"],
      ["dev-eks", "awaiting-upstream"],
    ]);
    const warning = statusWarning(statuses) as string;
    expect(warning.split("\n").slice(0, 2)).toEqual(["> [!WARNING]", "> **3 of 5 stacks have no plan.** This comment does not show their changes: do not merge until every stack is planned."]);
    expect(warning).toContain("> - `stage-network`: **planning failed**: `Error: configuring Terraform AWS Provider: no valid credential sources ⏎ line 2 ⏎ line 3 ⏎ line 4`");
    expect(warning).not.toContain("line 5");
    expect(warning).toContain("> - `dev-eks`: **not planned yet**: it reads outputs of a stack not applied yet: `reads dev-network, which is not applied yet`");
  });

  it("at the top of the comment, right under the summary", () => {
    const comment = renderComment(plans, { statuses, digestKey }).markdown;
    expect(comment.indexOf("> [!WARNING]")).toBeLessThan(comment.indexOf("<details>"));
  });

  it("from the <stack>.status.json files the plan job writes", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "statuses-"));
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "stage-network.status.json"), JSON.stringify({ status: "failed", detail: "Error: boom" }));
    const result = cli("plan-comment", [path.join(REAL, "all-create", "dev-network.json"), "--manifest", manifest, "--statuses", dir]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("> - `stage-network`: **planning failed**: `Error: boom`");
    expect(result.stdout).toContain("> - `prod-network`: **missing**");
  });
});

describe("an outdated comment says so", () => {
  it("marks the marker stale and names both commits", () => {
    const comment = renderComment(plansIn("all-create"), { sha: "aaa111", digestKey }).markdown;
    const stale = markStale(comment, "bbb222");
    expect(stale.split("\n").slice(0, 3)).toEqual([
      expect.stringMatching(/^<!-- plan-comment sha=aaa111 digest=sha256:[0-9a-f]{64} stale=bbb222 -->$/),
      "> [!IMPORTANT]",
      "> ⏳ **Outdated.** These plans are for `aaa111`; `bbb222` is being planned now. Do not review or merge on this comment.",
    ]);
    expect(markStale(stale, "ccc333").match(/Outdated/g)).toHaveLength(1);
    expect(() => markStale("hello", "x")).toThrow("not a plan comment");
  });
});

describe("all-create plans spend the budget on what a reviewer must see", () => {
  const plans = plansIn("all-create");
  const context = loadSynthContext(manifest);
  const full = renderComment(plans, { context, budget: Number.MAX_SAFE_INTEGER, digestKey }).markdown.length;
  const result = renderComment(plans, { context, budget: Math.floor(full * 0.7), digestKey });

  it("keeps the attribute values of IAM policies, KMS keys and security-group rules when others must go", () => {
    expect(result.level).toBe(1);
    expect(result.markdown).toMatch(/\*\*create\*\* `aws_iam_role_policy\.network_flow-logs_role_policy`[^\n]*\n\n```diff\n\+ name = /);
    expect(result.markdown).toMatch(/\*\*create\*\* `aws_vpc_security_group_ingress_rule\.network_endpoints_https-from-vpc`[^\n]*\n\n```diff/);
    expect(result.markdown).toMatch(/\*\*create\*\* `aws_subnet\.network_private_eu-west-1a`[^\n]*\n\n(\*\*|<\/details>)/);
  });
});

describe("secrets inside values that are not marked sensitive", () => {
  it("are masked by shape: URL credentials, private keys, tokens", () => {
    const lines = diffChange({
      actions: ["create"],
      before: null,
      after: { connection: "postgres://app:hunter2@db.internal:5432/app", note: "key -----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----", plain: "https://example.com/a" },
    });
    expect(lines.map((l) => `${l.path} = ${l.after}`)).toEqual([
      'connection = "postgres://app:(sensitive)@db.internal:5432/app"',
      'note = "key (sensitive private key)"',
      'plain = "https://example.com/a"',
    ]);
  });
});

describe("stacks are ordered by their dependencies", () => {
  it("state-backend first, then each stack after what it reads", () => {
    const context = loadSynthContext(manifest);
    const comment = renderComment([...plansIn("all-create")].reverse(), { context, digestKey }).markdown;
    const order = [...comment.matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]);
    expect(order[0]).toBe("state-backend");
    expect(order).toEqual(context.order.filter((s) => order.includes(s)));
  });
});
