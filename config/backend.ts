import { readFileSync } from "node:fs";
import { z } from "zod";
import { ConfigError, type ConfigProblem, displayPath } from "./problems";
import { REGIONS } from "./regions";

/**
 * The remote-state settings every stack shares, read from `backend.config`: a Terraform partial
 * backend file, so `terraform init -backend-config=backend.config` on a synthesized stack and
 * `cdktf deploy` use the very same values.
 */
export interface BackendSettings {
  /** The state bucket. */
  readonly bucket: string;
  /** Region of the bucket, the lock table and the key. */
  readonly region: string;
  /** The account that holds the state (taken from `kms_key_id`). */
  readonly accountId: string;
  /** DynamoDB lock table, when DynamoDB locking is on. */
  readonly dynamodbTable?: string;
  /** S3-native locking (a `.tflock` object beside the state; Terraform ≥ 1.10). */
  readonly useLockfile: boolean;
  /** ARN of the KMS alias that encrypts state (`arn:aws:kms:<region>:<account>:alias/<name>`). */
  readonly kmsKeyId: string;
  /** The alias name (`alias/<name>`) the state-backend stack creates for its key. */
  readonly kmsAliasName: string;
}

const ALLOWED_KEYS = ["bucket", "region", "dynamodb_table", "encrypt", "kms_key_id", "use_lockfile"] as const;

const backendSchema = z
  .strictObject({
    bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "must be a valid S3 bucket name (3–63 lowercase letters, digits, dots, hyphens)"),
    region: z.enum(REGIONS, { error: "must be a supported AWS region" }),
    dynamodb_table: z.string().regex(/^[a-zA-Z0-9_.-]{3,255}$/, "must be a valid DynamoDB table name").optional(),
    encrypt: z.literal(true, { error: "must be true: state holds secrets" }),
    kms_key_id: z
      .string()
      .regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:alias\/[a-zA-Z0-9/_-]+$/, "must be a KMS alias ARN (arn:aws:kms:<region>:<account>:alias/<name>): the state-backend stack creates that alias, so the ARN is known before the key exists"),
    use_lockfile: z.boolean().default(false),
  })
  .refine((b) => b.dynamodb_table !== undefined || b.use_lockfile, { message: "set dynamodb_table, use_lockfile = true, or both: state must be locked", path: ["use_lockfile"] });

/** Reads and validates `backend.config`. Throws ConfigError naming the line of each problem. */
export function loadBackendSettings(file: string, baseDir: string = process.cwd()): BackendSettings {
  const display = displayPath(file, baseDir);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new ConfigError([{ file: display, field: "", message: "not found; it holds the remote-state settings (see README, 'Remote state')" }]);
  }
  return parseBackendConfig(display, text);
}

/** Parses the text of a partial backend file (`key = "value"` lines, `#` comments). */
export function parseBackendConfig(file: string, text: string): BackendSettings {
  const values: Record<string, unknown> = {};
  const lines: Record<string, number> = {};
  const problems: ConfigProblem[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.replace(/^\s*(#|\/\/).*$/, "").trim();
    if (!line) return;
    const match = /^([a-z_]+)\s*=\s*(?:"([^"\\]*)"|(true|false))\s*(?:#.*)?$/.exec(line);
    if (!match) return void problems.push({ file, line: index + 1, field: "", value: raw.trim(), message: 'expected key = "string" or key = true|false' });
    const [, key = "", str, bool] = match;
    if (!(ALLOWED_KEYS as readonly string[]).includes(key)) {
      return void problems.push({ file, line: index + 1, field: key, message: `unknown key; allowed keys: ${ALLOWED_KEYS.join(", ")}` });
    }
    values[key] = str ?? bool === "true";
    lines[key] = index + 1;
  });
  const parsed = backendSchema.safeParse(values);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? "");
      const message = issue.code === "invalid_type" && values[key] === undefined ? "is required" : issue.message;
      problems.push({ file, line: lines[key], field: key, value: values[key] as unknown, message });
    }
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  const b = parsed.data;
  const [, , , keyRegion, accountId = "", resource = ""] = b.kms_key_id.split(":");
  if (keyRegion !== b.region) {
    throw new ConfigError([{ file, line: lines.kms_key_id, field: "kms_key_id", value: b.kms_key_id, message: `is in ${keyRegion}, but the bucket is in ${b.region}; the key must be in the bucket's region` }]);
  }
  return {
    bucket: b.bucket,
    region: b.region,
    accountId,
    dynamodbTable: b.dynamodb_table,
    useLockfile: b.use_lockfile,
    kmsKeyId: b.kms_key_id,
    kmsAliasName: resource,
  };
}
