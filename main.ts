import path from "node:path";
import { App, TerraformDataSource, TerraformResource, TerraformStack } from "cdktf";
import { ConfigError, configWarnings, displayPath, formatWarnings, loadBackendSettings, loadEnvironments, loadProjectSettings, parseSynthOptions, pickEnvironments, USAGE, UsageError } from "./config";
import { realDate } from "./config/clock";
import { activeFindings, ALL_RULES, buildReport, errorBlocks, type PolicyReport, writePolicyReport } from "./policy";
import { buildPlatform, checkProtectPaths, expectedStackIds, PlatformStack, platformPolicyPack } from "./stacks";
import { stackFolderLines, tidyStackFolders } from "./stacks/stack-folders";

/**
 * The entry point: validate all input, build the stacks, run the policy pack, synthesize.
 * Terraform is written only when config and policy both pass, so a bad change never leaves a
 * half-updated cdktf.out behind. Returns the process exit code: 0 done, 1 invalid config or
 * policy errors, 2 a command line that cannot be understood. `now` is the day config is judged on
 * (a Kubernetes version's support window): the command line passes the real date, tests fixed ones.
 */
export function run(argv: readonly string[], env: NodeJS.ProcessEnv, root: string, now: Date): number {
  const started = process.hrtime.bigint();
  try {
    const options = parseSynthOptions(argv, env, root);
    if (options === "help") {
      console.log(USAGE);
      return 0;
    }
    const allEnvironments = loadEnvironments({ configDir: options.configDir, baseDir: root, now });
    const inputs = {
      project: loadProjectSettings(path.join(root, "cdktf.json"), root),
      backend: loadBackendSettings(path.join(root, "backend.config"), root),
      environments: pickEnvironments(allEnvironments, options.environments, displayPath(options.configDir, root)),
      allEnvironments,
    };
    // No stack traces in annotations: they hold absolute paths and would make output differ per machine.
    const app = new App({ outdir: env.CDKTF_OUTDIR ?? path.join(root, "cdktf.out"), stackTraces: false });
    const stacks = buildPlatform(app, inputs);
    const protectProblems = checkProtectPaths(stacks, inputs.environments);
    if (protectProblems.length) throw new ConfigError(protectProblems);
    // A warning several environments share is said once, naming them all.
    for (const line of formatWarnings(configWarnings(inputs.environments, now))) console.warn(`config warning: ${line}`);

    // Resolve every stack once: the policy pack reads it, and the synth writes the same.
    for (const stack of app.node.findAll().filter(TerraformStack.isStack)) {
      if (stack instanceof PlatformStack) stack.freeze();
    }
    const report = buildReport(ALL_RULES, platformPolicyPack().checkApp(app));
    writePolicyReport(app.outdir, report);
    for (const w of activeFindings(report.stacks, "warning")) console.warn(`policy warning: [${w.ruleId}] ${w.address} (${w.path}): ${w.title}: ${w.detail}`);
    if (report.status === "failed") {
      const errors = activeFindings(report.stacks, "error");
      console.error(`Policy pack: ${errors.length} error(s); no Terraform was written (report: ${displayPath(path.join(app.outdir, "policy-report.md"), root)}):\n\n${errorBlocks(errors)}`);
      return 1;
    }

    app.synth();
    // Under `cdktf synth` (which always passes CDKTF_CONTEXT_JSON) the CLI manages the output folder itself.
    if (env.CDKTF_CONTEXT_JSON === undefined) {
      const written = app.node.children.filter(TerraformStack.isStack).map((s) => s.node.id);
      const tidied = tidyStackFolders(app.outdir, expectedStackIds(allEnvironments, inputs.backend.accountId), written);
      // Said even with --quiet: a folder removed or kept is never a surprise.
      for (const line of stackFolderLines(tidied, displayPath(path.join(app.outdir, "stacks"), root))) console.warn(`synth: ${line}`);
    }
    if (!options.quiet) console.log(summary(app, report, displayPath(app.outdir, root), Number(process.hrtime.bigint() - started) / 1e9));
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`error: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (!(error instanceof ConfigError)) throw error;
    const count = error.problems.length;
    console.error(`Configuration is invalid; nothing was synthesized (${count} problem${count === 1 ? "" : "s"}):\n${error.message}`);
    return 1;
  }
}

/** What a synth did, in a few lines: stacks and their sizes, the policy result, where, how long. */
function summary(app: App, report: PolicyReport, outdir: string, seconds: number): string {
  const stacks = app.node.children.filter(TerraformStack.isStack);
  const width = Math.max(...stacks.map((s) => s.node.id.length));
  const lines = stacks.map((stack) => {
    const nodes = stack.node.findAll();
    const resources = nodes.filter(TerraformResource.isTerraformResource).length;
    const data = nodes.filter(TerraformDataSource.isTerraformDataSource).length;
    const deps = stack.dependencies.map((d) => d.node.id);
    return `  ${stack.node.id.padEnd(width)}  ${String(resources).padStart(4)} resources, ${String(data).padStart(3)} data sources${deps.length ? `  (after ${deps.join(", ")})` : ""}`;
  });
  const rules = new Set(report.stacks.flatMap((s) => s.rulesChecked)).size;
  const { errors, warnings, suppressed } = report.counts;
  return [
    `Synthesized ${stacks.length} stacks into ${outdir}/stacks in ${seconds.toFixed(1)} s:`,
    ...lines,
    `Policy pack: ${rules} of ${report.rules.length} rules applied, ${errors} errors, ${warnings} warnings, ${suppressed} suppressed (${outdir}/policy-report.md)`,
  ].join("\n");
}

if (require.main === module) process.exitCode = run(process.argv.slice(2), process.env, process.cwd(), realDate());
