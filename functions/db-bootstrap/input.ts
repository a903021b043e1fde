/**
 * The input of the database bootstrap function, and its checks: who the users are, and what a
 * run reports. Kept apart from the SQL (reconcile.ts) so the Terraform side (modules/database)
 * types its invocation with it, and nothing reads the input before it is checked.
 */

/** One database user: the role a service logs in as with IAM authentication. */
export interface BootstrapUser {
  /** The role's name; also the name of the schema it owns. */
  readonly name: string;
  /** The service the user belongs to (a DNS label); recorded as the role's comment. */
  readonly service: string;
}

/** What the function is asked to make true. */
export interface BootstrapInput {
  /** The application database (the one RDS created with the instance, owned by the master user). */
  readonly database: string;
  /** Every user that should exist and log in with IAM authentication. */
  readonly users: readonly BootstrapUser[];
}

/**
 * What a run changed, by user name, each list sorted. `created`, `updated` and `unchanged` hold
 * exactly the input's users; a user revoked by an earlier run is in none of the lists.
 */
export interface BootstrapResult {
  /** Users created this run. */
  readonly created: string[];
  /** Users whose privileges had to be (re)applied (e.g. re-enabled after a revoke). */
  readonly updated: string[];
  /** Managed users no longer in input whose login was revoked this run. */
  readonly revoked: string[];
  /** Input users that were already as wanted: nothing was run for them. */
  readonly unchanged: string[];
}

/** What runs the SQL: one connection (a `pg.Client`; never a pool, the statements share a transaction). */
export interface Queryable {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

/** NOLOGIN role every user this function manages is a member of: how it tells its users from anyone else's. */
export const MANAGED_MARKER_ROLE = "bootstrap_managed";

/** The RDS role whose members log in only with IAM tokens (and then never with a password). */
export const IAM_AUTH_ROLE = "rds_iam";

/** Unquoted-identifier-safe role names: lowercase, as IAM tokens match user names case-sensitively. */
const NAME_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;
/** A service name is a DNS label, as config/services.ts (SERVICE_NAME) defines it. */
const SERVICE_PATTERN = /^[a-z]([a-z0-9-]{0,30}[a-z0-9])?$/;
/** Names PostgreSQL refuses for roles, and the system schema a user's schema would collide with. */
const RESERVED_NAMES = new Set(["public", "none", "current_user", "current_role", "session_user", "information_schema"]);

/** Why `name` cannot be a managed user, or undefined when it can. */
export function userNameProblem(name: string): string | undefined {
  if (!NAME_PATTERN.test(name)) return `must match ${NAME_PATTERN.source}: lowercase letters, digits and _, starting with a letter or _, at most 63 characters`;
  // https://www.postgresql.org/docs/current/sql-createrole.html: "pg_" names are reserved for system roles.
  if (name.startsWith("pg_")) return `starts with "pg_", which PostgreSQL reserves for its predefined roles`;
  if (name.startsWith("rds")) return `starts with "rds", which RDS reserves for its own roles (rds_iam, rds_superuser, rdsadmin)`;
  if (name === MANAGED_MARKER_ROLE) return `is the marker role of the users this function manages, not a user`;
  if (RESERVED_NAMES.has(name)) return `is reserved by PostgreSQL`;
  return undefined;
}

/**
 * The input, checked: throws one Error naming every problem (field, bad value, what is allowed).
 * Unknown keys are errors too, so a misspelt field is never silently ignored.
 */
export function validateInput(input: unknown): BootstrapInput {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new Error(`db-bootstrap input must be an object { database, users }, got ${input === null ? "null" : Array.isArray(input) ? "an array" : typeof input}`);
  }
  const problems: string[] = [];
  const record = input as Record<string, unknown>;
  for (const key of Object.keys(record)) if (key !== "database" && key !== "users") problems.push(`unknown key "${key}" (allowed: database, users)`);
  const database = record.database;
  if (database === undefined) problems.push("database: is required: the name of the application database");
  else if (typeof database !== "string" || !NAME_PATTERN.test(database)) problems.push(`database: ${JSON.stringify(database)} must match ${NAME_PATTERN.source}`);
  const users: BootstrapUser[] = [];
  if (!Array.isArray(record.users)) problems.push(`users: must be a list of { name, service }, got ${JSON.stringify(record.users) ?? "nothing"}`);
  else {
    const seen = new Map<string, number>();
    record.users.forEach((user: unknown, i) => {
      const user_ = userProblems(user, `users[${i}]`, problems);
      if (!user_) return;
      const first = seen.get(user_.name);
      if (first !== undefined) problems.push(`users[${i}].name: "${user_.name}" is listed twice (also users[${first}])`);
      seen.set(user_.name, i);
      users.push(user_);
    });
  }
  if (problems.length > 0) throw new Error(`db-bootstrap input is invalid: ${problems.join("; ")}`);
  return { database: database as string, users };
}

/** One user of the input, checked; its problems are added to `problems`. */
function userProblems(user: unknown, at: string, problems: string[]): BootstrapUser | undefined {
  if (typeof user !== "object" || user === null || Array.isArray(user)) {
    problems.push(`${at}: must be an object { name, service }, got ${JSON.stringify(user)}`);
    return undefined;
  }
  const { name, service, ...rest } = user as Record<string, unknown>;
  const before = problems.length;
  for (const key of Object.keys(rest)) problems.push(`${at}: unknown key "${key}" (allowed: name, service)`);
  if (typeof name !== "string") problems.push(`${at}.name: is required: a PostgreSQL role name`);
  else {
    const problem = userNameProblem(name);
    if (problem) problems.push(`${at}.name: "${name}" ${problem}`);
  }
  if (typeof service !== "string" || !SERVICE_PATTERN.test(service)) problems.push(`${at}.service: ${JSON.stringify(service) ?? "nothing"} must be a service name matching ${SERVICE_PATTERN.source}`);
  return problems.length === before ? { name: name as string, service: service as string } : undefined;
}
