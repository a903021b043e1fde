import { parse as parseYaml } from "yaml";
import { maskSecretShapes, SECRET_KEY } from "../policy/secrets";
import { type Change } from "./plan";

/**
 * Attribute-level diffs of a change, with every sensitive value masked. A value is sensitive
 * when the plan says so (`before_sensitive` / `after_sensitive`) or when its key is named like a
 * secret; sensitive values are compared in memory but never formatted.
 */

// Key names treated as secret whatever the plan says (over-masking is the safe mistake).
export { SECRET_KEY } from "../policy/secrets";

const MASKED = "(sensitive)";
const UNKNOWN = "(known after apply)";
const MAX_VALUE = 120;

interface Leaf {
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

/** Leaves of a value keyed by path, masking sensitive and marking unknown ones. */
function leaves(value: unknown, sensitive: unknown, unknown: unknown, out: Map<string, Leaf>, path = "", secretByName = false): void {
  const isSensitive = secretByName || sensitive === true;
  if (unknown === true) {
    out.set(path, { raw: "\u0000unknown", display: UNKNOWN, sensitive: isSensitive });
    return;
  }
  if (isSensitive) {
    out.set(path, { raw: JSON.stringify(value) ?? "null", display: MASKED, sensitive: true });
    return;
  }
  if (Array.isArray(value) || (value && typeof value === "object")) {
    const entries: Array<[string | number, unknown]> = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
    // Attributes known only after apply appear in after_unknown, not in the value itself.
    if (!Array.isArray(value) && unknown && typeof unknown === "object" && !Array.isArray(unknown)) {
      for (const [key, mark] of Object.entries(unknown)) if (mark === true && !(key in value)) entries.push([key, null]);
    }
    if (entries.length === 0 && path) out.set(path, { raw: JSON.stringify(value), display: JSON.stringify(value), sensitive: false });
    for (const [key, child] of entries) {
      const secret = typeof key === "string" && SECRET_KEY.test(key);
      leaves(child, sub(sensitive, key), sub(unknown, key), out, pathOf(path, key), secret);
    }
    return;
  }
  if (typeof value === "string") {
    const embedded = embeddedDocument(value);
    if (embedded) {
      leaves(embedded.doc, undefined, undefined, out, `${path}⟨${embedded.kind}⟩`);
      return;
    }
  }
  const raw = JSON.stringify(value) ?? "null";
  // A value that is not marked sensitive may still hold one (a connection URL with a password).
  out.set(path, { raw, display: shorten(typeof value === "string" ? maskSecretShapes(raw) : raw), sensitive: false });
}

function leafMap(value: unknown, sensitive: unknown, unknown?: unknown): Map<string, Leaf> {
  const out = new Map<string, Leaf>();
  if (value !== null && value !== undefined) leaves(value, sensitive, unknown, out);
  else if (unknown === true) out.set("", { raw: "\u0000unknown", display: UNKNOWN, sensitive: false });
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
    if (a && !b) lines.push({ op: "+", path, after: a.display, forcesReplacement });
    else if (b && !a) lines.push({ op: "-", path, before: b.display, forcesReplacement });
    else if (a && b && a.raw !== b.raw) {
      const masked = a.sensitive || b.sensitive;
      lines.push({ op: "~", path, before: masked ? MASKED : b.display, after: masked && a.display !== UNKNOWN ? `${MASKED}, changed` : a.display, forcesReplacement });
    }
  }
  return lines;
}

/** The after-values of a change with sensitive values masked: what the semantic digest covers. */
export function maskedAfter(change: Change): Record<string, string> {
  return Object.fromEntries([...leafMap(change.after, change.after_sensitive, change.after_unknown)].map(([k, v]) => [k, v.sensitive ? MASKED : v.display === UNKNOWN ? UNKNOWN : v.raw]));
}
