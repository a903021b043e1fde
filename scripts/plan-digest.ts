import { parseArgs } from "node:util";
import { semanticDigest } from "../review/digest";
import { readPlans, runCli } from "./review-cli";

const USAGE = `Usage: npm run plan-digest -- <plan.json|stack=plan.json>...

Prints the semantic digest of \`terraform show -json\` plans: every resource's address, actions and
import, and a keyed hash (HMAC-SHA256) of every value, sensitive or not, so that any change changes
it and no value can be read from it. apply compares a fresh plan's digest with the reviewed one's.

Environment:
  PLAN_DIGEST_KEY   the key of the hashes (required). Digests compare only under the same key; keep
                    it from the PR's code and from whoever reads the digests (a value as small as
                    true or false could otherwise be guessed).`;

runCli(USAGE, () => {
  const { positionals } = parseArgs({ allowPositionals: true, options: {} });
  const key = process.env.PLAN_DIGEST_KEY;
  if (!key) throw new Error("PLAN_DIGEST_KEY is not set: the digest's hashes need a key (see --help)");
  console.log(semanticDigest(readPlans(positionals), key));
  return 0;
});
