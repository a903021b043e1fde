import { readFileSync } from "node:fs";
import { asPlan, stackFromFileName, type StackPlan } from "../review";

/** Reads plan files given as `path` (stack from the file name) or `stack=path`. */
export function readPlans(args: readonly string[]): StackPlan[] {
  if (args.length === 0) throw new Error("no plan files given; pass one `terraform show -json` output per stack");
  return args.map((arg) => {
    const [stack, file] = arg.includes("=") ? (arg.split("=", 2) as [string, string]) : [stackFromFileName(arg), arg];
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, "utf8"));
    } catch (error) {
      throw new Error(`${file}: cannot be read as JSON (${(error as Error).message})`);
    }
    return { stack, plan: asPlan(file, json) };
  });
}

/** Runs a CLI body, printing errors as one line and exiting 2 (1 is reserved for "blocked"). */
export function runCli(body: () => number): void {
  try {
    process.exitCode = body();
  } catch (error) {
    console.error(`error: ${(error as Error).message}`);
    process.exitCode = 2;
  }
}
