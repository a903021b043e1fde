import { allowLine, bindingFields, type PlanBinding, signComment } from "../../review";
import {
  allowSummary, boundComment, checkFollowUpRun, checkPlanRun, type CommentFacts, countedAllows, mergedPullRequest, type PullRequestFacts, readApprovers, type ReviewFacts, type RunFacts, runToRender,
} from "../../review/reviewed-plan";

// GitHub's records as the REST API returns them (the fields the decisions read), for one merged
// pull request #17 of branch "feature" into main, and the attacks of issue 21 against them.
const KEY = "review-key";
const HEAD = "b".repeat(40);
const MERGE = "m".repeat(40).replace(/m/g, "9");
const sha = (c: string) => c.repeat(64);
const pr: PullRequestFacts = { number: 17, state: "closed", merged_at: "2026-11-30T10:00:00Z", merge_commit_sha: MERGE, user: { login: "author" }, base: { ref: "main" }, head: { sha: HEAD } };
const planRun: RunFacts = { id: 4242, path: ".github/workflows/plan.yml", event: "pull_request", status: "completed", conclusion: "success", head_sha: HEAD, pull_requests: [{ number: 17, base: { ref: "main" } }] };
const binding: PlanBinding = { run: "4242", pr: 17, base: "a".repeat(40), head: HEAD, plans: { "prod-network": sha("1"), "prod-database": sha("2") }, changed: ["prod-network"], orphans: sha("3") };
const DIGEST = "sha256:" + "d".repeat(64);
const commentOf = (b: PlanBinding, id: number, extra = "", key = KEY): CommentFacts => ({ id, user: { login: "github-actions[bot]", type: "Bot" }, body: signComment(`<!-- plan-comment sha=${b.head} digest=${DIGEST}${bindingFields(b)}${extra} -->\n**Plan:** …`, key) });
const signed = binding;
const review = (over: Partial<ReviewFacts> & { body: string }): ReviewFacts => ({ user: { login: "maintainer" }, state: "APPROVED", commit_id: HEAD, ...over });

describe("which pull request an apply of main takes its plans from", () => {
  it("takes the pull request whose merge commit is main's new commit", () => {
    const other = { ...pr, number: 18, merge_commit_sha: "c".repeat(40) };
    expect(mergedPullRequest([other, pr], MERGE, "main").number).toBe(17);
  });

  it("refuses a commit that merged no pull request into the default branch (a second pull request of the same branch into another base)", () => {
    const intoRelease = { ...pr, number: 19, base: { ref: "release" } };
    expect(() => mergedPullRequest([intoRelease], MERGE, "main")).toThrow(`${MERGE} is the merge commit of no pull request into main (pull requests of the commit: #19 (base release, merged as ${MERGE})): only plans reviewed on a pull request into main are applied`);
    expect(() => mergedPullRequest([], MERGE, "main")).toThrow(/pull requests of the commit: none/);
  });
});

describe("the plan run a comment binds", () => {
  it("accepts the plan workflow's successful pull_request run of this pull request's head into main", () => {
    expect(() => checkPlanRun(planRun, pr, "main")).not.toThrow();
  });

  it.each<[string, Partial<RunFacts>, string]>([
    ["another workflow (a branch's own workflow file that uploads chosen artifacts)", { path: ".github/workflows/evil.yml" }, "it is a run of .github/workflows/evil.yml, not .github/workflows/plan.yml"],
    ["another event", { event: "push" }, "its event is push, not pull_request"],
    ["another head", { head_sha: "c".repeat(40) }, `it planned ${"c".repeat(40)}, not the pull request's head ${HEAD}`],
    ["a failed run", { conclusion: "failure" }, "it concluded failure, not success"],
    ["a run of another pull request of the same branch", { pull_requests: [{ number: 19, base: { ref: "release" } }] }, "it is not a run for pull request #17 (it lists #19)"],
    ["a run for this pull request when it targeted another base", { pull_requests: [{ number: 17, base: { ref: "release" } }] }, "it ran for pull request #17 into release, not main"],
  ])("refuses %s", (_, change, message) => {
    expect(() => checkPlanRun({ ...planRun, ...change }, pr, "main")).toThrow(`run 4242 is not the reviewed plan run of pull request #17: ${message}`);
  });

  it("accepts a follow-up only from a completed apply run of the default branch", () => {
    const followUp: RunFacts = { id: 5151, path: ".github/workflows/apply.yml", event: "push", status: "completed", conclusion: "failure", head_sha: MERGE, head_branch: "main" };
    expect(() => checkFollowUpRun(followUp, "main")).not.toThrow();
    expect(() => checkFollowUpRun({ ...followUp, head_branch: "feature", event: "pull_request" }, "main")).toThrow("run 5151 is not an apply run of main whose plans await review: its event is pull_request, not push or workflow_dispatch; it ran on feature, not main");
  });
});

describe("the signed comment", () => {
  it("takes the newest comment signed with the review key", () => {
    const older = { ...binding, run: "4000" };
    expect(boundComment([commentOf(older, 1), commentOf(signed, 2)], undefined, KEY).binding).toMatchObject(signed);
    expect(boundComment([commentOf(older, 1), commentOf(signed, 2)], "4000", KEY).binding.run).toBe("4000");
  });

  it("passes over a comment any other workflow posted, even as github-actions[bot], and an outdated one", () => {
    const forged = commentOf({ ...binding, plans: { "prod-network": sha("f") } }, 2, "", "a key of the attacker's");
    const unsigned: CommentFacts = { ...commentOf(binding, 3), body: `<!-- plan-comment sha=${HEAD} digest=${DIGEST}${bindingFields(binding)} -->\n**Plan:** …` };
    expect(() => boundComment([forged, unsigned], undefined, KEY)).toThrow(/no signed plan comment binds a plan run; passed over: comment 3 by github-actions\[bot\]: the plan comment's binding is not signed.*; comment 2 by github-actions\[bot\]: the plan comment does not verify/);
    expect(() => boundComment([commentOf(signed, 4, ` stale=${"c".repeat(40)}`)], undefined, KEY)).toThrow(/comment 4: marked outdated, a newer commit was being planned/);
  });
});

describe("allows", () => {
  const approvers = ["maintainer", "Lead"];
  const nat = allowLine("prod-network", "aws_nat_gateway.network_nat_c", sha("1"));

  it("count in an approving review of the reviewed head by an approver who is not the author, naming the reviewed plan's sha256", () => {
    const verdict = countedAllows([review({ body: `ok\n${nat}` }), review({ user: { login: "lead" }, body: allowLine("prod-database", "orphaned-state", sha("3")) })], pr, signed, approvers);
    expect(verdict.counted).toEqual([
      { stack: "prod-network", address: "aws_nat_gateway.network_nat_c", sha256: sha("1"), by: "maintainer" },
      { stack: "prod-database", address: "orphaned-state", sha256: sha("3"), by: "lead" },
    ]);
    expect(verdict.refused).toEqual([]);
  });

  it.each<[string, Partial<ReviewFacts>, string]>([
    ["a comment, not an approval", { state: "COMMENTED" }, "the review is COMMENTED, not an approval"],
    ["an approval of an older head", { commit_id: "c".repeat(40) }, `the review is of ${"c".repeat(40)}, not the reviewed head ${HEAD}`],
    ["the author's own", { user: { login: "Author" } }, "the author of the pull request cannot allow their own change"],
    ["a writer who is not an approver (a label, or a review, anyone with write access can give)", { user: { login: "writer" } }, "writer is not on the approver list (.github/approvers.yaml)"],
  ])("do not count in %s", (_, change, why) => {
    expect(countedAllows([review({ ...change, body: nat })], pr, signed, approvers)).toEqual({ counted: [], refused: [{ line: nat, by: change.user?.login ?? "maintainer", why }] });
  });

  it("do not count once the same approver's later review requests changes", () => {
    const later: ReviewFacts = { user: { login: "maintainer" }, state: "CHANGES_REQUESTED", commit_id: HEAD, body: "not yet" };
    expect(countedAllows([review({ body: nat }), later], pr, signed, approvers).refused).toEqual([{ line: nat, by: "maintainer", why: "a later review of maintainer requests changes" }]);
    expect(countedAllows([review({ body: nat }), { ...later, state: "COMMENTED" }], pr, signed, approvers).counted).toHaveLength(1);
  });

  it("do not count for another plan than the reviewed one, a stack without a plan, or an orphan report not shown", () => {
    const stalePlan = allowLine("prod-network", "aws_nat_gateway.network_nat_c", sha("9"));
    const { refused } = countedAllows([review({ body: [stalePlan, allowLine("prod-iam", "aws_iam_role.x", sha("1")), "/allow prod-network nat"].join("\n") })], { ...pr }, { ...signed, orphans: undefined }, approvers);
    expect(refused.map((r) => r.why)).toEqual([
      "malformed: write /allow <stack> <address> sha256:<64 hex digits>, as the plan comment shows it",
      "it names sha256 999999999999…, but the reviewed plan of prod-network is 111111111111…",
      "the reviewed plans have no plan of prod-iam",
    ]);
    expect(countedAllows([review({ body: allowLine("prod-database", "orphaned-state", sha("3")) })], pr, { ...signed, orphans: undefined }, approvers).refused[0]?.why).toBe("the reviewed comment showed no orphaned state");
  });

  it("are summarised with who allowed what, and what did not count", () => {
    const summary = allowSummary(countedAllows([review({ body: nat }), review({ user: { login: "writer" }, body: nat })], pr, signed, approvers));
    expect(summary).toContain("- allowed by **maintainer**: `prod-network` `aws_nat_gateway.network_nat_c` (plan sha256 `111111111111…`)");
    expect(summary).toContain("by writer: writer is not on the approver list");
    expect(allowSummary({ counted: [], refused: [] })).toContain("No review allows anything");
  });
});

describe("the approver list", () => {
  it("is a non-empty list of GitHub logins", () => {
    expect(readApprovers("approvers: [octocat, some-one]\n", ".github/approvers.yaml")).toEqual(["octocat", "some-one"]);
    for (const text of ["approvers: []", "approvers: octocat", "{}", "approvers: ['not a login']"]) {
      expect(() => readApprovers(text, ".github/approvers.yaml")).toThrow('.github/approvers.yaml: expected "approvers:" with a non-empty list of GitHub logins');
    }
  });
});

describe("what the trusted review renders", () => {
  const open: PullRequestFacts = { ...pr, state: "open", merged_at: null };
  it("renders the newest completed plan run of the current head, also when a review triggered it", () => {
    const reviewRun: RunFacts = { id: 5000, path: ".github/workflows/review-submitted.yml", event: "pull_request_review", head_sha: HEAD, pull_requests: [{ number: 17 }] };
    expect(runToRender(planRun, open, [], "main")).toEqual({ run: planRun });
    expect(runToRender(reviewRun, open, [{ ...planRun, id: 4000 }, planRun, { ...planRun, id: 4300, status: "in_progress" }], "main")).toEqual({ run: planRun });
  });

  it("skips, saying why, a run of an older head, a closed pull request, or one into another branch", () => {
    expect(runToRender({ ...planRun, head_sha: "c".repeat(40) }, open, [], "main")).toEqual({ skip: `run 4242 is for ${"c".repeat(40)}; the pull request's head is now ${HEAD}, whose own run renders` });
    expect(runToRender(planRun, pr, [], "main")).toEqual({ skip: "pull request #17 is closed" });
    expect(runToRender(planRun, { ...open, base: { ref: "release" } }, [], "main")).toEqual({ skip: "pull request #17 is into release: only changes into main are planned for apply" });
  });
});
