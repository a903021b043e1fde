import { existsSync, readdirSync, rmSync, statSync } from "node:fs";
import path from "node:path";

/** What tidying `cdktf.out/stacks` did, for the synth to print: nothing is removed without a word. */
export interface StackFolderReport {
  /** Folders of stacks in no environment of the config that held nothing but synthesized output: deleted. */
  readonly removed: readonly string[];
  /** Folders of such stacks that hold someone's work (`.terraform`, a lock file, a plan, a state): kept. */
  readonly kept: ReadonlyArray<{ readonly stack: string; readonly work: readonly string[] }>;
  /** Stale `cdk.tf` files (from `cdktf synth --hcl`) beside a freshly written `cdk.tf.json`: deleted. */
  readonly staleHcl: readonly string[];
}

/** What `npm run synth` writes into a stack's folder; anything else there is someone's work. */
const SYNTHESIZED = new Set(["cdk.tf.json", "assets"]);

/**
 * Tidies the stack folders after a synth. A folder whose stack exists in no environment of the
 * config read (`live`) is deleted only when it holds nothing but synthesized output; one holding
 * `.terraform`, a lock file, a saved plan or a state is kept, and said. So a synth of a subset of
 * the environments (`--config-dir` with fewer files, a changed account id) never loses work.
 *
 * In each written folder a `cdk.tf` (HCL, left by `cdktf synth --hcl`) would declare everything
 * a second time beside `cdk.tf.json`, and `terraform validate` there would fail: it is deleted.
 */
export function tidyStackFolders(outdir: string, live: readonly string[], written: readonly string[]): StackFolderReport {
  const stacksDir = path.join(outdir, "stacks");
  const removed: string[] = [];
  const kept: Array<{ stack: string; work: string[] }> = [];
  const staleHcl: string[] = [];
  for (const name of readdirSync(stacksDir).sort()) {
    const dir = path.join(stacksDir, name);
    // Not a stack's folder (an editor's or the OS's file): not ours to judge.
    if (!statSync(dir).isDirectory()) continue;
    if (live.includes(name)) {
      // Only in the folders this run wrote: an unselected environment's folder is left as it is.
      if (written.includes(name) && existsSync(path.join(dir, "cdk.tf"))) {
        rmSync(path.join(dir, "cdk.tf"));
        staleHcl.push(name);
      }
      continue;
    }
    const work = readdirSync(dir).filter((entry) => !SYNTHESIZED.has(entry)).sort();
    if (work.length) kept.push({ stack: name, work });
    else {
      rmSync(dir, { recursive: true, force: true });
      removed.push(name);
    }
  }
  return { removed, kept, staleHcl };
}

/** The report as lines for the terminal, naming each folder (relative to the project) and why. */
export function stackFolderLines(report: StackFolderReport, stacksDir: string): string[] {
  return [
    ...report.removed.map((s) => `removed ${stacksDir}/${s}: the stack is in no environment of the config any more (it held only synthesized output)`),
    ...report.kept.map(
      (k) => `kept ${stacksDir}/${k.stack}: the stack is in no environment of the config read, but its folder holds ${k.work.join(", ")}; delete it yourself once its work is done (destroy it first if it still owns resources)`,
    ),
    ...report.staleHcl.map((s) => `removed ${stacksDir}/${s}/cdk.tf: HCL left by \`cdktf synth --hcl\` would declare every block a second time beside cdk.tf.json`),
  ];
}
