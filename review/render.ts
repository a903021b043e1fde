import { type SynthContext, NO_CONTEXT } from "./context";
import { semanticDigest } from "./digest";
import { type StackPlan } from "./plan";
import { caution, cautionItems, driftSection, header, model, notes, outputsSection, sortStacks, stackDetails, type StackModel } from "./sections";

export { MARKER_PREFIX } from "./sections";

/** What each degradation level leaves out, in the words of the trimming note. */
const LEVEL_NOTES = ["", "attribute details of resources to be created", "all attribute details", "the per-resource lists (counts only)"];

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
}

export interface RenderResult {
  readonly markdown: string;
  /** 0: everything; 1: no details of creates; 2: no attribute details; 3: counts only. */
  readonly level: number;
  /** What was left out, in words (empty when nothing was). */
  readonly omitted: readonly string[];
}

interface Sections {
  readonly header: string;
  readonly caution?: string;
  readonly optional: ReadonlyArray<{ readonly name: string; readonly text: string }>;
  readonly notes?: string;
}

function assemble(models: readonly StackModel[], level: number, settings: { budget: number; sha: string; digest: string; context: SynthContext }): Sections {
  const [header0] = header(models, settings.sha, settings.digest);
  const notesText = notes(models);
  // The caution list may use whatever the header and notes leave; it is trimmed item by item.
  const room = settings.budget - (header0?.length ?? 0) - (notesText?.length ?? 0) - NOTE_RESERVE;
  const optional: Array<{ name: string; text: string }> = [];
  for (const m of models) {
    const d = stackDetails(m, level, settings.context);
    if (d) optional.push({ name: `details of ${m.stack}`, text: d });
  }
  const drift = driftSection(models, level, settings.context);
  if (drift) optional.push({ name: "drift", text: drift });
  const outputs = outputsSection(models, level);
  if (outputs) optional.push({ name: "output changes", text: outputs });
  return { header: header0 ?? "", caution: caution(cautionItems(models, settings.context), room), optional, notes: notesText };
}

const NOTE_RESERVE = 700;

function compose(s: Sections, optional: readonly string[]): string {
  return join([s.header, ...(s.caution ? [s.caution] : []), ...optional, ...(s.notes ? [s.notes] : [])]);
}

/** Renders plans of several stacks as one PR comment that fits the budget. */
export function renderComment(plans: readonly StackPlan[], options: RenderOptions = {}): RenderResult {
  const budget = options.budget ?? GITHUB_COMMENT_LIMIT;
  const context = options.context ?? NO_CONTEXT;
  const models = sortStacks(plans, context.order).map((p) => model(p, options.environmentOf ?? (() => "-"), options.allDrift ?? false));
  const settings = { budget, sha: options.sha ?? "unknown", digest: semanticDigest(plans), context };
  // Degrade step by step: details of creates, then all attribute details, then address lists.
  // A list needs at least a line per change: when even that cannot fit, go straight to counts.
  const listFloor = models.reduce((n, m) => n + m.changes.reduce((k, rc) => k + rc.address.length + 16, 0), 0);
  for (let level = listFloor > budget ? 3 : 0; level < 3; level++) {
    const sections = assemble(models, level, settings);
    const text = compose(sections, sections.optional.map((o) => o.text));
    if (text.length <= budget - (level ? NOTE_RESERVE : 0)) return finish(text, level, level ? [LEVEL_NOTES[level] as string] : []);
  }
  // Counts only; if even that is too long, keep whole sections, in order, while they fit.
  const sections = assemble(models, 3, settings);
  const kept: string[] = [];
  const dropped: string[] = [];
  for (const o of sections.optional) {
    if (compose(sections, [...kept, o.text]).length <= budget - NOTE_RESERVE) kept.push(o.text);
    else dropped.push(o.name);
  }
  return finish(compose(sections, kept), 3, [LEVEL_NOTES[3] as string, ...(dropped.length ? [`these sections: ${dropped.join(", ")}`] : [])]);
}

/** The whole plan with every detail, for the job summary (no size budget). */
export function renderFull(plans: readonly StackPlan[], options: RenderOptions = {}): string {
  return renderComment(plans, { ...options, budget: Number.MAX_SAFE_INTEGER }).markdown;
}

const join = (parts: readonly string[]) => `${parts.join("\n\n")}\n`;

function finish(markdown: string, level: number, omitted: string[]): RenderResult {
  if (!omitted.length) return { markdown, level, omitted };
  const note = `> [!NOTE]\n> Trimmed to fit GitHub's ${GITHUB_COMMENT_LIMIT.toLocaleString("en-US")}-character comment limit. Left out: ${omitted.join("; ")}. The full plan is in the workflow's job summary and the plan artifacts.\n`;
  return { markdown: `${markdown}\n${note}`, level, omitted };
}
