/**
 * Allows, as reviewers give them. A protected destroy, a data-destroying update or an orphaned
 * state is let through only by a line in an approving review of the pull request's latest head,
 * by someone other than its author who is on the approver list (`.github/approvers.yaml`):
 *
 *     /allow <stack> <address> sha256:<sha256 of that stack's reviewed .tfplan>
 *
 * An orphaned state is allowed with the address `orphaned-state` and the sha256 of the orphan
 * report the comment showed. Naming the plan's sha256 ties the allow to exactly the plan the
 * reviewer read: a new push makes a new plan, and the allow no longer matches. Labels, which any
 * writer (and any job holding a write token) can add, count for nothing.
 */

/** The address an orphaned state is allowed with. */
export const ORPHANED_STATE = "orphaned-state";

/** One allow. */
export interface Allow {
  readonly stack: string;
  readonly address: string;
  /** sha256 (hex) of the stack's reviewed `.tfplan`, or of the orphan report for {@link ORPHANED_STATE}. */
  readonly sha256: string;
}

const LINE = /^\/allow[ \t]+(\S+)[ \t]+(\S+)[ \t]+sha256:([0-9a-f]{64})[ \t]*$/;

/** The line a reviewer pastes into an approving review to allow one change. */
export function allowLine(stack: string, address: string, sha256: string): string {
  return `/allow ${stack} ${address} sha256:${sha256}`;
}

/**
 * The allows of one review body, and its `/allow` lines that are malformed (reported, never
 * dropped silently: a typo must not leave a reviewer believing they allowed something).
 */
export function readAllows(body: string): { readonly allows: Allow[]; readonly malformed: string[] } {
  const allows: Allow[] = [];
  const malformed: string[] = [];
  for (const raw of body.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line.startsWith("/allow")) continue;
    const m = LINE.exec(line);
    if (m) allows.push({ stack: m[1] as string, address: m[2] as string, sha256: m[3] as string });
    else malformed.push(line);
  }
  return { allows, malformed };
}
