import { changesNothing, countChanges, type Counts, kindsOf } from "./classify";
import { type Change, type ResourceChange, type StackPlan } from "./plan";
import { attributePath } from "./values";

/** The per-stack facts a comment is rendered from. */
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
  const rank = new Map(order.map((s, i) => [s, i]));
  const at = (s: string) => rank.get(s) ?? order.length;
  return [...plans].sort((a, b) => at(a.stack) - at(b.stack) || a.stack.localeCompare(b.stack));
}
