import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { type PlanBinding } from "../review/binding";
import { countedAllows, type PullRequestFacts, readApprovers, type ReviewFacts, type RunFacts, runToRender } from "../review/reviewed-plan";
import { ghApi as api } from "./gh-api";
import { runCli } from "./review-cli";

const USAGE = `Usage: node dist/scripts/review-run.js find --repo ORG/REPO --trigger RUN_ID [--default-branch main]
       node dist/scripts/review-run.js allows --repo ORG/REPO --pr N --binding FILE [--approvers .github/approvers.yaml]

For the trusted review job (plan-review.yml), through \`gh api\`:
find    the plan run to render for a finished run of plan.yml or review-submitted.yml: prints pr=,
        run=, head= (key=value lines), or skip=<why> when there is nothing to render (an older
        head, a closed pull request, one into another branch, a fork's without a run).
allows  the allows of approving reviews that count against a binding (stack:address,…), with
        warnings for those that do not.`;


runCli(USAGE, () => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      repo: { type: "string" },
      trigger: { type: "string" },
      pr: { type: "string" },
      binding: { type: "string" },
      "default-branch": { type: "string", default: "main" },
      approvers: { type: "string", default: ".github/approvers.yaml" },
    },
  });
  const repo = values.repo;
  if (!repo) throw new Error("--repo is required");
  if (positionals[0] === "find") {
    if (!values.trigger) throw new Error("find needs --trigger RUN_ID");
    const trigger = api(`repos/${repo}/actions/runs/${values.trigger}`) as RunFacts;
    // A branch may have pull requests into several bases: the one into the default branch counts.
    const branch = values["default-branch"] as string;
    const number = (trigger.pull_requests ?? []).find((p) => p.base?.ref === undefined || p.base.ref === branch)?.number;
    if (number === undefined) {
      console.log(`skip=run ${trigger.id} lists no pull request of this repository (a fork's pull request is never planned with credentials)`);
      return 0;
    }
    const pr = api(`repos/${repo}/pulls/${number}`) as PullRequestFacts;
    const planRuns = (api(`repos/${repo}/actions/workflows/plan.yml/runs?event=pull_request&head_sha=${pr.head.sha}`) as { workflow_runs: RunFacts[] }).workflow_runs;
    const verdict = runToRender(trigger, pr, planRuns, branch);
    if ("skip" in verdict) console.log(`skip=${verdict.skip}`);
    else console.log([`pr=${pr.number}`, `run=${verdict.run.id}`, `head=${pr.head.sha}`, `conclusion=${verdict.run.conclusion ?? ""}`].join("\n"));
    return 0;
  }
  if (positionals[0] === "allows") {
    if (!values.pr || !values.binding) throw new Error("allows needs --pr N and --binding FILE");
    const binding = JSON.parse(readFileSync(values.binding, "utf8")) as PlanBinding;
    const pr = api(`repos/${repo}/pulls/${values.pr}`) as PullRequestFacts;
    const reviews = api(`repos/${repo}/pulls/${values.pr}/reviews`, true) as ReviewFacts[];
    const approvers = readApprovers(readFileSync(values.approvers as string, "utf8"), values.approvers as string);
    const verdict = countedAllows(reviews, pr, binding, approvers);
    for (const r of verdict.refused) console.error(`::warning::not counted: ${r.line} by ${r.by}: ${r.why}`);
    console.log(verdict.counted.map((a) => `${a.stack}:${a.address}`).join(","));
    return 0;
  }
  throw new Error(`expected find or allows, got ${JSON.stringify(positionals[0] ?? "")}`);
});
