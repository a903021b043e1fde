/**
 * Access to one key prefix of the state: the roles that plan an environment read its `<env>/`
 * keys and take the lock; the roles that apply it also write them. Nothing else.
 */
export interface StateAccessGrant {
  /** Key prefix, with its trailing slash (`dev/`). */
  readonly prefix: string;
  /**
   * Roles that read the state and take the lock, but cannot change the state (CI's plan and drift roles).
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
 * Read and write of exactly one state key and its lock, and no other: what an operator role
 * needs to keep an account stack's state (`bootstrap/account-<id>.tfstate`) in the bucket.
 * @see https://developer.hashicorp.com/terraform/language/backend/s3#s3-bucket-permissions
 */
export interface StateKeyGrant {
  /** The state key (`bootstrap/account-111111111111.tfstate`). */
  readonly key: string;
  /** Roles that read and write it. */
  readonly writers: readonly string[];
}

/** A policy statement id for a key grant (`bootstrap/account-1.tfstate` → `BootstrapAccount1`). */
export function keyGrantSid(grant: StateKeyGrant): string {
  return grantSid({ prefix: grant.key.replace(/\.tfstate$/, "") });
}
