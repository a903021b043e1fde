import { readdirSync, readFileSync } from "node:fs";
import { parse } from "yaml";
import path from "node:path";
import type * as ConfigLoad from "../config/load";
import { type SynthContext } from "../review/context";
import { asOrphans, type Orphan } from "../review/orphans";
import { asPlan, stackFromFileName, type StackPlan } from "../review/plan";

/** `stack=path`: a stack id (no `=`, no path separator) before the first `=`. */
const STACK_ARGUMENT = /^([a-z][a-z0-9-]*)=(.+)$/;

/** Reads plan files given as `path` (stack from the file name) or `stack=path` (a path may itself contain `=`). */
export function readPlans(args: readonly string[]): StackPlan[] {
  if (args.length === 0) throw new Error("no plan files given; pass one `terraform show -json` output per stack");
  return args.map((arg) => {
    const match = STACK_ARGUMENT.exec(arg);
    const [stack, file] = match ? [match[1] as string, match[2] as string] : [stackFromFileName(arg), arg];
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, "utf8"));
    } catch (error) {
      throw new Error(`${file}: cannot be read as JSON (${(error as Error).message})`);
    }
    return { stack, plan: asPlan(file, json) };
  });
}

/**
 * The construct paths every environment's config protects (`protect`), for the guard and the
 * comment. Read from the files' YAML alone, not through the whole config check: the synth that
 * wrote the plans' stacks validated every entry (and refuses one that matches no construct), and
 * the guard runs once per apply job, where loading every check cost a third of a second. It
 * fails closed all the same: a folder without environment files, a file that is not YAML, or a
 * `protect` that is not a list of strings is an error, never "nothing protected".
 *
 * Given several folders (the base branch's config and the change's), a path is protected if any
 * of them protects it: a change that removes a `protect` entry cannot judge itself by it, and
 * the removal takes effect once it has merged. Each folder fails closed on its own.
 */
export function protectedPathsIn(configDirs: string | readonly string[]): string[] {
  const dirs = typeof configDirs === "string" ? [configDirs] : configDirs;
  if (dirs.length === 0) throw new Error("no config folder given, so nothing would be protected; pass --config-dir");
  return [...new Set(dirs.flatMap(protectedPathsOf))];
}

function protectedPathsOf(configDir: string): string[] {
  return environmentDocsIn(configDir).flatMap(({ file, doc }) => {
    const protect = (doc as { protect?: unknown } | null)?.protect ?? [];
    if (!Array.isArray(protect) || protect.some((p) => typeof p !== "string")) throw new Error(`${file}: protect must be a list of construct paths; run npm run synth for the full check`);
    return protect as string[];
  });
}

/**
 * Every environment file of a config folder, parsed as YAML and nothing more (what the review
 * CLIs read of config: `protect`, and where each environment's services run), in file order. It
 * fails closed: no folder, no environment file, or a file that is not YAML is an error.
 */
export function environmentDocsIn(configDir: string): Array<{ readonly file: string; readonly doc: unknown }> {
  const dir = path.resolve(configDir);
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => /\.ya?ml$/.test(name)).sort();
  } catch {
    throw new Error(`${configDir}: config folder not found; pass --config-dir`);
  }
  if (names.length === 0) throw new Error(`${configDir}: holds no environment files, so nothing would be protected`);
  return names.map((name) => {
    const file = path.join(configDir, name);
    try {
      return { file, doc: parse(readFileSync(path.join(dir, name), "utf8")) as unknown };
    } catch (error) {
      throw new Error(`${file}: cannot be read as YAML (${(error as Error).message}); run npm run synth for the full check`);
    }
  });
}

/** Reads plan-guard's `--orphans` file: the orphaned state keys, as review/orphans.ts describes them. */
export function readOrphans(file: string): Orphan[] {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`${file}: cannot be read as JSON (${(error as Error).message}); --orphans takes the JSON list of orphaned state keys`);
  }
  return asOrphans(file, json);
}

/**
 * The config loader, loaded when first used: it brings zod and every check (about 0.1 s a
 * process), which the CLIs that only read plans and the manifest (plan-digest, stacks) never need,
 * and CI's scripts run those once per stack.
 */
export function configLoader(): ConfigLoader {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy load, on purpose
  return require("../config/load") as ConfigLoader;
}

type ConfigLoader = typeof ConfigLoad;

/**
 * Refuses plans of stacks the manifest does not list (a file named `prod.json`, a plan from
 * another checkout): the guard and the comment would otherwise pass over them silently.
 */
export function checkPlansKnown(plans: readonly StackPlan[], context: SynthContext, manifest: string): void {
  const unknown = plans.filter((p) => !context.order.includes(p.stack));
  if (unknown.length) {
    throw new Error(
      `${unknown.map((p) => `"${p.stack}"`).join(", ")}: no such stack in ${manifest}; name plan files <stack>.json or pass stack=path. Stacks: ${context.order.join(", ")}`,
    );
  }
}

/**
 * Runs a CLI body. `--help` prints the usage; a bad option prints the error and the usage; any
 * other error prints as one line. Exit codes: the body's, or 2 on an error (1 is reserved for
 * "blocked" in plan-guard).
 */
export function runCli(usage: string, body: () => number): void {
  if (process.argv.slice(2).some((a) => a === "--help" || a === "-h")) {
    console.log(usage);
    process.exitCode = 0;
    return;
  }
  try {
    process.exitCode = body();
  } catch (error) {
    const bad = (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
    console.error(`error: ${(error as Error).message}${bad ? `\n\n${usage}` : ""}`);
    process.exitCode = 2;
  }
}
