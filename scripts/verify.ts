import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { environmentOfStack, layerOfStack, stackOfStateKey } from "../config/naming";
import { realDate } from "../config/clock";
import { loadEnvironments } from "../config/load";
import { run as synth } from "../main";
import { countChanges } from "../review/classify";
import { loadSynthContext, type SynthContext, upstreamOf } from "../review/context";
import { asPlan } from "../review/plan";
import { CONTRACTS } from "../stacks/contracts/registry";
import { mockState } from "./verify/mocks";
import { prepareStack, type StackJson, useLocalState } from "./verify/prepare";
import { planWork, writeWork } from "./verify/plan-stack";
import { findProviderSource, findTerraform, writeCliConfig } from "./verify/toolchain";
import { runCli } from "./review-cli";

const USAGE = `Usage: npm run verify -- [STACK...] [--no-synth] [--config-dir DIR] [--out DIR] [--require] [--jobs N]

Checks the synthesized Terraform with Terraform itself, offline and without AWS credentials: for
every stack (or the ones named, with the stacks they read from), in dependency order, on a copy
with a local backend and fake credentials: terraform init, validate, plan -refresh=false, show -json.
Consumers plan against mock states built from their producers' plans.

  --no-synth   use the existing cdktf.out instead of synthesizing first
  --config-dir the environment files to synthesize and verify (default: config, or
               PLATFORM_CONFIG_DIR), such as examples/microservices/config
  --out DIR    work folder; plans are kept as DIR/plans/<stack>.json (default: cdktf.out/verify)
  --require    fail, instead of skipping, when terraform is not installed
  --jobs N     stacks planned at once (default: 2)

Terraform comes from PATH (or TERRAFORM); providers from a filesystem mirror (TF_PLUGIN_MIRROR, or
/opt/tf-plugins and the usual plugin folders) or, without one, the registry.`;

/** What happened to one stack. */
interface StackResult {
  readonly stack: string;
  readonly status: "planned" | "partial" | "failed" | "skipped";
  readonly detail: string;
  readonly seconds: number;
}

interface Options {
  readonly "no-synth"?: boolean;
  readonly "config-dir"?: string;
  readonly out?: string;
  readonly require?: boolean;
  readonly jobs?: string;
}

async function main(values: Options, positionals: readonly string[]): Promise<number> {
  const root = process.cwd();
  const now = realDate();
  const found = findTerraform();
  if ("missing" in found) {
    console.log(`verify: skipped: ${found.missing}`);
    return values.require ? 1 : 0;
  }
  // The accounts come from the config folder: with --no-synth, cdktf.out is another run's, maybe of another folder.
  if (values["no-synth"] && values["config-dir"]) throw new Error("--config-dir synthesizes that folder: it cannot go with --no-synth, whose cdktf.out may be of another folder");
  const configDir = path.resolve(root, values["config-dir"] ?? process.env.PLATFORM_CONFIG_DIR ?? "config");
  if (!values["no-synth"] && synth(["--quiet", "--config-dir", configDir], process.env, root, now) !== 0) return 1;
  const outdir = path.resolve(values.out ?? path.join(root, "cdktf.out", "verify"));
  const context = loadSynthContext(path.join(root, "cdktf.out", "manifest.json"));
  if (context.order.length === 0) throw new Error("cdktf.out/manifest.json lists no stacks; run npm run synth first");
  const wanted = selectStacks(context, positionals);
  const source = findProviderSource();
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(path.join(outdir, "plans"), { recursive: true });
  const env: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1", TF_INPUT: "0" };
  if (source.mirror) {
    writeCliConfig(path.join(outdir, "terraformrc"), source);
    env.TF_CLI_CONFIG_FILE = path.join(outdir, "terraformrc");
  } else {
    mkdirSync(path.join(outdir, "plugin-cache"), { recursive: true });
    env.TF_PLUGIN_CACHE_DIR = path.join(outdir, "plugin-cache");
  }
  const accounts = Object.fromEntries(loadEnvironments({ configDir, baseDir: root }).map((e) => [e.name, { account: e.account.id, region: e.account.region }]));
  console.log(`verify: terraform ${found.version}, providers from ${source.mirror ? `the mirror ${source.mirror}` : "the registry"}; ${wanted.length} stacks`);

  const notes = new Set<string>();
  const results = new Map<string, StackResult>();
  const verifyOne = async (stack: string): Promise<StackResult> => {
    const started = performance.now();
    const done = (status: StackResult["status"], detail: string) => ({ stack, status, detail, seconds: (performance.now() - started) / 1000 });
    const failedUpstream = (context.dependencies[stack] ?? []).filter((d) => results.get(d)?.status === "failed" || results.get(d)?.status === "skipped");
    if (failedUpstream.length) return done("skipped", `not planned: upstream ${failedUpstream.join(", ")} did not plan`);
    const original = JSON.parse(readFileSync(path.join(root, "cdktf.out", "stacks", stack, "cdk.tf.json"), "utf8")) as StackJson;
    const prepared = prepareStack(original, source);
    prepared.relaxed.forEach((r) => notes.add(`provider ${r} (only that version is in the mirror)`));
    prepared.removedAttributes.forEach((a) => notes.add(`${a.includes(" → ") ? "replaced" : "removed"} for the older provider: ${a.replace(/^([\w-]+)\.[^.]+\./, "$1.")} (scripts/verify/compat.ts)`));
    prepared.replacedEphemerals.forEach((e) => notes.add(`${e} calls AWS when opened (at plan too); offline a placeholder stands in for its value (scripts/verify/prepare.ts)`));
    if (prepared.apiDataSources.length) return done("skipped", `calls AWS at plan time: ${prepared.apiDataSources.join(", ")}`);
    const removedTypes = [...new Set(prepared.removedResources.map((a) => a.split(".")[0] as string))];
    const skippedProviders = [
      ...Object.entries(prepared.unavailable).map(([name, n]) => `provider ${name} not available offline (${n} blocks left out)`),
      ...(prepared.removedResources.length ? [`${prepared.removedResources.length} blocks of ${removedTypes.join(", ")} left out: newer than the offline provider (scripts/verify/compat.ts)`] : []),
    ];
    if (prepared.blocks === 0 && skippedProviders.length) return done("skipped", skippedProviders.join("; "));
    const work = path.join(outdir, "work", stack);
    for (const [name, key] of Object.entries(prepared.remoteStates)) {
      const producer = stackOfStateKey(key);
      useLocalState(prepared.json, name, path.join(outdir, "work", producer, "mock-outputs.tfstate"));
    }
    writeWork(work, prepared);
    const planned = await planWork({ binary: found.binary, env }, work, path.join(outdir, "plans", `${stack}.json`));
    if ("failed" in planned) return done("failed", planned.failed.replace(root + path.sep, ""));
    const plan = asPlan(stack, planned.plan);
    const layer = layerOfStack(stack);
    const account = accounts[environmentOfStack(stack)] ?? { account: "000000000000", region: "us-east-1" };
    const specs = (layer && CONTRACTS[layer]?.outputs) || {};
    writeFileSync(path.join(work, "mock-outputs.tfstate"), JSON.stringify(mockState(plan.output_changes ?? {}, specs, account), null, 2));
    const counts = countChanges(plan.resource_changes ?? []);
    const summary = `valid, planned: ${counts.create} to create, ${counts.update} to update, ${counts.replace} to replace, ${counts.delete} to delete`;
    return skippedProviders.length ? done("partial", `${summary}; ${skippedProviders.join("; ")}`) : done("planned", summary);
  };

  await schedule(wanted, context.dependencies, Number(values.jobs), async (stack) => {
    const result = await verifyOne(stack);
    results.set(stack, result);
    const mark = { planned: "✔", partial: "◐", failed: "✖", skipped: "–" }[result.status];
    console.log(`${mark} ${stack.padEnd(Math.max(...wanted.map((s) => s.length)))}  ${result.detail}  (${result.seconds.toFixed(1)} s)`);
  });

  const all = wanted.map((s) => results.get(s) as StackResult);
  const count = (status: StackResult["status"]) => all.filter((r) => r.status === status).length;
  for (const note of [...notes].sort()) console.log(`  note: ${note}`);
  console.log(`verify: ${all.length} stacks: ${count("planned")} planned, ${count("partial")} partly planned, ${count("skipped")} skipped, ${count("failed")} failed; plans in ${path.relative(root, path.join(outdir, "plans")) || "."}`);
  return count("failed") ? 1 : 0;
}

/** The named stacks and everything they read from, in dependency order (all when none are named). */
function selectStacks(context: SynthContext, named: readonly string[]): string[] {
  const unknown = named.filter((s) => !context.order.includes(s));
  if (unknown.length) throw new Error(`no such stack: ${unknown.join(", ")}; stacks: ${context.order.join(", ")}`);
  if (named.length === 0) return [...context.order];
  const keep = new Set(named.flatMap((s) => [s, ...upstreamOf(context, s)]));
  return context.order.filter((s) => keep.has(s));
}

/** Runs tasks at most `jobs` at a time, each once all its dependencies have finished. */
async function schedule(stacks: readonly string[], dependencies: Readonly<Record<string, readonly string[]>>, jobs: number, task: (stack: string) => Promise<void>): Promise<void> {
  const finished = new Set<string>();
  const started = new Set<string>();
  await new Promise<void>((resolve) => {
    let running = 0;
    const next = () => {
      if (finished.size === stacks.length) return resolve();
      for (const stack of stacks) {
        if (running >= Math.max(1, jobs)) break;
        const ready = !started.has(stack) && (dependencies[stack] ?? []).every((d) => finished.has(d) || !stacks.includes(d));
        if (!ready) continue;
        started.add(stack);
        running++;
        void task(stack).finally(() => {
          running--;
          finished.add(stack);
          next();
        });
      }
    };
    next();
  });
}

runCli(USAGE, () => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { "no-synth": { type: "boolean" }, "config-dir": { type: "string" }, out: { type: "string" }, require: { type: "boolean" }, jobs: { type: "string", default: "2" } },
  });
  main(values, positionals).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      console.error(`error: ${(error as Error).message}`);
      process.exitCode = 2;
    },
  );
  return 0;
});
