import { allowLine, ORPHANED_STATE } from "./allow";
import { type PlanBinding, bindingFields } from "./binding";
import { addCounts, createsFirst, isEmpty, KINDS, type Counts, primaryKind, statefulReason, zeroCounts } from "./classify";
import { type SynthContext } from "./context";
import { type Listing } from "./budget";
import { cachedDiff } from "./details";
import { cellCode, code, text } from "./markdown";
import { type StackModel } from "./model";
import { maskSecretShapes } from "../policy/secrets";
import { attributePath } from "./values";

/**
 * The lists at the top and bottom of a plan comment, each a {@link Listing} that render.ts trims
 * item by item: the marker and summary table, the stacks without changes, the operator's
 * stacks, the orphaned states, the destructive changes and the partial plans. Every untrusted
 * string goes through review/markdown.ts for the context it lands in.
 */

export { REVIEW_WORTHY_TYPES } from "./details";
export type { StackModel } from "./model";
export { model, sortStacks } from "./model";

/** The marker that lets CI find and update its one sticky comment. */
export const MARKER_PREFIX = "<!-- plan-comment";

/** The workflow artifact that holds the full rendering, which the comment and the job summary point to. */
export const PLAN_RENDERING_ARTIFACT = "plan-rendering";

export const SEE_FULL = `see the full rendering (artifact \`${PLAN_RENDERING_ARTIFACT}\`)`;

/** What a marker field may hold: it must not close the HTML comment or break the fields apart. */
const MARKER_VALUE = /^[A-Za-z0-9._:-]+$/;

/** The marker line: `sha=` and `digest=` first (CI finds the comment by that prefix), then the binding. */
export function marker(sha: string, digest: string, binding?: PlanBinding): string {
  for (const [name, value] of [["sha", sha], ["digest", digest]] as const) {
    if (!MARKER_VALUE.test(value)) throw new Error(`the comment's ${name} must be a commit or a digest (letters, digits, . _ : -); got ${JSON.stringify(value)}`);
  }
  return `${MARKER_PREFIX} sha=${sha} digest=${digest}${binding ? bindingFields(binding) : ""} -->`;
}

function countsText(c: Counts): string {
  const words: Record<string, string> = { create: "to create", update: "to update", replace: "to replace", delete: "to delete", move: "to move", import: "to import", forget: "to forget" };
  return KINDS.map((k) => `${c[k]} ${words[k]}`).join(" · ");
}

const changedAny = (m: StackModel) => !isEmpty(m.counts) || m.outputs.length > 0;

/** The marker, the totals and one table row per stack that changes anything. */
export function headerListing(models: readonly StackModel[], markerLine: string): Listing {
  const total = models.reduce((acc, m) => addCounts(acc, m.counts), zeroCounts());
  const changed = models.filter(changedAny);
  const table = changed.length ? "\n\n| stack | environment | create | update | replace | delete | move | import | forget |\n| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |" : "";
  return {
    name: "the summary table",
    head: `${markerLine}\n**Plan:** ${countsText(total)}${table}`,
    items: changed.map((m) => `| ${cellCode(m.stack)} | ${text(m.env)} | ${KINDS.map((k) => (m.counts[k] ? `**${m.counts[k]}**` : "0")).join(" | ")} |`),
    more: (n) => `\n…and ${n} more stacks with changes: ${SEE_FULL}`,
  };
}

/** One line naming the stacks whose plans change nothing. */
export function quietListing(models: readonly StackModel[]): Listing | undefined {
  const quiet = models.filter((m) => !changedAny(m));
  return quiet.length ? { name: "the stacks without changes", head: "No changes:", headSep: " ", sep: ", ", items: quiet.map((m) => code(m.stack)), more: (n) => `…and ${n} more` } : undefined;
}

/**
 * One neutral line for the stacks an operator applies (the account stacks, whose roles CI
 * cannot assume): never a warning, since a warning on every pull request teaches reviewers to
 * ignore warnings. Those with a plan here are rendered like any other stack.
 */
export function operatorListing(operatorStacks: readonly string[], planned: ReadonlySet<string>): Listing | undefined {
  if (!operatorStacks.length) return undefined;
  const items = operatorStacks.map((s) => `${code(s)}${planned.has(s) ? " (its plan is below)" : ""}`);
  return { name: "the operator's stacks", head: "Applied by an operator, not by CI:", headSep: " ", sep: ", ", items, more: (n) => `…and ${n} more` };
}

/** What plan-guard will refuse, by `stack address`. */
export type GuardVerdicts = ReadonlyMap<string, { readonly why: string }>;

/** How a refused change is allowed: the exact line, when the binding knows the stack's plan. */
function allowHow(stack: string, address: string, sha256: string | undefined): string {
  return sha256
    ? `; to allow it, an approver adds this line to an approving review: ${code(allowLine(stack, address, sha256))}`
    : "; to allow it, an approver adds its `/allow` line to an approving review (the review job's comment names the plan's sha256)";
}

const refusal = (why: string) => ` — ⛔ **plan-guard will refuse this** (${text(maskSecretShapes(why))})`;

interface CautionItem {
  readonly text: string;
  readonly refused: boolean;
  readonly stateful: boolean;
  readonly kind: string;
}

function howOf(kind: string | undefined, rc: Parameters<typeof createsFirst>[0], trustChange: boolean): string {
  if (kind === "replace") return createsFirst(rc) ? "**replace** (create, then destroy)" : "**replace** (destroy, then create)";
  if (kind === "delete") return "**delete**";
  if (trustChange) return "**trust policy change**";
  if (kind === "update") return "**update that destroys data**";
  return `**${kind ?? "change"}**`;
}

/**
 * Every destructive change (delete, replace, a role's trust policy change) and every change the
 * guard refuses, whatever its kind (a data-destroying update too), refused ones first, each with
 * why and the allow line. Verdicts that match no change (a refusal of a state the comment does
 * not show) are listed as well: nothing the guard refuses is left out of the comment.
 */
export function cautionListing(models: readonly StackModel[], context: SynthContext, verdicts: GuardVerdicts, binding?: PlanBinding, orphanStacks: ReadonlySet<string> = new Set()): Listing | undefined {
  const items: CautionItem[] = [];
  const matched = new Set<string>();
  for (const m of models) {
    for (const rc of m.changes) {
      const key = `${m.stack} ${rc.address}`;
      const v = verdicts.get(key);
      const kind = primaryKind(rc);
      const trustChange = rc.type === "aws_iam_role" && kind === "update" && cachedDiff(rc.change).some((l) => l.path.startsWith("assume_role_policy"));
      if (!v && kind !== "delete" && kind !== "replace" && !trustChange) continue;
      if (v) matched.add(key);
      const stateful = statefulReason(m.stack, rc);
      const where = context.constructPath(m.stack, rc.address);
      const forced = (rc.change.replace_paths ?? []).map(attributePath).filter(Boolean);
      const parts = [
        stateful ? `🛑 **STATEFUL: ${stateful}** ` : "",
        `${code(m.stack)} ${code(rc.address)}`,
        where ? ` (${code(where)})` : "",
        `: ${howOf(kind, rc, trustChange)}`,
        rc.action_reason ? `, reason ${code(rc.action_reason)}` : "",
        forced.length ? `, forced by ${forced.map(code).join(", ")}` : "",
        v ? `${refusal(v.why)}${allowHow(m.stack, rc.address, binding?.plans[m.stack])}` : "",
      ];
      items.push({ text: `> - ${parts.join("")}`, refused: Boolean(v), stateful: Boolean(stateful), kind: trustChange ? "trust" : v && kind === "update" ? "data-update" : (kind ?? "change") });
    }
  }
  for (const [key, v] of verdicts) {
    if (matched.has(key)) continue;
    const stack = key.slice(0, key.indexOf(" "));
    const address = key.slice(stack.length + 1);
    if (address === ORPHANED_STATE && orphanStacks.has(stack)) continue;
    const sha = address === ORPHANED_STATE ? binding?.orphans : binding?.plans[stack];
    items.push({ text: `> - ${code(stack)} ${code(address)}${refusal(v.why)}${allowHow(stack, address, sha)}`, refused: true, stateful: false, kind: "other" });
  }
  if (!items.length) return undefined;
  const rank = (i: CautionItem) => (i.refused ? 2 : 0) + (i.stateful ? 1 : 0);
  items.sort((a, b) => rank(b) - rank(a));
  const count = (kind: string) => items.filter((i) => i.kind === kind).length;
  const kinds = ([["replace", "to replace"], ["delete", "to delete"], ["data-update", "data-destroying update(s)"], ["trust", "trust policy change(s)"], ["other", "other refusal(s)"]] as const)
    .map(([k, words]) => [count(k), words] as const)
    .filter(([n]) => n > 0);
  const stateful = items.filter((i) => i.stateful).length;
  const refused = items.filter((i) => i.refused).length;
  const notes = [stateful ? `${stateful} stateful` : "", refused ? `${refused} refused by plan-guard until allowed` : ""].filter(Boolean).join(", ");
  return {
    name: "the destructive changes",
    head: `> [!CAUTION]\n> **Destructive changes: ${kinds.map(([n, w]) => `${n} ${w}`).join(", ") || `${items.length} change(s)`}**${notes ? ` (${notes})` : ""}. Check each one.\n>`,
    items: items.map((i) => i.text),
    more: (n) => `> - …and ${n} more: ${SEE_FULL}`,
  };
}

/** A state key no current stack owns that still holds resources (from the plan job). */
export interface OrphanedState {
  readonly stack: string;
  readonly key: string;
  /** Managed resources in it; undefined when the job could not count them. */
  readonly resources: number | undefined;
}

/** The orphaned states, never dropped: their resources leave Terraform's care without a plan to show it. */
export function orphansListing(orphans: readonly OrphanedState[], binding?: PlanBinding): Listing | undefined {
  if (!orphans.length) return undefined;
  const counted = orphans.reduce((n, o) => n + (o.resources ?? 0), 0);
  const uncounted = orphans.some((o) => o.resources === undefined);
  const items = orphans.map((o) => {
    const count = o.resources === undefined ? "not counted" : `${o.resources} resource${o.resources === 1 ? "" : "s"}`;
    return `> - ${code(o.key)} (stack ${code(o.stack)}): ${count}${allowHow(o.stack, ORPHANED_STATE, binding?.orphans)}`;
  });
  return {
    name: "the orphaned states",
    head: [
      "> [!CAUTION]",
      `> **Orphaned: ${counted}${uncounted ? "+" : ""} resources will no longer be managed (nothing is destroyed)**`,
      "> These states belong to no stack of this change: their resources stay, but no plan and no drift check looks at them again. To decommission them instead, destroy them in a reviewed plan first, then remove them from the code (docs/review-workflow.md).",
      ">",
    ].join("\n"),
    items,
    more: (n) => `> - …and ${n} more orphaned states: ${SEE_FULL}`,
  };
}

/** Plans that errored or are incomplete. */
export function notesListing(models: readonly StackModel[]): Listing | undefined {
  const items = models.flatMap((m) => [
    ...(m.errored ? [`> - ${code(m.stack)}: planning **errored**; this plan is partial and must not be applied.`] : []),
    ...(m.complete ? [] : [`> - ${code(m.stack)}: the plan is **incomplete** (\`complete: false\`); more changes will follow after this apply.`]),
  ]);
  return items.length ? { name: "the partial plans", head: "> [!WARNING]\n> Not every plan is whole:", items, more: (n) => `> - …and ${n} more: ${SEE_FULL}` } : undefined;
}
