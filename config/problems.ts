import path from "node:path";

/** One thing wrong with the configuration, located precisely enough to fix without searching. */
export interface ConfigProblem {
  /** The file, relative to the working directory. */
  readonly file: string;
  /** 1-based line in the file, where known. */
  readonly line?: number;
  /** The environment's `name`, once it is known. */
  readonly environment?: string;
  /** Dotted path of the field (`network.vpcCidr`); empty for the file as a whole. */
  readonly field: string;
  /** What is wrong and what is allowed. */
  readonly message: string;
  /** The offending value, when there is one to show. */
  readonly value?: unknown;
  /** Lines of the file around the problem, shown under the message. */
  readonly frame?: string;
}

/** A file as messages show it: relative to the project folder. */
export function displayPath(file: string, baseDir: string): string {
  return path.relative(baseDir, file) || ".";
}

/** Thrown when configuration is invalid: carries every problem found, not just the first. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(problems.map(formatProblem).join("\n"));
    this.name = "ConfigError";
  }
}

/**
 * One line per problem: `config/prod.yaml:12: [prod] network.natMode: <message> (got "single")`.
 * The `file:line:` prefix is what editors and CI annotations link to.
 */
export function formatProblem(problem: ConfigProblem): string {
  const where = problem.line === undefined ? problem.file : `${problem.file}:${problem.line}`;
  const env = problem.environment ? `[${problem.environment}] ` : "";
  const field = problem.field ? `${problem.field}: ` : "";
  const got = problem.value === undefined ? "" : ` (got ${JSON.stringify(problem.value)})`;
  return `${where}: ${env}${field}${problem.message}${got}${problem.frame ? `\n${problem.frame}` : ""}`;
}
