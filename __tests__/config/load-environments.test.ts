import path from "node:path";
import { ConfigError, loadEnvironments, pickEnvironments } from "../../config";
import { FIXTURE, fixtureEnvironmentNames, ROOT, tempProject, TEST_NOW, validEnvironmentInput } from "../helpers";

/** The error lines loadEnvironments throws for a folder of the given files (paths relative to it). */
function errorLines(files: Record<string, unknown>, only?: string[]): string[] {
  const dir = tempProject(files);
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    pickEnvironments(loadEnvironments({ configDir: path.join(dir, "config"), now: TEST_NOW }), only ?? [], "config");
  } catch (error) {
    if (error instanceof ConfigError) return error.message.split("\n");
    throw error;
  } finally {
    process.chdir(cwd);
  }
  throw new Error("expected a ConfigError");
}

describe("loadEnvironments", () => {
  it("loads the fixture's environments, sorted by file name", () => {
    const envs = loadEnvironments({ configDir: path.join(FIXTURE, "config"), now: TEST_NOW });
    expect(envs.map((env) => env.name)).toEqual(fixtureEnvironmentNames());
  });

  it("keeps only the environments asked for, after validating them all", () => {
    const [last] = fixtureEnvironmentNames().slice(-1);
    const envs = pickEnvironments(loadEnvironments({ configDir: path.join(FIXTURE, "config"), now: TEST_NOW }), [last as string]);
    expect(envs.map((env) => env.name)).toEqual([last]);
  });

  it("rejects two files declaring the same environment name", () => {
    const a = validEnvironmentInput({ name: "dup" });
    const b = validEnvironmentInput({ name: "dup", network: { ...a.network, vpcCidr: "10.60.0.0/16" } });
    expect(errorLines({ "dup.yaml": a, "dup.yml": b })).toEqual([
      'config/dup.yml:1: [dup] name: is already declared by config/dup.yaml; each environment name must be unique (got "dup")',
    ]);
  });

  it("rejects VPC CIDRs that overlap between environments", () => {
    const a = validEnvironmentInput({ name: "one" });
    const b = validEnvironmentInput({ name: "two", network: { ...a.network, vpcCidr: "10.50.128.0/17" } });
    expect(errorLines({ "one.yaml": a, "two.yaml": b })).toEqual([
      'config/two.yaml:10: [two] network.vpcCidr: overlaps 10.50.0.0/16 of one (config/one.yaml); VPC CIDRs must not overlap across environments, so that they can be connected later (VPC peering, a transit gateway, a shared VPN) without renumbering one, and a route to either stays unambiguous; the project makes no peering itself (got "10.50.128.0/17")',
    ]);
  });

  it("reports problems of every file together", () => {
    const good = validEnvironmentInput({ name: "good" });
    expect(errorLines({ "a.yaml": { ...good, name: "A" }, "good.yaml": { ...good, production: "yes" } })).toHaveLength(2);
  });

  it("rejects an --env that names no environment, listing the ones there are", () => {
    expect(errorLines({ "one.yaml": validEnvironmentInput({ name: "one" }) }, ["prd"])).toEqual(['config: --env: no such environment; allowed: one (got "prd")']);
  });

  it("rejects a config folder without environment files", () => {
    expect(errorLines({})).toEqual(["config: holds no environment files; expected one <env>.yaml per environment"]);
  });

  it("rejects a config folder that does not exist", () => {
    expect(() => loadEnvironments({ configDir: path.join(ROOT, "no-such-folder"), now: TEST_NOW })).toThrow(
      "no-such-folder: config folder not found; pass --config-dir or set PLATFORM_CONFIG_DIR",
    );
  });
});
