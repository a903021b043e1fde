/**
 * The SQL of the database bootstrap function: makes the application's PostgreSQL users exist,
 * log in only through IAM (`rds_iam`), own one schema each and reach one database, and locks
 * everybody else out. Pure: it knows nothing of Lambda, AWS or how the connection was made, so
 * the tests run it against a real server.
 *
 * Written for the RDS master user, which is not a superuser: it has CREATEROLE and CREATEDB, owns
 * the application database and holds ADMIN OPTION on `rds_iam` (through `rds_superuser`). From
 * PostgreSQL 16 on, CREATEROLE administers only the roles one holds ADMIN OPTION on, which a
 * CREATEROLE user gets for the roles it creates, so this never alters a role it did not create.
 * @see https://www.postgresql.org/docs/16/release-16.html (Restrict the privileges of CREATEROLE)
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Appendix.PostgreSQL.CommonDBATasks.Roles.html
 */

import { type BootstrapInput, type BootstrapResult, type BootstrapUser, IAM_AUTH_ROLE, MANAGED_MARKER_ROLE, type Queryable, userNameProblem, validateInput } from "./input";

export * from "./input";

/** The advisory lock concurrent runs serialize on: the ASCII of "dbboot". */
const ADVISORY_LOCK_KEY = "110369541160820";

/** Milliseconds pg_terminate_backend waits for each session of a revoked user to end. */
const TERMINATE_WAIT_MS = 5000;

/** An identifier, quoted: pg's escapeIdentifier (double quotes doubled). */
function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A string literal, quoted: pg's escapeLiteral (quotes and backslashes doubled, E'' when there is a backslash). */
function literal(text: string): string {
  const body = text.replace(/'/g, "''").replace(/\\/g, "\\\\");
  return body.includes("\\") ? `E'${body}'` : `'${body}'`;
}

/** The comment a managed role carries: which service it belongs to, for whoever lists roles with \du+. */
function roleComment(user: BootstrapUser): string {
  return `db-bootstrap: database user of service ${user.service}`;
}

/** The rows of one query, typed by the caller (the SQL's column aliases). */
async function rowsOf<T>(client: Queryable, text: string, values?: unknown[]): Promise<T[]> {
  return (await client.query(text, values)).rows as T[];
}

/** What the run needs to know about the server and the connected (master) user. */
interface Session {
  /** server_version_num, e.g. 150018. */
  readonly version: number;
  readonly database: string;
  /** Databases the current user owns that accept connections: PUBLIC is locked out of each. */
  readonly ownedDatabases: string[];
}

/** A wanted user's state, read from the catalog before anything is changed. */
interface UserState {
  readonly name: string;
  readonly exists: boolean;
  /** A member of the marker role: created by this function. */
  readonly managed: boolean;
  readonly elevated: boolean;
  /** LOGIN, NOCREATEDB, NOCREATEROLE. */
  readonly attributesOk: boolean;
  readonly iam: boolean;
  /** CONNECT on the application database, granted to the role itself. */
  readonly connect: boolean;
  /** The owner of the schema named like the user, null when there is none. */
  readonly schemaOwner: string | null;
  readonly searchPath: boolean;
  readonly comment: string | null;
}

/**
 * Makes the catalog match `input` in one transaction (all or nothing), then ends the sessions of
 * revoked users. Revoking never drops a role, its schema or its data: a typo in the config must
 * not delete anything; dropping is a deliberate act by hand (see README.md).
 * `client` must be one connection to `input.database` as the master user.
 */
export async function reconcile(client: Queryable, input: BootstrapInput): Promise<BootstrapResult> {
  const wanted = validateInput(input); // the last step before SQL: never trust the caller
  let session: Session;
  let outcome: BootstrapResult & { readonly retired: string[] };
  await client.query("BEGIN");
  try {
    // Two applies, or a retry while the first still runs, take turns instead of racing on the catalog.
    // https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS
    await client.query(`SELECT pg_advisory_xact_lock(${ADVISORY_LOCK_KEY})`);
    session = await readSession(client, wanted.database);
    outcome = await reconcileLocked(client, wanted, session);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
  // After the COMMIT: a session ended before it could log in again while LOGIN was still visible.
  await terminateSessions(client, session, outcome.retired);
  const { retired: _retired, ...result } = outcome;
  return result;
}

async function reconcileLocked(client: Queryable, input: BootstrapInput, session: Session): Promise<BootstrapResult & { retired: string[] }> {
  await ensureMarkerRole(client);
  await lockOutPublic(client, session);
  const users = [...input.users].sort((a, b) => (a.name < b.name ? -1 : 1));
  const states = await readUserStates(client, users.map((u) => u.name));
  refuseConflicts([...states.values()]);
  const created: string[] = [];
  const updated: string[] = [];
  const unchanged: string[] = [];
  for (const user of users) {
    const state = states.get(user.name);
    if (!state) throw new Error(`internal: no catalog state read for "${user.name}"`);
    const changed = await applyUser(client, session, user, state);
    (!state.exists ? created : changed ? updated : unchanged).push(user.name);
  }
  const { revoked, retired } = await revokeRemoved(client, session, users.map((u) => u.name));
  return { created, updated, revoked, unchanged, retired };
}

/** The server version, and the checks that this is the database and user the function expects. */
async function readSession(client: Queryable, database: string): Promise<Session> {
  const [row] = await rowsOf<{ database: string; version: number; iam: boolean; owned: string[] }>(
    client,
    `SELECT current_database()::text AS database, current_setting('server_version_num')::int AS version,
            EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) AS iam,
            ARRAY(SELECT datname::text FROM pg_database
                  WHERE datdba = (SELECT oid FROM pg_roles WHERE rolname = current_user)
                    AND datallowconn AND NOT datistemplate ORDER BY datname) AS owned`,
    [IAM_AUTH_ROLE],
  );
  if (!row) throw new Error("internal: the session query returned no row");
  if (row.database !== database) throw new Error(`db-bootstrap is connected to database "${row.database}" but was asked to set up "${database}"`);
  // pg_terminate_backend's timeout argument is new in PostgreSQL 14.
  if (row.version < 140000) throw new Error(`db-bootstrap needs PostgreSQL 14 or later; the server is ${row.version}`);
  if (!row.iam) throw new Error(`role ${IAM_AUTH_ROLE} does not exist: db-bootstrap runs on RDS or Aurora PostgreSQL, which always have it`);
  if (!row.owned.includes(database)) throw new Error(`the connected user does not own database "${database}": db-bootstrap runs as the RDS master user, which owns it`);
  return { version: row.version, database, ownedDatabases: row.owned };
}

async function ensureMarkerRole(client: Queryable): Promise<void> {
  const [marker] = await rowsOf<{ login: boolean }>(client, "SELECT rolcanlogin AS login FROM pg_roles WHERE rolname = $1", [MANAGED_MARKER_ROLE]);
  if (!marker) await client.query(`CREATE ROLE ${ident(MANAGED_MARKER_ROLE)} NOLOGIN`);
  else if (marker.login) await client.query(`ALTER ROLE ${ident(MANAGED_MARKER_ROLE)} NOLOGIN`);
}

/**
 * PUBLIC gets CONNECT and TEMPORARY on every new database: take them away on the databases the
 * master owns (an owner keeps its own access, so the master is never locked out), and CREATE on
 * the public schema (gone by default since PostgreSQL 15, not on 14).
 * @see https://www.postgresql.org/docs/current/ddl-priv.html#PRIVILEGES-SUMMARY-TABLE
 * @see https://www.postgresql.org/docs/current/ddl-schemas.html#DDL-SCHEMAS-PATTERNS
 */
async function lockOutPublic(client: Queryable, session: Session): Promise<void> {
  // A NULL ACL means the built-in default (acldefault), in which PUBLIC has CONNECT and TEMPORARY.
  const open = await rowsOf<{ name: string }>(
    client,
    `SELECT DISTINCT d.datname::text AS name FROM pg_database d, aclexplode(coalesce(d.datacl, acldefault('d', d.datdba))) a
     WHERE d.datname = ANY ($1::text[]) AND a.grantee = 0 AND a.privilege_type IN ('CONNECT', 'TEMPORARY') ORDER BY 1`,
    [session.ownedDatabases],
  );
  for (const { name } of open) await client.query(`REVOKE CONNECT, TEMPORARY ON DATABASE ${ident(name)} FROM PUBLIC`);
  const publicCreate = `SELECT 1 FROM pg_namespace n, aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) a
                        WHERE n.nspname = 'public' AND a.grantee = 0 AND a.privilege_type = 'CREATE'`;
  if ((await client.query(publicCreate)).rows.length === 0) return;
  await client.query("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
  // REVOKE of a privilege granted by someone else only warns: fail rather than go on open.
  if ((await client.query(publicCreate)).rows.length > 0) {
    throw new Error(`PUBLIC can still CREATE in schema public of "${session.database}" and the connected user cannot revoke it: run REVOKE CREATE ON SCHEMA public FROM PUBLIC as the schema's owner`);
  }
}

async function readUserStates(client: Queryable, names: string[]): Promise<Map<string, UserState>> {
  const rows = await rowsOf<UserState>(
    client,
    `SELECT u.name, r.oid IS NOT NULL AS "exists",
            coalesce(r.rolsuper OR r.rolreplication OR r.rolbypassrls, false) AS elevated,
            coalesce(r.rolcanlogin AND NOT r.rolcreatedb AND NOT r.rolcreaterole, false) AS "attributesOk",
            EXISTS (SELECT 1 FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid WHERE m.member = r.oid AND g.rolname = $2) AS managed,
            EXISTS (SELECT 1 FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid WHERE m.member = r.oid AND g.rolname = $3) AS iam,
            EXISTS (SELECT 1 FROM pg_database d, aclexplode(coalesce(d.datacl, acldefault('d', d.datdba))) a
                    WHERE d.datname = current_database() AND a.grantee = r.oid AND a.privilege_type = 'CONNECT') AS connect,
            (SELECT pg_get_userbyid(n.nspowner)::text FROM pg_namespace n WHERE n.nspname = u.name) AS "schemaOwner",
            EXISTS (SELECT 1 FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase
                    WHERE d.datname = current_database() AND s.setrole = r.oid
                      AND 'search_path=' || quote_ident(u.name) = ANY (s.setconfig)) AS "searchPath",
            shobj_description(r.oid, 'pg_authid') AS comment
     FROM unnest($1::text[]) AS u(name) LEFT JOIN pg_roles r ON r.rolname = u.name`,
    [names, MANAGED_MARKER_ROLE, IAM_AUTH_ROLE],
  );
  return new Map(rows.map((row) => [row.name, row]));
}

/** Refuses, before any change, every user this function must not touch: all of them in one error. */
function refuseConflicts(states: readonly UserState[]): void {
  const problems: string[] = [];
  for (const s of states) {
    if (s.exists && !s.managed) {
      problems.push(`role "${s.name}" already exists and is not managed by db-bootstrap (not a member of ${MANAGED_MARKER_ROLE}); it is never taken over: use another user name, or rename or drop that role by hand`);
    } else if (s.elevated) {
      problems.push(`role "${s.name}" has SUPERUSER, REPLICATION or BYPASSRLS, which db-bootstrap never grants and cannot take back: a superuser must remove them`);
    }
    if (s.schemaOwner !== null && s.schemaOwner !== s.name) {
      problems.push(`schema "${s.name}" already exists and is owned by "${s.schemaOwner}": db-bootstrap never hands over another role's schema`);
    }
  }
  if (problems.length > 0) throw new Error(`db-bootstrap changed nothing: ${problems.join("; ")}`);
}

/** Brings one user to the wanted state, running only what differs; true when anything ran. */
async function applyUser(client: Queryable, session: Session, user: BootstrapUser, state: UserState): Promise<boolean> {
  const role = ident(user.name);
  const db = ident(session.database);
  const statements: string[] = [];
  // No PASSWORD: IAM only; on RDS a member of rds_iam cannot log in with a password anyway.
  // https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.IAMDBAuth.DBAccounts.html
  if (!state.exists) statements.push(`CREATE ROLE ${role} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS`);
  else if (!state.attributesOk) statements.push(`ALTER ROLE ${role} WITH LOGIN NOCREATEDB NOCREATEROLE`);
  if (!state.iam) statements.push(`GRANT ${ident(IAM_AUTH_ROLE)} TO ${role}`);
  if (!state.managed) statements.push(`GRANT ${ident(MANAGED_MARKER_ROLE)} TO ${role}`);
  if (state.comment !== roleComment(user)) statements.push(`COMMENT ON ROLE ${role} IS ${literal(roleComment(user))}`);
  // CONNECT only: PUBLIC lost TEMPORARY too, and the users get no temporary tables (see README.md).
  if (!state.connect) statements.push(`GRANT CONNECT ON DATABASE ${db} TO ${role}`);
  for (const statement of statements) await client.query(statement);
  let changed = statements.length > 0;
  if (state.schemaOwner === null) {
    // The user owns its schema, so it runs its own migrations there, and nobody else's.
    await asMemberOf(client, session.version, user.name, "SET", `CREATE SCHEMA ${role} AUTHORIZATION ${role}`);
    changed = true;
  }
  if (!state.searchPath) {
    await client.query(`ALTER ROLE ${role} IN DATABASE ${db} SET search_path = ${role}`);
    changed = true;
  }
  return changed;
}

/**
 * Runs `sql` with the current user a member of `role` as `sql` needs, granted for this
 * transaction only when it is not one already: CREATE SCHEMA ... AUTHORIZATION needs to be able
 * to SET ROLE to the owner (before 16: to be a member), pg_terminate_backend the role's
 * privileges (USAGE). On 16+ a CREATEROLE user holds only ADMIN OPTION on the roles it created.
 * @see https://www.postgresql.org/docs/current/sql-createschema.html
 * @see https://www.postgresql.org/docs/current/functions-info.html#FUNCTIONS-INFO-ACCESS (pg_has_role; SET is new in 16)
 */
async function asMemberOf(client: Queryable, version: number, role: string, need: "SET" | "USAGE", sql: string, values?: unknown[]): Promise<void> {
  const privilege = need === "SET" && version < 160000 ? "MEMBER" : need;
  const [has] = await rowsOf<{ ok: boolean }>(client, "SELECT pg_has_role(current_user, $1, $2) AS ok", [role, privilege]);
  if (has?.ok) {
    await client.query(sql, values);
    return;
  }
  await client.query(`GRANT ${ident(role)} TO CURRENT_USER`);
  await client.query(sql, values);
  await client.query(`REVOKE ${ident(role)} FROM CURRENT_USER`);
}

/**
 * Managed users no longer wanted lose LOGIN, rds_iam and CONNECT/TEMPORARY on the master's
 * databases; their role, schema and data stay. Returns those changed now (`revoked`) and every
 * unwanted managed user (`retired`), whose sessions are ended after the commit.
 */
async function revokeRemoved(client: Queryable, session: Session, wanted: string[]): Promise<{ revoked: string[]; retired: string[] }> {
  const rows = await rowsOf<{ name: string; login: boolean; iam: boolean; databases: string[] }>(
    client,
    `SELECT r.rolname::text AS name, r.rolcanlogin AS login,
            EXISTS (SELECT 1 FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid WHERE m.member = r.oid AND g.rolname = $2) AS iam,
            ARRAY(SELECT DISTINCT d.datname::text FROM pg_database d, aclexplode(coalesce(d.datacl, acldefault('d', d.datdba))) a
                  WHERE d.datname = ANY ($3::text[]) AND a.grantee = r.oid AND a.privilege_type IN ('CONNECT', 'TEMPORARY') ORDER BY 1) AS databases
     FROM pg_roles r
     WHERE EXISTS (SELECT 1 FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid WHERE m.member = r.oid AND g.rolname = $1)
       AND r.rolname <> ALL ($4::text[]) AND r.rolname <> current_user AND NOT r.rolsuper
     ORDER BY r.rolname`,
    [MANAGED_MARKER_ROLE, IAM_AUTH_ROLE, session.ownedDatabases, wanted],
  );
  const revoked: string[] = [];
  const retired: string[] = [];
  for (const row of rows) {
    // Only names this function could have created: a pg_ or rds role put in the marker by hand is left alone.
    if (userNameProblem(row.name) !== undefined) continue;
    retired.push(row.name);
    const role = ident(row.name);
    const statements = [
      ...(row.login ? [`ALTER ROLE ${role} NOLOGIN`] : []),
      ...(row.iam ? [`REVOKE ${ident(IAM_AUTH_ROLE)} FROM ${role}`] : []),
      ...row.databases.map((db) => `REVOKE CONNECT, TEMPORARY ON DATABASE ${ident(db)} FROM ${role}`),
    ];
    for (const statement of statements) await client.query(statement);
    if (statements.length > 0) revoked.push(row.name);
  }
  return { revoked, retired };
}

/**
 * Ends the open sessions of `users` (revoked now or earlier) and waits for them to go: NOLOGIN
 * only stops new logins. A transaction of its own after the revoke is committed, under the lock
 * again, and only for roles still NOLOGIN (a run in between may have brought one back).
 * @see https://www.postgresql.org/docs/current/functions-admin.html#FUNCTIONS-ADMIN-SIGNAL
 */
async function terminateSessions(client: Queryable, session: Session, users: string[]): Promise<void> {
  if (users.length === 0) return;
  await client.query("BEGIN");
  try {
    await client.query(`SELECT pg_advisory_xact_lock(${ADVISORY_LOCK_KEY})`);
    const active = await rowsOf<{ name: string }>(
      client,
      `SELECT DISTINCT a.usename::text AS name FROM pg_stat_activity a JOIN pg_roles r ON r.rolname = a.usename
       WHERE a.usename = ANY ($1::text[]) AND NOT r.rolcanlogin AND a.pid <> pg_backend_pid() ORDER BY 1`,
      [users],
    );
    for (const { name } of active) {
      // Signalling a backend takes the privileges of its role (or pg_signal_backend, which the
      // master need not have); the temporary membership gives them for this transaction only.
      const terminate = `SELECT pg_terminate_backend(pid, ${TERMINATE_WAIT_MS}) FROM pg_stat_activity WHERE usename = $1 AND pid <> pg_backend_pid()`;
      await asMemberOf(client, session.version, name, "USAGE", terminate, [name]);
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
}
