import { parse as parseYaml } from "yaml";
import { isSecretName, maskSecretShapes, namesSecret } from "../policy/secrets";
import { type Change } from "./plan";

/**
 * Attribute-level diffs of a change, with every sensitive value masked. A value is sensitive
 * when the plan says so (`before_sensitive` / `after_sensitive`), when its key is named like a
 * secret (`db_password`, `apiKeys`, `secrets[0]`), or when it is the `value` of an object whose
 * `name` or `key` names a secret (a container's `env` entry `DB_PASSWORD`, a Helm `set` of
 * `auth.password`); sensitive values are compared in memory but never formatted. Secrets
 * recognisable by their shape are masked wherever they appear, map keys included.
 */

// Key names treated as secret whatever the plan says (over-masking is the safe mistake).
export { SECRET_KEY } from "../policy/secrets";

const MASKED = "(sensitive)";
const UNKNOWN = "(known after apply)";
const MAX_VALUE = 120;

interface Leaf {
  /** The path as the comment shows it: a map key shaped like a secret is masked. */
  readonly shown: string;
  readonly raw: string;
  readonly display: string;
  readonly sensitive: boolean;
}

/** One line of an attribute diff. */
export interface DiffLine {
  readonly op: "+" | "-" | "~";
  readonly path: string;
  readonly before?: string;
  readonly after?: string;
  /** This attribute forces the resource to be replaced. */
  readonly forcesReplacement?: boolean;
}

const sub = (mask: unknown, key: string | number): unknown => (mask === true ? true : mask && typeof mask === "object" ? (mask as Record<string, unknown>)[key] : undefined);

function pathOf(parent: string, key: string | number): string {
  if (typeof key === "number") return `${parent}[${key}]`;
  const safe = /^[A-Za-z_][\w-]*$/.test(key) ? key : JSON.stringify(key);
  if (!parent) return safe.startsWith('"') ? `[${safe}]` : safe;
  return safe.startsWith('"') ? `${parent}[${safe}]` : `${parent}.${safe}`;
}

/** An attribute path as the comment shows it: `tags["kubernetes.io/role/elb"]`, `ingress[0].cidr_blocks`. */
export function attributePath(parts: ReadonlyArray<string | number>): string {
  return parts.reduce<string>((acc, key) => pathOf(acc, key), "");
}

/** JSON or YAML documents held in strings (IAM policies, Helm values), parsed for structural diffs. */
function embeddedDocument(value: string): { kind: string; doc: unknown } | undefined {
  const text = value.trim();
  if (text.startsWith("{") || text.startsWith("[")) {
    try {
      const doc: unknown = JSON.parse(text);
      if (doc && typeof doc === "object") return { kind: "json", doc };
    } catch {
      /* not JSON: shown as a string */
    }
  }
  if (text.includes("\n") && /^[\w"'-][^\n]*:/m.test(text)) {
    try {
      const doc: unknown = parseYaml(text);
      if (doc && typeof doc === "object") return { kind: "yaml", doc };
    } catch {
      /* not YAML: shown as a string */
    }
  }
  return undefined;
}

export function formatValue(value: unknown): string {
  return shorten(JSON.stringify(value) ?? "null");
}

const shorten = (text: string) => (text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE)}…(+${text.length - MAX_VALUE} chars)` : text);

/** Where a leaf is: its path for matching before and after, and the path the comment shows. */
interface At {
  readonly path: string;
  readonly shown: string;
}

/**
 * Whether an object is a name/value pair naming a secret (`{ name: "DB_PASSWORD", value }`,
 * `{ key: "api_token", value }`): then its `value` is secret whatever its own key says.
 */
function pairNamesSecret(value: object): boolean {
  const record = value as Record<string, unknown>;
  if (!("value" in record)) return false;
  return [record.name, record.key].some((n) => typeof n === "string" && namesSecret(n));
}

/** Leaves of a value keyed by path, masking sensitive and marking unknown ones. */
function leaves(value: unknown, sensitive: unknown, unknown: unknown, out: Map<string, Leaf>, at: At = { path: "", shown: "" }, secretByName = false): void {
  const isSensitive = secretByName || sensitive === true;
  if (unknown === true) {
    out.set(at.path, { shown: at.shown, raw: "\u0000unknown", display: UNKNOWN, sensitive: isSensitive });
    return;
  }
  if (isSensitive) {
    out.set(at.path, { shown: at.shown, raw: JSON.stringify(value) ?? "null", display: MASKED, sensitive: true });
    return;
  }
  if (Array.isArray(value) || (value && typeof value === "object")) {
    const entries: Array<[string | number, unknown]> = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
    // Attributes known only after apply appear in after_unknown, not in the value itself.
    if (!Array.isArray(value) && unknown && typeof unknown === "object" && !Array.isArray(unknown)) {
      for (const [key, mark] of Object.entries(unknown)) if (mark === true && !(key in value)) entries.push([key, null]);
    }
    if (entries.length === 0 && at.path) out.set(at.path, { shown: at.shown, raw: JSON.stringify(value), display: JSON.stringify(value), sensitive: false });
    const pair = !Array.isArray(value) && pairNamesSecret(value);
    for (const [key, child] of entries) {
      const secret = typeof key === "string" && (isSecretName(key) || (pair && key === "value"));
      // A map keyed by secrets (a token as a key) shows the key masked; matching uses it as it is.
      const shownKey = typeof key === "string" ? maskSecretShapes(key) : key;
      leaves(child, sub(sensitive, key), sub(unknown, key), out, { path: pathOf(at.path, key), shown: pathOf(at.shown, shownKey) }, secret);
    }
    return;
  }
  if (typeof value === "string") {
    const embedded = embeddedDocument(value);
    if (embedded) {
      leaves(embedded.doc, undefined, undefined, out, { path: `${at.path}⟨${embedded.kind}⟩`, shown: `${at.shown}⟨${embedded.kind}⟩` });
      return;
    }
  }
  const raw = JSON.stringify(value) ?? "null";
  // A value that is not marked sensitive may still hold one (a connection URL with a password).
  out.set(at.path, { shown: at.shown, raw, display: shorten(typeof value === "string" ? maskSecretShapes(raw) : raw), sensitive: false });
}

function leafMap(value: unknown, sensitive: unknown, unknown?: unknown): Map<string, Leaf> {
  const out = new Map<string, Leaf>();
  if (value !== null && value !== undefined) leaves(value, sensitive, unknown, out);
  else if (unknown === true) out.set("", { shown: "", raw: "\u0000unknown", display: UNKNOWN, sensitive: false });
  return out;
}

/** Attribute diff of a change. `only` limits it to paths under the given prefixes (drift). */
export function diffChange(change: Change, only?: readonly string[]): DiffLine[] {
  const before = leafMap(change.before, change.before_sensitive);
  const after = leafMap(change.after, change.after_sensitive, change.after_unknown);
  const forces = (change.replace_paths ?? []).map(attributePath);
  const within = (path: string, prefixes: readonly string[]) => prefixes.some((p) => path === p || path.startsWith(`${p}.`) || path.startsWith(`${p}[`) || path.startsWith(`${p}⟨`));
  const lines: DiffLine[] = [];
  const paths = [...after.keys(), ...[...before.keys()].filter((k) => !after.has(k))];
  // An empty map or list on one side whose entries appear on the other is not a change of its own.
  const hasChildren = (side: Map<string, Leaf>, path: string) => [...side.keys()].some((k) => k !== path && within(k, [path]));
  const emptyContainer = (leaf: Leaf | undefined) => leaf?.raw === "{}" || leaf?.raw === "[]";
  for (const path of paths) {
    if (only && !within(path, only)) continue;
    if ((emptyContainer(before.get(path)) && !after.has(path) && hasChildren(after, path)) || (emptyContainer(after.get(path)) && !before.has(path) && hasChildren(before, path))) continue;
    const b = before.get(path);
    const a = after.get(path);
    const forcesReplacement = forces.length > 0 && within(path, forces) ? true : undefined;
    if (a && !b) lines.push({ op: "+", path: a.shown, after: a.display, forcesReplacement });
    else if (b && !a) lines.push({ op: "-", path: b.shown, before: b.display, forcesReplacement });
    else if (a && b && a.raw !== b.raw) {
      const masked = a.sensitive || b.sensitive;
      lines.push({ op: "~", path: a.shown, before: masked ? MASKED : b.display, after: masked && a.display !== UNKNOWN ? `${MASKED}, changed` : a.display, forcesReplacement });
    }
  }
  return lines;
}
