/**
 * Markdown for untrusted text. Addresses, construct paths, import ids, action reasons, status
 * details and Terraform's error text, stack and output names, attribute paths and values all
 * come from the pull request, and land in a comment that reviewers act on. Each goes through
 * the escape for the context it lands in, so that none can open a link, show an image, close
 * the construct it sits in, or ping a team.
 *
 * - Inline code (CommonMark 0.31.2 §6.1): a code span ends at the first backtick run of its
 *   opening run's length, so the fence is one backtick longer than the longest run inside, and
 *   padded with a space (which CommonMark strips) when the text starts or ends with a backtick.
 *   A line break inside would let the next line start a new block: it shows as ⏎.
 * - Fenced blocks (§4.5): a fence closes only on a run at least as long as its opening one, so
 *   the fence is longer than any run of backticks inside.
 * - Text outside code, and HTML (`<summary>`): `&`, `<`, `>` and quotes as entities, so no tag
 *   is live; and `@` followed by a zero-width joiner. GitHub finds mentions in the rendered
 *   HTML's text nodes outside `<code>`, `<pre>` and `<a>` (html-pipeline's MentionFilter),
 *   where `&#64;` is already `@` again; the joiner breaks the `@name` pattern itself.
 */

const ZWJ = "\u200d";

/**
 * C0 and C1 controls (a terminal's escape sequences) and the bidirectional overrides and
 * isolates that make text display in another order than it reads (CVE-2021-42574).
 */
const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** A text on one line, its line breaks shown as ⏎ and its invisible controls as �. */
export function oneLine(text: string): string {
  return text.replace(/\r\n|\r|\n/g, " ⏎ ").replace(/\t/g, " ").replace(INVISIBLE, "\ufffd");
}

/** The longest run of backticks in a text. */
export function longestBacktickRun(text: string): number {
  let longest = 0;
  for (const m of text.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  return longest;
}

/** An inline code span holding the text exactly, whatever backticks it holds. */
export function code(text: string): string {
  const body = oneLine(text);
  if (body === "") return "` `";
  const fence = "`".repeat(longestBacktickRun(body) + 1);
  const pad = /^[` ]|[` ]$/.test(body) && body.trim() !== "" ? " " : "";
  return `${fence}${pad}${body}${pad}${fence}`;
}

/** Inline code in a table cell: GitHub splits cells on `|` even inside code, unless escaped. */
export function cellCode(text: string): string {
  return code(text).replace(/\|/g, "\\|");
}

/** A fenced code block holding the lines exactly. */
export function fence(lines: readonly string[], info = ""): string {
  const body = lines.map((l) => l.replace(/\r/g, "").replace(INVISIBLE, "\ufffd")).join("\n");
  const ticks = "`".repeat(Math.max(3, longestBacktickRun(body) + 1));
  return `${ticks}${info}\n${body}\n${ticks}`;
}

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text inside HTML (`<summary>`, `<b>`): no tag, no entity, no mention. */
export function html(value: string): string {
  return defuse(oneLine(value));
}

/**
 * Text in Markdown, outside code: no tag, no link, image, code or emphasis (their punctuation
 * backslash-escaped, §2.4: without `[` `]` no link or image can start), no mention, and no bare
 * URL that GitHub would turn into a link.
 */
export function text(value: string): string {
  return defuse(oneLine(value).replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`))
    .replace(/:\/\//g, `:${ZWJ}//`)
    .replace(/\bwww\./gi, (w) => `${w.slice(0, 3)}${ZWJ}.`);
}

const defuse = (value: string) => value.replace(/[&<>"']/g, (c) => ENTITIES[c] as string).replace(/@/g, `@${ZWJ}`);
