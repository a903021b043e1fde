// Runs once, before any test worker starts:
// - builds dist/ (incrementally): the tests that run the compiled CLIs and scripts execute
//   dist/scripts/*.js, and a build in one worker while another executes those files would race;
// - synthesizes the fixture project once, with the compiled app, into a temporary folder named by
//   FIXTURE_SYNTH: the tests that only read its output (the releases, the strict Kubernetes
//   checks, the grants, the platform and app stacks) share it instead of each building it again;
// - synthesizes every example (examples/<name>/config) once, meanwhile, into EXAMPLES_SYNTH/<name>
//   (EXAMPLE_SYNTH is the microservices example's), for examples.test.ts and the examples' tests.
const { execFileSync, spawn } = require("node:child_process");
const { existsSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } = require("node:fs");
const { tmpdir } = require("node:os");
const path = require("node:path");
const { TEST_NOW_ISO } = require("./test-now");

/** Child processes synthesizing examples, beside the fixture's synth in this one: the machine has two cores. */
const EXAMPLE_PROCESSES = 2;

/** The folder of the user's own config's synth, beside the examples' (no example can be named so: it starts with "_"). */
const USER_CONFIG = "_user-config";

/** What the global setup writes beside each example's synth: its exit code and what it printed (examples.test.ts reads it). */
const SYNTH_RESULT = "synth-result.json";

module.exports = async function globalSetup() {
  const root = path.resolve(__dirname, "..");
  execFileSync(path.join(root, "node_modules", ".bin", "tsc"), ["-p", "tsconfig.build.json"], { cwd: root, stdio: "inherit" });
  // The examples, with the repository's own cdktf.json and backend.config, in child processes
  // started first: the fixture's synth below holds this process's event loop, and they run meanwhile.
  const examplesDir = mkdtempSync(path.join(tmpdir(), "examples-synth-"));
  const examples = synthesizeExamples(root, examplesDir);
  const { run } = require(path.join(root, "dist", "main.js"));
  process.env.FIXTURE_SYNTH = synthesize(run, "the fixture project", path.join(__dirname, "fixtures", "project"), []);
  await examples;
  process.env.EXAMPLES_SYNTH = examplesDir;
  process.env.EXAMPLE_SYNTH = path.join(examplesDir, "microservices");
  process.env.USER_CONFIG_SYNTH = path.join(examplesDir, USER_CONFIG);
};

/**
 * Synthesizes each folder of examples/ that has a config/ folder into `<into>/<name>`, and writes
 * `<into>/<name>/synth-result.json` with its exit code and output. The examples are dealt out to
 * {@link EXAMPLE_PROCESSES} child processes, each of which loads the app once (about a second and
 * a half) and synthesizes its share one after the other. A failed synth does not stop the setup:
 * the example's tests fail and say why.
 */
async function synthesizeExamples(root, into) {
  const examples = path.join(root, "examples");
  const names = existsSync(examples) ? readdirSync(examples).filter((name) => existsSync(path.join(examples, name, "config")) && statSync(path.join(examples, name, "config")).isDirectory()).sort() : [];
  // And the user's own config/ (user-config.test.ts), in the same processes: one synth fewer in a worker.
  const jobs = [...names.map((name) => ({ name, configDir: path.join("examples", name, "config"), outdir: path.join(into, name) })), { name: USER_CONFIG, configDir: "config", outdir: path.join(into, USER_CONFIG) }];
  for (const job of jobs) mkdirSync(job.outdir);
  const shares = Array.from({ length: Math.min(EXAMPLE_PROCESSES, jobs.length) }, (_, i) => jobs.filter((_, j) => j % EXAMPLE_PROCESSES === i));
  await Promise.all(shares.map((share) => synthesizeInChild(root, share)));
}

/** Runs {@link synthesizeHere} on some examples in a child process; if it dies, each example it left without a result gets its output as one. */
function synthesizeInChild(projectRoot, jobs) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [__filename, JSON.stringify({ projectRoot, jobs })], { cwd: projectRoot, stdio: ["ignore", "pipe", "pipe"] });
    const printed = [];
    child.stdout.on("data", (d) => printed.push(String(d)));
    child.stderr.on("data", (d) => printed.push(String(d)));
    const settle = (code) => {
      for (const job of jobs) {
        const file = path.join(job.outdir, SYNTH_RESULT);
        if (!existsSync(file)) writeFileSync(file, JSON.stringify({ code: code || -1, output: `the synth's process ended (exit ${code}) before it finished:\n${printed.join("")}` }));
      }
      resolve();
    };
    child.on("error", (error) => (printed.push(String(error)), settle(-1)));
    child.on("close", settle);
  });
}

/** In a child process: synthesizes each example in turn, writing each one's result. */
function synthesizeHere({ projectRoot, jobs }) {
  const { run } = require(path.join(__dirname, "..", "dist", "main.js"));
  for (const job of jobs) writeFileSync(path.join(job.outdir, SYNTH_RESULT), JSON.stringify(runQuietly(run, projectRoot, ["--config-dir", job.configDir], job.outdir)));
}

/** Synthesizes a project into a new temporary folder and returns the folder; throws with what it printed if it fails. */
function synthesize(run, what, projectRoot, args) {
  const outdir = mkdtempSync(path.join(tmpdir(), "fixture-synth-"));
  const { code, output } = runQuietly(run, projectRoot, args, outdir);
  if (code !== 0) throw new Error(`${what} does not synthesize (exit ${code}):\n${output}`);
  return outdir;
}

/** Runs the compiled app quietly, with the test date, into `outdir`: its exit code and what it printed (a throw is exit -1, with its stack). */
function runQuietly(run, projectRoot, args, outdir) {
  const printed = [];
  const errors = [];
  const saved = { log: console.log, warn: console.warn, error: console.error };
  console.log = console.warn = (...parts) => void printed.push(parts.join(" "));
  console.error = (...parts) => (printed.push(parts.join(" ")), errors.push(parts.join(" ")));
  try {
    return { code: run(["--quiet", ...args], { CDKTF_OUTDIR: outdir }, projectRoot, new Date(TEST_NOW_ISO)), output: printed.join("\n"), errors: errors.join("\n") };
  } catch (error) {
    return { code: -1, output: [...printed, error instanceof Error ? error.stack : String(error)].join("\n") };
  } finally {
    Object.assign(console, saved);
  }
}

// Run as a child of the setup (synthesizeInChild): `node global-setup.js <jobs as JSON>`.
if (require.main === module) synthesizeHere(JSON.parse(process.argv[2]));
