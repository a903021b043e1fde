import { type IConstruct } from "constructs";

/** A justified exemption of one construct subtree from one rule. */
export interface Suppression {
  readonly ruleId: string;
  readonly reason: string;
  /** Construct path the suppression was attached to. */
  readonly path: string;
}

const suppressions = new WeakMap<IConstruct, Suppression[]>();

/**
 * Exempts `scope` and everything beneath it from one rule. The reason is mandatory and lands in
 * the policy report, where reviewers read it. There is deliberately no way to switch a rule off
 * globally.
 */
export function suppress(scope: IConstruct, ruleId: string, reason: string): void {
  if (!/^PI-[A-Z0-9]+-\d{3}$/.test(ruleId)) throw new Error(`suppress(${scope.node.path}): "${ruleId}" is not a rule id (PI-<AREA>-<NNN>)`);
  if (reason.trim().length < 10) {
    throw new Error(`suppress(${scope.node.path}, ${ruleId}): a reason a reviewer can accept is required (at least a sentence), got "${reason}"`);
  }
  const list = suppressions.get(scope) ?? [];
  list.push({ ruleId, reason: reason.trim(), path: scope.node.path });
  suppressions.set(scope, list);
}

/** Suppressions attached to a construct and to every construct beneath it. */
export function suppressionsIn(root: IConstruct): Suppression[] {
  return root.node.findAll().flatMap((node) => suppressions.get(node) ?? []);
}

/** The suppression that covers a rule at a construct path, if any (nearest ancestor wins). */
export function coveringSuppression(all: readonly Suppression[], ruleId: string, path: string): Suppression | undefined {
  return all
    .filter((s) => s.ruleId === ruleId && (path === s.path || path.startsWith(`${s.path}/`)))
    .sort((a, b) => b.path.length - a.path.length)[0];
}
