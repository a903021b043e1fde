import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { allowLine, bindingFields, type PlanBinding, readBinding, signComment, verifyComment } from "../../review";
import { FIXTURE, fixtureSynth, ROOT } from "../helpers";
import { fakeGh, type GhScenario } from "../support/fake-gh";

// The delivery scripts that decide from GitHub's records, run as on GitHub with a fake `gh` on
// PATH (__tests__/support/fake-gh.ts) against the fixture project's synth: which plan run an apply
// takes (items 1, 2 and 5 of issue 21), that every reviewed artifact is there (10), that a
// production environment is protected (19), and that a broken drift check never says "no drift" (11).
const REPO = "example-org/platform-infra";
const PRIVATE_KEY = "-----BEGIN PRIVATE KEY-----\ntest key: only its digest key is derived here\n-----END PRIVATE KEY-----";
const DIGEST_KEY_OF = (pem: string) => createHash("sha256").update(`plan-digest\n${pem}`).digest("hex");
const DIGEST_KEY = DIGEST_KEY_OF(PRIVATE_KEY);
const HEAD = "b".repeat(40);
const MERGE = "9".repeat(40);
const sha = (c: string) => c.repeat(64);
const DIGEST = `sha256:${"d".repeat(64)}`;

let project: string;
beforeAll(() => {
  project = mkdtempSync(path.join(tmpdir(), "gh-scripts-"));
  for (const [name, target] of [["dist", path.join(ROOT, "dist")], ["node_modules", path.join(ROOT, "node_modules")], ["cdktf.out", fixtureSynth.dir], ["config", path.join(FIXTURE, "config")], ["backend.config", path.join(FIXTURE, "backend.config")], ["cdktf.json", path.join(FIXTURE, "cdktf.json")]] as const) {
    symlinkSync(target, path.join(project, name));
  }
  writeFileSync(path.join(project, "approvers.yaml"), "approvers: [maintainer]\n");
  // The trusted checkout's own files the review reads: the approver list and the Terraform CLI config.
  mkdirSync(path.join(project, ".github"));
  copyFileSync(path.join(ROOT, ".github", "terraformrc-review"), path.join(project, ".github", "terraformrc-review"));
  writeFileSync(path.join(project, ".github", "approvers.yaml"), "approvers: [maintainer]\n");
});

function run(script: string, args: string[], scenario: GhScenario, env: Record<string, string> = {}) {
  const gh = fakeGh(scenario);
  const output = path.join(mkdtempSync(path.join(tmpdir(), "gh-output-")), "out");
  writeFileSync(output, "");
  const result = spawnSync("bash", [path.join(ROOT, ".github", "scripts", script), ...args], {
    cwd: project,
    encoding: "utf8",
    env: { ...process.env, PATH: `${gh.bin}:${process.env.PATH}`, FAKE_GH_DIR: gh.dir, GH_TOKEN: "t", REPO, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: path.join(path.dirname(output), "summary"), ...env },
  });
  const outputs = Object.fromEntries(readFileSync(output, "utf8").split("\n").filter(Boolean).map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]));
  return { code: result.status, output: `${result.stdout}${result.stderr}`, outputs, writes: gh.writes(), calls: gh.calls(), summary: () => readFileSync(path.join(path.dirname(output), "summary"), "utf8") };
}

describe("find-reviewed-plan.sh (a dispatched apply)", () => {
  const pr = { number: 17, state: "closed", merged_at: "2026-11-30T10:00:00Z", merge_commit_sha: MERGE, user: { login: "author" }, base: { ref: "main" }, head: { sha: HEAD } };
  const planRun = { id: 4242, path: ".github/workflows/plan.yml", event: "pull_request", status: "completed", conclusion: "success", head_sha: HEAD, pull_requests: [{ number: 17, base: { ref: "main" } }] };
  const binding: PlanBinding = { run: "4242", pr: 17, base: "a".repeat(40), head: HEAD, plans: { "prod-network": sha("1") }, changed: ["prod-network"] };
  const comment = (b: PlanBinding, key = DIGEST_KEY) => ({ id: 1, user: { login: "github-actions[bot]", type: "Bot" }, body: signComment(`<!-- plan-comment sha=${HEAD} digest=${DIGEST}${bindingFields(b)} -->\n…`, key) });
  const nat = allowLine("prod-network", "aws_nat_gateway.network_nat_c", sha("1"));
  const scenario = (over: { run?: object; comments?: object[]; reviews?: object[] } = {}): GhScenario => ({
    api: {
      [`repos/${REPO}/actions/runs/4242`]: { ...planRun, ...over.run },
      [`repos/${REPO}/commits/${MERGE}/pulls`]: [pr],
      [`repos/${REPO}/issues/17/comments`]: over.comments ?? [comment(binding)],
      [`repos/${REPO}/pulls/17/reviews`]: over.reviews ?? [{ user: { login: "maintainer" }, state: "APPROVED", commit_id: HEAD, body: nat }, { user: { login: "writer" }, state: "APPROVED", commit_id: HEAD, body: nat }],
    },
  });
  const find = (s: GhScenario) => run("find-reviewed-plan.sh", [], s, { SHA: MERGE, INPUT_RUN: "4242", PLAN_PRIVATE_KEY: PRIVATE_KEY, APPROVERS: "approvers.yaml" });

  it("takes the bound run, the verified binding and the allows of approvers, and says who allowed what", () => {
    const result = find(scenario());
    expect(result.code).toBe(0);
    expect(result.outputs).toMatchObject({ "run-id": "4242", pr: "17", head: HEAD, allow: "prod-network:aws_nat_gateway.network_nat_c" });
    expect(JSON.parse(result.outputs.binding as string)).toMatchObject({ run: "4242", plans: { "prod-network": sha("1") } });
    expect(result.summary()).toContain("- allowed by **maintainer**: `prod-network` `aws_nat_gateway.network_nat_c`");
    expect(result.summary()).toContain("by writer: writer is not on the approver list");
    expect(result.output).toContain("::warning::not counted: " + nat + " by writer");
  }, 30_000);

  it("refuses a dispatched run of another workflow, event or head", () => {
    const result = find(scenario({ run: { path: ".github/workflows/evil.yml", head_sha: "c".repeat(40) } }));
    expect(result.code).not.toBe(0);
    expect(result.output).toContain("run 4242 is not the reviewed plan run of pull request #17: it is a run of .github/workflows/evil.yml, not .github/workflows/plan.yml; it planned " + "c".repeat(40));
    expect(result.outputs).toEqual({});
  }, 30_000);

  it("refuses when no comment is signed with the review key", () => {
    const forged = comment(binding, "attacker");
    const result = find(scenario({ comments: [forged] }));
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/no signed plan comment binds run 4242; passed over: comment 1 by github-actions\[bot\]: the plan comment does not verify/);
  }, 30_000);

  it("refuses a merge that removes a stack from the code unless an approver allowed its state to be orphaned", () => {
    const manifest = JSON.parse(readFileSync(path.join(fixtureSynth.dir, "manifest.json"), "utf8")) as { stacks: Record<string, unknown> };
    const gone = Object.keys(manifest.stacks).find((st) => st.startsWith("prod-") && st !== "prod-network") as string;
    const merged = path.join(mkdtempSync(path.join(tmpdir(), "merged-")), "manifest.json");
    const { [gone]: _, ...rest } = manifest.stacks;
    writeFileSync(merged, JSON.stringify({ ...manifest, stacks: rest }));
    const env = { SHA: MERGE, INPUT_RUN: "4242", PLAN_PRIVATE_KEY: PRIVATE_KEY, APPROVERS: "approvers.yaml", BASE_MANIFEST: path.join(fixtureSynth.dir, "manifest.json"), MERGED_MANIFEST: merged };
    const refused = run("find-reviewed-plan.sh", [], scenario(), env);
    expect(refused.code).toBe(1);
    expect(refused.output).toContain(`::error::the merge removes ${gone} from the code, and no approver allowed their states to be orphaned`);
    const orphans = sha("3");
    const allowed = run("find-reviewed-plan.sh", [], scenario({ comments: [comment({ ...binding, orphans })], reviews: [{ user: { login: "maintainer" }, state: "APPROVED", commit_id: HEAD, body: allowLine(gone, "orphaned-state", orphans) }] }), env);
    expect(allowed.code).toBe(0);
    expect(allowed.outputs.allow).toBe(`${gone}:orphaned-state`);
  }, 30_000);

  it("refuses to run without the review key", () => {
    const result = run("find-reviewed-plan.sh", [], scenario(), { SHA: MERGE, INPUT_RUN: "4242", PLAN_PRIVATE_KEY: "", APPROVERS: "approvers.yaml" });
    expect(result.code).not.toBe(0);
    expect(result.output).toContain("PLAN_PRIVATE_KEY is not set");
  }, 30_000);
});

describe("download-plans.sh", () => {
  const bindingFile = (plans: Record<string, string>) => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "binding-")), "binding.json");
    writeFileSync(file, JSON.stringify({ run: "4242", pr: 17, base: "a".repeat(40), head: HEAD, plans }));
    return file;
  };
  const devStacks = () => Object.keys(fixtureSynth.manifest()).filter((s) => s.startsWith("dev-"));
  const artifact = (stacks: readonly string[], planned: readonly string[]) =>
    Object.fromEntries(stacks.flatMap((s) => [[`${s}.status.json`, JSON.stringify({ status: planned.includes(s) ? "planned" : "awaiting-upstream" })], ...(planned.includes(s) ? [[`${s}.tfplan.enc`, "sealed"], [`${s}.tfplan.key`, "key"]] : [])]));

  it("downloads every bound plan of the environment", () => {
    const stacks = devStacks();
    const dir = mkdtempSync(path.join(tmpdir(), "reviewed-"));
    const result = run("download-plans.sh", ["4242", "dev", dir], { artifacts: { "4242": { "plans-dev": artifact(stacks, stacks) } }, api: { [`repos/${REPO}/actions/runs/4242/artifacts_name_plans-dev-cluster`]: { total_count: 0 } } }, { BINDING_FILE: bindingFile(Object.fromEntries(stacks.map((s) => [s, sha("1")]))) });
    expect(result.output).toBe("");
    expect(result.code).toBe(0);
  }, 30_000);

  it("fails, naming the artifact, when a download fails (expired, rate-limited): never \"nothing to apply\"", () => {
    const result = run("download-plans.sh", ["4242", "prod", mkdtempSync(path.join(tmpdir(), "reviewed-"))], { artifacts: {} }, { BINDING_FILE: bindingFile({}) });
    expect(result.code).toBe(1);
    expect(result.output).toContain("::error::run 4242: the artifact plans-prod could not be downloaded (expired, or the API failed): nothing of prod is applied; re-run the plan");
  }, 30_000);

  it("fails, naming each stack, when a bound plan or a status is missing from the artifacts", () => {
    const stacks = devStacks();
    const [first, second] = stacks as [string, string];
    const files = artifact(stacks, stacks);
    delete files[`${first}.tfplan.enc`];
    delete files[`${second}.status.json`];
    const result = run("download-plans.sh", ["4242", "dev", mkdtempSync(path.join(tmpdir(), "reviewed-"))], { artifacts: { "4242": { "plans-dev": files } }, api: { [`repos/${REPO}/actions/runs/4242/artifacts_name_plans-dev-cluster`]: { total_count: 0 } } }, { BINDING_FILE: bindingFile(Object.fromEntries(stacks.map((s) => [s, sha("1")]))) });
    expect(result.code).toBe(1);
    expect(result.output).toContain(`::error::run 4242: the reviewed artifacts of dev lack ${first} ${second} (status): nothing of dev is applied; re-run the plan`);
  }, 30_000);
});

describe("check-environment.sh", () => {
  const check = (environment: unknown) => run("check-environment.sh", ["prod"], { api: environment === undefined ? {} : { [`repos/${REPO}/environments/prod`]: environment } });

  it("passes a GitHub Environment with required reviewers and a deployment branch policy", () => {
    const result = check({ name: "prod", protection_rules: [{ type: "required_reviewers", reviewers: [{ type: "Team", reviewer: { slug: "platform" } }] }], deployment_branch_policy: { protected_branches: true, custom_branch_policies: false } });
    expect([result.code, result.output.trim()]).toEqual([0, "prod: 1 required reviewer(s), deployment branch policy set."]);
  });

  it("refuses a new, unprotected GitHub Environment, and one that does not exist", () => {
    const unprotected = check({ name: "prod", protection_rules: [], deployment_branch_policy: null });
    expect(unprotected.code).toBe(1);
    expect(unprotected.output).toContain("::error::the GitHub Environment prod is not protected: no required reviewers no deployment branch policy (any branch may deploy).");
    const missing = check(undefined);
    expect(missing.code).toBe(1);
    expect(missing.output).toContain("::error::the GitHub Environment prod could not be read: it must exist, with required reviewers and a deployment branch policy");
  });
});

describe("render-review.sh (the trusted review of a plan run)", () => {
  // A terraform that answers `show -json <plan>` with the JSON a scenario gives for the stack.
  const FAKE_TERRAFORM = '#!/usr/bin/env bash\necho "$(basename "$PWD") $*" >> "$FAKE_DIR/terraform.log"\ncase "$1" in init) exit 0 ;; show) cat "$FAKE_DIR/show/$(basename "$PWD").json" ;; *) exit 3 ;; esac\n';
  const deletingNat = { format_version: "1.2", resource_changes: [{ address: "aws_nat_gateway.network_nat_eu-west-1c", type: "aws_nat_gateway", mode: "managed", change: { actions: ["delete"], before: {}, after: null } }] };
  let keys: { PLAN_PRIVATE_KEY: string; PLAN_PUBLIC_KEY: string };
  let tarball: Buffer;
  beforeAll(() => {
    const dir = mkdtempSync(path.join(tmpdir(), "review-keys-"));
    execFileSync("openssl", ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", path.join(dir, "k.pem")]);
    keys = { PLAN_PRIVATE_KEY: readFileSync(path.join(dir, "k.pem"), "utf8"), PLAN_PUBLIC_KEY: execFileSync("openssl", ["pkey", "-in", path.join(dir, "k.pem"), "-pubout"], { encoding: "utf8" }) };
    // The change's head, as GitHub's tarball API serves it: its config without prod's protect list.
    const head = path.join(dir, "example-org-platform-infra-bbbbbbb");
    mkdirSync(path.join(head, "config"), { recursive: true });
    for (const f of ["dev.yaml", "stage.yaml", "prod.yaml"]) writeFileSync(path.join(head, "config", f), readFileSync(path.join(FIXTURE, "config", f), "utf8").replace(/^protect:\n(?:\s+- .*\n)+/m, ""));
    tarball = execFileSync("tar", ["-czf", "-", "-C", dir, path.basename(head)]);
  });

  function review(show: Record<string, unknown>, reviews: object[] = []) {
    const stacks = Object.keys(fixtureSynth.manifest());
    const sealed = mkdtempSync(path.join(tmpdir(), "sealed-"));
    for (const stack of Object.keys(show)) writeFileSync(path.join(sealed, `${stack}.tfplan`), `plan of ${stack}`);
    execFileSync("bash", [path.join(ROOT, ".github", "scripts", "seal.sh"), ...Object.keys(show).map((s) => path.join(sealed, `${s}.tfplan`))], { env: { ...process.env, ...keys } });
    const plans: Record<string, string | Buffer> = Object.fromEntries(stacks.map((s) => [`${s}.status.json`, JSON.stringify(s in show ? { status: "planned", changes: true } : { status: "awaiting-upstream" })]));
    for (const stack of Object.keys(show)) for (const ext of ["enc", "key"]) plans[`${stack}.tfplan.${ext}`] = readFileSync(path.join(sealed, `${stack}.tfplan.${ext}`));
    plans["orphans-prod.json"] = "[]";
    // The plan run's synth: only its manifest and the stacks' folders matter here.
    const cdktfOut: Record<string, string> = { "manifest.json": readFileSync(path.join(fixtureSynth.dir, "manifest.json"), "utf8") };
    const fake = mkdtempSync(path.join(tmpdir(), "fake-review-"));
    mkdirSync(path.join(fake, "show"));
    for (const [stack, plan] of Object.entries(show)) writeFileSync(path.join(fake, "show", `${stack}.json`), JSON.stringify(plan));
    writeFileSync(path.join(fake, "terraform.log"), "");
    const bin = path.join(fake, "bin");
    mkdirSync(bin);
    writeFileSync(path.join(bin, "terraform"), FAKE_TERRAFORM);
    chmodSync(path.join(bin, "terraform"), 0o755);
    const work = mkdtempSync(path.join(tmpdir(), "review-work-"));
    const scenarioGh: GhScenario = {
      api: {
        [`repos/${REPO}/tarball/${HEAD}`]: tarball,
        [`repos/${REPO}/pulls/17`]: { number: 17, state: "open", user: { login: "author" }, base: { ref: "main" }, head: { sha: HEAD } },
        [`repos/${REPO}/pulls/17/reviews`]: reviews,
        [`repos/${REPO}/issues/17/comments`]: [],
      },
      artifacts: { "4242": { "cdktf-out": cdktfOut, "plans-prod": plans } },
    };
    // The stacks' folders of the run's synth, for `terraform init -backend=false` in each.
    const gh = fakeGh(scenarioGh);
    for (const stack of stacks) mkdirSync(path.join(gh.dir, "artifacts", "4242", "cdktf-out", "stacks", stack), { recursive: true });
    const output = spawnSync("bash", [path.join(ROOT, ".github", "scripts", "render-review.sh"), "4242", "17", HEAD], {
      cwd: project,
      encoding: "utf8",
      env: { ...process.env, PATH: `${gh.bin}:${bin}:${process.env.PATH}`, FAKE_GH_DIR: gh.dir, FAKE_DIR: fake, GH_TOKEN: "t", REPO, WORK: work, BASE_SHA: "a".repeat(40), ...keys },
    });
    const posted = gh.writes().find((w) => w.startsWith(`POST repos/${REPO}/issues/17/comments`));
    const status = gh.writes().find((w) => w.startsWith(`POST repos/${REPO}/statuses/${HEAD}`));
    return { code: output.status, output: `${output.stdout}${output.stderr}`, comment: posted ? readFileSync(path.join(work, "comment.md"), "utf8") : "", status, terraform: readFileSync(path.join(fake, "terraform.log"), "utf8") };
  }

  it("derives each plan's JSON from its .tfplan, guards it with the base's and the change's protect lists, counts an approver's allow, and posts a comment bound to the plans and signed", () => {
    const sha256 = createHash("sha256").update("plan of prod-network").digest("hex");
    const bucket = { address: "aws_s3_bucket.logs", type: "aws_s3_bucket", mode: "managed", change: { actions: ["delete"], before: {}, after: null } };
    const plan = { ...deletingNat, resource_changes: [...deletingNat.resource_changes, bucket] };
    // The approver allowed the bucket's deletion in exactly this plan; nobody allowed the NAT's.
    const result = review({ "prod-network": plan }, [{ user: { login: "maintainer" }, state: "APPROVED", commit_id: HEAD, body: allowLine("prod-network", "aws_s3_bucket.logs", sha256) }]);
    expect([result.code, result.output]).toEqual([0, ""]);
    expect(result.terraform).toMatch(/^prod-network init -backend=false -get=false -input=false -no-color\nprod-network show -json \S+\/prod-network\.tfplan\n$/);
    const binding = readBinding(result.comment);
    expect(binding).toMatchObject({ run: "4242", pr: 17, head: HEAD, plans: { "prod-network": sha256 }, changed: ["prod-network"] });
    expect(() => verifyComment(result.comment, DIGEST_KEY_OF(keys.PLAN_PRIVATE_KEY))).not.toThrow();
    // The change removed prod's protect list; the base branch's still protects the NAT gateways.
    expect(result.comment).toContain("protected by config: prod-network/network/nat");
    expect(result.comment).toContain(allowLine("prod-network", "aws_nat_gateway.network_nat_eu-west-1c", sha256));
    expect(result.comment).not.toContain(allowLine("prod-network", "aws_s3_bucket.logs", sha256));
    expect(result.status).toContain("state=failure");
    expect(result.status).toContain("refused by the guard unless allowed");
  }, 60_000);
});

describe("drift-report.sh", () => {
  let keys: { PLAN_PRIVATE_KEY: string; PLAN_PUBLIC_KEY: string };
  beforeAll(() => {
    const dir = mkdtempSync(path.join(tmpdir(), "drift-keys-"));
    execFileSync("openssl", ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", path.join(dir, "k.pem")]);
    keys = { PLAN_PRIVATE_KEY: readFileSync(path.join(dir, "k.pem"), "utf8"), PLAN_PUBLIC_KEY: execFileSync("openssl", ["pkey", "-in", path.join(dir, "k.pem"), "-pubout"], { encoding: "utf8" }) };
  });
  const devStacks = () => Object.keys(fixtureSynth.manifest()).filter((s) => s.startsWith("dev-"));
  /** The dev drift artifacts: each stack's sealed refresh-only plan, or a failed status. */
  function report(failed: readonly string[]) {
    const planDir = mkdtempSync(path.join(tmpdir(), "drift-"));
    const jsons: string[] = [];
    for (const stack of devStacks()) {
      if (failed.includes(stack)) {
        writeFileSync(path.join(planDir, `${stack}.status.json`), JSON.stringify({ status: "failed", detail: "Error: no valid credential sources" }));
        continue;
      }
      writeFileSync(path.join(planDir, `${stack}.status.json`), JSON.stringify({ status: "planned", changes: false }));
      writeFileSync(path.join(planDir, `${stack}.json`), JSON.stringify({ format_version: "1.2", resource_changes: [], resource_drift: [] }));
      jsons.push(path.join(planDir, `${stack}.json`));
    }
    if (jsons.length) execFileSync("bash", [path.join(ROOT, ".github", "scripts", "seal.sh"), ...jsons], { env: { ...process.env, ...keys } });
    return run("drift-report.sh", ["dev"], { issues: "7" }, { PLAN_DIR: planDir, GITHUB_SHA: "c".repeat(40), ...keys });
  }

  it("closes the issue only when every stack of the environment was checked and none drifted", () => {
    const result = report([]);
    expect(result.code).toBe(0);
    expect(result.writes.filter((w) => w.startsWith("issue close"))).toEqual([`issue close 7 --comment No drift as of ${"c".repeat(40)}: every stack of dev was checked.`]);
  }, 30_000);

  it("keeps the issue open, says which stacks were not checked, and fails, when a stack could not be planned", () => {
    const [first] = devStacks() as [string];
    const result = report([first]);
    expect(result.code).toBe(1);
    expect(result.output).toContain(`::error::dev: the drift check could not plan ${first}`);
    expect(result.writes.some((w) => w.startsWith("issue close"))).toBe(false);
    expect(result.writes).toContain("issue edit 7 --body-file drift-incomplete.md");
  }, 30_000);
});

