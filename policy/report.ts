import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { type Finding, type Rule } from "./types";
import { activeFindings, type StackReport } from "./pack";

/** The machine-readable report (`policy-report.json`). */
export interface PolicyReport {
  readonly status: "passed" | "failed";
  readonly counts: { readonly errors: number; readonly warnings: number; readonly suppressed: number };
  readonly rules: ReadonlyArray<Pick<Rule, "id" | "severity" | "title" | "checkov">>;
  readonly stacks: readonly StackReport[];
}

export function buildReport(rules: readonly Rule[], stacks: readonly StackReport[]): PolicyReport {
  const errors = activeFindings(stacks, "error").length;
  return {
    status: errors > 0 ? "failed" : "passed",
    counts: { errors, warnings: activeFindings(stacks, "warning").length, suppressed: stacks.flatMap((s) => s.findings).filter((f) => f.suppressedBy).length },
    rules: rules.map(({ id, severity, title, checkov }) => ({ id, severity, title, checkov })),
    stacks,
  };
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** The Markdown report (`policy-report.md`): what a PR comment shows. */
export function reportMarkdown(report: PolicyReport): string {
  const icon = report.status === "passed" ? "✅" : "❌";
  const lines = [
    `## ${icon} Policy pack: ${report.counts.errors} error(s), ${report.counts.warnings} warning(s), ${report.counts.suppressed} suppressed`,
    "",
    "| stack | rules checked | errors | warnings | suppressed |",
    "| --- | ---: | ---: | ---: | ---: |",
    ...report.stacks.map((s) => {
      const active = (sev: string) => s.findings.filter((f) => !f.suppressedBy && f.severity === sev).length;
      return `| \`${s.stack}\` | ${s.rulesChecked.length} | ${active("error")} | ${active("warning")} | ${s.findings.filter((f) => f.suppressedBy).length} |`;
    }),
  ];
  lines.push("", "<details><summary>Rules checked per stack</summary>", "", ...report.stacks.map((s) => `- \`${s.stack}\`: ${s.rulesChecked.join(", ") || "none"}`), "", "</details>");
  const active = report.stacks.flatMap((s) => s.findings).filter((f) => !f.suppressedBy);
  if (active.length) {
    lines.push("", "### Findings", "", "| severity | stack | address | construct | rule | problem | fix |", "| --- | --- | --- | --- | --- | --- | --- |");
    for (const f of sortFindings(active)) {
      lines.push(`| ${f.severity} | \`${f.stack}\` | \`${cell(f.address)}\` | \`${cell(f.path)}\` | ${f.ruleId} ${cell(f.title)} | ${cell(f.detail)} | ${cell(f.fix)} |`);
    }
  }
  const suppressions = report.stacks.flatMap((s) => s.suppressions.map((x) => ({ ...x, stack: s.stack })));
  if (suppressions.length) {
    lines.push("", "### Suppressions", "", "| stack | rule | scope | findings covered | reason |", "| --- | --- | --- | ---: | --- |");
    for (const s of suppressions) lines.push(`| \`${s.stack}\` | ${s.ruleId} | \`${cell(s.path)}\` | ${s.matched} | ${cell(s.reason)} |`);
  }
  return `${lines.join("\n")}\n`;
}

function sortFindings(findings: readonly Finding[]): Finding[] {
  const rank = (f: Finding) => (f.severity === "error" ? 0 : 1);
  return [...findings].sort((a, b) => rank(a) - rank(b) || a.stack.localeCompare(b.stack) || a.address.localeCompare(b.address) || a.ruleId.localeCompare(b.ruleId));
}

/**
 * Findings for the terminal, one block each, wrapped to a terminal's width, so the fix is never
 * cut off however long the addresses are.
 */
export function errorBlocks(findings: readonly Finding[], width = 100): string {
  return sortFindings(findings)
    .map((f) =>
      [
        `✖ [${f.ruleId}] ${f.title}`,
        ...field("stack", f.stack, width),
        ...field("address", f.address, width),
        ...field("construct", f.path, width),
        ...field("problem", f.detail, width),
        ...field("fix", f.fix, width),
      ].join("\n"),
    )
    .join("\n\n");
}

/** `  label:    text`, wrapped at word boundaries with continuation lines aligned. */
function field(label: string, text: string, width: number): string[] {
  const indent = "    " + " ".repeat(11);
  const lines: string[] = [];
  let line = `    ${`${label}:`.padEnd(11)}`;
  for (const word of text.split(/\s+/)) {
    if (line.trim().length > label.length + 1 && line.length + 1 + word.length > width) {
      lines.push(line.trimEnd());
      line = indent;
    }
    line += (line.endsWith(" ") ? "" : " ") + word;
  }
  lines.push(line.trimEnd());
  return lines;
}

/** Writes `policy-report.json` and `policy-report.md` into the output folder. */
export function writePolicyReport(outdir: string, report: PolicyReport): void {
  mkdirSync(outdir, { recursive: true });
  writeFileSync(path.join(outdir, "policy-report.json"), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(path.join(outdir, "policy-report.md"), reportMarkdown(report));
}
