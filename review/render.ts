import { addCounts, countChanges, createsFirst, isEmpty, KINDS, type Counts, kindsOf, primaryKind, statefulReason, zeroCounts } from "./classify";
import { NO_CONTEXT, type SynthContext } from "./context";
import { semanticDigest } from "./digest";
import { type Change, type ResourceChange, type StackPlan } from "./plan";
import { diffChange, type DiffLine } from "./values";

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

/** The marker that lets CI find and update its one sticky comment. */
export const MARKER_PREFIX = "<!-- plan-comment";

interface StackModel {
  readonly stack: string;
  readonly env: string;
  readonly counts: Counts;
  readonly changes: readonly ResourceChange[];
  readonly relevantDrift: ReadonlyArray<{ rc: ResourceChange; paths: string[] }>;
  readonly otherDrift: number;
  readonly outputs: ReadonlyArray<[string, Change]>;
  readonly complete: boolean;
  readonly errored: boolean;
}

// Each level re-assembles the comment; a change's diff is computed once.
const diffs = new WeakMap<Change, DiffLine[]>();
function cachedDiff(change: Change): DiffLine[] {
  let lines = diffs.get(change);
  if (!lines) diffs.set(change, (lines = diffChange(change)));
  return lines;
}

const LEVEL_NOTES = ["", "attribute details of resources to be created", "all attribute details", "the per-resource lists (counts only)"];
const esc = (text: string) => text.replace(/[&<>]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;" })[c] as string);
const code = (text: string) => (text.includes("`") ? `\`\` ${text} \`\`` : `\`${text}\``);
const isNoop = (c: Change) => c.actions.every((a) => a === "no-op" || a === "read");

function attrPath(parts: ReadonlyArray<string | number>): string {
  return parts.map((p, i) => (typeof p === "number" ? `[${p}]` : /^[A-Za-z_][\w-]*$/.test(p) ? `${i ? "." : ""}${p}` : `[${JSON.stringify(p)}]`)).join("");
}

function model(sp: StackPlan, environmentOf: (s: string) => string, allDrift: boolean): StackModel {
  const changes = (sp.plan.resource_changes ?? []).filter((rc) => kindsOf(rc).length > 0);
  const relevant = new Map<string, string[]>();
  for (const ra of sp.plan.relevant_attributes ?? []) relevant.set(ra.resource, [...(relevant.get(ra.resource) ?? []), attrPath(ra.attribute)]);
  const drift = sp.plan.resource_drift ?? [];
  const relevantDrift = drift.filter((rc) => allDrift || relevant.has(rc.address)).map((rc) => ({ rc, paths: allDrift ? [] : (relevant.get(rc.address) as string[]) }));
  return {
    stack: sp.stack,
    env: environmentOf(sp.stack),
    counts: countChanges(changes),
    changes,
    relevantDrift,
    otherDrift: drift.length - relevantDrift.length,
    outputs: Object.entries(sp.plan.output_changes ?? {}).filter(([, c]) => !isNoop(c)),
    complete: sp.plan.complete !== false,
    errored: sp.plan.errored === true,
  };
}

function sortStacks(plans: readonly StackPlan[], order: readonly string[]): StackPlan[] {
  const rank = (s: string) => (order.includes(s) ? order.indexOf(s) : order.length);
  return [...plans].sort((a, b) => rank(a.stack) - rank(b.stack) || a.stack.localeCompare(b.stack));
}

function countsText(c: Counts): string {
  const words: Record<string, string> = { create: "to create", update: "to update", replace: "to replace", delete: "to delete", move: "to move", import: "to import", forget: "to forget" };
  return KINDS.map((k) => `${c[k]} ${words[k]}`).join(" · ");
}

function header(models: readonly StackModel[], sha: string, digest: string): string[] {
  const total = models.reduce((acc, m) => addCounts(acc, m.counts), zeroCounts());
  const changed = models.filter((m) => !isEmpty(m.counts) || m.outputs.length > 0);
  const quiet = models.filter((m) => !changed.includes(m));
  const lines = [`${MARKER_PREFIX} sha=${sha} digest=${digest} -->`, `**Plan:** ${countsText(total)}`, ""];
  if (changed.length) {
    lines.push("| stack | environment | create | update | replace | delete | move | import | forget |", "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (const m of changed) lines.push(`| ${code(m.stack)} | ${m.env} | ${KINDS.map((k) => (m.counts[k] ? `**${m.counts[k]}**` : "0")).join(" | ")} |`);
    lines.push("");
  }
  if (quiet.length) lines.push(`No changes: ${quiet.map((m) => code(m.stack)).join(", ")}`);
  return [lines.join("\n").trimEnd()];
}

function cautionItems(models: readonly StackModel[], context: SynthContext): string[] {
  const items: Array<{ stateful: boolean; text: string }> = [];
  for (const m of models) {
    for (const rc of m.changes) {
      const kind = primaryKind(rc);
      const trustChange = rc.type === "aws_iam_role" && kind === "update" && cachedDiff(rc.change).some((l) => l.path.startsWith("assume_role_policy"));
      if (kind !== "delete" && kind !== "replace" && !trustChange) continue;
      const stateful = statefulReason(m.stack, rc);
      const where = context.constructPath(m.stack, rc.address);
      const how = kind === "replace" ? (createsFirst(rc) ? "**replace** (create, then destroy)" : "**replace** (destroy, then create)") : kind === "delete" ? "**delete**" : "**trust policy change**";
      const forced = (rc.change.replace_paths ?? []).map(attrPath).filter(Boolean);
      const parts = [
        stateful ? `🛑 **STATEFUL: ${stateful}** ` : "",
        `${code(m.stack)} ${code(rc.address)}`,
        where ? ` (${code(where)})` : "",
        `: ${how}`,
        rc.action_reason ? `, reason ${code(rc.action_reason)}` : "",
        forced.length ? `, forced by ${forced.map(code).join(", ")}` : "",
      ];
      items.push({ stateful: Boolean(stateful), text: `> - ${parts.join("")}` });
    }
  }
  return items.sort((a, b) => Number(b.stateful) - Number(a.stateful)).map((i) => i.text);
}

function caution(items: readonly string[], budget: number): string | undefined {
  if (!items.length || budget < 400) return undefined;
  const count = (what: string) => items.filter((i) => i.includes(what)).length;
  const kinds = [
    [count(": **replace**"), "to replace"],
    [count(": **delete**"), "to delete"],
    [count(": **trust policy change**"), "trust policy change(s)"],
  ].filter(([n]) => n) as Array<[number, string]>;
  const stateful = count("🛑");
  const head = `> [!CAUTION]\n> **Destructive changes: ${kinds.map(([n, w]) => `${n} ${w}`).join(", ")}**${stateful ? ` (${stateful} stateful)` : ""}. Check each one.\n>`;
  const kept: string[] = [];
  let size = head.length + 80;
  for (const item of items) {
    if (size + item.length + 1 > budget) break;
    kept.push(item);
    size += item.length + 1;
  }
  const rest = items.length - kept.length;
  return [head, ...kept, ...(rest ? [`> - …and ${rest} more: see the full plan in the job summary`] : [])].join("\n");
}

function fence(lines: readonly string[]): string {
  const body = lines.join("\n");
  const ticks = "`".repeat(Math.max(3, ...[...body.matchAll(/`+/g)].map((m) => m[0].length + 1)));
  return `${ticks}diff\n${body}\n${ticks}`;
}

function diffText(lines: readonly DiffLine[]): string[] {
  return lines.map((l) => {
    const mark = l.forcesReplacement ? "   # forces replacement" : "";
    if (l.op === "~") return `~ ${l.path}: ${l.before} → ${l.after}${mark}`;
    return `${l.op} ${l.path || "(value)"} = ${l.op === "+" ? l.after : l.before}${mark}`;
  });
}

function resourceBlock(stack: string, rc: ResourceChange, level: number, context: SynthContext): string {
  const kind = primaryKind(rc);
  const label = kind === "replace" ? (createsFirst(rc) ? "replace (create, then destroy)" : "replace (destroy, then create)") : kind === "forget" ? "forget (removed from state, not destroyed)" : (kind ?? "no-op");
  const where = context.constructPath(stack, rc.address);
  const extras = [
    rc.previous_address && rc.previous_address !== rc.address ? `moved from ${code(rc.previous_address)}` : "",
    rc.change.importing ? `import${rc.change.importing.id ? ` id ${code(rc.change.importing.id)}` : ""}` : "",
  ].filter(Boolean);
  const title = `**${label}** ${code(rc.address)}${where ? ` · ${code(where)}` : ""}${extras.length ? ` (${extras.join(", ")})` : ""}`;
  const showDiff = level === 0 || (level === 1 && kind !== "create");
  if (!showDiff || kind === "delete" || kind === "forget" || level >= 2) return title;
  const diff = cachedDiff(rc.change);
  return diff.length ? `${title}\n\n${fence(diffText(diff))}` : title;
}

function stackDetails(m: StackModel, level: number, context: SynthContext): string | undefined {
  if (level >= 3 || m.changes.length === 0) return undefined;
  const body = m.changes.map((rc) => resourceBlock(m.stack, rc, level, context)).join("\n\n");
  const summary = `<b>${esc(m.stack)}</b> (${esc(m.env)}): ${KINDS.filter((k) => m.counts[k]).map((k) => `${m.counts[k]} ${k}`).join(", ")}`;
  return `<details><summary>${summary}</summary>\n\n${body}\n\n</details>`;
}

function driftSection(models: readonly StackModel[], level: number, context: SynthContext): string | undefined {
  const relevant = models.flatMap((m) => m.relevantDrift.map((d) => ({ m, ...d })));
  const other = models.reduce((n, m) => n + m.otherDrift, 0);
  if (!relevant.length && !other) return undefined;
  const lines = ["### Drift", ""];
  if (relevant.length) {
    lines.push(other || relevant.some((d) => d.paths.length) ? "Changed outside Terraform, in attributes this plan depends on:" : "Changed outside Terraform:", "");
    for (const { m, rc, paths } of relevant) {
      const where = context.constructPath(m.stack, rc.address);
      lines.push(`${code(m.stack)} ${code(rc.address)}${where ? ` · ${code(where)}` : ""}`, "");
      const diff = diffChange(rc.change, paths.length ? paths : undefined);
      if (level < 3 && diff.length) lines.push(fence(diffText(diff)), "");
    }
  }
  if (other) lines.push(`${other} other resource(s) drifted in attributes this plan does not depend on.`);
  return lines.join("\n").trimEnd();
}

function outputsSection(models: readonly StackModel[], level: number): string | undefined {
  const withOutputs = models.filter((m) => m.outputs.length);
  if (!withOutputs.length) return undefined;
  const lines = ["### Output changes", ""];
  for (const m of withOutputs) {
    if (level >= 3) {
      lines.push(`${code(m.stack)}: ${m.outputs.map(([n]) => code(n)).join(", ")}`);
      continue;
    }
    // Each output is diffed as one attribute named after it, so masking works as for resources.
    const diff = m.outputs.flatMap(([name, c]) =>
      diffChange({
        actions: c.actions,
        before: c.before === null || c.before === undefined ? {} : { [name]: c.before },
        after: (c.after === null || c.after === undefined) && c.after_unknown !== true ? {} : { [name]: c.after ?? null },
        after_unknown: { [name]: c.after_unknown },
        before_sensitive: { [name]: c.before_sensitive },
        after_sensitive: { [name]: c.after_sensitive },
      }),
    );
    lines.push(`${code(m.stack)}`, "", fence(diffText(diff)), "");
  }
  return lines.join("\n").trimEnd();
}

function notes(models: readonly StackModel[]): string | undefined {
  const items = models.flatMap((m) => [
    ...(m.errored ? [`> - ${code(m.stack)}: planning **errored**; this plan is partial and must not be applied.`] : []),
    ...(m.complete ? [] : [`> - ${code(m.stack)}: the plan is **incomplete** (\`complete: false\`); more changes will follow after this apply.`]),
  ]);
  return items.length ? ["> [!WARNING]", "> Not every plan is whole:", ...items].join("\n") : undefined;
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
