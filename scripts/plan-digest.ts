import { readPlans, runCli } from "./review-cli";
import { semanticDigest } from "../review";

// Prints the semantic digest of plans (address + actions + masked after-values): apply.yml
// compares a fresh plan's digest with the reviewed one's before applying.
runCli(() => {
  console.log(semanticDigest(readPlans(process.argv.slice(2))));
  return 0;
});
