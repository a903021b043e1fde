import { accountStateKey, environmentOfStack, layerOfStack, stackOfStateKey, stateKey } from "../config/naming";

/**
 * Orphaned state: a state key that no stack of the current synth owns and that still holds
 * resources. It happens when a stack leaves the code (prod's `database` section removed, so
 * `prod-database` leaves the manifest; `prod` renamed to `prd`, and every prod stack leaves it).
 * Nothing is destroyed: the resources stay in AWS, but no plan and no drift check looks at them
 * again. The guard refuses the change until it is allowed as `<stack>:orphaned-state`
 * (review/allow.ts); the decommission path is a destroy plan, reviewed like any other, before the
 * stack leaves the code.
 */

/** One state object in the bucket and how many managed resources it holds. */
export interface StateKey {
  /** The object's key (`prod/database.tfstate`, `bootstrap/account-111111111111.tfstate`). */
  readonly key: string;
  /**
   * Managed resources in the state (`mode: "managed"`; data sources manage nothing and are not
   * counted), or null when the state could not be read to count them: an orphan all the same.
   */
  readonly resources: number | null;
}

/** A state key no current stack owns that still holds resources (or was not counted). */
export interface Orphan {
  /** The stack whose state it was (`prod-database`). */
  readonly stack: string;
  readonly key: string;
  readonly resources: number | null;
}

/**
 * State-backend's own key once its state moved into the bucket
 * (stacks/state-backend-stack.ts; __tests__/stacks/state-backend-stack.test.ts pins it).
 */
export const STATE_BACKEND_STATE_KEY = "state-backend/terraform.tfstate";

const ACCOUNT_KEY = /^bootstrap\/(account-\d{12})\.tfstate$/;

/**
 * The stack a state key belongs to: `<env>/<layer>.tfstate` → `<env>-<layer>`
 * (config/naming.ts stackOfStateKey), an account stack's `bootstrap/account-<id>.tfstate` →
 * `account-<id>`, and state-backend's own key → `state-backend`. Any other key reads back by
 * the same rule (`prod/old.tfstate` → `prod-old`), a stack no manifest lists: it is never owned
 * by accident.
 */
export function stackOfKey(key: string): string {
  if (key === STATE_BACKEND_STATE_KEY) return "state-backend";
  const account = ACCOUNT_KEY.exec(key)?.[1];
  return account ?? stackOfStateKey(key);
}

/** The state key of a stack id: {@link stackOfKey} read back. */
export function stateKeyOfStack(stack: string): string {
  if (stack === "state-backend") return STATE_BACKEND_STATE_KEY;
  const account = /^account-(\d{12})$/.exec(stack)?.[1];
  if (account) return accountStateKey(account);
  const layer = layerOfStack(stack);
  if (!layer) throw new Error(`${stack}: not a stack id (<env>-<layer>, account-<id> or state-backend)`);
  return stateKey({ name: environmentOfStack(stack) }, layer);
}

/**
 * The orphans among a bucket's state keys: each key whose stack is not in the manifest and that
 * holds at least one managed resource (an emptied state, after a reviewed destroy, orphans
 * nothing), or whose resources were not counted (it may hold some). Sorted by stack, so the
 * report reads the same every run.
 */
export function orphansOf(stateKeys: readonly StateKey[], manifestStacks: readonly string[]): Orphan[] {
  const owned = new Set(manifestStacks);
  return stateKeys
    .filter((s) => (s.resources === null || s.resources > 0) && !owned.has(stackOfKey(s.key)))
    .map((s) => ({ stack: stackOfKey(s.key), key: s.key, resources: s.resources }))
    .sort((a, b) => a.stack.localeCompare(b.stack) || a.key.localeCompare(b.key));
}

/**
 * Checks a parsed orphan list (plan-guard's `--orphans` file): a list of `{ stack, key, resources }`,
 * each stack the one its key names, resources a count or null (not counted). Anything else
 * throws, naming the source and the entry: a list the guard cannot read would otherwise pass as
 * "no orphans".
 */
export function asOrphans(source: string, json: unknown): Orphan[] {
  if (!Array.isArray(json)) throw new Error(`${source}: must be a JSON list of { stack, key, resources } (the orphaned state keys); got ${typeof json}`);
  return json.map((entry: unknown, i) => {
    const o = entry as Partial<Orphan> | null;
    const counted = o?.resources === null || (Number.isInteger(o?.resources) && (o?.resources as number) >= 0);
    const ok = typeof o === "object" && o !== null && typeof o.stack === "string" && typeof o.key === "string" && counted;
    if (!ok) throw new Error(`${source}: entry ${i} must be { stack, key, resources } with resources a whole number, or null when not counted; got ${JSON.stringify(entry)}`);
    if (stackOfKey(o.key as string) !== o.stack) throw new Error(`${source}: entry ${i}: key ${o.key} is the state of ${stackOfKey(o.key as string)}, not of ${o.stack}`);
    return { stack: o.stack as string, key: o.key as string, resources: o.resources as number | null };
  });
}
