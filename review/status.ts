import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { lineMasker } from "../policy/secrets";
import { type Listing, renderListing } from "./budget";
import { code } from "./markdown";
import { type StackPlan } from "./plan";
import { SEE_FULL } from "./sections";

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

/** Why a stack is missing, in this code's words (shown as text; the job's own details go into code). */
const MISSING = "no plan and no report: the plan job of its environment failed before it, or did not run";

const STATUSES: readonly PlanStatus[] = ["planned", "failed", "awaiting-upstream", "missing"];

/**
 * Reads the `<stack>.status.json` files the plan job writes next to its plans. A report with a
 * status this code does not know counts as failed, saying what it said: read as "planned", it
 * could hide a failure, and an error would leave the old comment up instead.
 */
export function readStatuses(dir: string): StackStatus[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".status.json"))
    .sort()
    .map((f) => {
      const report = JSON.parse(readFileSync(path.join(dir, f), "utf8")) as { status?: unknown; detail?: unknown; changes?: unknown } | null;
      const stack = f.replace(/\.status\.json$/, "");
      if (!report || !STATUSES.includes(report.status as PlanStatus)) {
        return { stack, status: "failed" as const, detail: `${f} reports the unknown status ${JSON.stringify(report?.status ?? null)} (known: ${STATUSES.join(", ")})` };
      }
      return {
        stack,
        status: report.status as PlanStatus,
        ...(report.detail === undefined || report.detail === null ? {} : { detail: String(report.detail) }),
        ...(typeof report.changes === "boolean" ? { changes: report.changes } : {}),
      };
    });
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
    return { stack, status: "missing", detail: MISSING };
  });
}

const WHAT: Record<Exclude<PlanStatus, "planned">, string> = {
  failed: "**planning failed**",
  "awaiting-upstream": "**not planned yet**: it reads outputs of a stack not applied yet",
  missing: "**missing**",
};

/** Failed stacks first, then missing ones, then those waiting for their upstream. */
const ORDER: readonly PlanStatus[] = ["failed", "missing", "awaiting-upstream"];

/** How much of a stack's error the comment shows: its first lines, each cut at this length. */
const DETAIL_LINES = 4;
const DETAIL_LINE_LENGTH = 300;

/** The first lines of a detail (Terraform's error text, from the PR), secrets masked, as inline code. */
function detailCode(detail: string): string {
  const mask = lineMasker();
  const lines = detail
    .split(/\r?\n/)
    .map(mask)
    .slice(0, DETAIL_LINES)
    .map((l) => (l.length > DETAIL_LINE_LENGTH ? `${l.slice(0, DETAIL_LINE_LENGTH)}…` : l));
  return code(lines.join("\n"));
}

function restOf(open: readonly StackStatus[]): string {
  const by = (status: PlanStatus) => open.filter((s) => s.status === status).length;
  const [failed, missing, waiting] = [by("failed"), by("missing"), by("awaiting-upstream")];
  if (failed === open.length) return `${failed} more failed stacks`;
  const kinds = [failed ? `${failed} failed` : "", missing ? `${missing} missing` : "", waiting ? `${waiting} not planned yet` : ""].filter(Boolean).join(", ");
  return `${open.length} more stacks without a plan (${kinds})`;
}

/**
 * The warning at the top of a comment when any expected stack has no plan, as a listing that
 * the renderer trims (211 failed stacks must still fit); undefined when all have one. Stacks an
 * operator applies are left out when they have no plan: they never have one in CI, and a
 * warning on every pull request teaches reviewers to ignore warnings.
 */
export function statusListing(statuses: readonly StackStatus[], operatorStacks: readonly string[] = []): Listing | undefined {
  const counted = statuses.filter((s) => !(s.status !== "planned" && operatorStacks.includes(s.stack)));
  const open = counted.filter((s) => s.status !== "planned").sort((a, b) => ORDER.indexOf(a.status) - ORDER.indexOf(b.status));
  if (open.length === 0) return undefined;
  const failed = open.some((s) => s.status !== "awaiting-upstream");
  const head = [
    failed ? "> [!WARNING]" : "> [!NOTE]",
    failed
      ? `> **${open.length} of ${counted.length} stacks have no plan.** This comment does not show their changes: do not merge until every stack is planned.`
      : `> **${open.length} of ${counted.length} stacks cannot be planned before their upstream stacks are applied.** Apply proceeds layer by layer and asks for a review of each newly plannable layer (docs/review-workflow.md).`,
    ">",
  ].join("\n");
  const items = open.map((s) => `> - ${code(s.stack)}: ${WHAT[s.status as Exclude<PlanStatus, "planned">]}${s.detail === MISSING ? `: ${MISSING}` : s.detail ? `: ${detailCode(s.detail)}` : ""}`);
  return { name: "the stacks without a plan", head, items, more: (n) => `> - …and ${restOf(open.slice(open.length - n))}: ${SEE_FULL}` };
}

/** The whole warning, untrimmed; undefined when every stack has a plan. */
export function statusWarning(statuses: readonly StackStatus[], operatorStacks: readonly string[] = []): string | undefined {
  const listing = statusListing(statuses, operatorStacks);
  return listing && renderListing(listing);
}

/**
 * The stacks that have no plan and no reason not to: failed, or missing (their job died). A stack
 * that waits for its upstream, or an account stack (an operator applies it), is not one of them.
 * The trusted review fails its status, and drift keeps its issue open, while any is left.
 */
export function unplannedStacks(statuses: readonly StackStatus[], isOperator: (stack: string) => boolean): string[] {
  return statuses.filter((s) => s.status !== "planned" && s.status !== "awaiting-upstream" && !isOperator(s.stack)).map((s) => s.stack);
}

/** A list of stacks shortened to fit a commit status's description (140 characters). */
export function shortList(stacks: readonly string[]): string {
  const text = stacks.join(", ");
  return text.length > 120 ? `${stacks.slice(0, 4).join(", ")} and ${stacks.length - 4} more` : text;
}
