import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { type StackPlan } from "./plan";

/** How far one stack got in the plan job. */
export type PlanStatus = "planned" | "failed" | "awaiting-upstream" | "missing";

/** The status of one expected stack, as the plan job reports it (`<stack>.status.json`). */
export interface StackStatus {
  readonly stack: string;
  readonly status: PlanStatus;
  /** The error's first lines (failed), or the upstream stacks not applied yet (awaiting-upstream). */
  readonly detail?: string;
  /** For a planned stack: whether its plan changes anything (`terraform plan -detailed-exitcode`). */
  readonly changes?: boolean;
}

/** Reads the `<stack>.status.json` files the plan job writes next to its plans. */
export function readStatuses(dir: string): StackStatus[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".status.json"))
    .sort()
    .map((f) => ({ stack: f.replace(/\.status\.json$/, ""), ...(JSON.parse(readFileSync(path.join(dir, f), "utf8")) as Omit<StackStatus, "stack">) }));
}

/**
 * Every expected stack with its status: planned (a plan is here), what the job reported, or
 * missing (neither a plan nor a report: its job died or never ran). A comment that leaves a
 * stack out would look complete when it is not.
 */
export function statusesOf(expected: readonly string[], plans: readonly StackPlan[], reported: readonly StackStatus[]): StackStatus[] {
  return expected.map((stack) => {
    const report = reported.find((r) => r.stack === stack);
    if (report && report.status !== "planned") return report;
    if (plans.some((p) => p.stack === stack)) return { stack, status: "planned" };
    return { stack, status: "missing", detail: "no plan and no report: the plan job of its environment failed before it, or did not run" };
  });
}

const WHAT: Record<Exclude<PlanStatus, "planned">, string> = {
  failed: "**planning failed**",
  "awaiting-upstream": "**not planned yet**: it reads outputs of a stack not applied yet",
  missing: "**missing**",
};

/** The warning at the top of a comment when any expected stack has no plan; undefined when all do. */
export function statusWarning(statuses: readonly StackStatus[]): string | undefined {
  const open = statuses.filter((s) => s.status !== "planned");
  if (open.length === 0) return undefined;
  const failed = open.some((s) => s.status !== "awaiting-upstream");
  const lines = [
    failed ? "> [!WARNING]" : "> [!NOTE]",
    failed
      ? `> **${open.length} of ${statuses.length} stacks have no plan.** This comment does not show their changes: do not merge until every stack is planned.`
      : `> **${open.length} of ${statuses.length} stacks cannot be planned before their upstream stacks are applied.** Apply proceeds layer by layer and asks for a review of each newly plannable layer (docs/review-workflow.md).`,
    ">",
  ];
  for (const s of open) {
    const detail = s.detail ? `: ${s.detail.split("\n").slice(0, 4).join(" ⏎ ")}` : "";
    lines.push(`> - \`${s.stack}\`: ${WHAT[s.status as Exclude<PlanStatus, "planned">]}${detail}`);
  }
  return lines.join("\n");
}
