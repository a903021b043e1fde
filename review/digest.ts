import { createHash } from "node:crypto";
import { changesNothing } from "./classify";
import { type StackPlan } from "./plan";
import { maskedAfter } from "./values";

/**
 * The semantic digest of plans: every resource's address and actions and its after-values with
 * sensitive values masked, per stack. Two plans with the same digest make the same changes, as
 * far as a reviewer could see them; apply.yml re-plans and compares this against the reviewed
 * plan's digest. Secret values are deliberately left out, so the digest reveals nothing of them.
 */
export function semanticDigest(plans: readonly StackPlan[]): string {
  const canonical = [...plans]
    .sort((a, b) => a.stack.localeCompare(b.stack))
    .map(({ stack, plan }) => ({
      stack,
      changes: (plan.resource_changes ?? [])
        .filter((rc) => !(rc.change.actions.length === 1 && rc.change.actions[0] === "no-op") || rc.previous_address || rc.change.importing)
        .map((rc) => ({ address: rc.address, from: rc.previous_address ?? null, actions: rc.change.actions, after: maskedAfter(rc.change) }))
        .sort((a, b) => a.address.localeCompare(b.address)),
      outputs: Object.entries(plan.output_changes ?? {})
        .filter(([, c]) => !changesNothing(c))
        .map(([name, c]) => ({ name, actions: c.actions, after: maskedAfter(c) }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    }));
  return `sha256:${createHash("sha256").update(JSON.stringify(canonical)).digest("hex")}`;
}
