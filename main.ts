import { readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { App } from "cdktf";
import { ConfigError, displayPath, loadBackendSettings, loadEnvironments, loadProjectSettings, parseSynthOptions, pickEnvironments, USAGE } from "./config";
import { activeFindings, ALL_RULES, buildReport, errorTable, writePolicyReport } from "./policy";
import { buildPlatform, platformPolicyPack, platformStackIds } from "./stacks";

/**
 * The entry point: validate all input, build the stacks, run the policy pack, synthesize.
 * Terraform is written only when config and policy both pass, so a bad change never leaves a
 * half-updated cdktf.out behind. Returns the process exit code.
 */
export function run(argv: readonly string[], env: NodeJS.ProcessEnv = process.env, root: string = process.cwd()): number {
  try {
    const options = parseSynthOptions(argv, env, root);
    if (options === "help") {
      console.log(USAGE);
      return 0;
    }
    const allEnvironments = loadEnvironments({ configDir: options.configDir, baseDir: root });
    const inputs = {
      project: loadProjectSettings(path.join(root, "cdktf.json"), root),
      backend: loadBackendSettings(path.join(root, "backend.config"), root),
      environments: pickEnvironments(allEnvironments, options.environments, displayPath(options.configDir, root)),
      allEnvironments,
    };
    // No stack traces in annotations: they hold absolute paths and would make output differ per machine.
    const app = new App({ outdir: env.CDKTF_OUTDIR ?? path.join(root, "cdktf.out"), stackTraces: false });
    const stacks = buildPlatform(app, inputs);

    const report = buildReport(ALL_RULES, platformPolicyPack().checkApp(app));
    writePolicyReport(app.outdir, report);
    for (const w of activeFindings(report.stacks, "warning")) console.warn(`policy warning: [${w.ruleId}] ${w.address} (${w.path}): ${w.title}: ${w.detail}`);
    if (report.status === "failed") {
      const errors = activeFindings(report.stacks, "error");
      console.error(`Policy pack: ${errors.length} error(s); no Terraform was written (report: ${path.join(app.outdir, "policy-report.md")}):\n${errorTable(errors)}`);
      return 1;
    }

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
