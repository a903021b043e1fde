import { parseArgs } from "node:util";
import { semanticDigest } from "../review";
import { readPlans, runCli } from "./review-cli";

const USAGE = `Usage: npm run plan-digest -- <plan.json|stack=plan.json>...

Prints the semantic digest of \`terraform show -json\` plans: every resource's address, actions and
after-values with secrets masked. apply compares a fresh plan's digest with the reviewed one's.`;

runCli(USAGE, () => {
  const { positionals } = parseArgs({ allowPositionals: true, options: {} });
  console.log(semanticDigest(readPlans(positionals)));
  return 0;
});
