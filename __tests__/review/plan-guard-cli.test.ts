import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { orphansOf } from "../../review";
import { FIXTURE, ROOT } from "../helpers";

// plan-guard as CI runs it (compiled by jest's global setup), on real plans: the change never
// judges itself (its config beside the base branch's), and orphaned state is refused like a destroy.
const REAL = path.join(ROOT, "__tests__", "fixtures", "real-plans");
const guardCli = (args: string[]) => spawnSync("node", [path.join(ROOT, "dist", "scripts", "plan-guard.js"), ...args], { cwd: FIXTURE, encoding: "utf8" });
const temp = (name: string, text: string) => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "plan-guard-")), name);
  writeFileSync(file, text);
  return file;
};

describe("plan-guard --config-dir, given the base branch's config and the change's", () => {
  const dir = path.join(REAL, "protect-removal-az-count");
  const args = [path.join(dir, "prod-network.json"), "--manifest", path.join(dir, "cdktf.out", "manifest.json")];
  const nat = "prod-network: aws_nat_gateway.network_nat_eu-west-1c would be deleted; protected by config: prod-network/network/nat";

  it("blocks the NAT deletion that the change's own config no longer protects", () => {
    const result = guardCli([...args, "--config-dir", path.join(FIXTURE, "config"), "--config-dir", path.join(dir, "config")]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(nat);
    // Judged by the change's config alone, the protect entry it removes would protect nothing.
    const alone = guardCli([...args, "--config-dir", path.join(dir, "config")]);
    expect(alone.stderr).not.toContain("protected by config");
  });
});

describe("plan-guard --orphans", () => {
  const dir = path.join(REAL, "layer-removed");
  const manifest = path.join(dir, "cdktf.out", "manifest.json");
  const stacks = Object.keys((JSON.parse(readFileSync(manifest, "utf8")) as { stacks: object }).stacks);
  const orphans = temp("orphans.json", JSON.stringify(orphansOf(JSON.parse(readFileSync(path.join(dir, "state-keys.json"), "utf8")) as never, stacks)));

  it("refuses a stack that left the synth with its state still holding resources, until it is allowed", () => {
    const refused = guardCli(["--orphans", orphans, "--manifest", manifest]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain("  - prod-database: orphaned-state (prod/database.tfstate) would be left unmanaged; orphaned: 40 resources will no longer be managed (nothing is destroyed)");
    const allowed = guardCli(["--orphans", orphans, "--manifest", manifest, "--allow", "prod-database:orphaned-state"]);
    expect(allowed.status).toBe(0);
    expect(allowed.stdout).toContain("Explicitly allowed:\n  - prod-database: orphaned-state (prod/database.tfstate)");
  });

  it("exits 2 on an orphan list it cannot read", () => {
    const result = guardCli(["--orphans", temp("orphans.json", '{"prod-database": 40}'), "--manifest", manifest]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^error: .*orphans\.json: must be a JSON list of \{ stack, key, resources \}/);
  });
});

it("plan-guard exits 2 on a plan that errored, rather than judging part of it", () => {
  const dir = path.join(REAL, "az-count-reduction");
  const plan = JSON.parse(readFileSync(path.join(dir, "prod-network.json"), "utf8")) as Record<string, unknown>;
  const file = temp("prod-network.json", JSON.stringify({ ...plan, errored: true }));
  const result = guardCli([file, "--manifest", path.join(dir, "cdktf.out", "manifest.json"), "--config-dir", path.join(FIXTURE, "config")]);
  expect(result.status).toBe(2);
  expect(result.stderr).toBe("error: plan-guard cannot judge these plans: prod-network: the plan errored (errored: true): Terraform stopped part-way, so it does not show every change; fix the error and plan again\n");
});
