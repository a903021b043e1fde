/**
 * Fitting a rendering into a size limit. GitHub rejects a comment over 65,536 characters and a
 * job summary over 1 MiB; either way the old comment or summary stays, and looks current. So
 * every section is budgeted: the lists at the top (the summary table, the stacks without a plan,
 * the orphaned states, the destructive changes) are trimmed item by item, each saying how many
 * it left out, and share the budget fairly; the details take what is left (render.ts).
 */

/** The size of a text in the unit of a limit. */
export type Measure = (text: string) => number;

/** UTF-16 code units: never fewer than the characters GitHub counts in a comment. */
export const characters: Measure = (text) => text.length;

/** UTF-8 bytes, as the job summary's limit counts. */
export const utf8Bytes: Measure = (text) => Buffer.byteLength(text, "utf8");

/** A section made of a head and items, trimmed from the end: one line then counts what was left out. */
export interface Listing {
  /** What the reader is told the section is. */
  readonly name: string;
  readonly head: string;
  readonly items: readonly string[];
  /** Between the head and the first item. @default "\n" */
  readonly headSep?: string;
  /** Between items, and before the line that counts the rest. @default "\n" */
  readonly sep?: string;
  /** The line that stands for the `n` items left out. */
  readonly more: (n: number) => string;
}

/** The listing with its first `keep` items. */
export function renderListing(l: Listing, keep = l.items.length): string {
  const rest = l.items.length - keep;
  const shown = [...l.items.slice(0, keep), ...(rest > 0 ? [l.more(rest)] : [])];
  return shown.length ? `${l.head}${l.headSep ?? "\n"}${shown.join(l.sep ?? "\n")}` : l.head;
}

/** How many items of a listing fit in `budget` (0 when not even one does). */
export function itemsThatFit(l: Listing, budget: number, measure: Measure): number {
  const n = l.items.length;
  const sep = measure(l.sep ?? "\n");
  const headSep = measure(l.headSep ?? "\n");
  let size = measure(l.head);
  const total = l.items.reduce((acc, item, i) => acc + measure(item) + (i === 0 ? headSep : sep), size);
  if (total <= budget) return n;
  let keep = 0;
  for (const item of l.items) {
    const next = size + measure(item) + (keep === 0 ? headSep : sep);
    if (next + sep + measure(l.more(n - keep - 1)) > budget) break;
    size = next;
    keep += 1;
  }
  return keep;
}

/**
 * Renders listings within a shared budget. When all do not fit, each first gets its head and the
 * line that counts what it left out; the rest is shared fairly (max-min: a listing that needs
 * less than an equal share leaves the difference to the others), so that a long list of failed
 * stacks cannot crowd the destructive changes out. Returns each listing's text and the number of
 * items it left out.
 */
export function fitListings(listings: readonly Listing[], budget: number, measure: Measure): Array<{ text: string; left: number }> {
  const full = listings.map((l) => measure(renderListing(l)));
  if (full.reduce((a, b) => a + b, 0) <= budget) return listings.map((l) => ({ text: renderListing(l), left: 0 }));
  const least = listings.map((l) => measure(renderListing(l, 0)));
  let room = budget - least.reduce((a, b) => a + b, 0);
  const grant = new Array<number>(listings.length).fill(0);
  const order = listings.map((_, i) => i).sort((a, b) => (full[a] as number) - (least[a] as number) - ((full[b] as number) - (least[b] as number)));
  for (const [rank, i] of order.entries()) {
    const want = (full[i] as number) - (least[i] as number);
    const share = Math.max(0, Math.floor(room / (order.length - rank)));
    grant[i] = Math.min(want, share);
    room -= grant[i] as number;
  }
  return listings.map((l, i) => {
    const keep = itemsThatFit(l, (least[i] as number) + (grant[i] as number), measure);
    return { text: renderListing(l, keep), left: l.items.length - keep };
  });
}

/** A name list for a note: the first few, then how many more. */
export function someNames(names: readonly string[], shown = 3): string {
  return names.length <= shown ? names.join(", ") : `${names.slice(0, shown).join(", ")} and ${names.length - shown} more`;
}
