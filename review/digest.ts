import { createHmac } from "node:crypto";
import { changesNothing } from "./classify";
import { type Change, type StackPlan } from "./plan";

/** The key of the digest's keyed hashes: PLAN_DIGEST_KEY, or a random key of one process. */
export type DigestKey = string | Buffer;

/**
 * The semantic digest of plans: per stack, every resource's address, previous address, actions,
 * import and values (after-values, unknowns and sensitivity marks), masked or not; the same for
 * outputs; all hashed with HMAC-SHA256 under a key. Two plans with the same digest make the same
 * changes, to the last sensitive value: a secret, or a value the comment masks by its name
 * (`automountServiceAccountToken`), that differs changes the digest. apply re-plans and compares
 * this against the reviewed plan's digest.
 *
 * The digest reveals no value: without the key, a guess cannot be checked against it (an
 * unkeyed hash of a value as small as `true` or `false` could be). So the key must stay out of
 * the hands of whoever reads digests (the PR's code, the comment's readers). One keyed hash over
 * every value, not one per leaf: it covers each leaf all the same, and keeps the digest of
 * 200,000 changes to about a second. Before-values are left out: a refresh changes them without
 * changing what apply makes. The `sha256:` prefix is kept from the unkeyed digest, so that the
 * scripts that read it need no change.
 */
export function semanticDigest(plans: readonly StackPlan[], key: DigestKey): string {
  if (typeof key !== "string" && !Buffer.isBuffer(key)) throw new Error("semanticDigest needs a key (PLAN_DIGEST_KEY): the values it hashes must not be guessable from the digest");
  if (key.length === 0) throw new Error("semanticDigest needs a key (PLAN_DIGEST_KEY), and it is empty");
  const hmac = createHmac("sha256", key);
  // One JSON array a line: arrays are self-delimiting, so no two plans hash the same stream.
  // Keys keep the order `terraform show -json` wrote them in (sorted, as Go writes maps and cty
  // objects): a plan rewritten in another order digests differently, and apply stops for a
  // review, the safe way to be wrong; sorting here would triple the digest's time.
  const record = (...fields: unknown[]) => hmac.update(`${JSON.stringify(fields)}\n`);
  const values = (c: Change) => [c.after ?? null, c.after_unknown ?? null, c.after_sensitive ?? null];
  for (const { stack, plan } of [...plans].sort((a, b) => compare(a.stack, b.stack))) {
    record("stack", stack);
    const changes = (plan.resource_changes ?? []).filter((rc) => !(rc.change.actions.length === 1 && rc.change.actions[0] === "no-op") || rc.previous_address || rc.change.importing);
    for (const rc of [...changes].sort((a, b) => compare(a.address, b.address))) {
      record("change", rc.address, rc.previous_address ?? null, rc.change.actions, rc.change.importing ?? null, ...values(rc.change));
    }
    const outputs = Object.entries(plan.output_changes ?? {}).filter(([, c]) => !changesNothing(c));
    for (const [name, c] of outputs.sort(([a], [b]) => compare(a, b))) record("output", name, c.actions, ...values(c));
  }
  return `sha256:${hmac.digest("hex")}`;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
