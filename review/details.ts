import { createsFirst, KINDS, primaryKind } from "./classify";
import { type SynthContext } from "./context";
import { code, fence, html } from "./markdown";
import { type Change, type ResourceChange } from "./plan";
import { type StackModel } from "./model";
import { maskSecretShapes } from "../policy/secrets";
import { diffChange, type DiffLine } from "./values";

/**
 * The details of a comment: per stack, each change's title and attribute diff; drift; output
 * changes. Each comes at levels of detail, from 0 (everything) to 4 (nothing), and says how
 * large it is at each, so that render.ts can spend the budget stack by stack.
 */

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

/** Levels of detail: 0 everything; 1 creates' details only of review-worthy types; 2 no creates' details; 3 no attribute details; 4 no list. */
export const LEVELS = [0, 1, 2, 3, 4] as const;
export type Level = (typeof LEVELS)[number];

// A change's diff is computed once, however often the budget asks for its size.
const diffs = new WeakMap<Change, DiffLine[]>();
export function cachedDiff(change: Change): DiffLine[] {
  let lines = diffs.get(change);
  if (!lines) diffs.set(change, (lines = diffChange(change)));
  return lines;
}

export function diffText(lines: readonly DiffLine[]): string[] {
  return lines.map((l) => {
    const mark = l.forcesReplacement ? "   # forces replacement" : "";
    if (l.op === "~") return `~ ${l.path}: ${l.before} → ${l.after}${mark}`;
    return `${l.op} ${l.path || "(value)"} = ${l.op === "+" ? l.after : l.before}${mark}`;
  });
}

/** The deepest level at which a change still shows its diff (-1: never). */
function diffUntil(rc: ResourceChange): number {
  const kind = primaryKind(rc);
  if (kind === "delete" || kind === "forget") return -1;
  if (kind === "create") return REVIEW_WORTHY_TYPES.includes(rc.type) ? 1 : 0;
  return 2;
}

function title(stack: string, rc: ResourceChange, context: SynthContext): string {
  const kind = primaryKind(rc);
  const label = kind === "replace" ? (createsFirst(rc) ? "replace (create, then destroy)" : "replace (destroy, then create)") : kind === "forget" ? "forget (removed from state, not destroyed)" : (kind ?? "no-op");
  const where = context.constructPath(stack, rc.address);
  const importId = rc.change.importing?.id;
  const extras = [
    rc.previous_address && rc.previous_address !== rc.address ? `moved from ${code(rc.previous_address)}` : "",
    rc.change.importing ? `import${importId ? ` id ${code(maskSecretShapes(importId))}` : ""}` : "",
  ].filter(Boolean);
  return `**${label}** ${code(rc.address)}${where ? ` · ${code(where)}` : ""}${extras.length ? ` (${extras.join(", ")})` : ""}`;
}

/** One stack's details, rendered and sized at any level; diffs are computed only when asked for. */
export class StackDetails {
  private titles?: string[];
  private readonly sizes = new Map<number, number>();

  constructor(
    readonly model: StackModel,
    private readonly context: SynthContext,
    private readonly measure: (text: string) => number,
  ) {}

  /** A size no rendering of the list can be under: what render.ts checks before building titles. */
  get floor(): number {
    return this.model.changes.reduce((n, rc) => n + rc.address.length + 8, 0);
  }

  private wrap(body: string): string {
    const m = this.model;
    const summary = `<b>${html(m.stack)}</b> (${html(m.env)}): ${KINDS.filter((k) => m.counts[k]).map((k) => `${m.counts[k]} ${k}`).join(", ")}`;
    return `<details><summary>${summary}</summary>\n\n${body}\n\n</details>`;
  }

  private block(i: number, level: number): string {
    const rc = this.model.changes[i] as ResourceChange;
    this.titles ??= this.model.changes.map((c) => title(this.model.stack, c, this.context));
    const head = this.titles[i] as string;
    if (level > diffUntil(rc)) return head;
    const diff = cachedDiff(rc.change);
    return diff.length ? `${head}\n\n${fence(diffText(diff), "diff")}` : head;
  }

  /** The details at a level; undefined at level 4, or when the stack changes nothing. */
  render(level: number): string | undefined {
    if (level >= 4 || this.model.changes.length === 0) return undefined;
    return this.wrap(this.model.changes.map((_, i) => this.block(i, level)).join("\n\n"));
  }

  /** The size of {@link render} at a level (0 when it renders nothing). */
  size(level: number): number {
    let size = this.sizes.get(level);
    if (size === undefined) {
      const text = this.render(level);
      size = text === undefined ? 0 : this.measure(text);
      this.sizes.set(level, size);
    }
    return size;
  }
}

export function driftSection(models: readonly StackModel[], withDiffs: boolean, context: SynthContext): string | undefined {
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
      if (withDiffs && diff.length) lines.push(fence(diffText(diff), "diff"), "");
    }
  }
  if (other) lines.push(`${other} other resource(s) drifted in attributes this plan does not depend on.`);
  return lines.join("\n").trimEnd();
}

export function outputsSection(models: readonly StackModel[], withDiffs: boolean): string | undefined {
  const withOutputs = models.filter((m) => m.outputs.length);
  if (!withOutputs.length) return undefined;
  const lines = ["### Output changes", ""];
  for (const m of withOutputs) {
    if (!withDiffs) {
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
    lines.push(`${code(m.stack)}`, "", fence(diffText(diff), "diff"), "");
  }
  return lines.join("\n").trimEnd();
}
