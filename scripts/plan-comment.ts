import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { environmentOfStack } from "../config/naming";
import { guard, loadSynthContext, markStale, readStatuses, renderComment, renderFull, statusesOf } from "../review";
import { checkPlansKnown, protectedPathsIn, readPlans, runCli } from "./review-cli";

const USAGE = `Usage: npm run plan-comment -- <plan.json|stack=plan.json>... [--manifest cdktf.out/manifest.json] [--statuses DIR] [--config-dir config] [--sha SHA] [--out comment.md] [--full-out full.md] [--all-drift]
       npm run plan-comment -- --mark-stale NEW_SHA --from comment.md [--out comment.md]

Renders \`terraform show -json\` plans of one or more stacks as one GitHub comment (at most 65,536 characters):
every stack of the manifest with its status (a plan, or why there is none, from the <stack>.status.json
files in --statuses), destructive changes with what plan-guard will refuse, and attribute diffs.
--mark-stale rewrites an existing comment as outdated while a newer commit is being planned.`;

runCli(USAGE, () => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      manifest: { type: "string", default: "cdktf.out/manifest.json" },
      statuses: { type: "string" },
      "config-dir": { type: "string", default: "config" },
      sha: { type: "string", default: process.env.GITHUB_SHA ?? "local" },
      out: { type: "string" },
      "full-out": { type: "string" },
      "all-drift": { type: "boolean", default: false },
      "mark-stale": { type: "string" },
      from: { type: "string" },
    },
  });
  const write = (text: string) => (values.out ? writeFileSync(values.out, text) : process.stdout.write(text));
  if (values["mark-stale"]) {
    if (!values.from) throw new Error("--mark-stale needs --from <the current comment's file>");
    write(markStale(readFileSync(values.from, "utf8"), values["mark-stale"]));
    return 0;
  }
  const context = loadSynthContext(values.manifest as string);
  // With --statuses and no plan at all (every plan job failed), the comment still lists every stack.
  const plans = positionals.length === 0 && values.statuses ? [] : readPlans(positionals);
  checkPlansKnown(plans, context, values.manifest as string);
  const protectedPaths = protectedPathsIn(values["config-dir"] as string);
  const { blocked } = guard(plans, { protectedPaths, context });
  const statuses = values.statuses ? statusesOf(context.order, plans, readStatuses(values.statuses)) : undefined;
  const options = { sha: values.sha, context, environmentOf: environmentOfStack, allDrift: values["all-drift"], blocked, statuses };
  const result = renderComment(plans, options);
  write(result.markdown);
  if (values["full-out"]) writeFileSync(values["full-out"], renderFull(plans, options));
  if (result.omitted.length) console.error(`plan-comment: trimmed to ${result.markdown.length} characters; left out: ${result.omitted.join("; ")}`);
  return 0;
});
