import { type Rule } from "./types";

/** The rule catalogue (`docs/policy-rules.md`), generated from the rule definitions. */
export function ruleCatalogue(rules: readonly Rule[]): string {
  const cell = (text: string) => text.replace(/\|/g, "\\|");
  return [
    "# Policy rules",
    "",
    "<!-- Generated from policy/rules by `npm run policy-docs`; a test fails when this file is stale. Do not edit by hand. -->",
    "",
    `${rules.length} rules. Errors fail the synth; warnings are reported. An environment can change a rule's severity in its config (\`policy.severity\`); a construct can be exempted with \`suppress(construct, ruleId, reason)\`.`,
    "",
    "| id | severity | title | Checkov | applies to |",
    "| --- | --- | --- | --- | --- |",
    ...rules.map((r) => `| ${r.id} | ${r.severity} | ${cell(r.title)} | ${r.checkov ? `${r.checkov}${r.checkovNote ? `: ${cell(r.checkovNote)}` : ""}` : "—"} | ${r.types.map((t) => (t === "*" ? "every block" : `\`${t}\``)).join(", ")} |`),
    "",
    "## Rationale and fix",
    "",
    ...rules.flatMap((r) => [`### ${r.id}: ${r.title}`, "", `- **Why:** ${r.rationale}`, `- **Fix:** ${r.fix}`, ""]),
  ].join("\n");
}
