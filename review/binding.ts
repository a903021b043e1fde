import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * What one plan comment vouches for: one plan run, for one pull request into the default branch,
 * at one base and one head, with one `.tfplan` per stack, each known by its sha256. The trusted
 * job that renders the comment (plan-review.yml, the base branch's code) writes it into the hidden
 * marker; apply reads it back from the comment that was approved and applies only `.tfplan` files
 * whose sha256 is listed here (docs/review-workflow.md, "Binding the review to the apply").
 */
export interface PlanBinding {
  /** The plan workflow run whose artifacts hold the plans. */
  readonly run: string;
  /** The pull request the plans were made for. */
  readonly pr: number;
  /** The base branch's commit the change was judged against. */
  readonly base: string;
  /** The pull request's head commit the plans were made from. */
  readonly head: string;
  /** sha256 (hex) of each stack's decrypted `.tfplan`, by stack. */
  readonly plans: Readonly<Record<string, string>>;
  /**
   * The stacks whose plans change anything (a resource or an output): apply runs, and asks the
   * approval of, only the environments that have one, or a stack with no plan yet. @default - none
   */
  readonly changed?: readonly string[];
  /** sha256 (hex) of the orphaned-state report the comment showed. @default - no report */
  readonly orphans?: string;
  /**
   * HMAC-SHA256 of the whole comment: the marker's other fields, its digest, and all of its text
   * ({@link commentMac}), keyed with the review key. Only the trusted jobs hold that key (the
   * `plan-review` and apply GitHub Environments, which only the default branch may enter), so a
   * comment posted by any other workflow, even as github-actions[bot], or edited after it was
   * posted, does not verify. @default - unsigned
   */
  readonly mac?: string;
}

const SHA256 = /^[0-9a-f]{64}$/;
const COMMIT = /^[0-9a-f]{7,40}$/;
const STACK = /^[a-z][a-z0-9-]*$/;

/** The binding as marker fields: ` run=… pr=… base=… head=… plans=stack:sha256,… changed=stack,… [orphans=sha256] [mac=…]`. */
export function bindingFields(binding: PlanBinding): string {
  checkBinding(binding, "binding");
  const plans = Object.entries(binding.plans)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([stack, sha]) => `${stack}:${sha}`)
    .join(",");
  return ` run=${binding.run} pr=${binding.pr} base=${binding.base} head=${binding.head} plans=${plans || "-"} changed=${[...(binding.changed ?? [])].sort().join(",") || "-"}${binding.orphans ? ` orphans=${binding.orphans}` : ""}${binding.mac ? ` mac=${binding.mac}` : ""}`;
}

/** The first line (the marker) without its `mac` field, and the rest: what the MAC covers. */
function unsignedParts(markdown: string): { marker: string; body: string } {
  const newline = markdown.indexOf("\n");
  const marker = newline < 0 ? markdown : markdown.slice(0, newline);
  return { marker: marker.replace(/ mac=\S+/, ""), body: newline < 0 ? "" : markdown.slice(newline + 1) };
}

/**
 * The MAC of a whole comment: its marker (the binding and the digest) and every character below
 * it, keyed with the review key. An edit of the comment's text (any writer may edit a bot's
 * comment) breaks it, as does a change of any bound field.
 */
export function commentMac(markdown: string, key: string): string {
  if (!key) throw new Error("no review key: set PLAN_DIGEST_KEY (the trusted jobs derive it from PLAN_PRIVATE_KEY)");
  const { marker, body } = unsignedParts(markdown);
  return createHmac("sha256", key).update(`plan-comment\n${marker}\n${body}`).digest("hex");
}

/** Signs a rendered comment: its marker gets the `mac` of the whole comment. */
export function signComment(markdown: string, key: string): string {
  readBinding(markdown);
  const { marker, body } = unsignedParts(markdown);
  const signed = marker.replace(/ -->$/, ` mac=${commentMac(markdown, key)} -->`);
  if (signed === marker) throw new Error("the plan comment's marker does not end with -->");
  return markdown.includes("\n") ? `${signed}\n${body}` : signed;
}

/**
 * Checks a comment's signature; throws when it is unsigned, signed with another key, or its
 * marker or text changed after signing. Returns its binding.
 */
export function verifyComment(markdown: string, key: string): PlanBinding {
  const binding = readBinding(markdown);
  if (!binding.mac) throw new Error("the plan comment's binding is not signed: it was not rendered by the trusted review job (plan-review.yml)");
  const expected = Buffer.from(commentMac(markdown, key), "hex");
  const given = Buffer.from(binding.mac, "hex");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new Error("the plan comment does not verify: its binding or its text was changed after the trusted review job signed it, or another workflow signed it; re-run the plan");
  }
  return binding;
}

/**
 * The binding in a comment's marker line. Throws, naming what is missing or malformed, when the
 * comment has none: a comment without a binding vouches for nothing.
 */
export function readBinding(markdown: string): PlanBinding {
  const marker = markdown.split("\n", 1)[0] ?? "";
  if (!marker.startsWith("<!-- plan-comment ")) throw new Error("not a plan comment: its first line is not the plan-comment marker");
  const fields = new Map([...marker.matchAll(/ ([a-z]+)=(\S+)/g)].map((m) => [m[1] as string, m[2] as string]));
  const missing = ["run", "pr", "base", "head", "plans"].filter((k) => !fields.has(k));
  if (missing.length) throw new Error(`the plan comment's marker has no ${missing.join(", ")}: it was not rendered by the trusted review job, and vouches for no plan`);
  const planList = fields.get("plans") as string;
  const plans: Record<string, string> = {};
  for (const entry of planList === "-" ? [] : planList.split(",")) {
    const [stack = "", sha = ""] = entry.split(":");
    if (stack in plans) throw new Error(`the plan comment's marker lists ${stack} twice`);
    plans[stack] = sha;
  }
  const binding: PlanBinding = {
    run: fields.get("run") as string,
    pr: Number(fields.get("pr")),
    base: fields.get("base") as string,
    head: fields.get("head") as string,
    plans,
    changed: !fields.has("changed") || fields.get("changed") === "-" ? [] : (fields.get("changed") as string).split(","),
    ...(fields.has("orphans") ? { orphans: fields.get("orphans") } : {}),
    ...(fields.has("mac") ? { mac: fields.get("mac") } : {}),
  };
  checkBinding(binding, "the plan comment's marker");
  return binding;
}

function checkBinding(b: PlanBinding, what: string): void {
  const problems: string[] = [];
  if (!/^\d+$/.test(b.run)) problems.push(`run ${JSON.stringify(b.run)} is not a run id`);
  if (!Number.isInteger(b.pr) || b.pr <= 0) problems.push(`pr ${JSON.stringify(b.pr)} is not a pull request number`);
  if (!COMMIT.test(b.base)) problems.push(`base ${JSON.stringify(b.base)} is not a commit`);
  if (!COMMIT.test(b.head)) problems.push(`head ${JSON.stringify(b.head)} is not a commit`);
  for (const [stack, sha] of Object.entries(b.plans)) {
    if (!STACK.test(stack)) problems.push(`stack ${JSON.stringify(stack)} is not a stack id`);
    if (!SHA256.test(sha)) problems.push(`the sha256 of ${stack}, ${JSON.stringify(sha)}, is not 64 hex digits`);
  }
  for (const stack of b.changed ?? []) if (!(stack in b.plans)) problems.push(`changed stack ${JSON.stringify(stack)} has no plan`);
  if (b.orphans !== undefined && !SHA256.test(b.orphans)) problems.push(`orphans ${JSON.stringify(b.orphans)} is not 64 hex digits`);
  if (b.mac !== undefined && !SHA256.test(b.mac)) problems.push(`mac ${JSON.stringify(b.mac)} is not 64 hex digits`);
  if (problems.length) throw new Error(`${what}: ${problems.join("; ")}`);
}
