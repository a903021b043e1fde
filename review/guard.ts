import { createHash } from "node:crypto";
import { didYouMean } from "../config/near";
import { terraformName } from "../config/naming";
import { primaryKind, statefulReason } from "./classify";
import { NO_CONTEXT, type SynthContext } from "./context";
import { type StackPlan } from "./plan";

export interface GuardOptions {
  /**
   * Addresses allowed to be destroyed or replaced, each as `stack:address` (several stacks share
   * addresses) or as its label, `allow-destroy:<12 hex digits>` ({@link allowLabel}).
   */
  readonly allow?: readonly string[];
  /** Construct-path prefixes the config marks as protected (`prod-network/network/vpc`). */
  readonly protectedPaths?: readonly string[];
  /** Construct paths of addresses. @default NO_CONTEXT */
  readonly context?: SynthContext;
}

/** A protected resource a plan would destroy or replace. */
export interface Blocked {
  readonly stack: string;
  readonly address: string;
  readonly constructPath?: string;
  readonly action: "delete" | "replace";
  readonly why: string;
  /** The PR label that allows exactly this destroy (GitHub caps label names at 50 characters). */
  readonly label: string;
}

/** Prefix of the labels that allow a destroy. */
export const ALLOW_LABEL_PREFIX = "allow-destroy:";

/**
 * The label that allows destroying one address of one stack: `allow-destroy:` and the first 12
 * hex digits of the SHA-256 of `stack:address`. Real `allow-destroy:<stack>:<address>` names run
 * to 113 characters, over GitHub's 50-character limit; this one is 26, and the guard prints it
 * next to the address it allows.
 */
export function allowLabel(stack: string, address: string): string {
  return `${ALLOW_LABEL_PREFIX}${createHash("sha256").update(`${stack}:${address}`).digest("hex").slice(0, 12)}`;
}

/** An allow that allowed nothing in these plans, and why: said in the report, never dropped silently. */
export interface UnusedAllow {
  readonly allow: string;
  readonly why: string;
}

/** What the guard found: what it refuses, what the allows let through, and the allows that matched nothing. */
export interface GuardResult {
  readonly blocked: Blocked[];
  readonly allowed: Blocked[];
  readonly unused: UnusedAllow[];
}

const STACK_ADDRESS = /^([a-z][a-z0-9-]*):((?:data\.)?[a-z_][\w-]*\..+)$/;
const LABEL = new RegExp(`^${ALLOW_LABEL_PREFIX}[0-9a-f]{12}$`);

/**
 * Checks each `--allow` before it is used. A malformed one, one naming a stack the manifest does
 * not know, and one naming an address missing from the plan of its stack are mistakes (a typo
 * would otherwise be ignored, and the destroy stay refused for no visible reason): they throw,
 * naming the near matches. An allow of a stack with no plan here (CI hands every environment's
 * apply the pull request's labels) is reported as unused.
 */
function checkAllows(allow: ReadonlySet<string>, plans: readonly StackPlan[], context: SynthContext): void {
  const malformed = [...allow].filter((a) => !STACK_ADDRESS.test(a) && !LABEL.test(a));
  if (malformed.length) {
    throw new Error(`--allow takes stack:address (stacks share addresses, so the stack is required) or an ${ALLOW_LABEL_PREFIX}<12 hex digits> label; got ${malformed.map((a) => JSON.stringify(a)).join(", ")}`);
  }
  const problems: string[] = [];
  for (const a of allow) {
    const [, stack, address] = STACK_ADDRESS.exec(a) ?? [];
    if (!stack || !address) continue;
    if (context.order.length && !context.order.includes(stack)) {
      problems.push(`--allow ${a}: no such stack${didYouMean(stack, context.order)}`);
      continue;
    }
    const plan = plans.find((p) => p.stack === stack)?.plan;
    const addresses = (plan?.resource_changes ?? []).map((rc) => rc.address);
    if (plan && !addresses.includes(address)) problems.push(`--allow ${a}: the plan of ${stack} changes no such address${didYouMean(address, addresses)}`);
  }
  if (problems.length) throw new Error(problems.join("; "));
}

/** Protected resources that the plans would delete or replace and that are not allowed explicitly. */
export function guard(plans: readonly StackPlan[], options: GuardOptions = {}): GuardResult {
  const context = options.context ?? NO_CONTEXT;
  const allow = new Set(options.allow ?? []);
  checkAllows(allow, plans, context);
  const blocked: Blocked[] = [];
  const allowed: Blocked[] = [];
  for (const { stack, plan } of plans) {
    for (const rc of plan.resource_changes ?? []) {
      const action = primaryKind(rc);
      if (action !== "delete" && action !== "replace") continue;
      const constructPath = context.constructPath(stack, rc.address);
      const byConfig = (options.protectedPaths ?? []).find((p) => coversPath(p, constructPath) || coversAddress(p, stack, rc.address));
      const stateful = statefulReason(stack, rc);
      if (!stateful && !byConfig) continue;
      const label = allowLabel(stack, rc.address);
      const entry = { stack, address: rc.address, constructPath, action, why: stateful ? `stateful: ${stateful}` : `protected by config: ${byConfig}`, label };
      (allow.has(`${stack}:${rc.address}`) || allow.has(label) ? allowed : blocked).push(entry);
    }
  }
  const used = new Set(allowed.flatMap((b) => [`${b.stack}:${b.address}`, b.label]));
  const planned = new Set(plans.map((p) => p.stack));
  const unused = [...allow]
    .filter((a) => !used.has(a))
    .map((a) => {
      const stack = STACK_ADDRESS.exec(a)?.[1];
      const why = stack === undefined ? "matches no protected destroy or replace in these plans" : planned.has(stack) ? "is not destroyed or replaced, or not protected: nothing to allow" : `no plan of ${stack} was given`;
      return { allow: a, why };
    });
  return { blocked, allowed, unused };
}

const coversPath = (prefix: string, constructPath: string | undefined) => constructPath !== undefined && (constructPath === prefix || constructPath.startsWith(`${prefix}/`));

/**
 * Whether a `protect` path covers an address, by the naming rule alone (config/naming.ts): the
 * path below the stack, joined with `_`, is the address's name. This holds for a resource the
 * change removes from the code too, which the new synth no longer knows: what was protected
 * before a change stays protected by it.
 */
function coversAddress(prefix: string, stack: string, address: string): boolean {
  const [prefixStack, ...below] = prefix.split("/");
  if (prefixStack !== stack || below.length === 0) return false;
  const name = address.replace(/^data\./, "").split(".")[1]?.replace(/\[[^\]]*\]$/, "");
  const covered = terraformName(below);
  return name === covered || (name?.startsWith(`${covered}_`) ?? false);
}

/** The guard's report for the terminal and the job log. */
export function guardReport(result: { readonly blocked: readonly Blocked[]; readonly allowed: readonly Blocked[]; readonly unused?: readonly UnusedAllow[] }): string {
  const line = (b: Blocked) => `  - ${b.stack}: ${b.address}${b.constructPath ? ` (${b.constructPath})` : ""} would be ${b.action === "delete" ? "deleted" : "replaced"}; ${b.why}`;
  const out: string[] = [];
  if (result.blocked.length) {
    out.push(`plan-guard: ${result.blocked.length} protected resource(s) would be destroyed or replaced:`, ...result.blocked.map(line));
    out.push("", "To proceed deliberately, allow each one: --allow <stack>:<address>, or in CI a maintainer adds its label to the pull request:", ...result.blocked.map((b) => `  ${b.label}   (${b.stack}: ${b.address})`));
  } else out.push("plan-guard: no protected resource would be destroyed or replaced.");
  if (result.allowed.length) out.push("", "Explicitly allowed:", ...result.allowed.map(line));
  if (result.unused?.length) out.push("", "Allowed, but unused here:", ...result.unused.map((u) => `  - ${u.allow} ${u.why}`));
  return out.join("\n");
}
