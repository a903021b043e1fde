// ESLint lives in the tools/lint workspace because typescript-eslint still needs TypeScript <= 6
// to parse, while the project compiles with TypeScript 7. Run it through `npm run lint`.
import tseslint from "typescript-eslint";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** Root imports of the provider packages load ~2,000 modules (about 2 s and 600 MB a process). */
/**
 * Nothing but config/clock.ts reads the clock: what depends on the date takes `now` as a
 * parameter, so tests pass fixed dates and the suite passes on any day.
 */
const clockReads = [
  { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: "Take `now: Date` as a parameter (entry points pass realDate() from config/clock.ts; tests pass a fixed date)." },
  { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: "Take `now: Date` as a parameter, or time durations with performance.now()." },
];

const providerRootImports = {
  regex: "^@cdktf/provider-[a-z0-9-]+(/lib(/index(\\.js)?)?)?/?$",
  message: "Import provider classes by deep path (e.g. '@cdktf/provider-aws/lib/vpc'): the package root costs ~2 s and ~600 MB per process.",
};

export default tseslint.config(
  { ignores: ["node_modules/**", "dist/**", "cdktf.out/**", ".gen/**", "tools/lint/node_modules/**", "**/*.js", "**/*.mjs"] },
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    languageOptions: { parserOptions: { tsconfigRootDir: root } },
    rules: {
      "no-restricted-imports": ["error", { patterns: [providerRootImports] }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", ignoreRestSiblings: true }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      eqeqeq: ["error", "always"],
      "no-console": "off",
      "no-restricted-syntax": ["error", ...clockReads],
    },
  },
  {
    // Tests pass fixed dates: the real clock is for the command-line entry points only.
    files: ["__tests__/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", {
        patterns: [providerRootImports, { regex: "(^|/)config/clock$", message: "Tests pass a fixed date (TEST_NOW in __tests__/helpers.ts), never the real one." }],
      }],
    },
  },
  {
    // The policy pack is written to be lifted into its own package: it knows nothing of this
    // project's stacks, modules or config beyond what it is handed.
    files: ["policy/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", {
        patterns: [
          providerRootImports,
          { regex: "^\\.\\./(\\.\\./)*(stacks|modules|config)(/|$)", message: "policy/ must not import the project's stacks, modules or config." },
        ],
      }],
    },
  },
  {
    // Environment differences are values in config/*.yaml, never branches on an environment's name.
    files: ["stacks/**/*.ts", "modules/**/*.ts", "policy/**/*.ts"],
    rules: {
      "no-restricted-syntax": ["error", ...clockReads, {
        selector: "BinaryExpression[operator=/^[!=]==?$/] > Literal[value=/^(dev|stage|staging|prod|production)$/]",
        message: "Environment differences are config values, not branches on an environment name.",
      }],
    },
  },
);
