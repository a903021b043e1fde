/**
 * A throwaway PostgreSQL server for tests, set up like an RDS instance as the db-bootstrap
 * function sees it: TLS on 127.0.0.1 with a certificate from a CA made for the run, a master user
 * that is not a superuser, the `rds_iam` role, and a pg_hba.conf standing in for IAM
 * authentication. Started once per test file; everything lives in one temporary folder that
 * stop() removes.
 *
 * The stand-in, rule by rule (pg_hba.conf is read top-down and the first line whose connection
 * type, database, user and address match decides; a failed login never falls through to the next
 * line: https://www.postgresql.org/docs/current/auth-pg-hba-conf.html):
 * - `local all postgres trust`: the test's superuser, on a socket in a 0700 folder.
 * - `hostssl all platform_admin ... scram-sha-256`: the master user logs in with its password.
 *   It is named before the rds_iam line because, holding ADMIN OPTION on rds_iam, it is also a
 *   member of it: it must never reach the password-less line.
 * - `hostssl all +rds_iam ... trust`: any other member of rds_iam logs in with no password,
 *   standing in for the IAM token RDS requires of them (and a member of rds_iam never reaches a
 *   password line, as on RDS, where rds_iam members can only use IAM).
 * - everything else, and every connection without TLS, is rejected (like rds.force_ssl = 1).
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, chmodSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { Client, type ClientConfig } from "pg";

const run = promisify(execFile);

/** The master user, its stand-in of the RDS master (CREATEROLE, CREATEDB, not a superuser). */
export const ADMIN_USER = "platform_admin";
/** The databases the master owns: the application's, and another it owns too. */
export const DATABASES = ["app", "other"] as const;

/** The server binaries, or why there are none. */
export type PostgresAvailability = { readonly bin: string; readonly skip?: undefined } | { readonly bin?: undefined; readonly skip: string };

/**
 * Where initdb and pg_ctl are: the newest /usr/lib/postgresql/<major>/bin (Debian's layout, not
 * on PATH), else PATH. Also checks for openssl and, as root, for runuser (initdb refuses to run
 * as root, so the server runs as the postgres OS user). The arguments are for tests of this.
 */
export function findPostgres(debian = "/usr/lib/postgresql", searchPath = process.env.PATH ?? ""): PostgresAvailability {
  const majors = existsSync(debian) ? readdirSync(debian).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  const onPath = (tool: string) => searchPath.split(path.delimiter).find((dir) => dir !== "" && existsSync(path.join(dir, tool)));
  const bin = majors.map((v) => path.join(debian, v, "bin")).find((dir) => existsSync(path.join(dir, "initdb"))) ?? onPath("initdb");
  if (!bin || !existsSync(path.join(bin, "pg_ctl"))) return { skip: "no PostgreSQL server binaries (apt-get install postgresql)" };
  if (!onPath("openssl")) return { skip: "no openssl to make the server's TLS certificate (apt-get install openssl)" };
  if (process.getuid?.() === 0 && !onPath("runuser")) return { skip: "running as root without runuser, and initdb refuses to run as root" };
  return { bin };
}

/** A running server. */
export interface TestPostgres {
  /** The host name TLS clients connect to; the certificate names it (and 127.0.0.1). */
  readonly host: "localhost";
  readonly port: number;
  /** PEM of the CA that signed the server's certificate. */
  readonly ca: string;
  /** The master user's password. */
  readonly adminPassword: string;
  /** A connected client; TLS verified against {@link ca} unless `config.ssl` says otherwise. Errors of the connection (a terminated session) are kept, not thrown. */
  connect(config: ClientConfig): Promise<Client>;
  /** The master user, connected over TLS with its password. */
  connectAdmin(database: string): Promise<Client>;
  /** Rows of one statement run by the superuser over the Unix socket. */
  superuserQuery<T>(sql: string, values?: unknown[], database?: string): Promise<T[]>;
  /** Stops the server and deletes its folder; safe to call twice. */
  stop(): Promise<void>;
}

/** Starts a server set up as the file's comment says. */
export async function startPostgres(availability: PostgresAvailability = findPostgres()): Promise<TestPostgres> {
  if (!availability.bin) throw new Error(`cannot start PostgreSQL: ${availability.skip}`);
  const bin = availability.bin;
  const dir = mkdtempSync(path.join(os.tmpdir(), "pg-test-"));
  const asRoot = process.getuid?.() === 0;
  // initdb refuses root: the server's files belong to, and its commands run as, the postgres user.
  const asServer = (tool: string, args: string[]) => (asRoot ? run("runuser", ["-u", "postgres", "--", path.join(bin, tool), ...args]) : run(path.join(bin, tool), args));
  const data = path.join(dir, "data");
  let started = false;
  const stop = async () => {
    if (started) await asServer("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]).catch(() => undefined);
    started = false;
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const ca = await makeCertificates(dir);
    if (asRoot) await run("chown", ["-R", "postgres:postgres", dir]);
    await asServer("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"]);
    const port = await freePort();
    writeServerConfig(dir, data, port);
    await asServer("pg_ctl", ["-D", data, "-l", path.join(dir, "server.log"), "-w", "-t", "30", "start"]).catch((error: Error) => {
      throw new Error(`pg_ctl start failed: ${error.message}\n${readLog(dir)}`);
    });
    started = true;
    const server = handle(dir, port, ca, randomBytes(18).toString("hex"), stop);
    await setUpLikeRds(server);
    return server;
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * A CA and a server certificate for localhost and 127.0.0.1, made now and valid for two days, so
 * the tests pass on any date. P-256 keys: much quicker to make than RSA.
 */
async function makeCertificates(dir: string): Promise<string> {
  const tls = (file: string) => path.join(dir, file);
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  await run("openssl", ["req", "-x509", ...ec, "-keyout", tls("ca.key"), "-out", tls("ca.pem"), "-days", "2", "-subj", "/CN=db-bootstrap test CA",
    "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"]);
  await run("openssl", ["req", "-new", ...ec, "-keyout", tls("server.key"), "-out", tls("server.csr"), "-subj", "/CN=localhost"]);
  writeFileSync(tls("server.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n");
  await run("openssl", ["x509", "-req", "-in", tls("server.csr"), "-CA", tls("ca.pem"), "-CAkey", tls("ca.key"), "-set_serial", "1", "-days", "2",
    "-extfile", tls("server.ext"), "-out", tls("server.crt")]);
  // The server refuses a private key others can read.
  chmodSync(tls("server.key"), 0o600);
  return readFileSync(tls("ca.pem"), "utf8");
}

/** A port nobody listens on now: the kernel's pick for port 0. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

function writeServerConfig(dir: string, data: string, port: number): void {
  const settings = {
    listen_addresses: "'127.0.0.1'",
    port: String(port),
    unix_socket_directories: `'${dir}'`,
    unix_socket_permissions: "0700",
    ssl: "on",
    ssl_cert_file: `'${path.join(dir, "server.crt")}'`,
    ssl_key_file: `'${path.join(dir, "server.key")}'`,
    password_encryption: "'scram-sha-256'",
    // Throwaway data: no durability; no autovacuum, which could touch the catalogs between snapshots.
    fsync: "off",
    synchronous_commit: "off",
    full_page_writes: "off",
    autovacuum: "off",
    max_connections: "30",
    shared_buffers: "16MB",
  };
  const conf = path.join(data, "postgresql.conf");
  writeFileSync(conf, `${readFileSync(conf, "utf8")}\n${Object.entries(settings).map(([k, v]) => `${k} = ${v}`).join("\n")}\n`);
  writeFileSync(path.join(data, "pg_hba.conf"), [
    "# TYPE  DATABASE USER            ADDRESS       METHOD  (see __tests__/support/postgres.ts)",
    "local   all      postgres                      trust",
    `hostssl all      ${ADMIN_USER}  127.0.0.1/32  scram-sha-256`,
    "hostssl all      +rds_iam        127.0.0.1/32  trust",
    "host    all      all             0.0.0.0/0     reject",
    "host    all      all             ::/0          reject",
    "local   all      all                           reject",
    "",
  ].join("\n"));
}

function readLog(dir: string): string {
  const log = path.join(dir, "server.log");
  return existsSync(log) ? readFileSync(log, "utf8").slice(-2000) : "(no server log)";
}

function handle(dir: string, port: number, ca: string, adminPassword: string, stop: () => Promise<void>): TestPostgres {
  const connect = async (config: ClientConfig) => {
    const client = new Client({ host: "localhost", port, ssl: { ca, rejectUnauthorized: true }, connectionTimeoutMillis: 5000, ...config });
    // A terminated session emits 'error'; without a listener that would crash the test process.
    client.on("error", () => undefined);
    await client.connect();
    return client;
  };
  const superuserQuery = async <T>(sql: string, values?: unknown[], database = "postgres") => {
    const client = new Client({ host: dir, port, user: "postgres", database });
    await client.connect();
    try {
      return (await client.query(sql, values)).rows as T[];
    } finally {
      await client.end();
    }
  };
  return {
    host: "localhost",
    port,
    ca,
    adminPassword,
    connect,
    connectAdmin: (database) => connect({ user: ADMIN_USER, password: adminPassword, database }),
    superuserQuery,
    stop,
  };
}

/** The roles and databases of a new RDS instance, as far as db-bootstrap can tell. */
async function setUpLikeRds(server: TestPostgres): Promise<void> {
  const statements = [
    "CREATE ROLE rds_iam NOLOGIN",
    // On RDS the master holds ADMIN OPTION on rds_iam through rds_superuser.
    `CREATE ROLE ${ADMIN_USER} LOGIN CREATEROLE CREATEDB PASSWORD '${server.adminPassword}'`,
    `GRANT rds_iam TO ${ADMIN_USER} WITH ADMIN OPTION`,
    ...DATABASES.map((db) => `CREATE DATABASE ${db} OWNER ${ADMIN_USER}`),
  ];
  // One at a time: CREATE DATABASE cannot run inside the implicit transaction of a multi-statement query.
  for (const sql of statements) await server.superuserQuery(sql);
}
