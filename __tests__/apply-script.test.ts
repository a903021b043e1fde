import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { strToU8, zipSync } from "fflate";
import { run } from "../main";
import { readBinding } from "../review";
import { ROOT, tempProject, TEST_NOW } from "./helpers";

// The workflow scripts run on GitHub with real terraform; here a fake terraform (and a fake aws)
// on PATH record what they are asked and answer as a scenario says, so the scripts' decisions are
// tested for real: the binding of the approved comment (issue 21, item 3), the JSON derived from
// the .tfplan and guarded with the base's and the change's protect lists (item 4), upstream
// outputs that are not what a plan saw (item 12), stale plans, layers that wait for their
// upstream, sealed artifacts (item 7), no plan text and no secret in the log (item 14), the state
// lock readers no longer take (item 23), and orphaned states (item 8). dev has three layers:
// network, then eks reading it, then iam reading both.
const FAKE_TERRAFORM = `#!/usr/bin/env bash
stack="$(basename "$PWD")"
echo "$stack $*" >> "$FAKE_TF_LOG"
# What Terraform and its providers could read: the review key must not be among it.
if [ -n "\${PLAN_PRIVATE_KEY:-}\${PLAN_DIGEST_KEY:-}" ]; then echo "$stack sees-the-review-key" >> "$FAKE_TF_LOG"; fi
S="$FAKE_DIR"
case "$1" in
  init) exit 0 ;;
  output) if [ -f "$S/state/$stack.outputs" ]; then cat "$S/state/$stack.outputs"; else echo "{}"; fi; exit 0 ;;
  apply)
    plan="\${@: -1}"
    if [ -f "$S/stale/$stack" ] && [[ "$plan" != *fresh.tfplan ]]; then echo "Error: Saved plan is stale" >&2; exit 1; fi
    echo "Apply complete! password=hunter2 postgres://app:hunter2@db:5432/app"
    mkdir -p "$S/state"; [ -f "$S/outputs-after/$stack" ] && cp "$S/outputs-after/$stack" "$S/state/$stack.outputs"
    exit 0 ;;
  plan)
    echo "PLAN TEXT of $stack: + resource with secret_value = hunter2"
    if [ -f "$S/fail/$stack" ]; then cat "$S/fail/$stack" >&2; exit 1; fi
    for a in "$@"; do case "$a" in -out=*) echo "plan of $stack" > "\${a#-out=}" ;; esac; done
    if [ -f "$S/no-changes/$stack" ]; then exit 0; fi
    for a in "$@"; do [ "$a" = "-detailed-exitcode" ] && exit 2; done
    exit 0 ;;
  show)
    plan="\${@: -1}"
    if [[ "$plan" == *fresh.tfplan ]] && [ -f "$S/show/$stack.fresh.json" ]; then cat "$S/show/$stack.fresh.json"
    elif [ -f "$S/show/$stack.json" ]; then cat "$S/show/$stack.json"; else cat "$S/show/default.json"; fi; exit 0 ;;
esac
exit 3
`;
// The AWS CLI calls find-orphans.sh makes: a listing of the bucket, and a state object's content.
const FAKE_AWS = `#!/usr/bin/env bash
echo "aws $*" >> "$FAKE_TF_LOG"
S="$FAKE_DIR"
if [ "$1 $2" = "s3api list-objects-v2" ]; then
  prefix=""; for ((i = 1; i <= $#; i++)); do [ "\${!i}" = "--prefix" ] && { j=$((i + 1)); prefix="\${!j}"; }; done
  jq --arg p "$prefix" '{Contents: [.[] | select(startswith($p)) | {Key: .}]}' "$S/bucket.json" 2>/dev/null || echo '{}'
elif [ "$1 $2" = "s3 cp" ]; then
  for a in "$@"; do case "$a" in s3://*) key="\${a#s3://*/}" ;; esac; done
  cat "$S/objects/$(echo "$key" | tr / _)"
fi
`;

const basic = JSON.parse(readFileSync(path.join(__dirname, "fixtures", "plans", "basic.json"), "utf8")) as { resource_changes: Array<Record<string, unknown>> };
const noChanges = { ...basic, resource_changes: [], output_changes: {} };
const changed = (plan: typeof basic) => ({ ...plan, resource_changes: plan.resource_changes.map((rc, i) => (i === 0 ? { ...rc, change: { ...(rc.change as object), after: { cidr_block: "10.99.0.0/16" } } } : rc)) });
const deletingBucket = { ...basic, resource_changes: [{ address: "aws_s3_bucket.logs", type: "aws_s3_bucket", mode: "managed", change: { actions: ["delete"], before: {}, after: null } }] };
const EMPTY_OUTPUTS = createHash("sha256").update("{}\n").digest("hex");
let project: string;
let keys: { PLAN_PRIVATE_KEY: string; PLAN_PUBLIC_KEY: string };

beforeAll(() => {
  project = tempProject({}, { copyFixtureConfig: true });
  // These tests drive dev through three layers (network, eks, iam): its data, platform, app, dns and
  // access sections go, and its NAT gateway is protected (prod's protect, moved here). No test
  // drives stage or prod: two environments fewer to synthesize.
  const dev = path.join(project, "config", "dev.yaml");
  writeFileSync(dev, `${readFileSync(dev, "utf8").replace(/^(database|platform|app|dns|access):\n(?:[ #].*\n)+/gm, "")}protect:\n  - dev-network/network/nat\n`);
  for (const env of ["stage", "prod"]) rmSync(path.join(project, "config", `${env}.yaml`));
  symlinkSync(path.join(ROOT, "node_modules"), path.join(project, "node_modules"));
  symlinkSync(path.join(ROOT, "dist"), path.join(project, "dist"));
  mkdirSync(path.join(project, "bin"));
  for (const [name, body] of [["terraform", FAKE_TERRAFORM], ["aws", FAKE_AWS]] as const) {
    writeFileSync(path.join(project, "bin", name), body);
    chmodSync(path.join(project, "bin", name), 0o755);
  }
  expect(run(["--quiet"], { CDKTF_OUTDIR: path.join(project, "cdktf.out") }, project, TEST_NOW)).toBe(0);
  const pem = path.join(project, "review-key.pem");
  execFileSync("openssl", ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", pem]);
  keys = { PLAN_PRIVATE_KEY: readFileSync(pem, "utf8"), PLAN_PUBLIC_KEY: execFileSync("openssl", ["pkey", "-in", pem, "-pubout"], { encoding: "utf8" }) };
}, 60_000);

type Stack = "dev-network" | "dev-eks" | "dev-iam";
interface Reviewed {
  /** The plan's JSON, as `terraform show -json` of its .tfplan prints it (the fake's scenario). */
  readonly plan?: unknown;
  readonly status?: Record<string, unknown>;
  /** The configuration stored in the plan file. @default - the project's synth of the stack */
  readonly config?: string;
}

function script(name: string, args: string[], env: Record<string, string>) {
  const log = path.join(mkdtempSync(path.join(tmpdir(), "tf-log-")), "terraform.log");
  writeFileSync(log, "");
  const result = spawnSync("bash", [path.join(ROOT, ".github", "scripts", name), ...args], {
    cwd: project,
    encoding: "utf8",
    env: { ...process.env, PATH: `${path.join(project, "bin")}:${process.env.PATH}`, ...keys, FAKE_TF_LOG: log, ...env },
  });
  const calls = readFileSync(log, "utf8").trim().split("\n").filter(Boolean);
  return { code: result.status, output: `${result.stdout}${result.stderr}`, calls, verbs: calls.map((c) => c.split(" ").slice(0, 2).join(" ")) };
}

/** A scenario for the fakes: files they read (by stack, by key). */
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

/**
 * A saved plan as Terraform writes it: a zip holding the plan and the configuration it was made
 * from (tfconfig/m-/ is the root module), here the project's synth of the stack unless `config`
 * says otherwise (a plan made from other code).
 */
function planFile(stack: string, plan: unknown, config?: string): Buffer {
  const synthesized = config ?? readFileSync(path.join(project, "cdktf.out", "stacks", stack, "cdk.tf.json"), "utf8");
  return Buffer.from(zipSync({ tfplan: strToU8(JSON.stringify(plan)), "tfconfig/modules.json": strToU8('{"Modules":[{"Key":"","Source":"","Dir":"."}]}'), "tfconfig/m-/cdk.tf.json": strToU8(synthesized) }, { mtime: "2026-01-01" }));
}

/**
 * The sealed artifacts of dev, as the plan run leaves them, and the binding of the comment that
 * approved them: each .tfplan's sha256, and its outputs' sha256 when it was planned.
 */
function reviewed(stacks: Partial<Record<Stack, Reviewed>>, outputs: Partial<Record<Stack, string>> = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), "reviewed-"));
  const plans: Record<string, string> = {};
  const shows: Record<string, unknown> = {};
  for (const [stack, r] of Object.entries(stacks)) {
    writeFileSync(path.join(dir, `${stack}.status.json`), JSON.stringify(r.status ?? { status: "planned", changes: true }));
    if (!r.plan) continue;
    const tfplan = planFile(stack, r.plan, r.config);
    writeFileSync(path.join(dir, `${stack}.tfplan`), tfplan);
    writeFileSync(path.join(dir, `${stack}.outputs`), `${outputs[stack as Stack] ?? EMPTY_OUTPUTS}\n`);
    plans[stack] = createHash("sha256").update(tfplan).digest("hex");
    shows[`show/${stack}.json`] = r.plan;
  }
  const toSeal = readdirSync(dir).filter((f) => f.endsWith(".tfplan") || f.endsWith(".outputs")).map((f) => path.join(dir, f));
  if (toSeal.length) execFileSync("bash", [path.join(ROOT, ".github", "scripts", "seal.sh"), ...toSeal], { env: { ...process.env, ...keys } });
  const binding = path.join(mkdtempSync(path.join(tmpdir(), "binding-")), "binding.json");
  // The trusted review's "changed" list, as plan-binding computes it from each plan.
  const acts = (p: unknown) => ((p as { resource_changes?: Array<{ change: { actions: string[] } }> }).resource_changes ?? []).some((rc) => !rc.change.actions.every((a) => a === "no-op" || a === "read"));
  const changedStacks = Object.entries(stacks).filter(([, r]) => r.plan && acts(r.plan)).map(([s]) => s);
  writeFileSync(binding, JSON.stringify({ run: "4242", pr: 17, base: "a".repeat(40), head: "b".repeat(40), plans, changed: changedStacks }));
  return { dir, binding, shows, plans };
}

const applyEnv = (stacks: Partial<Record<Stack, Reviewed>>, fake: Record<string, unknown> = {}, env: Record<string, string> = {}, outputs: Partial<Record<Stack, string>> = {}) => {
  const r = reviewed(stacks, outputs);
  const newPlans = mkdtempSync(path.join(tmpdir(), "new-plans-"));
  return { ...script("apply-env.sh", ["dev", r.dir, ...(env.SCOPE ? [env.SCOPE] : [])], { FAKE_DIR: scenario({ ...r.shows, ...fake }), NEW_PLANS_DIR: newPlans, BINDING_FILE: r.binding, RUN_ID: "5151", PR: "17", HEAD_SHA: "c".repeat(40), ...env }), dir: r.dir, newPlans, binding: r.binding };
};
const all = { "dev-network": { plan: basic }, "dev-eks": { plan: basic }, "dev-iam": { plan: basic } };

describe("apply-env.sh", () => {
  it("applies exactly the bound .tfplan files, stack by stack in dependency order, after deriving and guarding their JSON, and skips one that changes nothing", () => {
    // The scope CI's hosted job applies (apply-env.yml's apply): every stack of dev is an AWS one.
    const { code, calls, dir, output } = applyEnv({ ...all, "dev-iam": { plan: noChanges } }, {}, { SCOPE: "aws" });
    expect(code).toBe(0);
    expect(calls.filter((c) => c.includes(" show "))).toEqual(["dev-network", "dev-eks", "dev-iam"].map((s) => `${s} show -json ${dir}/${s}.tfplan`));
    expect(calls.filter((c) => c.includes(" apply "))).toEqual(["dev-network", "dev-eks"].map((s) => `${s} apply -input=false -no-color ${dir}/${s}.tfplan`));
    expect(output).toContain("dev-iam: the reviewed plan changes nothing; skipped.");
    expect(output).toContain("plan-guard:");
    expect(calls.filter((c) => c.includes("sees-the-review-key"))).toEqual([]);
    // Terraform's output reaches the log masked.
    expect(output).not.toContain("hunter2");
  }, 90_000);

  it("refuses, before applying anything, a plan file the binding does not list, a bound plan without its file, a changed file, a stack with neither plan nor wait, and a plan made from other code", () => {
    const r = reviewed(all);
    const run = (binding: object) => {
      writeFileSync(r.binding, JSON.stringify({ run: "4242", pr: 17, base: "a".repeat(40), head: "b".repeat(40), ...binding }));
      const copy = mkdtempSync(path.join(tmpdir(), "reviewed-copy-"));
      cpSync(r.dir, copy, { recursive: true });
      return script("apply-env.sh", ["dev", copy], { FAKE_DIR: scenario(r.shows), NEW_PLANS_DIR: mkdtempSync(path.join(tmpdir(), "np-")), BINDING_FILE: r.binding });
    };
    const { "dev-iam": iam, ...others } = r.plans;
    const unbound = run({ plans: others });
    expect([unbound.code, unbound.calls]).toEqual([1, []]);
    expect(unbound.output).toContain("::error::dev-iam: its plan file is in the artifacts, but the approved comment binds no plan of it; nothing of it was reviewed");
    const swapped = run({ plans: { ...others, "dev-iam": r.plans["dev-network"] } });
    expect([swapped.code, swapped.calls]).toEqual([1, []]);
    expect(swapped.output).toMatch(/::error::dev-iam: its plan file's sha256 is [0-9a-f]{12}…, the approved comment's [0-9a-f]{12}…: this is not the plan that was reviewed/);
    rmSync(path.join(r.dir, "dev-iam.tfplan.enc"));
    rmSync(path.join(r.dir, "dev-iam.tfplan.key"));
    const missing = run({ plans: { ...others, "dev-iam": iam } });
    expect(missing.output).toContain("::error::dev-iam: the approved comment binds a plan of it (sha256 ");
    rmSync(path.join(r.dir, "dev-iam.status.json"));
    const unreported = run({ plans: others });
    expect(unreported.output).toContain("::error::dev-iam: the approved comment binds no plan of it, and the plan run reports it as nothing: nothing reviewed to apply; re-run the plan");
    // Terraform applies the configuration stored in a saved plan: it must be the merged code's synth.
    const provisioner = JSON.stringify({ resource: { terraform_data: { x: { provisioner: [{ "local-exec": { command: "env > /tmp/keys" } }] } } } });
    const other = reviewed({ ...all, "dev-eks": { plan: basic, config: provisioner } });
    const foreign = script("apply-env.sh", ["dev", other.dir], { FAKE_DIR: scenario(other.shows), NEW_PLANS_DIR: mkdtempSync(path.join(tmpdir(), "np-")), BINDING_FILE: other.binding });
    expect([foreign.code, foreign.calls.filter((c) => c.includes(" apply "))]).toEqual([1, []]);
    expect(foreign.output).toContain("::error::dev-eks: the reviewed plan was made from another configuration than the merged code's (cdk.tf.json differs): re-run the plan");
  }, 90_000);

  it("re-plans a stale plan, and a stack whose upstream's outputs this run changed, and applies each when its keyed semantic digest equals the reviewed one", () => {
    const { code, calls } = applyEnv(all, { "stale/dev-network": "", "outputs-after/dev-network": { vpc_id: { value: "vpc-new" } } });
    expect(code).toBe(0);
    expect(calls).toContain("dev-network apply -input=false -no-color fresh.tfplan");
    expect(calls).toContain("dev-eks apply -input=false -no-color fresh.tfplan");
  }, 90_000);

  it("stops when the fresh plan of a stale one differs from the reviewed one", () => {
    const { code, calls, output } = applyEnv(all, { "stale/dev-network": "", "show/dev-network.fresh.json": changed(basic) });
    expect(code).toBe(1);
    expect(output).toMatch(/::error::dev-network: the fresh plan differs from the reviewed one/);
    expect(calls.filter((c) => c.includes("fresh.tfplan") && c.includes(" apply "))).toEqual([]);
    expect(calls.some((c) => c.includes("dev-eks apply"))).toBe(false);
  }, 90_000);

  it("stops for a new review when an upstream's outputs changed outside the run (a hand apply, a refresh) and the downstream plan differs", () => {
    // dev-network's state outputs are not what they were when dev-eks was planned.
    const { code, calls, output } = applyEnv(all, { "state/dev-network.outputs": { vpc_id: { value: "vpc-by-hand" } }, "show/dev-eks.fresh.json": changed(basic) });
    expect(code).toBe(1);
    expect(output).toContain("::error::dev-eks needs a new review: the outputs of dev-network changed since it was planned (an apply, a hand apply or a refresh), and its plan differs from the reviewed one.");
    expect(calls.filter((c) => c.startsWith("dev-eks apply"))).toEqual([]);
  }, 90_000);

  it("plans a layer that waited for its upstream, for review, applies nothing of it, and leaves sealed plans and a signed comment (exit 3); one whose own upstream still waits waits again", () => {
    const waiting = { status: { status: "awaiting-upstream", detail: "upstream not applied yet: dev-network" } };
    // dev-iam reads dev-eks too, which is not applied yet: a new environment, wave by wave.
    const { code, calls, output, newPlans } = applyEnv({ "dev-network": { plan: basic }, "dev-eks": waiting, "dev-iam": waiting }, { "fail/dev-iam": "Error: Unable to find remote state\n\nNo stored state was found for the given workspace in the given backend.\n" });
    expect([code, output.split("\n").filter((l) => /error|Error/.test(l))]).toEqual([3, []]);
    expect(calls.filter((c) => / apply /.test(c)).map((c) => c.split(" ")[0])).toEqual(["dev-network"]);
    expect(output).toContain("::warning::planned for review, not applied: dev-eks dev-iam");
    expect(existsSync(path.join(newPlans, "dev-eks.tfplan.enc"))).toBe(true);
    expect(existsSync(path.join(newPlans, "dev-eks.tfplan"))).toBe(false);
    expect(existsSync(path.join(newPlans, "dev-eks.json"))).toBe(false);
    const binding = readBinding(readFileSync(path.join(newPlans, "comment.md"), "utf8"));
    expect(binding).toMatchObject({ run: "5151", pr: 17, plans: { "dev-eks": expect.stringMatching(/^[0-9a-f]{64}$/) } });
    expect(Object.keys(binding.plans)).toEqual(["dev-eks"]);
    expect(binding.mac).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.parse(readFileSync(path.join(newPlans, "dev-network.status.json"), "utf8"))).toEqual({ status: "applied" });
    expect(JSON.parse(readFileSync(path.join(newPlans, "dev-iam.status.json"), "utf8"))).toEqual({ status: "awaiting-upstream", detail: "upstream not applied yet" });
  }, 90_000);

  it("fails, naming the stack, when a waiting layer cannot be planned for another reason", () => {
    const waiting = { status: { status: "awaiting-upstream", detail: "upstream not applied yet: dev-network" } };
    const broken = applyEnv({ "dev-network": { plan: basic }, "dev-eks": waiting, "dev-iam": waiting }, { "fail/dev-iam": "Error: Invalid reference\n" });
    expect(broken.code).toBe(1);
    expect(broken.output).toContain("::error::dev-iam could not be planned for review; fix it and re-run the plan");
  }, 90_000);

  it("refuses to apply anything when the guard finds a protected resource destroyed, and applies it when allowed", () => {
    const refused = applyEnv({ ...all, "dev-network": { plan: deletingBucket } });
    expect(refused.code).toBe(1);
    expect(refused.output).toContain("plan-guard: 1 change(s) refused until allowed:");
    expect(refused.calls.filter((c) => c.includes(" apply "))).toEqual([]);
    const allowed = applyEnv({ ...all, "dev-network": { plan: deletingBucket } }, {}, { ALLOW: "dev-network:aws_s3_bucket.logs" });
    expect(allowed.code).toBe(0);
    expect(allowed.verbs).toContain("dev-network apply");
  }, 90_000);

  it("refuses the NAT deletion the base branch's config protects, though the change removed its protect entry (the real plan of a NAT removed from the code too: __tests__/review/real-plans.test.ts)", () => {
    const deletingNat = { ...basic, resource_changes: [{ address: "aws_nat_gateway.network_nat_eu-west-1a", type: "aws_nat_gateway", mode: "managed", change: { actions: ["delete"], before: {}, after: null } }] };
    const change = mkdtempSync(path.join(tmpdir(), "change-config-"));
    cpSync(path.join(project, "config"), change, { recursive: true });
    writeFileSync(path.join(change, "dev.yaml"), readFileSync(path.join(change, "dev.yaml"), "utf8").replace(/^protect:\n(?:\s+- .*\n)+/m, ""));
    const plans = { "dev-network": { plan: deletingNat }, "dev-eks": { plan: basic }, "dev-iam": { plan: basic } };
    const own = applyEnv(plans, {}, { GUARD_CONFIG_DIRS: change });
    // Judged by the change's config alone, the deletion of the unprotected NAT would pass.
    expect(own.output).not.toContain("protected by config");
    const judged = applyEnv(plans, {}, { GUARD_CONFIG_DIRS: `config ${change}` });
    expect(judged.code).toBe(1);
    expect(judged.output).toContain("dev-network: aws_nat_gateway.network_nat_eu-west-1a (dev-network/network/nat/eu-west-1a) would be deleted; protected by config: dev-network/network/nat");
    expect(judged.calls.filter((c) => c.includes(" apply "))).toEqual([]);
  }, 90_000);

  it("has nothing to apply in the cluster scope of an environment without cluster stacks", () => {
    const r = reviewed(all);
    // dev has no stack that reaches the cluster: the cluster job has nothing to do.
    const cluster = script("apply-env.sh", ["dev", r.dir, "cluster"], { FAKE_DIR: scenario({}), NEW_PLANS_DIR: mkdtempSync(path.join(tmpdir(), "np-")), BINDING_FILE: r.binding });
    expect([cluster.code, cluster.verbs.filter((v) => v.endsWith(" apply"))]).toEqual([0, []]);
  }, 90_000);
});

describe("plan-env.sh", () => {
  const planEnv = (fake: Record<string, unknown>, target = "dev", env: Record<string, string> = {}) => {
    const planDir = mkdtempSync(path.join(tmpdir(), "plans-"));
    // The plan job holds no private key: only the public one its artifacts are sealed to.
    return { ...script("plan-env.sh", [target], { FAKE_DIR: scenario(fake), PLAN_DIR: planDir, PLAN_PRIVATE_KEY: "", ...env }), planDir };
  };
  const statusOf = (dir: string, stack: string) => JSON.parse(readFileSync(path.join(dir, `${stack}.status.json`), "utf8")) as Record<string, unknown>;
  const unseal = (dir: string) => execFileSync("bash", [path.join(ROOT, ".github", "scripts", "unseal.sh"), dir], { env: { ...process.env, ...keys } });

  it("plans every stack without a lock, seals each plan and its outputs' hash, keeps plan text out of the log, and lists the state keys no stack owns any more", () => {
    const state = (n: number) => ({ version: 4, resources: [{ mode: "managed", type: "aws_rds_cluster", instances: Array.from({ length: n }, () => ({})) }, { mode: "data", type: "aws_iam_policy_document", instances: [{}] }] });
    const { code, calls, planDir, output } = planEnv({ "bucket.json": ["dev/network.tfstate", "dev/database.tfstate", "dev/streaming.tfstate", "prod/network.tfstate"], "objects/dev_database.tfstate": state(3), "objects/dev_streaming.tfstate": state(0) });
    expect(code).toBe(0);
    expect(calls.filter((c) => c.includes(" plan "))).toEqual(["dev-network", "dev-eks", "dev-iam"].map((s) => `${s} plan -input=false -no-color -lock=false -detailed-exitcode -out=plan.tfplan`));
    expect(output).not.toContain("PLAN TEXT");
    expect(statusOf(planDir, "dev-network")).toEqual({ status: "planned", changes: true });
    // Sealed: nothing of the plan in clear among the files the workflow uploads.
    expect(existsSync(path.join(planDir, "dev-network.tfplan"))).toBe(false);
    expect(readFileSync(path.join(planDir, "dev-network.tfplan.enc")).includes("plan of dev-network")).toBe(false);
    // An emptied state (dev/streaming) orphans nothing; an owned key is never read.
    expect(JSON.parse(readFileSync(path.join(planDir, "orphans-dev.json"), "utf8"))).toEqual([{ stack: "dev-database", key: "dev/database.tfstate", resources: 3 }]);
    expect(calls.filter((c) => c.startsWith("aws s3 cp")).map((c) => /s3:\/\/\S+/.exec(c)?.[0])).toEqual(["s3://" + bucketOf(project) + "/dev/database.tfstate", "s3://" + bucketOf(project) + "/dev/streaming.tfstate"]);
    unseal(planDir);
    expect(readFileSync(path.join(planDir, "dev-network.tfplan"), "utf8")).toBe("plan of dev-network\n");
    expect(readFileSync(path.join(planDir, "dev-network.outputs"), "utf8").trim()).toBe(EMPTY_OUTPUTS);
  }, 90_000);

  it("records a plan that changes nothing, a failed stack with Terraform's error (secrets masked), and one that reads an upstream not applied yet, plans them all, and fails at the end", () => {
    const { code, planDir, verbs, output } = planEnv({
      "bucket.json": [],
      "no-changes/dev-network": "",
      "fail/dev-eks": "╷\n│ Error: connecting to postgres://app:hunter2@db:5432/app\n│ \n╵\n",
      "fail/dev-iam": "Error: Unable to find remote state\n\nNo stored state was found for the given workspace in the given backend.\n",
    });
    expect(code).toBe(1);
    expect(statusOf(planDir, "dev-network")).toEqual({ status: "planned", changes: false });
    expect(statusOf(planDir, "dev-eks")).toEqual({ status: "failed", detail: "Error: connecting to postgres://app:(sensitive)@db:5432/app" });
    expect(statusOf(planDir, "dev-iam")).toEqual({ status: "awaiting-upstream", detail: "upstream not applied yet: dev-network dev-eks" });
    expect(output).not.toContain("hunter2");
    expect(verbs).toContain("dev-iam plan");
  }, 90_000);

  it("plans state-backend as \"shared\", and lists the keys of environments the synth no longer has, uncounted", () => {
    const { code, verbs, planDir } = planEnv({ "bucket.json": ["dev/network.tfstate", "prd/network.tfstate", "prd/database.tfstate", "bootstrap/account-101010101010.tfstate"] }, "shared");
    expect(code).toBe(0);
    expect(verbs.filter((v) => v.startsWith("state-backend"))).toEqual(["state-backend init", "state-backend plan", "state-backend show", "state-backend output"]);
    expect(JSON.parse(readFileSync(path.join(planDir, "orphans-shared.json"), "utf8"))).toEqual([
      { stack: "prd-database", key: "prd/database.tfstate", resources: null },
      { stack: "prd-network", key: "prd/network.tfstate", resources: null },
    ]);
  }, 90_000);

  it("plans one scope only, and says where the cluster stacks go", () => {
    const planDir = mkdtempSync(path.join(tmpdir(), "plans-scope-"));
    const cluster = script("plan-env.sh", ["dev", "plan", "cluster"], { FAKE_DIR: scenario({}), PLAN_DIR: planDir });
    expect([cluster.code, cluster.verbs]).toEqual([0, []]);
    // No stack of dev reaches the cluster: no runner label, so no cluster job.
    const runner = script("runner-status.sh", ["dev"], { PLAN_DIR: planDir });
    expect(runner.code).toBe(0);
    expect(JSON.parse(readFileSync(path.join(planDir, "dev.runner"), "utf8"))).toEqual({ env: "dev", label: "", host: "dev", stacks: [] });
  }, 90_000);

  it("refuses to run without the public key plans are sealed to", () => {
    const result = spawnSync("bash", [path.join(ROOT, ".github", "scripts", "plan-env.sh"), "dev"], { cwd: project, encoding: "utf8", env: { ...process.env, PLAN_DIR: mkdtempSync(path.join(tmpdir(), "p-")), PLAN_PUBLIC_KEY: "" } });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain("set the PLAN_PUBLIC_KEY repository variable");
  });
});

function bucketOf(dir: string): string {
  return /^bucket\s*=\s*"([^"]+)"/m.exec(readFileSync(path.join(dir, "backend.config"), "utf8"))?.[1] ?? "";
}
