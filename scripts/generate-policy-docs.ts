import { writeFileSync } from "node:fs";
import path from "node:path";
import { ALL_RULES, ruleCatalogue } from "../policy";

// Rewrites docs/policy-rules.md from the rule definitions, so the catalogue never drifts.
const target = path.join(process.cwd(), "docs", "policy-rules.md");
writeFileSync(target, ruleCatalogue(ALL_RULES));
console.log(`wrote ${path.relative(process.cwd(), target)} (${ALL_RULES.length} rules)`);
