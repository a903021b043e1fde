import { parse } from "yaml";

/**
 * The verdict on a Checkov run: every failed check must be on the committed accepted list
 * (`checkov-accepted.yaml`, one line each: check, stack, resource and the reason a reviewer
 * accepts it), and every entry of the list must still match a failure. So a new failure fails the
 * build, and an accepted one that went away must leave the list. Checkov's own exit status is not
 * the verdict; this is.
 */

/** One failed check, as Checkov's JSON output has it. */
export interface CheckovFailure {
  readonly check: string;
  /** The stack: the folder of `<stack>/cdk.tf.json`, or the name of a plan `<stack>.json`. */
  readonly stack: string;
  readonly resource: string;
  readonly name: string;
}

/** One accepted failure: `stack` may be a glob (`*-iam`) for a resource every environment has. */
export interface AcceptedFailure {
  readonly check: string;
  readonly stack: string;
  readonly resource: string;
  readonly reason: string;
}

/** What the gate found. */
export interface GateResult {
  readonly failures: number;
  readonly unaccepted: readonly CheckovFailure[];
  readonly stale: readonly AcceptedFailure[];
}

interface CheckovReport {
  readonly check_type?: string;
  readonly results?: { readonly failed_checks?: ReadonlyArray<{ check_id: string; check_name?: string; file_path: string; resource: string }> };
}

/** The stack of a Checkov `file_path`: `/dev-iam/cdk.tf.json` or `/dev-iam.json`. */
export function stackOfPath(file: string): string {
  const parts = file.split("/").filter(Boolean);
  const last = parts.at(-1) ?? "";
  return last === "cdk.tf.json" ? (parts.at(-2) ?? "") : last.replace(/\.json$/, "");
}

/** The failed checks of one Checkov JSON output (one report, or a list of them, one per framework). */
export function checkovFailures(output: unknown): CheckovFailure[] {
  const reports = (Array.isArray(output) ? output : [output]) as CheckovReport[];
  return reports.flatMap((report) =>
    (report.results?.failed_checks ?? []).map((f) => ({ check: f.check_id, stack: stackOfPath(f.file_path), resource: f.resource, name: f.check_name ?? "" })),
  );
}

const glob = (pattern: string, value: string) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`).test(value);
const matches = (a: AcceptedFailure, f: CheckovFailure) => a.check === f.check && a.resource === f.resource && glob(a.stack, f.stack);

/** The accepted list, read strictly: each entry needs a check, a stack, a resource and a reason. */
export function readAccepted(text: string, file: string): AcceptedFailure[] {
  const doc = (parse(text) as { accepted?: unknown } | null) ?? {};
  if (!Array.isArray(doc.accepted)) throw new Error(`${file}: expected "accepted:" with a list of { check, stack, resource, reason }`);
  return doc.accepted.map((entry: Partial<AcceptedFailure>, i: number) => {
    const missing = (["check", "stack", "resource", "reason"] as const).filter((k) => typeof entry?.[k] !== "string" || entry[k]!.trim() === "");
    if (missing.length) throw new Error(`${file}: accepted[${i}] lacks ${missing.join(", ")}: every accepted failure names its check, stack, resource and the reason a reviewer accepts it`);
    return entry as AcceptedFailure;
  });
}

/** Judges failures against the accepted list. */
export function gate(failures: readonly CheckovFailure[], accepted: readonly AcceptedFailure[]): GateResult {
  return {
    failures: failures.length,
    unaccepted: failures.filter((f) => !accepted.some((a) => matches(a, f))),
    stale: accepted.filter((a) => !failures.some((f) => matches(a, f))),
  };
}

/** The gate's report: the new failures as lines ready for the list (their reason still to write), and the stale entries. */
export function gateReport(result: GateResult, listFile: string): string {
  const lines = [`checkov-gate: ${result.failures} failed check(s); ${result.unaccepted.length} not on ${listFile}; ${result.stale.length} entr${result.stale.length === 1 ? "y" : "ies"} of it no longer failing`];
  if (result.unaccepted.length) {
    lines.push("", `Fix these, or accept each in ${listFile} with the reason a reviewer would accept:`);
    for (const f of result.unaccepted) lines.push(`  - { check: ${f.check}, stack: ${f.stack}, resource: ${f.resource}, reason: "<why>" }  # ${f.name}`);
  }
  if (result.stale.length) {
    lines.push("", `Remove these from ${listFile}: nothing fails them any more:`);
    for (const a of result.stale) lines.push(`  - { check: ${a.check}, stack: ${a.stack}, resource: ${a.resource} }`);
  }
  return lines.join("\n");
}
