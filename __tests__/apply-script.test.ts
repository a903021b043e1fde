import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { run } from "../main";
import { allowLabel } from "../review";
import { ROOT, tempProject, TEST_NOW } from "./helpers";

// The workflow scripts run on GitHub with real terraform; here a fake terraform on PATH records
// what they ask of it and answers as a scenario says, so their decisions (guard, no-op skip,
// stale plans, digests, upstream outputs that change, layers that wait for their upstream) are
// tested for real. dev has three layers: network, then eks reading it, then iam reading both.
const KEY = "test-artifact-key";
const FAKE_TERRAFORM = `#!/usr/bin/env bash
stack="$(basename "$PWD")"
echo "$stack $*" >> "$FAKE_TF_LOG"
S="$FAKE_DIR"
case "$1" in
  init) exit 0 ;;
  output) if [ -f "$S/state/$stack.outputs" ]; then cat "$S/state/$stack.outputs"; else echo "{}"; fi; exit 0 ;;
  apply)
    plan="\${@: -1}"
    if [ -f "$S/stale/$stack" ] && [[ "$plan" != *fresh.tfplan ]]; then echo "Error: Saved plan is stale" >&2; exit 1; fi
    mkdir -p "$S/state"; [ -f "$S/outputs-after/$stack" ] && cp "$S/outputs-after/$stack" "$S/state/$stack.outputs"
    exit 0 ;;
  plan)
    if [ -f "$S/fail/$stack" ]; then cat "$S/fail/$stack" >&2; exit 1; fi
    for a in "$@"; do case "$a" in -out=*) echo "plan of $stack" > "\${a#-out=}" ;; esac; done
    if [ -f "$S/no-changes/$stack" ]; then exit 0; fi
    for a in "$@"; do [ "$a" = "-detailed-exitcode" ] && exit 2; done
    exit 0 ;;
  show) if [ -f "$S/show/$stack.json" ]; then cat "$S/show/$stack.json"; else cat "$S/show/default.json"; fi; exit 0 ;;
esac
exit 3
`;

const basic = JSON.parse(readFileSync(path.join(__dirname, "fixtures", "plans", "basic.json"), "utf8")) as { resource_changes: Array<Record<string, unknown>> };
const changed = (plan: typeof basic) => ({ ...plan, resource_changes: plan.resource_changes.map((rc, i) => (i === 0 ? { ...rc, change: { ...(rc.change as object), after: { cidr_block: "10.99.0.0/16" } } } : rc)) });
const deletingBucket = { ...basic, resource_changes: [{ address: "aws_s3_bucket.logs", type: "aws_s3_bucket", mode: "managed", change: { actions: ["delete"], before: {}, after: null } }] };
let project: string;

beforeAll(() => {
  project = tempProject({}, { copyFixtureConfig: true });
  // prod goes down to two zones in this project's code: its third NAT gateway is gone from the synth
  // (and its brokers go to four, a multiple of the zones).
  const prod = path.join(project, "config", "prod.yaml");
  writeFileSync(prod, readFileSync(prod, "utf8").replace("azCount: 3", "azCount: 2").replace("brokers: 3", "brokers: 4"));
  // These tests drive dev through three layers (network, eks, iam): its data, platform, app, dns and access sections go.
  const dev = path.join(project, "config", "dev.yaml");
  writeFileSync(dev, readFileSync(dev, "utf8").replace(/^(database|platform|app|dns|access):\n(?:[ #].*\n)+/gm, ""));
  // No test drives stage: one environment fewer to synthesize.
  rmSync(path.join(project, "config", "stage.yaml"));
  symlinkSync(path.join(ROOT, "node_modules"), path.join(project, "node_modules"));
  symlinkSync(path.join(ROOT, "dist"), path.join(project, "dist"));
  mkdirSync(path.join(project, "bin"));
  writeFileSync(path.join(project, "bin", "terraform"), FAKE_TERRAFORM);
  chmodSync(path.join(project, "bin", "terraform"), 0o755);
  expect(run(["--quiet"], { CDKTF_OUTDIR: path.join(project, "cdktf.out") }, project, TEST_NOW)).toBe(0);
}, 60_000);

type Stack = "dev-network" | "dev-eks" | "dev-iam";
interface Reviewed {
  readonly plan?: unknown;
  readonly status?: Record<string, unknown>;
}

/** The encrypted reviewed plans and statuses of dev, as the plan workflow leaves them. */
function reviewed(stacks: Partial<Record<Stack, Reviewed>>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "reviewed-"));
  for (const [stack, r] of Object.entries(stacks)) {
    writeFileSync(path.join(dir, `${stack}.status.json`), JSON.stringify(r.status ?? { status: "planned", changes: true }));
    if (!r.plan) continue;
    writeFileSync(path.join(dir, `${stack}.json`), JSON.stringify(r.plan));
    writeFileSync(path.join(dir, `${stack}.tfplan`), "binary plan");
    for (const f of [`${stack}.json`, `${stack}.tfplan`]) {
      execFileSync("openssl", ["enc", "-aes-256-cbc", "-pbkdf2", "-salt", "-pass", "env:PLAN_ARTIFACT_KEY", "-in", path.join(dir, f), "-out", path.join(dir, `${f}.enc`)], { env: { ...process.env, PLAN_ARTIFACT_KEY: KEY } });
      writeFileSync(path.join(dir, f), "replaced by decryption");
    }
  }
  return dir;
}

/** A scenario for the fake terraform: files it reads by stack. */
function scenario(files: Record<string, unknown>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "fake-tf-"));
  mkdirSync(path.join(dir, "show"));
  writeFileSync(path.join(dir, "show", "default.json"), JSON.stringify(basic));
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), typeof content === "string" ? content : JSON.stringify(content));
  }
  return dir;
}

function script(name: string, args: string[], env: Record<string, string>) {
  const log = path.join(mkdtempSync(path.join(tmpdir(), "tf-log-")), "terraform.log");
  writeFileSync(log, "");
  const result = spawnSync("bash", [path.join(ROOT, ".github", "scripts", name), ...args], {
    cwd: project,
    encoding: "utf8",
    env: { ...process.env, PATH: `${path.join(project, "bin")}:${process.env.PATH}`, PLAN_ARTIFACT_KEY: KEY, FAKE_TF_LOG: log, ...env },
  });
  const calls = readFileSync(log, "utf8").trim().split("\n").filter(Boolean);
  return { code: result.status, output: `${result.stdout}${result.stderr}`, calls, verbs: calls.map((c) => c.split(" ").slice(0, 2).join(" ")) };
}

const applyEnv = (stacks: Partial<Record<Stack, Reviewed>>, fake: Record<string, unknown> = {}, env: Record<string, string> = {}) => {
  const dir = reviewed(stacks);
  const newPlans = mkdtempSync(path.join(tmpdir(), "new-plans-"));
  return { ...script("apply-env.sh", ["dev", dir], { FAKE_DIR: scenario(fake), NEW_PLANS_DIR: newPlans, ...env }), dir, newPlans };
};

describe("apply-env.sh", () => {
  it("applies the reviewed plan files, stack by stack, in dependency order", () => {
    const { code, calls, dir } = applyEnv({ "dev-network": { plan: basic }, "dev-eks": { plan: basic }, "dev-iam": { plan: basic } });
    expect(code).toBe(0);
    expect(calls.filter((c) => c.includes(" apply "))).toEqual(["dev-network", "dev-eks", "dev-iam"].map((s) => `${s} apply -input=false -no-color ${dir}/${s}.tfplan`));
  }, 90_000);

  it("skips a stack whose reviewed plan changes nothing", () => {
    const { code, verbs, output } = applyEnv({ "dev-network": { plan: basic, status: { status: "planned", changes: false } }, "dev-eks": { plan: basic }, "dev-iam": { plan: basic } });
    expect(code).toBe(0);
    expect(output).toContain("dev-network: the reviewed plan changes nothing; skipped.");
    expect(verbs.filter((v) => v.endsWith(" apply"))).toEqual(["dev-eks apply", "dev-iam apply"]);
  }, 90_000);

  it("re-plans a stale plan and applies it when its semantic digest equals the reviewed one", () => {
    const { code, calls } = applyEnv({ "dev-network": { plan: basic }, "dev-eks": { plan: basic }, "dev-iam": { plan: basic } }, { "stale/dev-network": "" });
    expect(code).toBe(0);
    expect(calls.filter((c) => c.startsWith("dev-network")).map((c) => c.split(" ")[1])).toEqual(["init", "output", "apply", "plan", "show", "apply", "output"]);
    expect(calls).toContain("dev-network apply -input=false -no-color fresh.tfplan");
  }, 90_000);

  it("stops when the fresh plan of a stale one differs from the reviewed one", () => {
    const { code, calls, output } = applyEnv({ "dev-network": { plan: basic }, "dev-eks": { plan: basic }, "dev-iam": { plan: basic } }, { "stale/dev-network": "", "show/dev-network.json": changed(basic) });
    expect(code).toBe(1);
    expect(output).toMatch(/::error::dev-network: the fresh plan differs from the reviewed one/);
    expect(calls.filter((c) => c.includes("fresh.tfplan") && c.includes(" apply "))).toEqual([]);
    expect(calls.some((c) => c.startsWith("dev-eks"))).toBe(false);
  }, 90_000);

  it("re-plans a stack whose upstream's outputs this run changed, and applies it when the digest still matches", () => {
    const { code, calls } = applyEnv({ "dev-network": { plan: basic }, "dev-eks": { plan: basic }, "dev-iam": { plan: basic } }, { "outputs-after/dev-network": { vpc_id: { value: "vpc-new" } } });
    expect(code).toBe(0);
    expect(calls.filter((c) => c.startsWith("dev-eks")).map((c) => c.split(" ")[1])).toEqual(["init", "output", "plan", "show", "apply", "output"]);
    expect(calls).toContain("dev-eks apply -input=false -no-color fresh.tfplan");
  }, 90_000);

  it("stops and asks for a new review when an upstream's changed outputs change a downstream plan", () => {
    const { code, calls, output } = applyEnv(
      { "dev-network": { plan: basic }, "dev-eks": { plan: basic }, "dev-iam": { plan: basic } },
      { "outputs-after/dev-network": { vpc_id: { value: "vpc-new" } }, "show/dev-eks.json": changed(basic) },
    );
    expect(code).toBe(1);
    expect(output).toContain("::error::dev-eks needs a new review: the outputs of dev-network changed in this apply, and its plan differs from the reviewed one.");
    expect(calls.filter((c) => c.startsWith("dev-eks apply"))).toEqual([]);
  }, 90_000);

  it("plans a layer that waited for its upstream, for review, applies nothing of it, and exits 3", () => {
    const waiting = { status: { status: "awaiting-upstream", detail: "upstream not applied yet: dev-network" } };
    const { code, calls, output, newPlans } = applyEnv({ "dev-network": { plan: basic }, "dev-eks": waiting, "dev-iam": waiting });
    expect(code).toBe(3);
    expect(calls).toContain("dev-network apply -input=false -no-color " + calls.find((c) => c.startsWith("dev-network apply"))?.split(" ").pop());
    expect(calls.filter((c) => c.startsWith("dev-eks apply"))).toEqual([]);
    expect(calls.filter((c) => c.startsWith("dev-iam apply"))).toEqual([]);
    expect(output).toContain("::warning::planned for review, not applied: dev-eks dev-iam");
    expect(existsSync(path.join(newPlans, "dev-eks.json.enc"))).toBe(true);
    expect(readFileSync(path.join(newPlans, "comment.md"), "utf8")).toMatch(/^<!-- plan-comment /);
  }, 90_000);

  it("records a waiting layer whose own upstream still waits as waiting again, so the next run plans it (a new environment, wave by wave)", () => {
    const waiting = { status: { status: "awaiting-upstream", detail: "upstream not applied yet: dev-network" } };
    const { code, newPlans } = applyEnv({ "dev-network": { plan: basic }, "dev-eks": waiting, "dev-iam": waiting }, { "fail/dev-iam": "Error: Unable to find remote state\n\nNo stored state was found for the given workspace in the given backend.\n" });
    expect(code).toBe(3);
    expect(JSON.parse(readFileSync(path.join(newPlans, "dev-iam.status.json"), "utf8"))).toEqual({ status: "awaiting-upstream", detail: "upstream not applied yet" });
    expect(JSON.parse(readFileSync(path.join(newPlans, "dev-network.status.json"), "utf8"))).toEqual({ status: "planned", changes: false });
  }, 90_000);

  it("fails, naming the stack, when a waiting layer cannot be planned for another reason", () => {
    const waiting = { status: { status: "awaiting-upstream", detail: "upstream not applied yet: dev-network" } };
    const { code, output, newPlans } = applyEnv({ "dev-network": { plan: basic }, "dev-eks": waiting, "dev-iam": waiting }, { "fail/dev-iam": "Error: Invalid reference\n" });
    expect(code).toBe(1);
    expect(output).toContain("::error::dev-iam could not be planned for review; fix it and re-run the plan");
    expect(JSON.parse(readFileSync(path.join(newPlans, "dev-iam.status.json"), "utf8"))).toMatchObject({ status: "failed" });
  }, 90_000);

  it("refuses to apply anything when the guard finds a protected resource destroyed", () => {
    const { code, calls, output } = applyEnv({ "dev-network": { plan: deletingBucket }, "dev-eks": { plan: basic }, "dev-iam": { plan: basic } });
    expect(code).toBe(1);
    expect(output).toContain("plan-guard: 1 protected resource(s) would be destroyed or replaced:");
    expect(calls).toEqual([]);
  }, 90_000);

  it("applies a destroy of a protected resource allowed with its stack, or with its label", () => {
    for (const allow of ["dev-network:aws_s3_bucket.logs", allowLabel("dev-network", "aws_s3_bucket.logs")]) {
      const { code, verbs } = applyEnv({ "dev-network": { plan: deletingBucket }, "dev-eks": { plan: basic }, "dev-iam": { plan: basic } }, {}, { ALLOW_DESTROY: allow });
      expect(code).toBe(0);
      expect(verbs).toContain("dev-network apply");
    }
  }, 90_000);

  it("refuses the deletion of a NAT gateway that prod's config protects, though the new code no longer has it", () => {
    const deletingNat = { ...basic, resource_changes: [{ address: "aws_nat_gateway.network_nat_eu-west-1c", type: "aws_nat_gateway", mode: "managed", change: { actions: ["delete"], before: {}, after: null } }] };
    const dir = mkdtempSync(path.join(tmpdir(), "reviewed-prod-"));
    writeFileSync(path.join(dir, "prod-network.json"), JSON.stringify(deletingNat));
    writeFileSync(path.join(dir, "prod-network.status.json"), JSON.stringify({ status: "planned", changes: true }));
    const result = script("apply-env.sh", ["prod", dir], { FAKE_DIR: scenario({}) });
    expect(result.code).toBe(1);
    expect(result.output).toContain("prod-network: aws_nat_gateway.network_nat_eu-west-1c would be deleted; protected by config: prod-network/network/nat");
    expect(result.calls).toEqual([]);
  }, 90_000);

  it("applies one scope only, and re-plans what reads a stack an earlier job of the run changed (CHANGED_STACKS)", () => {
    const dir = reviewed({ "dev-network": { plan: basic }, "dev-eks": { plan: basic }, "dev-iam": { plan: basic } });
    const outputs = path.join(mkdtempSync(path.join(tmpdir(), "gh-out-")), "out");
    writeFileSync(outputs, "");
    const aws = script("apply-env.sh", ["dev", dir, "aws"], { FAKE_DIR: scenario({}), NEW_PLANS_DIR: mkdtempSync(path.join(tmpdir(), "np-")), CHANGED_STACKS: "dev-network", GITHUB_OUTPUT: outputs });
    expect(aws.code).toBe(0);
    // dev-network's outputs changed in the earlier job: its readers are re-planned and compared, never applied from the saved plan.
    expect(aws.calls).toContain("dev-eks apply -input=false -no-color fresh.tfplan");
    expect(readFileSync(outputs, "utf8")).toBe("changed=dev-network\n");
    // dev has no stack that reaches the cluster: the cluster job has nothing to do.
    const cluster = script("apply-env.sh", ["dev", dir, "cluster"], { FAKE_DIR: scenario({}), NEW_PLANS_DIR: mkdtempSync(path.join(tmpdir(), "np-")) });
    expect([cluster.code, cluster.calls]).toEqual([0, []]);
  }, 90_000);

  it("refuses a stack the plan run did not report", () => {
    const { code, output } = applyEnv({ "dev-network": { plan: basic }, "dev-iam": { plan: basic } });
    expect(code).toBe(1);
    expect(output).toContain("::error::no reviewed status for dev-eks: the plan run did not plan it; re-run the plan");
  }, 90_000);
});

describe("plan-env.sh", () => {
  const planEnv = (fake: Record<string, unknown>) => {
    const planDir = mkdtempSync(path.join(tmpdir(), "plans-"));
    return { ...script("plan-env.sh", ["dev"], { FAKE_DIR: scenario(fake), PLAN_DIR: planDir }), planDir };
  };
  const statusOf = (dir: string, stack: string) => JSON.parse(readFileSync(path.join(dir, `${stack}.status.json`), "utf8")) as Record<string, unknown>;

  it("plans every stack of the environment and leaves encrypted plans, statuses and the digest", () => {
    const { code, verbs, planDir } = planEnv({});
    expect(code).toBe(0);
    expect(verbs).toEqual(["dev-network", "dev-eks", "dev-iam"].flatMap((s) => [`${s} init`, `${s} plan`, `${s} show`]));
    expect(readFileSync(path.join(planDir, "digest.txt"), "utf8")).toMatch(/^sha256:[0-9a-f]{64}\n$/);
    expect(statusOf(planDir, "dev-network")).toEqual({ status: "planned", changes: true });
    const decrypted = execFileSync("openssl", ["enc", "-d", "-aes-256-cbc", "-pbkdf2", "-pass", "env:PLAN_ARTIFACT_KEY", "-in", path.join(planDir, "dev-network.json.enc")], { env: { ...process.env, PLAN_ARTIFACT_KEY: KEY } });
    expect(JSON.parse(decrypted.toString())).toEqual(basic);
  }, 90_000);

  it("records a plan that changes nothing", () => {
    const { planDir } = planEnv({ "no-changes/dev-network": "" });
    expect(statusOf(planDir, "dev-network")).toEqual({ status: "planned", changes: false });
  }, 90_000);

  it("records a failed stack with Terraform's error, plans the rest, and fails at the end", () => {
    const { code, planDir, verbs } = planEnv({ "fail/dev-network": "╷\n│ Error: configuring Terraform AWS Provider: no valid credential sources\n│ \n╵\n" });
    expect(code).toBe(1);
    expect(statusOf(planDir, "dev-network")).toEqual({ status: "failed", detail: "Error: configuring Terraform AWS Provider: no valid credential sources" });
    expect(verbs).toContain("dev-eks plan");
  }, 90_000);

  it("records a stack that reads an upstream not applied yet as awaiting it, not as failed", () => {
    const { code, planDir } = planEnv({ "fail/dev-eks": "Error: Unable to find remote state\n\nNo stored state was found for the given workspace in the given backend.\n" });
    expect(code).toBe(0);
    expect(statusOf(planDir, "dev-eks")).toEqual({ status: "awaiting-upstream", detail: "upstream not applied yet: dev-network" });
  }, 90_000);

  it("plans state-backend as the environment \"shared\"", () => {
    const planDir = mkdtempSync(path.join(tmpdir(), "plans-shared-"));
    const result = script("plan-env.sh", ["shared"], { FAKE_DIR: scenario({}), PLAN_DIR: planDir });
    expect(result.code).toBe(0);
    expect(result.verbs).toEqual(["state-backend init", "state-backend plan", "state-backend show"]);
    expect(statusOf(planDir, "state-backend")).toEqual({ status: "planned", changes: true });
  }, 90_000);

  it("plans one scope only, with a digest of its own, and says where the cluster stacks go", () => {
    const planDir = mkdtempSync(path.join(tmpdir(), "plans-scope-"));
    const aws = script("plan-env.sh", ["dev", "plan", "aws"], { FAKE_DIR: scenario({}), PLAN_DIR: planDir });
    expect(aws.code).toBe(0);
    expect(readFileSync(path.join(planDir, "digest-aws.txt"), "utf8")).toMatch(/^sha256:[0-9a-f]{64}\n$/);
    const cluster = script("plan-env.sh", ["dev", "plan", "cluster"], { FAKE_DIR: scenario({}), PLAN_DIR: planDir });
    expect([cluster.code, cluster.verbs]).toEqual([0, []]);
    // No stack of dev reaches the cluster: no runner label, so no cluster job.
    const runner = script("runner-status.sh", ["dev"], { PLAN_DIR: planDir });
    expect(runner.code).toBe(0);
    expect(JSON.parse(readFileSync(path.join(planDir, "dev.runner"), "utf8"))).toEqual({ env: "dev", label: "" });
  }, 90_000);

  it("refuses to run without the artifact key", () => {
    const result = spawnSync("bash", [path.join(ROOT, ".github", "scripts", "plan-env.sh"), "dev"], { cwd: project, encoding: "utf8", env: { ...process.env, PLAN_DIR: mkdtempSync(path.join(tmpdir(), "p-")), PLAN_ARTIFACT_KEY: "" } });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain("set the PLAN_ARTIFACT_KEY secret");
  });
});
