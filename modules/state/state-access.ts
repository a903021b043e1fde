/**
 * Access to one key prefix of the state: the roles that plan an environment read its `<env>/`
 * keys; the roles that apply it also write them and take their locks. Nothing else.
 */
export interface StateAccessGrant {
  /** Key prefix, with its trailing slash (`dev/`). */
  readonly prefix: string;
  /**
   * Roles that read the state, and neither change it nor lock it (CI's plan and drift roles, which
   * plan with `-lock=false`): so no reader can take, or delete, a writer's lock.
   * @default - none
   */
  readonly readers?: readonly string[];
  /**
   * Roles that read and write the state (CI's apply role, operators).
   * @default - none
   */
  readonly writers?: readonly string[];
}

/** Every role of a grant, readers and writers. */
export function grantPrincipals(grant: StateAccessGrant): string[] {
  return [...(grant.readers ?? []), ...(grant.writers ?? [])];
}

/** A policy statement id for a grant (`dev/` → `Dev`). */
export function grantSid(grant: StateAccessGrant): string {
  return grant.prefix
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]?.toUpperCase() + part.slice(1))
    .join("");
}

/**
 * Access to exactly one state key, and no other: read and write with its lock for an operator
 * role that keeps an account stack's state (`bootstrap/account-<id>.tfstate`) in the bucket;
 * read only for the stack's plan role (pull requests plan it).
 * @see https://developer.hashicorp.com/terraform/language/backend/s3#s3-bucket-permissions
 */
export interface StateKeyGrant {
  /** The state key (`bootstrap/account-111111111111.tfstate`). */
  readonly key: string;
  /** Roles that read and write it. */
  readonly writers: readonly string[];
  /**
   * Roles that only read it, and never lock it.
   * @default - none
   */
  readonly readers?: readonly string[];
}

/** Every role of a key grant, writers and readers. */
export function keyGrantPrincipals(grant: StateKeyGrant): string[] {
  return [...grant.writers, ...(grant.readers ?? [])];
}

/** A policy statement id for a key grant (`bootstrap/account-1.tfstate` → `BootstrapAccount1`). */
export function keyGrantSid(grant: StateKeyGrant): string {
  return grantSid({ prefix: grant.key.replace(/\.tfstate$/, "") });
}
