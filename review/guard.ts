import { didYouMean } from "../config/near";
import { terraformName } from "../config/naming";
import { allowLine, ORPHANED_STATE } from "./allow";
import { primaryKind, statefulReason } from "./classify";
import { NO_CONTEXT, type SynthContext } from "./context";
import { dataLoss } from "./data-loss";
import { type Orphan } from "./orphans";
import { type ResourceChange, type StackPlan } from "./plan";
import { type ClusterMembers, namespaceOwner, namespaceRefusal } from "./tenancy";

export interface GuardOptions {
  /**
   * What is allowed, each as `stack:address` (stacks share addresses), or `stack:orphaned-state`
   * for an orphaned state. In CI these come from `/allow` lines of approving reviews, which the
   * apply script checks (reviewer, head, the plan's sha256) before handing them over
   * (review/allow.ts); labels count for nothing.
   */
  readonly allow?: readonly string[];
  /** Construct-path prefixes the config marks as protected (`prod-network/network/vpc`). */
  readonly protectedPaths?: readonly string[];
  /** Construct paths of addresses. @default NO_CONTEXT */
  readonly context?: SynthContext;
  /** State keys no current stack owns that still hold resources (review/orphans.ts orphansOf). @default - none */
  readonly orphans?: readonly Orphan[];
  /**
   * Which environment's services each cluster's namespaces hold (review/tenancy.ts): deleting or
   * replacing one is refused naming that environment. @default - none: a namespace's deletion is
   * refused as data-destroying, without its owner
   */
  readonly clusters?: readonly ClusterMembers[];
}

/** A change the guard refuses until it is allowed. */
export interface Blocked {
  readonly stack: string;
  /** The resource's address, or {@link ORPHANED_STATE} for an orphaned state. */
  readonly address: string;
  readonly constructPath?: string;
  readonly action: "delete" | "replace" | "update" | "orphan";
  readonly why: string;
  /** The state key, for an orphaned state. */
  readonly stateKey?: string;
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

const STACK_ADDRESS = new RegExp(`^([a-z][a-z0-9-]*):(${ORPHANED_STATE}|(?:data\\.)?[a-z_][\\w-]*\\..+)$`);

/** The action lists Terraform plans (https://developer.hashicorp.com/terraform/internals/json-format, "Change Representation"). */
export const KNOWN_ACTIONS: readonly (readonly string[])[] = [["no-op"], ["create"], ["read"], ["update"], ["delete", "create"], ["create", "delete"], ["delete"], ["forget"]];
const KNOWN = new Set(KNOWN_ACTIONS.map((a) => a.join()));

/**
 * What makes plans impossible to judge, one line each: a plan that errored part-way or is
 * incomplete (it does not show every change), an action list Terraform never writes, and a data
 * source planned as anything but a read (Terraform only reads them; a "deleted" data source of a
 * stateful type would otherwise slip past every rule). The guard refuses to run on any of these.
 */
export function unjudgeable(plans: readonly StackPlan[]): string[] {
  const problems: string[] = [];
  for (const { stack, plan } of plans) {
    if (plan.errored === true) problems.push(`${stack}: the plan errored (errored: true): Terraform stopped part-way, so it does not show every change; fix the error and plan again`);
    if (plan.complete === false) problems.push(`${stack}: the plan is incomplete (complete: false): more changes follow after this apply, which no one has reviewed; plan again once nothing is deferred`);
    for (const rc of (plan.resource_changes ?? []) as readonly Partial<ResourceChange>[]) {
      const actions: unknown = rc.change?.actions;
      if (!Array.isArray(actions) || !KNOWN.has(actions.join())) {
        problems.push(`${stack}: ${String(rc.address)} has actions ${JSON.stringify(actions)}, none of those Terraform plans (${KNOWN_ACTIONS.map((a) => JSON.stringify(a)).join(", ")})`);
      } else if (rc.mode === "data" && !["read", "no-op"].includes(actions.join())) {
        problems.push(`${stack}: ${String(rc.address)} is a data source (mode "data") planned as ${JSON.stringify(actions)}: Terraform only reads data sources, so this is not a plan Terraform made`);
      }
    }
  }
  return problems;
}

/**
 * Checks each `--allow` before it is used. A malformed one, one naming a stack that neither the
 * manifest nor the orphans know, and one naming an address missing from the plan of its stack
 * are mistakes (a typo would otherwise be ignored, and the change stay refused for no visible
 * reason): they throw, naming the near matches. An allow of a stack with no plan here is reported
 * as unused.
 */
function checkAllows(allow: ReadonlySet<string>, plans: readonly StackPlan[], context: SynthContext, orphans: readonly Orphan[]): void {
  const labels = [...allow].filter((a) => a.startsWith("allow-destroy:"));
  if (labels.length) throw new Error(`--allow ${labels.join(", ")}: labels allow nothing any more; a reviewer allows a change with an /allow line in an approving review (review/allow.ts), handed to the guard as stack:address`);
  const malformed = [...allow].filter((a) => !STACK_ADDRESS.test(a));
  if (malformed.length) {
    throw new Error(`--allow takes stack:address (stacks share addresses, so the stack is required), or stack:${ORPHANED_STATE} for an orphaned state; got ${malformed.map((a) => JSON.stringify(a)).join(", ")}`);
  }
  const known = [...context.order, ...orphans.map((o) => o.stack)];
  const problems: string[] = [];
  for (const a of allow) {
    const [, stack, address] = STACK_ADDRESS.exec(a) as RegExpExecArray;
    if (context.order.length && !known.includes(stack as string)) {
      problems.push(`--allow ${a}: no such stack${didYouMean(stack as string, known)}`);
      continue;
    }
    if (address === ORPHANED_STATE) continue;
    const plan = plans.find((p) => p.stack === stack)?.plan;
    const addresses = (plan?.resource_changes ?? []).map((rc) => rc.address);
    if (plan && !addresses.includes(address as string)) problems.push(`--allow ${a}: the plan of ${stack} changes no such address${didYouMean(address as string, addresses)}`);
  }
  if (problems.length) throw new Error(problems.join("; "));
}

/** Why the guard refuses one resource change, or undefined. */
function refusal(stack: string, rc: ResourceChange, constructPath: string | undefined, protectedPaths: readonly string[], clusters: readonly ClusterMembers[]): string | undefined {
  const action = primaryKind(rc);
  if (action === "delete" || action === "replace") {
    const stateful = statefulReason(stack, rc);
    if (stateful) return `stateful: ${stateful}`;
    const owner = namespaceOwner(stack, rc, clusters);
    if (owner) return namespaceRefusal(owner, rc);
    const byConfig = protectedPaths.find((p) => coversPath(p, constructPath) || coversAddress(p, stack, rc.address));
    if (byConfig) return `protected by config: ${byConfig}`;
  }
  const loss = dataLoss(rc);
  return loss.length ? `data-destroying: ${loss.join("; ")}` : undefined;
}

const orphanWhy = (o: Orphan) =>
  `orphaned: ${o.resources === null ? "its resources (not counted: the state could not be read)" : `${o.resources} resource${o.resources === 1 ? "" : "s"}`} will no longer be managed (nothing is destroyed)`;

/**
 * What the plans would do that must not happen without an allow: a stateful or protected
 * resource deleted or replaced, a data-destroying change (review/data-loss.ts), a state left
 * orphaned. Throws on plans it cannot judge ({@link unjudgeable}), a mistyped allow, and an
 * orphan whose stack the manifest still lists.
 */
export function guard(plans: readonly StackPlan[], options: GuardOptions = {}): GuardResult {
  const context = options.context ?? NO_CONTEXT;
  const orphans = options.orphans ?? [];
  const problems = unjudgeable(plans);
  if (problems.length) throw new Error(`plan-guard cannot judge these plans: ${problems.join("; ")}`);
  const owned = orphans.filter((o) => context.order.includes(o.stack));
  if (owned.length) throw new Error(`orphans: ${owned.map((o) => `${o.stack} (${o.key})`).join(", ")} is a stack of the manifest, so its state is not orphaned`);
  const allow = new Set(options.allow ?? []);
  checkAllows(allow, plans, context, orphans);
  const blocked: Blocked[] = [];
  const allowed: Blocked[] = [];
  for (const { stack, plan } of plans) {
    for (const rc of plan.resource_changes ?? []) {
      const constructPath = context.constructPath(stack, rc.address);
      const why = refusal(stack, rc, constructPath, options.protectedPaths ?? [], options.clusters ?? []);
      if (!why) continue;
      const action = primaryKind(rc) as "delete" | "replace" | "update";
      (allow.has(`${stack}:${rc.address}`) ? allowed : blocked).push({ stack, address: rc.address, constructPath, action, why });
    }
  }
  for (const o of orphans) {
    (allow.has(`${o.stack}:${ORPHANED_STATE}`) ? allowed : blocked).push({ stack: o.stack, address: ORPHANED_STATE, action: "orphan", why: orphanWhy(o), stateKey: o.key });
  }
  const used = new Set(allowed.map((b) => `${b.stack}:${b.address}`));
  const planned = new Set(plans.map((p) => p.stack));
  const unused = [...allow]
    .filter((a) => !used.has(a))
    .map((a) => {
      const [, stack, address] = STACK_ADDRESS.exec(a) as RegExpExecArray;
      const why =
        address === ORPHANED_STATE ? "is not orphaned here: nothing to allow" : planned.has(stack as string) ? "is not destroyed, replaced or changed in a way that destroys data, or not protected: nothing to allow" : `no plan of ${stack} was given`;
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

/** The sha256 values the allow lines of the report name, when the caller knows them. */
export interface ReportShas {
  /** sha256 of each stack's reviewed `.tfplan`, by stack. */
  readonly plans?: Readonly<Record<string, string>>;
  /** sha256 of the orphan report the comment showed. */
  readonly orphanReport?: string;
}

const VERB: Readonly<Record<Blocked["action"], string>> = { delete: "deleted", replace: "replaced", update: "changed in place", orphan: "left unmanaged" };

/** The guard's report for the terminal and the job log. */
export function guardReport(result: { readonly blocked: readonly Blocked[]; readonly allowed: readonly Blocked[]; readonly unused?: readonly UnusedAllow[] }, shas: ReportShas = {}): string {
  const where = (b: Blocked) => b.constructPath ?? b.stateKey;
  const line = (b: Blocked) => `  - ${b.stack}: ${b.address}${where(b) ? ` (${where(b)})` : ""} would be ${VERB[b.action]}; ${b.why}`;
  const sha = (b: Blocked) => (b.action === "orphan" ? (shas.orphanReport ?? "<sha256 of the orphan report>") : (shas.plans?.[b.stack] ?? `<sha256 of ${b.stack}'s .tfplan>`));
  const out: string[] = [];
  if (result.blocked.length) {
    out.push(`plan-guard: ${result.blocked.length} change(s) refused until allowed:`, ...result.blocked.map(line));
    out.push(
      "",
      "To proceed deliberately, a reviewer on the approver list allows each one with a line in an approving review of the latest head (locally: --allow <stack>:<address>):",
      ...result.blocked.map((b) => `  ${allowLine(b.stack, b.address, sha(b))}`),
    );
  } else out.push("plan-guard: nothing refused: no stateful, protected or data-destroying change, and no orphaned state.");
  if (result.allowed.length) out.push("", "Explicitly allowed:", ...result.allowed.map(line));
  if (result.unused?.length) out.push("", "Allowed, but unused here:", ...result.unused.map((u) => `  - ${u.allow} ${u.why}`));
  return out.join("\n");
}
