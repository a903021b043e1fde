import { readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { App } from "cdktf";
import { ConfigError, loadBackendSettings, loadEnvironments, loadProjectSettings, parseSynthOptions, USAGE } from "./config";
import { buildPlatform } from "./stacks";

// The entry point: validate all input, build the stacks, synthesize. Nothing is written unless
// every check passes, so a bad config never leaves a half-updated cdktf.out behind.
function main(): number {
  const root = process.cwd();
  const options = parseSynthOptions(process.argv.slice(2), process.env, root);
  if (options === "help") {
    console.log(USAGE);
    return 0;
  }
  const inputs = {
    project: loadProjectSettings(path.join(root, "cdktf.json")),
    backend: loadBackendSettings(path.join(root, "backend.config")),
    environments: loadEnvironments({ configDir: options.configDir, only: options.environments }),
  };
  const app = new App();
  const stacks = buildPlatform(app, inputs);
  app.synth();
  removeStaleStacks(app.outdir, [stacks.stateBackend, ...Object.values(stacks.environments).flatMap((env) => Object.values(env))].map((s) => s.node.id));
  return 0;
}

/** Deletes output of stacks that no longer exist, as `cdktf synth` does (keeps .terraform of live ones). */
function removeStaleStacks(outdir: string, live: readonly string[]): void {
  const stacksDir = path.join(outdir, "stacks");
  for (const name of readdirSync(stacksDir)) {
    if (!live.includes(name)) rmSync(path.join(stacksDir, name), { recursive: true, force: true });
  }
}

try {
  process.exitCode = main();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`Configuration is invalid; nothing was synthesized (${error.problems.length} problem${error.problems.length === 1 ? "" : "s"}):`);
  console.error(error.message);
  process.exitCode = 1;
}
