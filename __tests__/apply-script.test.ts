import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { run } from "../main";
import { ROOT, tempProject } from "./helpers";

// apply-env.sh runs on GitHub with real terraform; here a fake terraform on PATH records what the
// script asks of it, so its decisions (guard, stale plan, digest comparison) are tested for real.
const KEY = "test-artifact-key";
const FAKE_TERRAFORM = `#!/usr/bin/env bash
echo "$(basename "$PWD") $*" >> "$FAKE_TF_LOG"
case "$1" in
  init) exit 0 ;;
  apply)
    plan="\${@: -1}"
    if [ -n "\${FAKE_STALE:-}" ] && [[ "$plan" != *fresh.tfplan ]]; then echo "Error: Saved plan is stale" >&2; exit 1; fi
    exit 0 ;;
  plan) for a in "$@"; do case "$a" in -out=*) echo plan > "\${a#-out=}" ;; esac; done; exit 0 ;;
  show) cat "$FAKE_FRESH_JSON"; exit 0 ;;
esac
exit 3
`;

const basic = JSON.parse(readFileSync(path.join(__dirname, "fixtures", "plans", "basic.json"), "utf8")) as { resource_changes: Array<Record<string, unknown>> };
let project: string;

beforeAll(() => {
  execFileSync(path.join(ROOT, "node_modules", ".bin", "tsc"), ["-p", "tsconfig.build.json"], { cwd: ROOT });
  project = tempProject({}, { copyShippedConfig: true });
  symlinkSync(path.join(ROOT, "node_modules"), path.join(project, "node_modules"));
  symlinkSync(path.join(ROOT, "dist"), path.join(project, "dist"));
  mkdirSync(path.join(project, "bin"));
  writeFileSync(path.join(project, "bin", "terraform"), FAKE_TERRAFORM);
  chmodSync(path.join(project, "bin", "terraform"), 0o755);
  expect(run(["--quiet"], { CDKTF_OUTDIR: path.join(project, "cdktf.out") }, project)).toBe(0);
}, 60_000);

/** Encrypted reviewed plans of dev (one stack), as the plan workflow leaves them. */
function reviewed(plan: unknown): string {
  const dir = mkdtempSync(path.join(tmpdir(), "reviewed-"));
  writeFileSync(path.join(dir, "dev-network.json"), JSON.stringify(plan));
  writeFileSync(path.join(dir, "dev-network.tfplan"), "binary plan");
  for (const f of ["dev-network.json", "dev-network.tfplan"]) {
    execFileSync("openssl", ["enc", "-aes-256-cbc", "-pbkdf2", "-salt", "-pass", "env:PLAN_ARTIFACT_KEY", "-in", path.join(dir, f), "-out", path.join(dir, `${f}.enc`)], { env: { ...process.env, PLAN_ARTIFACT_KEY: KEY } });
  }
  for (const f of ["dev-network.json", "dev-network.tfplan"]) writeFileSync(path.join(dir, f), "replaced by decryption");
  return dir;
}

function applyEnv(plan: unknown, env: Record<string, string> = {}) {
  const dir = reviewed(plan);
  const log = path.join(dir, "terraform.log");
  writeFileSync(log, "");
  const result = spawnSync("bash", [path.join(ROOT, ".github", "scripts", "apply-env.sh"), "dev", dir], {
    cwd: project,
    encoding: "utf8",
    env: { ...process.env, PATH: `${path.join(project, "bin")}:${process.env.PATH}`, PLAN_ARTIFACT_KEY: KEY, FAKE_TF_LOG: log, ...env },
  });
  return { code: result.status, output: `${result.stdout}${result.stderr}`, calls: readFileSync(log, "utf8").trim().split("\n"), dir };
}

const changed = (plan: typeof basic) => ({ ...plan, resource_changes: plan.resource_changes.map((rc, i) => (i === 0 ? { ...rc, change: { ...(rc.change as object), after: { cidr_block: "10.99.0.0/16" } } } : rc)) });
const deletingBucket = { ...basic, resource_changes: [{ address: "aws_s3_bucket.logs", type: "aws_s3_bucket", mode: "managed", change: { actions: ["delete"], before: {}, after: null } }] };

describe("apply-env.sh", () => {
  it("applies the reviewed plan file, stack by stack", () => {
    const { code, calls, dir } = applyEnv(basic);
    expect(code).toBe(0);
    expect(calls).toEqual([expect.stringMatching(/^dev-network init /), `dev-network apply -input=false -no-color ${dir}/dev-network.tfplan`]);
  }, 30_000);

  it("re-plans a stale plan and applies it when its semantic digest equals the reviewed one", () => {
    const fresh = path.join(mkdtempSync(path.join(tmpdir(), "fresh-")), "fresh.json");
    writeFileSync(fresh, JSON.stringify(basic));
    const { code, calls } = applyEnv(basic, { FAKE_STALE: "1", FAKE_FRESH_JSON: fresh });
    expect(code).toBe(0);
    expect(calls.map((c) => c.split(" ")[1])).toEqual(["init", "apply", "plan", "show", "apply"]);
    expect(calls[4]).toBe("dev-network apply -input=false -no-color fresh.tfplan");
  }, 30_000);

  it("stops when the fresh plan differs from the reviewed one", () => {
    const fresh = path.join(mkdtempSync(path.join(tmpdir(), "fresh-")), "fresh.json");
    writeFileSync(fresh, JSON.stringify(changed(basic)));
    const { code, calls, output } = applyEnv(basic, { FAKE_STALE: "1", FAKE_FRESH_JSON: fresh });
    expect(code).toBe(1);
    expect(output).toMatch(/::error::dev-network: the fresh plan differs from the reviewed one/);
    expect(calls.filter((c) => c.includes("fresh.tfplan") && c.includes(" apply "))).toEqual([]);
  }, 30_000);

  it("refuses to apply anything when the guard finds a protected resource destroyed", () => {
    const { code, calls, output } = applyEnv(deletingBucket);
    expect(code).toBe(1);
    expect(output).toContain("plan-guard: 1 protected resource(s) would be destroyed or replaced:");
    expect(calls).toEqual([""]);
  }, 30_000);

  it("applies a destroy of a protected resource that is explicitly allowed", () => {
    const { code, calls } = applyEnv(deletingBucket, { ALLOW_DESTROY: "dev-network:aws_s3_bucket.logs" });
    expect(code).toBe(0);
    expect(calls[1]).toMatch(/^dev-network apply /);
  }, 30_000);
});

describe("plan-env.sh", () => {
  it("plans every stack of the environment and leaves only encrypted plans and the digest", () => {
    const planDir = mkdtempSync(path.join(tmpdir(), "plans-"));
    const log = path.join(planDir, "..", `${path.basename(planDir)}.log`);
    const fresh = path.join(planDir, "..", `${path.basename(planDir)}-show.json`);
    writeFileSync(fresh, JSON.stringify(basic));
    const result = spawnSync("bash", [path.join(ROOT, ".github", "scripts", "plan-env.sh"), "dev"], {
      cwd: project,
      encoding: "utf8",
      env: { ...process.env, PATH: `${path.join(project, "bin")}:${process.env.PATH}`, PLAN_ARTIFACT_KEY: KEY, PLAN_DIR: planDir, FAKE_TF_LOG: log, FAKE_FRESH_JSON: fresh },
    });
    expect(result.status).toBe(0);
    expect(readFileSync(log, "utf8").trim().split("\n").map((c) => c.split(" ").slice(0, 2).join(" "))).toEqual(["dev-network init", "dev-network plan", "dev-network show"]);
    expect(readFileSync(path.join(planDir, "digest.txt"), "utf8")).toMatch(/^sha256:[0-9a-f]{64}\n$/);
    const decrypted = execFileSync("openssl", ["enc", "-d", "-aes-256-cbc", "-pbkdf2", "-pass", "env:PLAN_ARTIFACT_KEY", "-in", path.join(planDir, "dev-network.json.enc")], {
      env: { ...process.env, PLAN_ARTIFACT_KEY: KEY },
    });
    expect(JSON.parse(decrypted.toString())).toEqual(basic);
  }, 30_000);

  it("refuses to run without the artifact key", () => {
    const result = spawnSync("bash", [path.join(ROOT, ".github", "scripts", "plan-env.sh"), "dev"], { cwd: project, encoding: "utf8", env: { ...process.env, PLAN_DIR: mkdtempSync(path.join(tmpdir(), "p-")), PLAN_ARTIFACT_KEY: "" } });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain("set the PLAN_ARTIFACT_KEY secret");
  });
});
