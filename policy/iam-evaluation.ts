import { type Statement } from "./rules/helpers";

/**
 * IAM's policy evaluation, for the questions this project asks of its own policies ("can CI's
 * apply role rewrite its own trust?"): an identity's policies and its permissions boundary
 * against one request. No maintained npm library does this under a licence the project can take
 * (the one that exists, @cloud-copilot/iam-simulate, is AGPL-3.0), so this is the subset of the
 * documented logic these questions need, and it refuses what it does not implement rather than
 * guess:
 * - Effect, Action/NotAction (case-insensitive, `*` and `?`), Resource/NotResource (`*` and `?`,
 *   which match across `/` as IAM's do);
 * - condition operators String(Not)Equals, String(Not)Like, Arn(Not)Equals, Arn(Not)Like, Bool,
 *   Null, each with IfExists, and the ForAllValues:/ForAnyValue: set prefixes; a key missing from
 *   the request makes a positive operator false and a negated one true (IAM's rule);
 * - the decision: an explicit Deny in any policy wins; otherwise the identity's policies must
 *   allow, and so must the boundary where there is one.
 * - a resource policy of another account's resource ({@link evaluateCrossAccount}): its statements
 *   apply to the principals they name (the role's ARN, its account's root, or "*"), and both it and
 *   the identity's policies must allow.
 * Not modelled: resource policies of the principal's own account (where either side may allow
 * alone), NotPrincipal, SCPs, session policies, policy variables (`${aws:username}`), numeric and
 * date operators (an unknown operator, or a NotPrincipal, throws).
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 */

/** One request: an action on a resource, with the condition keys it carries. */
export interface IamRequest {
  readonly action: string;
  readonly resource: string;
  readonly context?: Readonly<Record<string, string | boolean | readonly string[]>>;
}

/** The outcome, and the statement that decided it. */
export interface IamDecision {
  readonly decision: "Allow" | "ExplicitDeny" | "ImplicitDeny";
  /** `<policy>: <Sid>` of the deciding statement(s). */
  readonly by: readonly string[];
}

/** Named sets of statements: `{ "apply role": [...], "CI boundary": [...] }`. */
export type NamedPolicies = Readonly<Record<string, readonly Statement[]>>;

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v === undefined ? [] : [String(v)]);

/** IAM's wildcard match: `*` any run of characters, `?` one character. */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const source = `^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`;
  return new RegExp(source, ignoreCase ? "is" : "s").test(value);
}

type Operator = (values: readonly string[], actual: string) => boolean;
const OPERATORS: Readonly<Record<string, { readonly test: Operator; readonly negated: boolean }>> = {
  StringEquals: { test: (v, a) => v.includes(a), negated: false },
  StringNotEquals: { test: (v, a) => !v.includes(a), negated: true },
  StringEqualsIgnoreCase: { test: (v, a) => v.some((x) => x.toLowerCase() === a.toLowerCase()), negated: false },
  StringLike: { test: (v, a) => v.some((p) => wildcardMatch(p, a)), negated: false },
  StringNotLike: { test: (v, a) => !v.some((p) => wildcardMatch(p, a)), negated: true },
  ArnEquals: { test: (v, a) => v.includes(a), negated: false },
  ArnNotEquals: { test: (v, a) => !v.includes(a), negated: true },
  ArnLike: { test: (v, a) => v.some((p) => wildcardMatch(p, a)), negated: false },
  ArnNotLike: { test: (v, a) => !v.some((p) => wildcardMatch(p, a)), negated: true },
  Bool: { test: (v, a) => v.map((x) => x.toLowerCase()).includes(a.toLowerCase()), negated: false },
};

/** Whether one condition block holds for a request. */
function conditionHolds(operatorName: string, key: string, values: readonly string[], context: NonNullable<IamRequest["context"]>): boolean {
  const present = Object.prototype.hasOwnProperty.call(context, key);
  if (operatorName === "Null") return values.map((v) => v.toLowerCase()).includes(present ? "false" : "true");
  const [, set, base, ifExists] = /^(?:(ForAllValues|ForAnyValue):)?(.+?)(IfExists)?$/.exec(operatorName) ?? [];
  const operator = OPERATORS[base ?? ""];
  if (!operator) throw new Error(`condition operator ${operatorName} is not modelled by policy/iam-evaluation.ts; add it before relying on a decision`);
  if (!present) return ifExists ? true : set === "ForAllValues" ? true : operator.negated;
  const actual = list(context[key]);
  if (set === "ForAllValues") return actual.every((a) => operator.test(values, a));
  if (set === "ForAnyValue") return actual.some((a) => operator.test(values, a));
  return actual.length > 0 && actual.every((a) => operator.test(values, a));
}

/** Whether a statement applies to a request (its effect aside). */
export function statementApplies(s: Statement, request: IamRequest): boolean {
  const actions = s.Action !== undefined ? list(s.Action) : undefined;
  const notActions = s.NotAction !== undefined ? list(s.NotAction) : undefined;
  const actionMatches = actions ? actions.some((a) => wildcardMatch(a, request.action, true)) : !(notActions ?? []).some((a) => wildcardMatch(a, request.action, true));
  if (!actionMatches) return false;
  const withNotResource = s as Statement & { NotResource?: unknown };
  const resources = s.Resource !== undefined ? list(s.Resource) : undefined;
  const resourceMatches = resources ? resources.some((r) => wildcardMatch(r, request.resource)) : withNotResource.NotResource !== undefined ? !list(withNotResource.NotResource).some((r) => wildcardMatch(r, request.resource)) : true;
  if (!resourceMatches) return false;
  return Object.entries(s.Condition ?? {}).every(([operator, byKey]) => Object.entries(byKey).every(([key, values]) => conditionHolds(operator, key, list(values), request.context ?? {})));
}

/**
 * IAM's decision for a principal with `identity` policies and, optionally, a `boundary`: an
 * explicit Deny anywhere wins; else both must allow.
 */
export function evaluate(request: IamRequest, identity: NamedPolicies, boundary?: NamedPolicies): IamDecision {
  const matching = (policies: NamedPolicies, effect: "Allow" | "Deny") => matchingStatements(policies, effect, request);
  const denies = [...matching(identity, "Deny"), ...(boundary ? matching(boundary, "Deny") : [])];
  if (denies.length) return { decision: "ExplicitDeny", by: denies };
  const allowedByIdentity = matching(identity, "Allow");
  const allowedByBoundary = boundary ? matching(boundary, "Allow") : ["(no boundary)"];
  if (allowedByIdentity.length && allowedByBoundary.length) return { decision: "Allow", by: [...allowedByIdentity, ...(boundary ? allowedByBoundary : [])] };
  return { decision: "ImplicitDeny", by: allowedByIdentity.length ? ["the boundary allows none of it"] : ["no policy allows it"] };
}

/** `<policy>: <Sid>` of the statements of an effect that apply to a request. */
function matchingStatements(policies: NamedPolicies, effect: "Allow" | "Deny", request: IamRequest, principal?: string): string[] {
  return Object.entries(policies).flatMap(([name, statements]) =>
    statements.filter((s) => (s.Effect ?? "Allow") === effect && (principal === undefined || namesPrincipal(s, principal)) && statementApplies(s, request)).map((s) => `${name}: ${s.Sid ?? "(no Sid)"}`),
  );
}

/** Whether a resource-policy statement's Principal covers a role: "*", the role's ARN, or its account's root. */
function namesPrincipal(s: Statement, principal: string): boolean {
  if ((s as Statement & { NotPrincipal?: unknown }).NotPrincipal !== undefined) throw new Error("NotPrincipal is not modelled by policy/iam-evaluation.ts");
  if (s.Principal === "*") return true;
  const aws = list((s.Principal as { AWS?: unknown } | undefined)?.AWS);
  const account = principal.split(":")[4];
  return aws.some((p) => p === "*" || p === principal || p === `arn:aws:iam::${account}:root`);
}

/**
 * IAM's decision for a role of one account (`principal`) on a resource of another, which has a
 * resource policy: an explicit Deny in any of the three wins; otherwise the identity's policies
 * (and its boundary, where there is one) must allow, and so must the resource policy, for this principal.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
 */
export function evaluateCrossAccount(request: IamRequest, principal: string, identity: NamedPolicies, boundary: NamedPolicies | undefined, resourcePolicy: NamedPolicies): IamDecision {
  const denies = matchingStatements(resourcePolicy, "Deny", request, principal);
  const own = evaluate(request, identity, boundary);
  if (own.decision === "ExplicitDeny" || denies.length) return { decision: "ExplicitDeny", by: [...(own.decision === "ExplicitDeny" ? own.by : []), ...denies] };
  const granted = matchingStatements(resourcePolicy, "Allow", request, principal);
  if (own.decision === "Allow" && granted.length) return { decision: "Allow", by: [...own.by, ...granted] };
  return { decision: "ImplicitDeny", by: own.decision === "Allow" ? ["the resource policy grants none of it to this principal"] : own.by };
}
