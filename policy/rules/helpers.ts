import { isSecretName } from "../secrets";
import { type ResourceView, type StackView } from "../types";

/** Nested blocks come out of cdktf as an object or a list of objects; this gives a list. */
export function blocks(value: unknown): Array<Record<string, unknown>> {
  if (Array.isArray(value)) return value.filter((v): v is Record<string, unknown> => typeof v === "object" && v !== null);
  return typeof value === "object" && value !== null ? [value as Record<string, unknown>] : [];
}

/** The first nested block at a path of block names (`encryption_info.encryption_in_transit`). */
export function block(attrs: Readonly<Record<string, unknown>>, path: string): Record<string, unknown> | undefined {
  let current: Record<string, unknown> | undefined = attrs as Record<string, unknown>;
  for (const key of path.split(".")) current = current ? blocks(current[key])[0] : undefined;
  return current;
}

/** Whether a value is an interpolation (`${...}`), i.e. a reference rather than a literal. */
export function isReference(value: unknown): boolean {
  return typeof value === "string" && value.includes("${");
}

export function isTrue(value: unknown): boolean {
  return value === true || value === "true";
}

export function strings(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string");
  return typeof value === "string" ? [value] : [];
}

/** One IAM policy statement, loosely typed as it comes out of JSON. */
export interface Statement {
  readonly Sid?: string;
  readonly Effect?: string;
  readonly Principal?: unknown;
  readonly Action?: unknown;
  readonly NotAction?: unknown;
  readonly Resource?: unknown;
  readonly NotResource?: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

const DOCUMENT_REFERENCE = /^\$\{(data\.aws_iam_policy_document\.[\w-]+)\.json\}$/;

/**
 * Statements of a policy: literal JSON, or a reference to an `aws_iam_policy_document` data
 * source of the stack (`${data.aws_iam_policy_document.x.json}`), read back into IAM's JSON
 * shape. Empty when the policy is neither.
 */
export function statements(policy: unknown, stack?: StackView): Statement[] {
  if (typeof policy !== "string") return [];
  const reference = DOCUMENT_REFERENCE.exec(policy.trim());
  if (reference) {
    const document = stack?.ofType("aws_iam_policy_document").find((d) => d.address === reference[1]);
    return document ? blocks(document.attrs.statement).map(fromDocumentStatement) : [];
  }
  try {
    const doc = JSON.parse(policy) as { Statement?: unknown };
    return Array.isArray(doc.Statement) ? (doc.Statement as Statement[]) : doc.Statement ? [doc.Statement as Statement] : [];
  } catch {
    return [];
  }
}

/** A statement block of `aws_iam_policy_document` as the IAM JSON statement it renders. */
function fromDocumentStatement(block: Record<string, unknown>): Statement {
  const principals = blocks(block.principals);
  const conditions = blocks(block.condition);
  const condition: Record<string, Record<string, unknown>> = {};
  for (const c of conditions) condition[String(c.test)] = { ...condition[String(c.test)], [String(c.variable)]: strings(c.values) };
  const statement: Statement = {
    Sid: typeof block.sid === "string" ? block.sid : undefined,
    Effect: typeof block.effect === "string" ? block.effect : "Allow",
    Principal: principals.some((p) => p.type === "*") ? "*" : principals.length ? Object.fromEntries(principals.map((p) => [String(p.type), strings(p.identifiers)])) : undefined,
    Action: block.actions,
    NotAction: block.not_actions,
    Resource: block.resources,
    NotResource: block.not_resources,
    Condition: conditions.length ? condition : undefined,
  };
  return Object.fromEntries(Object.entries(statement).filter(([, v]) => v !== undefined)) as Statement;
}

/** Identity policies of a block: `policy` of policies and inline policies of roles. */
export function identityPolicies(r: ResourceView, stack?: StackView): Statement[] {
  const own = ["aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy"].includes(r.type) ? statements(r.attrs.policy, stack) : [];
  const inline = r.type === "aws_iam_role" ? blocks(r.attrs.inline_policy).flatMap((p) => statements(p.policy, stack)) : [];
  return [...own, ...inline];
}

/** Leaves of a nested value whose key looks secret and whose value is a literal string. */
export function literalSecrets(value: unknown, path = ""): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => literalSecrets(v, `${path}[${i}]`));
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([key, v]) => {
    const here = path ? `${path}.${key}` : key;
    if (typeof v === "string" && isSecretName(key) && v.trim() !== "" && !isReference(v)) return [here];
    return literalSecrets(v, here);
  });
}
