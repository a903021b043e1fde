import { addCounts, changesNothing, countChanges, createsFirst, isEmpty, KINDS, type Counts, kindsOf, primaryKind, statefulReason, zeroCounts } from "./classify";
import { type SynthContext } from "./context";
import { type Change, type ResourceChange, type StackPlan } from "./plan";
import { attributePath, diffChange, type DiffLine } from "./values";

/**
 * The sections of a plan comment, each a whole Markdown construct so that trimming never cuts
 * inside one. render.ts decides which of them fit.
 */

/** The per-stack facts the sections are rendered from. */
export interface StackModel {
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

/**
 * Resources whose attributes a reviewer must see even when they are only being created: who may
 * do what (IAM, key and resource policies), what may reach what (security groups), and what is
 * reachable from outside (load balancers, public endpoints). When the comment must be trimmed,
 * their details are the last of the creates' to go.
 */
export const REVIEW_WORTHY_TYPES: readonly string[] = [
  "aws_iam_role", "aws_iam_policy", "aws_iam_role_policy", "aws_iam_role_policy_attachment", "aws_iam_openid_connect_provider",
  "aws_kms_key", "aws_s3_bucket_policy", "aws_dynamodb_resource_policy", "aws_ecr_repository_policy", "aws_secretsmanager_secret_policy",
  "aws_security_group", "aws_security_group_rule", "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule",
  "aws_eks_cluster", "aws_eks_access_entry", "aws_eks_access_policy_association", "aws_lb", "aws_lb_listener", "aws_db_instance", "aws_rds_cluster", "aws_msk_cluster",
  // What the cluster runs: each add-on and the app, their values diffed key by key.
  "helm_release", "kubernetes_namespace_v1",
];

/** The marker that lets CI find and update its one sticky comment. */
export const MARKER_PREFIX = "<!-- plan-comment";

// Each level re-assembles the comment; a change's diff is computed once.
const diffs = new WeakMap<Change, DiffLine[]>();
function cachedDiff(change: Change): DiffLine[] {
  let lines = diffs.get(change);
  if (!lines) diffs.set(change, (lines = diffChange(change)));
  return lines;
}

const esc = (text: string) => text.replace(/[&<>]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;" })[c] as string);
const code = (text: string) => (text.includes("`") ? `\`\` ${text} \`\`` : `\`${text}\``);

export function model(sp: StackPlan, environmentOf: (s: string) => string, allDrift: boolean): StackModel {
  const changes = (sp.plan.resource_changes ?? []).filter((rc) => kindsOf(rc).length > 0);
  const relevant = new Map<string, string[]>();
  for (const ra of sp.plan.relevant_attributes ?? []) relevant.set(ra.resource, [...(relevant.get(ra.resource) ?? []), attributePath(ra.attribute)]);
  const drift = sp.plan.resource_drift ?? [];
  const relevantDrift = drift.filter((rc) => allDrift || relevant.has(rc.address)).map((rc) => ({ rc, paths: allDrift ? [] : (relevant.get(rc.address) as string[]) }));
  return {
    stack: sp.stack,
    env: environmentOf(sp.stack),
    counts: countChanges(changes),
    changes,
    relevantDrift,
    otherDrift: drift.length - relevantDrift.length,
    outputs: Object.entries(sp.plan.output_changes ?? {}).filter(([, c]) => !changesNothing(c)),
    complete: sp.plan.complete !== false,
    errored: sp.plan.errored === true,
  };
}

export function sortStacks(plans: readonly StackPlan[], order: readonly string[]): StackPlan[] {
  const rank = (s: string) => (order.includes(s) ? order.indexOf(s) : order.length);
  return [...plans].sort((a, b) => rank(a.stack) - rank(b.stack) || a.stack.localeCompare(b.stack));
}

function countsText(c: Counts): string {
  const words: Record<string, string> = { create: "to create", update: "to update", replace: "to replace", delete: "to delete", move: "to move", import: "to import", forget: "to forget" };
  return KINDS.map((k) => `${c[k]} ${words[k]}`).join(" · ");
}

export function header(models: readonly StackModel[], sha: string, digest: string): string[] {
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

/** What plan-guard will refuse, by `stack address`, with the label that would allow it. */
export type GuardVerdicts = ReadonlyMap<string, { readonly why: string; readonly label: string }>;

export function cautionItems(models: readonly StackModel[], context: SynthContext, verdicts: GuardVerdicts = new Map()): string[] {
  const items: Array<{ stateful: boolean; text: string }> = [];
  for (const m of models) {
    for (const rc of m.changes) {
      const kind = primaryKind(rc);
      const trustChange = rc.type === "aws_iam_role" && kind === "update" && cachedDiff(rc.change).some((l) => l.path.startsWith("assume_role_policy"));
      if (kind !== "delete" && kind !== "replace" && !trustChange) continue;
      const stateful = statefulReason(m.stack, rc);
      const where = context.constructPath(m.stack, rc.address);
      const how = kind === "replace" ? (createsFirst(rc) ? "**replace** (create, then destroy)" : "**replace** (destroy, then create)") : kind === "delete" ? "**delete**" : "**trust policy change**";
      const forced = (rc.change.replace_paths ?? []).map(attributePath).filter(Boolean);
      const parts = [
        stateful ? `🛑 **STATEFUL: ${stateful}** ` : "",
        `${code(m.stack)} ${code(rc.address)}`,
        where ? ` (${code(where)})` : "",
        `: ${how}`,
        rc.action_reason ? `, reason ${code(rc.action_reason)}` : "",
        forced.length ? `, forced by ${forced.map(code).join(", ")}` : "",
        verdict(verdicts.get(`${m.stack} ${rc.address}`)),
      ];
      items.push({ stateful: Boolean(stateful), text: `> - ${parts.join("")}` });
    }
  }
  const rank = (i: { stateful: boolean; text: string }) => (i.text.includes("⛔") ? 2 : 0) + (i.stateful ? 1 : 0);
  return items.sort((a, b) => rank(b) - rank(a)).map((i) => i.text);
}

function verdict(v: { why: string; label: string } | undefined): string {
  return v ? ` — ⛔ **plan-guard will refuse this** (${v.why}); to allow it, a maintainer adds the label ${code(v.label)}` : "";
}

export function caution(items: readonly string[], budget: number): string | undefined {
  if (!items.length || budget < 400) return undefined;
  const count = (what: string) => items.filter((i) => i.includes(what)).length;
  const kinds = [
    [count(": **replace**"), "to replace"],
    [count(": **delete**"), "to delete"],
    [count(": **trust policy change**"), "trust policy change(s)"],
  ].filter(([n]) => n) as Array<[number, string]>;
  const stateful = count("🛑");
  const refused = count("⛔");
  const notes = [stateful ? `${stateful} stateful` : "", refused ? `${refused} refused by plan-guard until allowed` : ""].filter(Boolean).join(", ");
  const head = `> [!CAUTION]\n> **Destructive changes: ${kinds.map(([n, w]) => `${n} ${w}`).join(", ")}**${notes ? ` (${notes})` : ""}. Check each one.\n>`;
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
  const showDiff = level === 0 || (level <= 2 && kind !== "create") || (level === 1 && REVIEW_WORTHY_TYPES.includes(rc.type));
  if (!showDiff || kind === "delete" || kind === "forget" || level >= 3) return title;
  const diff = cachedDiff(rc.change);
  return diff.length ? `${title}\n\n${fence(diffText(diff))}` : title;
}

export function stackDetails(m: StackModel, level: number, context: SynthContext): string | undefined {
  if (level >= 4 || m.changes.length === 0) return undefined;
  const body = m.changes.map((rc) => resourceBlock(m.stack, rc, level, context)).join("\n\n");
  const summary = `<b>${esc(m.stack)}</b> (${esc(m.env)}): ${KINDS.filter((k) => m.counts[k]).map((k) => `${m.counts[k]} ${k}`).join(", ")}`;
  return `<details><summary>${summary}</summary>\n\n${body}\n\n</details>`;
}

export function driftSection(models: readonly StackModel[], level: number, context: SynthContext): string | undefined {
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
      if (level < 4 && diff.length) lines.push(fence(diffText(diff)), "");
    }
  }
  if (other) lines.push(`${other} other resource(s) drifted in attributes this plan does not depend on.`);
  return lines.join("\n").trimEnd();
}

export function outputsSection(models: readonly StackModel[], level: number): string | undefined {
  const withOutputs = models.filter((m) => m.outputs.length);
  if (!withOutputs.length) return undefined;
  const lines = ["### Output changes", ""];
  for (const m of withOutputs) {
    if (level >= 4) {
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

export function notes(models: readonly StackModel[]): string | undefined {
  const items = models.flatMap((m) => [
    ...(m.errored ? [`> - ${code(m.stack)}: planning **errored**; this plan is partial and must not be applied.`] : []),
    ...(m.complete ? [] : [`> - ${code(m.stack)}: the plan is **incomplete** (\`complete: false\`); more changes will follow after this apply.`]),
  ]);
  return items.length ? ["> [!WARNING]", "> Not every plan is whole:", ...items].join("\n") : undefined;
}

