// Runs once, before any test worker starts:
// - builds dist/ (incrementally): the tests that run the compiled CLIs and scripts execute
//   dist/scripts/*.js, and a build in one worker while another executes those files would race;
// - synthesizes the fixture project once, with the compiled app, into a temporary folder named by
//   FIXTURE_SYNTH: the tests that only read its output (the releases, the strict Kubernetes
//   checks, the grants, the platform and app stacks) share it instead of each building it again.
const { execFileSync, spawn } = require("node:child_process");
const { mkdtempSync } = require("node:fs");
const { tmpdir } = require("node:os");
const path = require("node:path");
const { TEST_NOW_ISO } = require("./test-now");

module.exports = async function globalSetup() {
  const root = path.resolve(__dirname, "..");
  execFileSync(path.join(root, "node_modules", ".bin", "tsc"), ["-p", "tsconfig.build.json"], { cwd: root, stdio: "inherit" });
  // Reference design 004's example, with the repository's own cdktf.json and backend.config, in a
  // second process meanwhile: the machine has two cores, and the two synths are the setup's time.
  const example = synthesizeInChild("the microservices example", root, ["--config-dir", path.join("examples", "microservices", "config")]);
  const { run } = require(path.join(root, "dist", "main.js"));
  process.env.FIXTURE_SYNTH = synthesize(run, "the fixture project", path.join(__dirname, "fixtures", "project"), []);
  process.env.EXAMPLE_SYNTH = await example;
};

/** As {@link synthesize}, in a child process of the compiled app: resolves to the folder. */
function synthesizeInChild(what, projectRoot, args) {
  const outdir = mkdtempSync(path.join(tmpdir(), "fixture-synth-"));
  const main = path.join(__dirname, "..", "dist", "main.js");
  const script = `process.exitCode = require(${JSON.stringify(main)}).run(${JSON.stringify(["--quiet", ...args])}, { CDKTF_OUTDIR: ${JSON.stringify(outdir)} }, ${JSON.stringify(projectRoot)}, new Date(${JSON.stringify(TEST_NOW_ISO)}))`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["-e", script], { cwd: projectRoot, stdio: ["ignore", "pipe", "pipe"] });
    const printed = [];
    child.stdout.on("data", (d) => printed.push(String(d)));
    child.stderr.on("data", (d) => printed.push(String(d)));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(outdir) : reject(new Error(`${what} does not synthesize (exit ${code}):\n${printed.join("")}`))));
  });
}

/** Synthesizes a project into a new temporary folder, quietly, and returns the folder. */
function synthesize(run, what, projectRoot, args) {
  const outdir = mkdtempSync(path.join(tmpdir(), "fixture-synth-"));
  const printed = [];
  const saved = { log: console.log, warn: console.warn, error: console.error };
  console.log = console.warn = console.error = (...parts) => void printed.push(parts.join(" "));
  let code;
  try {
    code = run(["--quiet", ...args], { CDKTF_OUTDIR: outdir }, projectRoot, new Date(TEST_NOW_ISO));
  } finally {
    Object.assign(console, saved);
  }
  if (code !== 0) throw new Error(`${what} does not synthesize (exit ${code}):\n${printed.join("\n")}`);
  return outdir;
}
