import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { allowSummary, APPLY_WORKFLOW, boundComment, checkFollowUpRun, checkMerged, checkPlanRun, type CommentFacts, countedAllows, mergedPullRequest, type PullRequestFacts, readApprovers, type ReviewFacts, type RunFacts } from "../review/reviewed-plan";
import { ghApi as api } from "./gh-api";
import { runCli } from "./review-cli";

const USAGE = `Usage: node dist/scripts/reviewed-plan.js --repo ORG/REPO --sha SHA [--run RUN_ID [--pr N]] [--default-branch main] [--approvers .github/approvers.yaml] [--summary FILE]

Decides, from GitHub's records (through \`gh api\`), which reviewed plans an apply of SHA uses, and
refuses anything it cannot vouch for:
- the pull request merged as SHA into the default branch;
- its newest plan comment signed by the trusted review job (PLAN_DIGEST_KEY), not outdated;
- the plan run that comment binds: plan.yml, event pull_request, this pull request, its head,
  concluded successfully; with --run, that run instead (a plan run of the same pull request, or
  an apply run of the default branch whose newly plannable layers await review);
- the allows of approving reviews of the head by approvers other than the author, each naming
  the sha256 of the plan it allows.
With --run of an apply run, --pr names the merged pull request (main may have moved since).
Prints run-id, pr, head, base, binding (JSON), allow (stack:address,…) and follow-up as key=value lines for
$GITHUB_OUTPUT, and writes who allowed what to --summary.`;


runCli(USAGE, () => {
  const { values } = parseArgs({
    options: {
      repo: { type: "string" },
      sha: { type: "string" },
      run: { type: "string" },
      "default-branch": { type: "string", default: "main" },
      approvers: { type: "string", default: ".github/approvers.yaml" },
      summary: { type: "string" },
      pr: { type: "string" },
    },
  });
  const { repo, sha } = values;
  if (!repo || !sha) throw new Error("--repo and --sha are required");
  const key = process.env.PLAN_DIGEST_KEY ?? "";
  if (!key) throw new Error("PLAN_DIGEST_KEY is not set: this job must run in the plan-review environment, which holds the review key");
  const branch = values["default-branch"] as string;
  const approvers = readApprovers(readFileSync(values.approvers as string, "utf8"), values.approvers as string);

  const given = values.run ? (api(`repos/${repo}/actions/runs/${values.run}`) as RunFacts) : undefined;
  const followUp = given?.path === APPLY_WORKFLOW;
  if (given && followUp) checkFollowUpRun(given, branch);
  // A follow-up run's plans were made after its merge commit: its pull request is that commit's.
  const mergeSha = followUp && given ? given.head_sha : sha;
  // A follow-up names its pull request when main moved since (a later wave of a new environment).
  const pr =
    followUp && values.pr
      ? checkMerged(api(`repos/${repo}/pulls/${values.pr}`) as PullRequestFacts, branch)
      : mergedPullRequest(api(`repos/${repo}/commits/${mergeSha}/pulls`, true) as PullRequestFacts[], mergeSha, branch);
  const comments = api(`repos/${repo}/issues/${pr.number}/comments`, true) as CommentFacts[];
  const { binding } = boundComment(comments, given ? String(given.id) : undefined, key);
  if (binding.pr !== pr.number) throw new Error(`the plan comment binds pull request #${binding.pr}, not #${pr.number}`);
  if (followUp) {
    if (binding.head !== mergeSha) throw new Error(`the follow-up comment binds ${binding.head}, not the commit ${mergeSha} its run planned`);
  } else {
    if (binding.head !== pr.head.sha) throw new Error(`the plan comment binds ${binding.head}, not the merged head ${pr.head.sha}: the last push was not planned and reviewed`);
    const run = given ?? (api(`repos/${repo}/actions/runs/${binding.run}`) as RunFacts);
    checkPlanRun(run, pr, branch);
  }
  const reviews = api(`repos/${repo}/pulls/${pr.number}/reviews`, true) as ReviewFacts[];
  const verdict = countedAllows(reviews, pr, binding, approvers);
  if (values.summary) writeFileSync(values.summary, `${allowSummary(verdict)}\n`);
  for (const r of verdict.refused) console.error(`::warning::not counted: ${r.line} by ${r.by}: ${r.why}`);
  console.log(`run-id=${binding.run}`);
  console.log(`pr=${pr.number}`);
  console.log(`head=${pr.head.sha}`);
  console.log(`base=${binding.base}`);
  console.log(`binding=${JSON.stringify(binding)}`);
  console.log(`allow=${verdict.counted.map((a) => `${a.stack}:${a.address}`).join(",")}`);
  console.log(`follow-up=${followUp}`);
  return 0;
});
