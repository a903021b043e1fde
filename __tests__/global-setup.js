// Builds dist/ once, before any test worker starts: the tests that run the CLIs and the workflow
// scripts execute dist/scripts/*.js, and a build in one worker while another executes those files
// would race (a half-written file fails to load).
const { execFileSync } = require("node:child_process");
const path = require("node:path");

module.exports = async function globalSetup() {
  const root = path.resolve(__dirname, "..");
  execFileSync(path.join(root, "node_modules", ".bin", "tsc"), ["-p", "tsconfig.build.json"], { cwd: root, stdio: "inherit" });
};
