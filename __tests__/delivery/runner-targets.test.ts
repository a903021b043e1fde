import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadBackendSettings, loadEnvironments, runnerProjectName } from "../../config";
import { expectedStackIds } from "../../stacks/registry";
import { ROOT, TEST_NOW } from "../helpers";

// Where a plan or drift run plans each environment's cluster stacks. A tenant's run on its host's
// in-VPC runner: its AWS leg names the host (runner-status.sh), the host's own leg says whether
// that runner exists, and until it does the tenant's cluster stacks are reported as waiting for
// it (runner-targets.sh, await-runner.sh), never queued on a runner that never comes.
const SCRIPTS = path.join(ROOT, ".github", "scripts");
const bash = (script: string, args: string[], cwd = ROOT, env: Record<string, string> = {}) => spawnSync("bash", [path.join(SCRIPTS, script), ...args], { cwd, encoding: "utf8", env: { ...process.env, ...env } });
const runnerFiles = (files: Record<string, object>) => {
  const dir = mkdtempSync(path.join(tmpdir(), "runners-"));
  for (const [env, body] of Object.entries(files)) writeFileSync(path.join(dir, `${env}.runner`), JSON.stringify(body));
  return dir;
};
const targets = (dir: string) => JSON.parse(bash("runner-targets.sh", [dir]).stdout) as { ready: Array<{ env: string }>; waiting: Array<{ env: string }> };

describe("runner-targets.sh", () => {
  const tenant = { env: "dev", label: "codebuild-saas-github-runner", host: "saas", stacks: ["dev-app"] };

  it("plans a tenant's cluster stacks on its host's runner once the host's leg found it", () => {
    const result = targets(runnerFiles({ saas: { env: "saas", label: "codebuild-saas-github-runner", host: "saas", stacks: ["saas-platform"] }, dev: tenant }));
    expect(result).toEqual({ ready: [expect.objectContaining({ env: "dev" }), expect.objectContaining({ env: "saas" })], waiting: [] });
  });

  it("holds a tenant back while its host's runner is not there, or its host's leg did not say", () => {
    expect(targets(runnerFiles({ saas: { env: "saas", label: "", host: "saas", stacks: ["saas-platform"] }, dev: tenant }))).toEqual({ ready: [], waiting: [tenant] });
    expect(targets(runnerFiles({ dev: tenant }))).toEqual({ ready: [], waiting: [tenant] });
  });

  it("keeps an environment in its own cluster as before: ready with a label, nothing without", () => {
    const result = targets(runnerFiles({ one: { env: "one", label: "ubuntu-latest" }, two: { env: "two", label: "", host: "two", stacks: [] } }));
    expect(result).toEqual({ ready: [{ env: "one", label: "ubuntu-latest" }], waiting: [] });
    expect(targets(runnerFiles({}))).toEqual({ ready: [], waiting: [] });
  });
});

describe("await-runner.sh", () => {
  it("reports each of the tenant's cluster stacks as waiting for its host's runner", () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), "await-")), "plans");
    const result = bash("await-runner.sh", [JSON.stringify({ env: "dev", label: "codebuild-saas-github-runner", host: "saas", stacks: ["dev-app"] }), dir]);
    expect(result.status).toBe(0);
    expect(readdirSync(dir)).toEqual(["dev-app.status.json"]);
    expect(JSON.parse(readFileSync(path.join(dir, "dev-app.status.json"), "utf8"))).toEqual({
      status: "awaiting-upstream",
      detail: "CI's runner of saas's cluster (saas-access), which dev's cluster stacks run on, is not applied yet (or saas's plan did not say); this stack is planned on it once it is",
    });
  });

  it("refuses a stack name that is not a stack id (the target comes from a leg that ran the change's code)", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "await-"));
    const result = bash("await-runner.sh", [JSON.stringify({ env: "dev", host: "saas", stacks: ["../../x"] }), dir]);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe("::error::await-runner: ../../x is not a stack id\n");
    expect(existsSync(path.join(dir, "..", "..", "x.status.json"))).toBe(false);
  });
});

describe("runner-status.sh of a tenant", () => {
  it("gives its host's runner, names the host, lists its cluster stacks, and leaves whether the runner exists to the host's leg", () => {
    const configDir = path.join(ROOT, "examples", "shared-cluster", "config");
    const envs = loadEnvironments({ configDir, now: TEST_NOW });
    const project = mkdtempSync(path.join(tmpdir(), "runner-status-"));
    for (const name of ["dist", "node_modules"]) symlinkSync(path.join(ROOT, name), path.join(project, name));
    symlinkSync(configDir, path.join(project, "config"));
    mkdirSync(path.join(project, "cdktf.out"));
    const ids = expectedStackIds(envs, loadBackendSettings(path.join(ROOT, "backend.config")).accountId);
    writeFileSync(path.join(project, "cdktf.out", "manifest.json"), JSON.stringify({ stacks: Object.fromEntries(ids.map((id) => [id, { dependencies: [], synthesizedStackPath: `stacks/${id}/cdk.tf.json` }])) }));
    const plans = path.join(project, "plans");
    mkdirSync(plans);
    const result = bash("runner-status.sh", ["dev"], project, { PLAN_DIR: plans });
    expect(result.status).toBe(0);
    const dev = envs.find((e) => e.name === "dev")!;
    const saas = envs.find((e) => e.name === "saas")!;
    // Its only cluster stack is its app; its runner is its host's, in the cluster's VPC (stacks.js --env dev --runner, --host, --scope cluster).
    expect(JSON.parse(readFileSync(path.join(plans, "dev.runner"), "utf8"))).toEqual({ env: "dev", label: `codebuild-${runnerProjectName(saas)}`, host: "saas", stacks: ["dev-app"] });
    expect(runnerProjectName(dev)).toBe(runnerProjectName(saas));
    // No <tenant>-access plan to look for: the tenant has no runner of its own.
    expect(readdirSync(plans)).toEqual(["dev.runner"]);
  });
});
