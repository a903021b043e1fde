import { type PolicyStatement } from "./policy-document";

/**
 * Something that can be granted permissions: a role, today. Grant methods on resources
 * (`key.grantDecrypt(role)`, later `database.grantConnect(role, user)`) add an exact,
 * least-privilege statement to the grantee's own policy, so a producer never needs to know its
 * consumers in advance.
 */
export interface IGrantable {
  /** Adds a statement to the grantee's identity policy. */
  addToPrincipalPolicy(statement: PolicyStatement): void;
  /** Where the grantee is, for messages. */
  readonly grantName: string;
}

/** A name as part of a statement id, which allows only letters and digits: `dev-postgres` → `DevPostgres`, `app.` → `App`. */
export function sidPart(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join("");
}
