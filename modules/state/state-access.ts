/**
 * Access to one key prefix of the state: the roles that plan and apply an environment read and
 * write `<env>/` keys (state files and their `.tflock` objects) and nothing else.
 */
export interface StateAccessGrant {
  /** Key prefix, with its trailing slash (`dev/`). */
  readonly prefix: string;
  /** IAM role ARNs granted access. */
  readonly principals: readonly string[];
}

/** A policy statement id for a grant (`dev/` → `Dev`). */
export function grantSid(grant: StateAccessGrant): string {
  return grant.prefix
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]?.toUpperCase() + part.slice(1))
    .join("");
}
