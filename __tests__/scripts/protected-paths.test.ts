import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { protectedPathsIn } from "../../scripts/review-cli";
import { FIXTURE, fixtureInputs } from "../helpers";

// What the guard and the comment protect beyond the stateful types: every environment file's
// `protect`, read from the YAML, failing closed on anything it cannot read.
const folder = (files: Record<string, string>) => {
  const dir = mkdtempSync(path.join(tmpdir(), "protect-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
};

describe("protectedPathsIn", () => {
  it("is every environment's protect list, as the validated config has it", () => {
    expect(protectedPathsIn(path.join(FIXTURE, "config"))).toEqual(fixtureInputs().environments.flatMap((env) => env.protect));
    expect(protectedPathsIn(path.join(FIXTURE, "config"))).toContain("prod-network/network/nat");
  });

  it("fails closed: no folder, no environment file, a file that is not YAML, a protect that is not a list of strings", () => {
    expect(() => protectedPathsIn("/nonexistent")).toThrow("/nonexistent: config folder not found; pass --config-dir");
    expect(() => protectedPathsIn(folder({ "README.md": "x" }))).toThrow("holds no environment files, so nothing would be protected");
    expect(() => protectedPathsIn(folder({ "dev.yaml": "name: [dev\n" }))).toThrow(/dev\.yaml: cannot be read as YAML/);
    expect(() => protectedPathsIn(folder({ "dev.yaml": "protect: prod-network/network/nat\n" }))).toThrow(/dev\.yaml: protect must be a list of construct paths/);
    expect(() => protectedPathsIn(folder({ "dev.yaml": "protect: [1]\n" }))).toThrow(/protect must be a list/);
    expect(protectedPathsIn(folder({ "dev.yaml": "name: dev\n" }))).toEqual([]);
  });

  it("is protected if any of several folders protects it: the base branch's config and the change's", () => {
    const base = path.join(FIXTURE, "config");
    const change = folder({ "prod.yaml": "name: prod\n", "dev.yaml": "protect: [dev-network/network/vpc]\n" });
    expect(protectedPathsIn([base, change])).toEqual([...protectedPathsIn(base), "dev-network/network/vpc"]);
    expect(protectedPathsIn([base, base])).toEqual(protectedPathsIn(base));
  });

  it("fails closed on each folder of several, and on none", () => {
    expect(() => protectedPathsIn([path.join(FIXTURE, "config"), "/nonexistent"])).toThrow("/nonexistent: config folder not found; pass --config-dir");
    expect(() => protectedPathsIn([folder({ "dev.yaml": "protect: [1]\n" }), path.join(FIXTURE, "config")])).toThrow(/protect must be a list/);
    expect(() => protectedPathsIn([])).toThrow("no config folder given, so nothing would be protected; pass --config-dir");
  });
});
