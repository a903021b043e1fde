import { type FieldProblem } from "./checks";
import { didYouMean } from "./near";
import { type EnvironmentConfig } from "./schema";
import { serviceNames } from "./services";

/** A database user, and the service whose role logs in as it. */
export interface DatabaseUser {
  readonly name: string;
  readonly service: string;
}

/**
 * Role names the bootstrap refuses to manage: PostgreSQL reserves `pg_`, RDS its `rds` roles
 * (rds_superuser, rds_iam, rdsadmin), and the bootstrap marks the users it manages with
 * `bootstrap_managed` (functions/db-bootstrap).
 */
export const RESERVED_ROLE = /^(pg_|rds|bootstrap_managed$)/;

/** The environment's database users, sorted by service: as `database.users` says, or one per service named after it. */
export function databaseUsers(env: EnvironmentConfig): DatabaseUser[] {
  const db = env.database;
  if (!db) return [];
  const users = db.users ?? Object.fromEntries(serviceNames(env).map((service) => [service, service.replace(/-/g, "_")]));
  return Object.entries(users)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([service, name]) => ({ service, name }));
}

/** Checks of `database.users`. */
export function checkDatabaseUsers(env: EnvironmentConfig): FieldProblem[] {
  const db = env.database;
  if (!db) return [];
  const problems: FieldProblem[] = [];
  const services = serviceNames(env);
  const byName = new Map<string, string>();
  for (const { service, name } of databaseUsers(env)) {
    const field = `database.users.${service}`;
    if (db.users && !services.includes(service)) {
      problems.push({ field, value: service, message: `is not a service of this environment${didYouMean(service, services)}; allowed: ${services.join(", ") || "none: the environment has no app"}` });
    }
    if (name === db.masterUsername) problems.push({ field, value: name, message: "is the master user; each service gets a user of its own, so its grants can be narrow" });
    else if (RESERVED_ROLE.test(name)) problems.push({ field, value: name, message: "starts with pg_ or rds, or is bootstrap_managed: names PostgreSQL, RDS or the bootstrap reserve; allowed: any other PostgreSQL role name" });
    const other = byName.get(name);
    if (other !== undefined) problems.push({ field, value: name, message: `is also the user of service ${other}: services never share a user, so each one's grants stay its own` });
    byName.set(name, service);
  }
  return problems;
}
