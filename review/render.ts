import { type PlanBinding } from "./binding";
import { characters, fitListings, type Listing, type Measure, someNames, utf8Bytes } from "./budget";
import { type SynthContext, NO_CONTEXT } from "./context";
import { driftSection, outputsSection, StackDetails } from "./details";
import { type DigestKey, semanticDigest } from "./digest";
import { type Blocked } from "./guard";
import { code } from "./markdown";
import { model, type StackModel } from "./model";
import { type StackPlan } from "./plan";
import { type StackStatus, statusListing } from "./status";
import { type ClusterMembers, sharedClusterListing } from "./tenancy";
import { cautionListing, type GuardVerdicts, headerListing, marker, MARKER_PREFIX, notesListing, operatorListing, type OrphanedState, orphansListing, PLAN_RENDERING_ARTIFACT, quietListing, sortStacks } from "./sections";

export { MARKER_PREFIX, PLAN_RENDERING_ARTIFACT, type OrphanedState } from "./sections";

/** GitHub rejects issue comments longer than this (HTTP 422). */
export const GITHUB_COMMENT_LIMIT = 65_536;

/**
 * What the job summary may hold, in bytes: GitHub drops a step's summary over 1 MiB ("upload
 * aborted, supports content up to a size of 1024k"), so stay under it with room for its heading.
 */
export const GITHUB_SUMMARY_LIMIT = 1_000_000;

/** What each level of detail leaves out, in the words of the trimming note. */
const LEVEL_NOTES = [
  "",
  "attribute details of resources to be created, except IAM, security-group, KMS-policy and public-endpoint ones",
  "attribute details of resources to be created",
  "all attribute details",
  "the per-resource lists (counts only)",
];

/** Room kept for the trimming note. */
const NOTE_RESERVE = 1_200;

export interface RenderOptions {
  /** Key of the digest in the marker (PLAN_DIGEST_KEY; {@link semanticDigest}). */
  readonly digestKey: DigestKey;
  /** Commit the plans were made from, for the marker line. @default - the binding's head, else "unknown" */
  readonly sha?: string;
  /**
   * What this run vouches for (review/binding.ts): written into the marker after `sha=` and
   * `digest=`, and the source of the exact `/allow` lines. Every stack it lists must have a plan
   * here, and every plan a sha256 in it. @default - no binding: the comment vouches for no plan
   */
  readonly binding?: PlanBinding;
  /** Where the rendering goes: a PR comment (characters) or the job summary (bytes). @default "comment" */
  readonly target?: "comment" | "summary";
  /** Maximum size, in the target's unit. @default GITHUB_COMMENT_LIMIT, or GITHUB_SUMMARY_LIMIT for the summary */
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
   * the line that allows it, so a reviewer never approves what apply will then refuse.
   * @default - nothing marked
   */
  readonly blocked?: ReadonlyArray<Pick<Blocked, "stack" | "address" | "why">>;
  /**
   * Every stack the comment is expected to cover, with its status ({@link statusesOf}): stacks
   * that failed, wait for their upstream, or are missing are listed at the top.
   * @default - only the plans given
   */
  readonly statuses?: readonly StackStatus[];
  /** State keys no stack of this change owns that still hold resources: shown, never dropped. @default - none */
  readonly orphans?: readonly OrphanedState[];
  /**
   * Stacks an operator applies, not CI (the account stacks): named in one neutral line, and
   * never counted as "no plan" when they have none. @default - none
   */
  readonly operatorStacks?: readonly string[];
  /**
   * The clusters and the environments in each (review/tenancy.ts): a change to a host's `eks` or
   * `platform` stack is said to reach every one of them, named with its namespace. @default - none
   */
  readonly clusters?: readonly ClusterMembers[];
}

export interface RenderResult {
  readonly markdown: string;
  /** The least detailed level any stack was rendered at: 0 everything … 4 counts only. */
  readonly level: number;
  /** What was left out, in words (empty when nothing was). */
  readonly omitted: readonly string[];
}

/** A section of details at one of a few levels of detail, the first of which is "absent". */
interface Unit {
  readonly name: string;
  /** Current state: an index into the unit's levels, from least (0: absent) to most detailed. */
  state: number;
  readonly top: number;
  text(state: number): string | undefined;
  size(state: number): number;
}

// The digest of the same plans is asked for by the comment, the summary and the full rendering.
const digests = new WeakMap<readonly StackPlan[], Map<string, string>>();
function digestOf(plans: readonly StackPlan[], key: DigestKey): string {
  const id = typeof key === "string" ? `s${key}` : `b${Buffer.isBuffer(key) ? key.toString("hex") : ""}`;
  let byKey = digests.get(plans);
  if (!byKey) digests.set(plans, (byKey = new Map()));
  let digest = byKey.get(id);
  if (digest === undefined) byKey.set(id, (digest = semanticDigest(plans, key)));
  return digest;
}

function checkBindingCovers(plans: readonly StackPlan[], binding: PlanBinding, sha: string | undefined): void {
  if (sha !== undefined && sha !== binding.head) throw new Error(`the comment is for ${sha}, but its binding is for the head ${binding.head}`);
  const unbound = plans.map((p) => p.stack).filter((s) => !(s in binding.plans));
  const absent = Object.keys(binding.plans).filter((s) => !plans.some((p) => p.stack === s));
  const problems = [unbound.length ? `plans of ${unbound.join(", ")} have no sha256 in the binding` : "", absent.length ? `the binding lists ${absent.join(", ")}, whose plans were not given` : ""].filter(Boolean);
  if (problems.length) throw new Error(`the binding does not match the plans: ${problems.join("; ")}`);
}

/** Renders plans of several stacks as one PR comment (or job summary) that fits the budget. */
export function renderComment(plans: readonly StackPlan[], options: RenderOptions): RenderResult {
  const target = options.target ?? "comment";
  const measure = target === "summary" ? utf8Bytes : characters;
  const budget = options.budget ?? (target === "summary" ? GITHUB_SUMMARY_LIMIT : GITHUB_COMMENT_LIMIT);
  const context = options.context ?? NO_CONTEXT;
  if (options.binding) checkBindingCovers(plans, options.binding, options.sha);
  const models = sortStacks(plans, context.order).map((p) => model(p, options.environmentOf ?? (() => "-"), options.allDrift ?? false));
  const markerLine = marker(options.sha ?? options.binding?.head ?? "unknown", digestOf(plans, options.digestKey), options.binding);
  const verdicts: GuardVerdicts = new Map((options.blocked ?? []).map((b) => [`${b.stack} ${b.address}`, { why: b.why }]));
  const orphans = options.orphans ?? [];
  const planned = new Set(plans.map((p) => p.stack));
  const present = <T>(xs: ReadonlyArray<T | undefined>) => xs.filter((x): x is T => x !== undefined);
  const top = present([
    headerListing(models, markerLine),
    quietListing(models),
    operatorListing(options.operatorStacks ?? [], planned),
    statusListing(options.statuses ?? [], options.operatorStacks),
    orphansListing(orphans, options.binding),
    cautionListing(models, context, verdicts, options.binding, new Set(orphans.map((o) => o.stack))),
    sharedClusterListing(models, options.clusters ?? []),
  ]);
  const bottom = present([notesListing(models)]);
  const stacks = models.map((m) => new StackDetails(m, context, measure));
  const layoutOf = (room: number) => layout({ top, bottom, stacks, room, measure, context, models, unlimited: budget >= Number.MAX_SAFE_INTEGER });
  const whole = layoutOf(budget);
  if (!whole.omitted.length) return { markdown: whole.markdown, level: whole.level, omitted: [] };
  const trimmed = layoutOf(budget - NOTE_RESERVE);
  const markdown = `${trimmed.markdown}\n${trimNote(trimmed.omitted, target, measure)}`;
  if (measure(markdown) > budget) throw new Error(`a budget of ${budget} cannot hold even the comment's marker, headings and note (${measure(markdown)})`);
  return { markdown, level: trimmed.level, omitted: trimmed.omitted };
}

/** The whole plan with every detail, for the `plan-rendering` artifact (no size budget). */
export function renderFull(plans: readonly StackPlan[], options: RenderOptions): string {
  return renderComment(plans, { ...options, budget: Number.MAX_SAFE_INTEGER }).markdown;
}

/** The plan for the job summary: as much as fits in GitHub's 1 MiB, the rest in the artifact. */
export function renderSummary(plans: readonly StackPlan[], options: RenderOptions): RenderResult {
  return renderComment(plans, { ...options, target: "summary", budget: options.budget ?? GITHUB_SUMMARY_LIMIT });
}

interface Layout {
  readonly top: readonly Listing[];
  readonly bottom: readonly Listing[];
  readonly stacks: readonly StackDetails[];
  readonly room: number;
  readonly measure: Measure;
  readonly context: SynthContext;
  readonly models: readonly StackModel[];
  readonly unlimited: boolean;
}

function sectionUnit(name: string, render: (withDiffs: boolean) => string | undefined, measure: Measure): Unit {
  const texts = [undefined, render(false), render(true)];
  return { name, state: 0, top: texts[1] === undefined ? 0 : 2, text: (s) => texts[s], size: (s) => (texts[s] === undefined ? 0 : measure(texts[s] as string)) };
}

function stackUnit(d: StackDetails): Unit {
  // States 0..4 are levels 4..0: absent, list, update diffs, review-worthy creates, all creates.
  return { name: d.model.stack, state: 0, top: d.model.changes.length ? 4 : 0, text: (s) => d.render(4 - s), size: (s) => d.size(4 - s) };
}

/**
 * Lays the comment out in `room`: the listings first (they share the room fairly), then the
 * details fill what is left, one unit at a time. The order of priority: the drift and output
 * lists; every stack's list of changes; drift's and outputs' values; the diffs of updates and
 * replaces; of review-worthy creates; of all other creates. Within each step the cheapest
 * go first, so that one large stack loses its details before several small ones lose theirs,
 * and the budget is filled rather than left unused.
 */
function layout(l: Layout): { markdown: string; level: number; omitted: string[] } {
  const listings = [...l.top, ...l.bottom];
  const fitted = fitListings(listings, l.room - 1 - 2 * (listings.length - 1), l.measure);
  const fixed = fitted.map((f) => f.text);
  let left = l.room - l.measure(`${fixed.join("\n\n")}\n`);
  const stackUnits = l.stacks.map(stackUnit);
  const drift = sectionUnit("drift", (diffs) => driftSection(l.models, diffs, l.context), l.measure);
  const outputs = sectionUnit("output changes", (diffs) => outputsSection(l.models, diffs), l.measure);
  const upgrade = (units: readonly Unit[], from: number, floor?: (u: Unit) => number) => {
    const candidates = units.filter((u) => u.state === from && u.top > from && (!floor || floor(u) + 2 <= left));
    const cost = (u: Unit) => u.size(from + 1) - u.size(from) + (from === 0 ? 2 : 0);
    for (const u of [...candidates].sort((a, b) => cost(a) - cost(b))) {
      if (cost(u) > left) break;
      left -= cost(u);
      u.state = from + 1;
    }
  };
  if (l.unlimited) for (const u of [...stackUnits, drift, outputs]) u.state = u.top;
  upgrade([drift, outputs], 0);
  const floors = new Map(l.stacks.map((d, i) => [stackUnits[i] as Unit, d.floor]));
  upgrade([...stackUnits, drift, outputs], 0, (u) => floors.get(u) ?? 0);
  upgrade([drift, outputs], 1);
  for (const from of [1, 2, 3]) upgrade(stackUnits, from);
  const details = [...stackUnits, drift, outputs].map((u) => u.text(u.state)).filter((t): t is string => t !== undefined);
  const [topFitted, bottomFitted] = [fixed.slice(0, l.top.length), fixed.slice(l.top.length)];
  const markdown = `${[...topFitted, ...details, ...bottomFitted].join("\n\n")}\n`;
  return { markdown, ...omissions(stackUnits, [drift, outputs], listings, fitted) };
}

function omissions(stackUnits: readonly Unit[], sections: readonly Unit[], listings: readonly Listing[], fitted: ReadonlyArray<{ left: number }>): { level: number; omitted: string[] } {
  const withChanges = stackUnits.filter((u) => u.top > 0);
  // A stack with no review-worthy creates shows the same at level 1 as at 2: it lost creates' details.
  const levelOf = (u: Unit) => (u.top - u.state === 1 && u.size(u.state - 1) === u.size(u.state) ? 2 : u.top - u.state);
  const omitted: string[] = [];
  for (const level of [1, 2, 3, 4]) {
    const at = withChanges.filter((u) => levelOf(u) === level);
    if (at.length) omitted.push(`${LEVEL_NOTES[level]} (${at.length === withChanges.length ? "of every stack" : `of ${at.length} of ${withChanges.length} stacks: ${someNames(at.map((u) => code(u.name)))}`})`);
  }
  for (const s of sections) {
    if (s.top > 0 && s.state === 0) omitted.push(`the ${s.name} section`);
    else if (s.state < s.top && s.size(s.top) !== s.size(s.state)) omitted.push(`the values of the ${s.name} section`);
  }
  listings.forEach((listing, i) => {
    const left = fitted[i]?.left ?? 0;
    if (left) omitted.push(`${left} of the ${listing.items.length} entries of ${listing.name}`);
  });
  const sectionsCut = sections.some((s) => s.top > 0 && s.state < s.top && s.size(s.top) !== s.size(s.state));
  const level = Math.max(0, ...withChanges.map(levelOf), sectionsCut ? 4 : 0);
  return { level, omitted };
}

function trimNote(omitted: readonly string[], target: "comment" | "summary", measure: Measure): string {
  const limit = target === "summary" ? "GitHub's 1 MiB job summary limit" : `GitHub's ${GITHUB_COMMENT_LIMIT.toLocaleString("en-US")}-character comment limit`;
  const note = (items: readonly string[], more: number) =>
    `> [!NOTE]\n> Trimmed to fit ${limit}. Left out: ${items.join("; ")}${more ? `; and ${more} more` : ""}. The full rendering is in the workflow's artifact \`${PLAN_RENDERING_ARTIFACT}\`.\n`;
  let kept = omitted.length;
  while (kept > 0 && measure(note(omitted.slice(0, kept), omitted.length - kept)) + 1 > NOTE_RESERVE) kept -= 1;
  return note(omitted.slice(0, kept), omitted.length - kept);
}

const MARKER_VALUE = /^[A-Za-z0-9._:-]+$/;

/**
 * A comment marked outdated, for the moment a new commit is pushed and its plans are not in yet:
 * the marker says `stale`, and a banner under it says which commit the plans are for and which is
 * being planned, so an old comment never passes for the current one. The binding fields are
 * dropped: a stale comment vouches for no plan, and apply refuses it (readBinding throws).
 */
export function markStale(markdown: string, newSha: string): string {
  const [markerLine = "", ...rest] = markdown.split("\n");
  if (!markerLine.startsWith(MARKER_PREFIX)) throw new Error("not a plan comment: it does not start with the plan-comment marker");
  if (!MARKER_VALUE.test(newSha)) throw new Error(`the new commit must be a commit (letters, digits, . _ : -); got ${JSON.stringify(newSha)}`);
  const field = (name: string) => {
    const value = new RegExp(` ${name}=(\\S+)`).exec(markerLine)?.[1];
    return value !== undefined && MARKER_VALUE.test(value) ? value : "unknown";
  };
  const old = field("sha");
  const body = rest.filter((line, i) => !(i < 4 && (line.startsWith("> [!IMPORTANT]") || line.startsWith("> ⏳"))));
  return [
    `${MARKER_PREFIX} sha=${old} digest=${field("digest")} stale=${newSha} -->`,
    "> [!IMPORTANT]",
    `> ⏳ **Outdated.** These plans are for ${code(old)}; ${code(newSha)} is being planned now. Do not review or merge on this comment.`,
    ...body,
  ].join("\n");
}
