import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { type Preparation } from "./prepare";
import { errorLines, terraform } from "./terraform";

/** Where and how Terraform runs. */
export interface TerraformRun {
  readonly binary: string;
  readonly env: NodeJS.ProcessEnv;
}

/** Writes a prepared stack into its work folder (the copy and the override file). */
export function writeWork(work: string, prepared: Pick<Preparation, "json" | "override">): void {
  mkdirSync(work, { recursive: true });
  writeFileSync(path.join(work, "cdk.tf.json"), JSON.stringify(prepared.json, null, 2));
  writeFileSync(path.join(work, "verify_override.tf.json"), JSON.stringify(prepared.override, null, 2));
}

/**
 * terraform init (unless done), validate, plan -refresh=false, show -json in a work folder.
 * Resolves with the plan JSON, or with the failed step and Terraform's error lines.
 */
export async function planWork(tf: TerraformRun, work: string, planFile: string, options: { init?: boolean; validate?: boolean } = {}): Promise<{ plan: Record<string, unknown> } | { failed: string }> {
  const log = path.join(work, "terraform.log");
  const steps: Array<[string, string[], string?]> = [
    ...(options.init === false ? [] : [["init", ["init", "-input=false", "-no-color"]] as [string, string[]]]),
    ...(options.validate === false ? [] : [["validate", ["validate", "-no-color"]] as [string, string[]]]),
    ["plan", ["plan", "-refresh=false", "-lock=false", "-input=false", "-no-color", "-out=plan.tfplan"]],
    ["show", ["show", "-json", "plan.tfplan"], planFile],
  ];
  for (const [step, args, stdout] of steps) {
    const result = await terraform(tf.binary, args, work, tf.env, log, stdout);
    if (result.code !== 0) return { failed: `${step} failed (log: ${log}):\n      ${errorLines(result.tail)}` };
  }
  return { plan: JSON.parse(readFileSync(planFile, "utf8")) as Record<string, unknown> };
}
