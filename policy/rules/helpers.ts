import { type ResourceView } from "../types";

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
  readonly Condition?: Record<string, Record<string, unknown>>;
}

/** Statements of a policy held as a JSON string (empty when it is not literal JSON). */
export function statements(policy: unknown): Statement[] {
  if (typeof policy !== "string") return [];
  try {
    const doc = JSON.parse(policy) as { Statement?: unknown };
    return Array.isArray(doc.Statement) ? (doc.Statement as Statement[]) : doc.Statement ? [doc.Statement as Statement] : [];
  } catch {
    return [];
  }
}

/** Identity policies of a block: `policy` of policies and inline policies of roles. */
export function identityPolicies(r: ResourceView): Statement[] {
  const own = ["aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy"].includes(r.type) ? statements(r.attrs.policy) : [];
  const inline = r.type === "aws_iam_role" ? blocks(r.attrs.inline_policy).flatMap((p) => statements(p.policy)) : [];
  return [...own, ...inline];
}

/** Names that mark a value as secret (password, token, private key...). */
export const SECRET_NAME = /(pass(word|wd)?|secret|token|private_?key|api_?key|credentials?)$/i;

/** Names that point at a secret rather than hold one (Helm's `existingSecret` convention). */
const SECRET_POINTER = /^(existing|external)/i;

/** Whether an attribute name says its value is a secret. */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) && !SECRET_POINTER.test(name);
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
