import { type SynthContext, NO_CONTEXT } from "./context";
import { semanticDigest } from "./digest";
import { type Blocked } from "./guard";
import { type StackPlan } from "./plan";
import { type StackStatus, statusWarning } from "./status";
import { caution, cautionItems, driftSection, type GuardVerdicts, header, model, notes, outputsSection, sortStacks, stackDetails, type StackModel } from "./sections";

export { MARKER_PREFIX } from "./sections";
import { MARKER_PREFIX } from "./sections";

/** What each degradation level leaves out, in the words of the trimming note. */
const LEVEL_NOTES = [
  "",
  "attribute details of resources to be created, except IAM, security-group, KMS-policy and public-endpoint ones",
  "attribute details of resources to be created",
  "all attribute details",
  "the per-resource lists (counts only)",
];
const COUNTS_ONLY = LEVEL_NOTES.length - 1;

/** GitHub rejects issue comments longer than this (HTTP 422). */
export const GITHUB_COMMENT_LIMIT = 65_536;

export interface RenderOptions {
  /** Commit the plans were made from, for the marker line. */
  readonly sha?: string;
  /** Maximum length of the comment. @default GITHUB_COMMENT_LIMIT */
  readonly budget?: number;
  /** Environment of a stack, for the summary table. @default - "-" */
  readonly environmentOf?: (stack: string) => string;
  /** Stack order and construct paths from the synthesized output. @default NO_CONTEXT */
  readonly context?: SynthContext;
  /**
   * Show every drifted attribute, not only those the plan depends on (for drift reports made
   * with `terraform plan -refresh-only`). @default false
   */
  readonly allDrift?: boolean;
  /**
   * What plan-guard refuses in these plans (its `blocked` list): marked next to each change, with
   * the label that allows it, so a reviewer never approves what apply will then refuse.
   * @default - nothing marked
   */
  readonly blocked?: ReadonlyArray<Pick<Blocked, "stack" | "address" | "why" | "label">>;
  /**
   * Every stack the comment is expected to cover, with its status ({@link statusesOf}): stacks
   * that failed, wait for their upstream, or are missing are listed at the top.
   * @default - only the plans given
   */
  readonly statuses?: readonly StackStatus[];
}

export interface RenderResult {
  readonly markdown: string;
  /** 0: everything; 1: details of review-worthy creates only; 2: no details of creates; 3: no attribute details; 4: counts only. */
  readonly level: number;
  /** What was left out, in words (empty when nothing was). */
  readonly omitted: readonly string[];
}

interface Sections {
  readonly header: string;
  readonly caution?: string;
  readonly optional: ReadonlyArray<{ readonly name: string; readonly text: string }>;
  readonly notes?: string;
  readonly status?: string;
}

function assemble(models: readonly StackModel[], level: number, settings: { budget: number; sha: string; digest: string; context: SynthContext; verdicts: GuardVerdicts; status?: string }): Sections {
  const [header0] = header(models, settings.sha, settings.digest);
  const notesText = notes(models);
  // The caution list may use whatever the header, status and notes leave; it is trimmed item by item.
  const room = settings.budget - (header0?.length ?? 0) - (settings.status?.length ?? 0) - (notesText?.length ?? 0) - NOTE_RESERVE;
  const optional: Array<{ name: string; text: string }> = [];
  for (const m of models) {
    const d = stackDetails(m, level, settings.context);
    if (d) optional.push({ name: `details of ${m.stack}`, text: d });
  }
  const drift = driftSection(models, level, settings.context);
  if (drift) optional.push({ name: "drift", text: drift });
  const outputs = outputsSection(models, level);
  if (outputs) optional.push({ name: "output changes", text: outputs });
  return { header: header0 ?? "", status: settings.status, caution: caution(cautionItems(models, settings.context, settings.verdicts), room), optional, notes: notesText };
}

const NOTE_RESERVE = 700;

function compose(s: Sections, optional: readonly string[]): string {
  return join([s.header, ...(s.status ? [s.status] : []), ...(s.caution ? [s.caution] : []), ...optional, ...(s.notes ? [s.notes] : [])]);
}

/** Renders plans of several stacks as one PR comment that fits the budget. */
export function renderComment(plans: readonly StackPlan[], options: RenderOptions = {}): RenderResult {
  const budget = options.budget ?? GITHUB_COMMENT_LIMIT;
  const context = options.context ?? NO_CONTEXT;
  const models = sortStacks(plans, context.order).map((p) => model(p, options.environmentOf ?? (() => "-"), options.allDrift ?? false));
  const verdicts: GuardVerdicts = new Map((options.blocked ?? []).map((b) => [`${b.stack} ${b.address}`, { why: b.why, label: b.label }]));
  const settings = { budget, sha: options.sha ?? "unknown", digest: semanticDigest(plans), context, verdicts, status: statusWarning(options.statuses ?? []) };
  // Degrade step by step: details of creates, then all attribute details, then address lists.
  // A list needs at least a line per change: when even that cannot fit, go straight to counts.
  const listFloor = models.reduce((n, m) => n + m.changes.reduce((k, rc) => k + rc.address.length + 16, 0), 0);
  for (let level = listFloor > budget ? COUNTS_ONLY : 0; level < COUNTS_ONLY; level++) {
    const sections = assemble(models, level, settings);
    const text = compose(sections, sections.optional.map((o) => o.text));
    if (text.length <= budget - (level ? NOTE_RESERVE : 0)) return finish(text, level, level ? [LEVEL_NOTES[level] as string] : []);
  }
  // Counts only; if even that is too long, keep whole sections, in order, while they fit.
  const sections = assemble(models, COUNTS_ONLY, settings);
  const kept: string[] = [];
  const dropped: string[] = [];
  for (const o of sections.optional) {
    if (compose(sections, [...kept, o.text]).length <= budget - NOTE_RESERVE) kept.push(o.text);
    else dropped.push(o.name);
  }
  return finish(compose(sections, kept), COUNTS_ONLY, [LEVEL_NOTES[COUNTS_ONLY] as string, ...(dropped.length ? [`these sections: ${dropped.join(", ")}`] : [])]);
}

/** The whole plan with every detail, for the job summary (no size budget). */
export function renderFull(plans: readonly StackPlan[], options: RenderOptions = {}): string {
  return renderComment(plans, { ...options, budget: Number.MAX_SAFE_INTEGER }).markdown;
}

const join = (parts: readonly string[]) => `${parts.join("\n\n")}\n`;

/**
 * A comment marked outdated, for the moment a new commit is pushed and its plans are not in yet:
 * the marker says `stale`, and a banner under it says which commit the plans are for and which is
 * being planned, so an old comment never passes for the current one.
 */
export function markStale(markdown: string, newSha: string): string {
  const [marker = "", ...rest] = markdown.split("\n");
  if (!marker.startsWith(MARKER_PREFIX)) throw new Error("not a plan comment: it does not start with the plan-comment marker");
  const old = /sha=(\S+)/.exec(marker)?.[1] ?? "unknown";
  const body = rest.filter((line, i) => !(i < 4 && (line.startsWith("> [!IMPORTANT]") || line.startsWith("> ⏳"))));
  const staleMarker = marker.includes(" stale=") ? marker.replace(/ stale=\S+/, ` stale=${newSha}`) : marker.replace(/ -->$/, ` stale=${newSha} -->`);
  return [staleMarker, "> [!IMPORTANT]", `> ⏳ **Outdated.** These plans are for \`${old}\`; \`${newSha}\` is being planned now. Do not review or merge on this comment.`, ...body].join("\n");
}

function finish(markdown: string, level: number, omitted: string[]): RenderResult {
  if (!omitted.length) return { markdown, level, omitted };
  const note = `> [!NOTE]\n> Trimmed to fit GitHub's ${GITHUB_COMMENT_LIMIT.toLocaleString("en-US")}-character comment limit. Left out: ${omitted.join("; ")}. The full plan is in the workflow's job summary and the plan artifacts.\n`;
  return { markdown: `${markdown}\n${note}`, level, omitted };
}
