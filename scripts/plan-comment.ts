import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { environmentOfStack } from "../config/naming";
import { loadSynthContext, renderComment, renderFull } from "../review";
import { readPlans, runCli } from "./review-cli";

const USAGE = `Usage: npm run plan-comment -- <plan.json|stack=plan.json>... [--manifest cdktf.out/manifest.json] [--sha SHA] [--out comment.md] [--full-out full.md]

Renders \`terraform show -json\` plans of one or more stacks as one GitHub comment (at most 65,536 characters).`;

runCli(USAGE, () => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      manifest: { type: "string", default: "cdktf.out/manifest.json" },
      sha: { type: "string", default: process.env.GITHUB_SHA ?? "local" },
      out: { type: "string" },
      "full-out": { type: "string" },
      "all-drift": { type: "boolean", default: false },
    },
  });
  const plans = readPlans(positionals);
  const options = { sha: values.sha, context: loadSynthContext(values.manifest as string), environmentOf: environmentOfStack, allDrift: values["all-drift"] };
  const result = renderComment(plans, options);
  if (values.out) writeFileSync(values.out, result.markdown);
  else process.stdout.write(result.markdown);
  if (values["full-out"]) writeFileSync(values["full-out"], renderFull(plans, options));
  if (result.omitted.length) console.error(`plan-comment: trimmed to ${result.markdown.length} characters; left out: ${result.omitted.join("; ")}`);
  return 0;
});
