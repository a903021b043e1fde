import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { isMap, isNode, isScalar, isSeq, LineCounter, parseAllDocuments, parseDocument, type Document, type YAMLError } from "yaml";
import { type z } from "zod";
import { checkAcrossEnvironments, checkEnvironment, type FieldProblem, type SourcedEnvironment } from "./checks";
import { clusterEnvironment } from "./naming";
import { type ClusterDirectory, hostProblem, hostsCluster, INHERITED_SECTIONS, isHostField, resolveTenant } from "./tenancy";
import { dataWarnings } from "./data-checks";
import { unusedZoneProblem } from "./edge-checks";
import { eksWarnings } from "./eks-checks";
import { observabilityWarnings } from "./observability-checks";
import { reuseWarnings } from "./reuse-checks";
import { ConfigError, type ConfigProblem, displayPath } from "./problems";
import { nearMatches, didYouMean } from "./near";
import { ALLOWED_KEYS_PREFIX, environmentSchema, type EnvironmentConfig, type ParsedEnvironment, REMOVED_KEYS } from "./schema";

/** Where environments are read from, and which of them to keep. */
export interface LoadOptions {
  /** Folder holding one `<env>.yaml` per environment. */
  readonly configDir: string;
  /**
   * Folder that file names in messages are relative to.
   * @default process.cwd()
   */
  readonly baseDir?: string;
  /**
   * The day config is judged on: whether the Kubernetes version is still supported depends on
   * it. The synth passes the real date; tests pass fixed ones, so they pass on any day.
   * @default - the support window is not judged: for tools that only read names, accounts and
   * `protect` lists (plan-guard, plan-comment, stacks), which must not refuse to work on the day
   * a version leaves support; the synth judges it
   */
  readonly now?: Date;
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
  const parsed: SourcedEnvironment[] = [];
  // Hosts first, then the tenants, each resolved with its host's sections (config/tenancy.ts).
  const texts = files.map((file) => ({ file, text: readFileSync(path.resolve(baseDir, file), "utf8") }));
  const named = texts.map((t) => ({ ...t, ...peekPlacement(t.text) }));
  const tenants = new Map(named.flatMap((t) => (t.name !== undefined && t.host !== undefined ? [[t.name, t.host] as const] : [])));
  const hosts = new Map<string, EnvironmentConfig>();
  const declared = new Set(named.flatMap((t) => (t.name !== undefined && t.host === undefined ? [t.name] : [])));
  for (const { file, text, host } of [...named.filter((t) => t.host === undefined), ...named.filter((t) => t.host !== undefined)]) {
    const result = loadEnvironmentFile(file, text, options.now, { hosts, tenants, declared });
    problems.push(...result.problems);
    if (!result.config) continue;
    if (host === undefined) hosts.set(result.config.name, result.config);
    parsed.push({ file, config: result.config, lineOf: result.lineOf });
  }
  // The host's stacks make its tenants' namespaces, access and records: each host knows its tenants.
  const withTenants = (env: EnvironmentConfig): EnvironmentConfig => {
    const own = parsed.filter((t) => !hostsCluster(t.config) && clusterEnvironment(t.config) === env.name).map((t) => t.config);
    return own.length ? { ...env, tenants: own } : env;
  };
  const loaded = parsed.map((env) => ({ ...env, config: withTenants(env.config) }));
  problems.push(...checkAcrossEnvironments(loaded));
  if (problems.length > 0) throw new ConfigError(problems);
  const shared = reuseWarnings(loaded);
  for (const env of loaded) {
    sources.set(env.config, { file: env.file, lineOf: env.lineOf });
    acrossWarnings.set(env.config, shared.filter((w) => w.file === env.file));
  }
  return loaded.map((env) => env.config);
}

const sources = new WeakMap<EnvironmentConfig, Pick<SourcedEnvironment, "file" | "lineOf">>();
/** Warnings found across the files (what an environment shares with another), kept per environment for {@link configWarnings}. */
const acrossWarnings = new WeakMap<EnvironmentConfig, readonly ConfigProblem[]>();

/**
 * Warnings about valid config on a day (a Kubernetes version leaving standard support, a
 * production database with an accepted weaker setting, a host or role shared with another
 * environment), located like problems, for the synth to print ({@link formatWarnings} says a
 * warning several environments share once).
 */
export function configWarnings(environments: readonly EnvironmentConfig[], now: Date): ConfigProblem[] {
  return environments.flatMap((env) => {
    const source = sourceOf(env);
    // A tenant's eks and platform are its host's, warned of in the host's file.
    const own = [...eksWarnings(env, now), ...dataWarnings(env), ...observabilityWarnings(env)].filter((w) => hostsCluster(env) || !isHostField(w.field)).map((w) => ({ ...w, file: source?.file ?? `${env.name}.yaml`, line: source?.lineOf?.(w.field), environment: env.name }));
    return [...own, ...(acrossWarnings.get(env) ?? [])];
  });
}

/** The file an environment was loaded from, and the line of a field in it, for checks made after loading. */
export function sourceOf(env: EnvironmentConfig): Pick<SourcedEnvironment, "file" | "lineOf"> | undefined {
  return sources.get(env);
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

/** Parses and validates one environment file, as of `now` (see {@link LoadOptions.now}). Exported for tests and editor tooling. */
export function loadEnvironmentFile(
  file: string,
  text: string,
  now?: Date,
  directory?: ClusterDirectory,
): { config?: EnvironmentConfig; problems: ConfigProblem[]; lineOf?: (field: string) => number | undefined } {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const all = Array.isArray(docs) ? docs : [];
  if (all.length > 1) {
    const second = all[1]?.range?.[0] ?? 0;
    return { problems: [{ file, line: lineCounter.linePos(second).line, field: "", message: "holds a second YAML document (after a --- line); keep one environment per file" }] };
  }
  const doc = all[0];
  if (!doc || doc.contents === null) {
    return { problems: [{ file, field: "", message: "is empty; an environment file needs name, production, account, tags and network (copy config/dev.yaml to start)" }] };
  }
  if (doc.errors.length > 0) return { problems: doc.errors.map((error) => yamlProblem(file, text, lineCounter, error)) };
  const locate = (fieldPath: readonly PropertyKey[]) => lineOf(doc, lineCounter, fieldPath);
  const raw: unknown = doc.toJS();
  const environment = typeof (raw as { name?: unknown })?.name === "string" ? (raw as { name: string }).name : undefined;
  const parsed = environmentSchema.safeParse(raw, { reportInput: true, error: describeIssue });
  if (!parsed.success) {
    const source = (fieldPath: readonly PropertyKey[]) => {
      const node = doc.getIn(fieldPath, true);
      return isScalar(node) ? node.source : undefined;
    };
    return { problems: pairMisspelt(parsed.error.issues.flatMap((issue) => issueProblems(issue, file, environment, locate, source))) };
  }
  const located = (p: FieldProblem) => ({ ...p, file, environment, line: locate(p.field.split(".")) });
  // A tenant runs in its host's cluster: it is checked with the host's sections, whose own
  // problems are reported in the host's file (config/tenancy.ts).
  const misplaced = hostProblem(parsed.data, directory) ?? inheritedSectionProblem(parsed.data, raw);
  if (misplaced) return { problems: [located(misplaced)] };
  const host = parsed.data.cluster && directory?.hosts.get(parsed.data.cluster.environment);
  const data = host ? resolveTenant(parsed.data, host) : parsed.data;
  // A host's zone serves its tenants' hosts too: checked again once they are known (config/tenancy.ts).
  const hasTenants = [...(directory?.tenants.values() ?? [])].includes(parsed.data.name);
  const problems = checkEnvironment(data, now)
    .filter((p) => !host || !isHostField(p.field))
    .filter((p) => !hasTenants || p.message !== unusedZoneProblem(data)?.message)
    .map(located);
  const expected = path.basename(file).replace(/\.ya?ml$/, "");
  if (parsed.data.name !== expected) {
    problems.push({
      file,
      environment,
      line: locate(["name"]),
      field: "name",
      value: parsed.data.name,
      message: `must match the file name ("${expected}"): people, CI and the stack ids find an environment by it; rename the file to ${parsed.data.name}.yaml or set name: ${expected}`,
    });
  }
  return problems.length > 0 ? { problems } : { config: data, problems, lineOf: (field) => locate(field.split(".")) };
}

/** A tenant's file that sets a section it takes from its host, though the section has defaults (ci, access). */
function inheritedSectionProblem(env: ParsedEnvironment, raw: unknown): FieldProblem | undefined {
  if (!env.cluster) return undefined;
  const at = (value: unknown, [key, ...rest]: string[]): unknown => (typeof value === "object" && value !== null && key !== undefined && key in value ? (rest.length === 0 ? (value as Record<string, unknown>)[key] : at((value as Record<string, unknown>)[key], rest)) : undefined);
  const section = INHERITED_SECTIONS.find((path) => at(raw, path.split(".")) !== undefined);
  const given = section && at(raw, section.split("."));
  return section && { field: section, value: typeof given === "object" && given !== null ? Object.keys(given) : given, message: `is the cluster host's: this environment runs in ${env.cluster.environment}'s cluster (cluster.environment), whose ${section} it uses; remove the section, or remove cluster to host a cluster of its own` };
}

/** An environment file's name and the host it names (`cluster.environment`), read before it is validated, so that hosts load first. */
function peekPlacement(text: string): { name?: string; host?: string } {
  try {
    const raw = parseDocument(text).toJS() as { name?: unknown; cluster?: { environment?: unknown } } | null;
    const host = raw?.cluster?.environment;
    return { name: typeof raw?.name === "string" ? raw.name : undefined, host: typeof host === "string" ? host : undefined };
  } catch {
    // Its own load reports the syntax error.
    return {};
  }
}

/** A YAML syntax error at the place to fix it, with the lines around it. */
function yamlProblem(file: string, text: string, lineCounter: LineCounter, error: YAMLError): ConfigProblem {
  let offset = error.pos[0];
  let message = error.message.split("\n")[0] ?? "";
  // An unclosed quote is reported where the file ends; the mistake is where the quote opened.
  const quote = error.code === "MISSING_CHAR" && /closing (["'])quote/.exec(message)?.[1];
  if (quote) {
    const opened = openingQuote(text, quote, offset);
    if (opened !== undefined) {
      offset = opened;
      message = `a ${quote}-quoted string opens here and is never closed`;
    }
  }
  const { line, col } = lineCounter.linePos(offset);
  return { file, line, field: "", message: `YAML does not parse: ${message}`, frame: codeFrame(text, line, col) };
}

/** Offset of the quote that opens the string still open at `end`, if any. */
function openingQuote(text: string, quote: string, end: number): number | undefined {
  let open: number | undefined;
  for (let i = 0; i < Math.min(end, text.length); i++) {
    const c = text[i];
    if (open === undefined && c === "#" && (i === 0 || /\s/.test(text[i - 1] as string))) {
      while (i < text.length && text[i] !== "\n") i++;
      continue;
    }
    if (open !== undefined && quote === '"' && c === "\\") {
      i++;
      continue;
    }
    if (c === quote) open = open === undefined ? i : undefined;
  }
  return open;
}

/** Two lines either side of a position, numbered, with a caret under the column. */
function codeFrame(text: string, line: number, col: number): string {
  const lines = text.split(/\r?\n/);
  const from = Math.max(1, line - 2);
  const to = Math.min(lines.length, line + 2);
  const width = String(to).length;
  const out: string[] = [];
  for (let n = from; n <= to; n++) {
    out.push(`  ${n === line ? ">" : " "} ${String(n).padStart(width)} | ${lines[n - 1] ?? ""}`.trimEnd());
    if (n === line) out.push(`    ${" ".repeat(width)} | ${" ".repeat(Math.max(0, col - 1))}^`);
  }
  return out.join("\n");
}

function issueProblems(
  issue: z.core.$ZodIssue,
  file: string,
  environment: string | undefined,
  locate: (fieldPath: readonly PropertyKey[]) => number | undefined,
  source: (fieldPath: readonly PropertyKey[]) => string | undefined,
): ConfigProblem[] {
  if (issue.code === "unrecognized_keys") {
    const allowed = issue.message.startsWith(ALLOWED_KEYS_PREFIX) ? issue.message.slice(ALLOWED_KEYS_PREFIX.length).split(", ") : [];
    return issue.keys.map((key) => {
      const field = [...issue.path, key].join(".");
      return { file, environment, field, message: REMOVED_KEYS[field] ?? `unknown key${didYouMean(key, allowed)}; allowed keys here: ${allowed.join(", ")}`, line: locate([...issue.path, key]) };
    });
  }
  const field = issue.path.join(".");
  const line = locate(issue.path);
  const key = field.split(".").pop();
  if (issue.code === "invalid_type" && issue.expected === "string" && typeof issue.input === "number") {
    const written = source(issue.path) ?? String(issue.input);
    const lost = /^0\d/.test(written) ? ` YAML reads the unquoted ${written} as the number ${issue.input}, dropping its leading zero;` : "";
    // A bare CPU count is cores; quoting it as it is asks for that many (250 is 250 vCPUs).
    const cores = key === "cpu" ? ` ("${written}" is ${written} vCPUs; "${written}m" is ${written} thousandths of one)` : "";
    return [{ file, environment, field, line, value: issue.input, message: `is a number, but must be a string:${lost} quote it: ${key}: "${written}"${cores}` }];
  }
  // A version written unquoted (version: 1.30) is a YAML number, and one that loses digits (1.3):
  // the list of allowed strings would read as if it held the value.
  if (issue.code === "invalid_value" && typeof issue.input === "number" && issue.values.every((v) => typeof v === "string")) {
    const written = source(issue.path) ?? String(issue.input);
    const read = written === String(issue.input) ? `${written} as a number` : `${written} as the number ${issue.input}`;
    const allowed = (issue.values as string[]).includes(written) ? "" : `; allowed: ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    return [{ file, environment, field, line, value: issue.input, message: `YAML read ${read}; quote it: ${key}: "${written}"${allowed}` }];
  }
  const value = issue.input === undefined || typeof issue.input === "object" ? undefined : issue.input;
  return [{ file, environment, field, message: issue.message, value, line }];
}

/**
 * A required key reported missing next to an unknown key that is nearly its name (`natMod` for
 * `natMode`) is one mistake, a misspelling: say so once, on the line of the misspelt key.
 */
function pairMisspelt(problems: ConfigProblem[]): ConfigProblem[] {
  const missing = problems.filter((p) => p.message.startsWith("is required"));
  const unknown = problems.filter((p) => p.message.startsWith("unknown key"));
  const drop = new Set<ConfigProblem>();
  for (const m of missing) {
    const parent = m.field.split(".").slice(0, -1).join(".");
    const name = m.field.split(".").pop() as string;
    const typo = unknown.find((u) => u.field.split(".").slice(0, -1).join(".") === parent && nearMatches(u.field.split(".").pop() as string, [name]).length > 0);
    if (!typo) continue;
    drop.add(m);
    drop.add(typo);
    problems.push({ ...typo, message: `unknown key (did you mean "${name}"?); ${m.field} is required and missing` });
  }
  return problems.filter((p) => !drop.has(p));
}

/** Plain-English messages for zod's generic issues; schema-specific messages take precedence. */
function describeIssue(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case "invalid_type": {
      if (issue.input === undefined) return `is required (${issue.expected})`;
      const article = /^[aeiou]/.test(issue.expected) ? "an" : "a";
      return `must be ${issue.expected === "int" ? "an integer" : `${article} ${issue.expected}`}`;
    }
    case "invalid_value":
      return `${issue.input === undefined ? "is required; " : ""}allowed: ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "invalid_key":
      // A record key that fails its own schema: that schema's message says what is allowed.
      return (issue.issues as ReadonlyArray<{ message?: string }> | undefined)?.[0]?.message ?? "is not an allowed key";
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
