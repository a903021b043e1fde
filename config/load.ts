import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { isMap, isNode, isScalar, isSeq, LineCounter, parseDocument, type Document } from "yaml";
import { type z } from "zod";
import { checkAcrossEnvironments, checkEnvironment, type SourcedEnvironment } from "./checks";
import { ConfigError, type ConfigProblem, displayPath } from "./problems";
import { environmentSchema, type EnvironmentConfig } from "./schema";

/** Where environments are read from, and which of them to keep. */
export interface LoadOptions {
  /** Folder holding one `<env>.yaml` per environment. */
  readonly configDir: string;
  /**
   * Folder that file names in messages are relative to.
   * @default process.cwd()
   */
  readonly baseDir?: string;
}

/**
 * Reads, parses and validates every environment file in a folder, then checks them against each
 * other. Throws one ConfigError listing every problem found, so nothing is built from bad input.
 * Returns them all: CIDR overlaps and name clashes are checked across all of them whatever is
 * later selected with {@link pickEnvironments}.
 */
export function loadEnvironments(options: LoadOptions): EnvironmentConfig[] {
  const baseDir = options.baseDir ?? process.cwd();
  const files = listEnvironmentFiles(options.configDir, baseDir);
  const problems: ConfigProblem[] = [];
  const loaded: SourcedEnvironment[] = [];
  for (const file of files) {
    const result = loadEnvironmentFile(file, readFileSync(path.resolve(baseDir, file), "utf8"));
    problems.push(...result.problems);
    if (result.config) loaded.push({ file, config: result.config, lineOf: result.lineOf });
  }
  problems.push(...checkAcrossEnvironments(loaded));
  if (problems.length > 0) throw new ConfigError(problems);
  return loaded.map((env) => env.config);
}

function listEnvironmentFiles(configDir: string, baseDir: string): string[] {
  const relativeDir = displayPath(configDir, baseDir);
  let names: string[];
  try {
    names = readdirSync(configDir);
  } catch {
    throw new ConfigError([{ file: relativeDir, field: "", message: "config folder not found; pass --config-dir or set PLATFORM_CONFIG_DIR" }]);
  }
  const files = names.filter((name) => /\.ya?ml$/.test(name)).sort().map((name) => path.join(relativeDir, name));
  if (files.length === 0) {
    throw new ConfigError([{ file: relativeDir, field: "", message: "holds no environment files; expected one <env>.yaml per environment" }]);
  }
  return files;
}

/** The named environments (all when none are named); an unknown name is a ConfigError listing the known ones. */
export function pickEnvironments(all: readonly EnvironmentConfig[], names: readonly string[], configDir = "config"): EnvironmentConfig[] {
  const known = all.map((env) => env.name);
  const unknown = names.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new ConfigError(unknown.map((name) => ({ file: configDir, field: "--env", value: name, message: `no such environment; allowed: ${known.join(", ")}` })));
  }
  return all.filter((env) => names.length === 0 || names.includes(env.name));
}

/** Parses and validates one environment file. Exported for tests and editor tooling. */
export function loadEnvironmentFile(file: string, text: string): { config?: EnvironmentConfig; problems: ConfigProblem[]; lineOf?: (field: string) => number | undefined } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      problems: doc.errors.map((error) => ({
        file,
        line: lineCounter.linePos(error.pos[0]).line,
        field: "",
        message: `YAML does not parse: ${error.message.split("\n")[0]}`,
      })),
    };
  }
  const locate = (fieldPath: readonly PropertyKey[]) => lineOf(doc, lineCounter, fieldPath);
  const raw: unknown = doc.toJS();
  const parsed = environmentSchema.safeParse(raw, { reportInput: true, error: describeIssue });
  const environment = typeof (raw as { name?: unknown })?.name === "string" ? (raw as { name: string }).name : undefined;
  if (!parsed.success) {
    return { problems: parsed.error.issues.flatMap((issue) => issueProblems(issue, file, environment, locate)) };
  }
  const problems = checkEnvironment(parsed.data).map((p) => ({ ...p, file, environment, line: locate(p.field.split(".")) }));
  return problems.length > 0 ? { problems } : { config: parsed.data, problems, lineOf: (field) => locate(field.split(".")) };
}

function issueProblems(
  issue: z.core.$ZodIssue,
  file: string,
  environment: string | undefined,
  locate: (fieldPath: readonly PropertyKey[]) => number | undefined,
): ConfigProblem[] {
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => ({ file, environment, field: [...issue.path, key].join("."), message: issue.message, line: locate([...issue.path, key]) }));
  }
  const value = issue.input === undefined || typeof issue.input === "object" ? undefined : issue.input;
  return [{ file, environment, field: issue.path.join("."), message: issue.message, value, line: locate(issue.path) }];
}

/** Plain-English messages for zod's generic issues; schema-specific messages take precedence. */
function describeIssue(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case "invalid_type":
      return issue.input === undefined ? `is required (${issue.expected})` : `must be ${issue.expected === "int" ? "an integer" : `a ${issue.expected}`}`;
    case "invalid_value":
      return `allowed: ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "too_small":
      return `must be at least ${issue.minimum}`;
    case "too_big":
      return `must be at most ${issue.maximum}`;
    default:
      return undefined;
  }
}

/** 1-based line of a field's key, or of its nearest ancestor present in the file. */
function lineOf(doc: Document, lineCounter: LineCounter, fieldPath: readonly PropertyKey[]): number | undefined {
  for (let depth = fieldPath.length; depth > 0; depth--) {
    const parent = depth === 1 ? doc.contents : doc.getIn(fieldPath.slice(0, depth - 1), true);
    if (isSeq(parent)) {
      const item = parent.items[Number(fieldPath[depth - 1])];
      const offset = isNode(item) ? item.range?.[0] : undefined;
      if (offset !== undefined) return lineCounter.linePos(offset).line;
      continue;
    }
    if (!isMap(parent)) continue;
    const key = String(fieldPath[depth - 1]);
    const pair = parent.items.find((item) => isScalar(item.key) && String(item.key.value) === key);
    const offset = isScalar(pair?.key) ? pair.key.range?.[0] : undefined;
    if (offset !== undefined) return lineCounter.linePos(offset).line;
  }
  return 1;
}
