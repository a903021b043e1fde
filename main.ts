import { readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { App } from "cdktf";
import { ConfigError, loadBackendSettings, loadEnvironments, loadProjectSettings, parseSynthOptions, USAGE } from "./config";
import { buildPlatform, platformStackIds } from "./stacks";

/**
 * The entry point: validate all input, build the stacks, synthesize. Nothing is written unless
 * every check passes, so a bad config never leaves a half-updated cdktf.out behind.
 * Returns the process exit code.
 */
export function run(argv: readonly string[], env: NodeJS.ProcessEnv = process.env, root: string = process.cwd()): number {
  try {
    const options = parseSynthOptions(argv, env, root);
    if (options === "help") {
      console.log(USAGE);
      return 0;
    }
    const inputs = {
      project: loadProjectSettings(path.join(root, "cdktf.json"), root),
      backend: loadBackendSettings(path.join(root, "backend.config"), root),
      environments: loadEnvironments({ configDir: options.configDir, only: options.environments, baseDir: root }),
    };
    const app = new App({ outdir: env.CDKTF_OUTDIR ?? path.join(root, "cdktf.out") });
    const stacks = buildPlatform(app, inputs);
    app.synth();
    // Under `cdktf synth` (which always passes CDKTF_CONTEXT_JSON) the CLI removes stale stacks itself.
    if (env.CDKTF_CONTEXT_JSON === undefined) removeStaleStacks(app.outdir, platformStackIds(stacks));
    return 0;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const count = error.problems.length;
    console.error(`Configuration is invalid; nothing was synthesized (${count} problem${count === 1 ? "" : "s"}):\n${error.message}`);
    return 1;
  }
}

/** Deletes the output of stacks that no longer exist, as `cdktf synth` does (live stacks keep their .terraform). */
function removeStaleStacks(outdir: string, live: readonly string[]): void {
  const stacksDir = path.join(outdir, "stacks");
  for (const name of readdirSync(stacksDir)) {
    if (!live.includes(name)) rmSync(path.join(stacksDir, name), { recursive: true, force: true });
  }
}

if (require.main === module) process.exitCode = run(process.argv.slice(2));
