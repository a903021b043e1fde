import { parse } from "yaml";
import { type Allow, ORPHANED_STATE, readAllows } from "./allow";
import { type PlanBinding, readBinding, verifyComment } from "./binding";

/**
 * Which reviewed plans an apply may use, decided from GitHub's own records (the REST API's JSON,
 * fetched by .github/scripts/find-reviewed-plan.sh) by the base branch's code. Every check here
 * refuses, naming what it found and what it expected: a plan run of another pull request, another
 * base, another event or workflow; a comment not signed by the trusted review job; allows not given
 * in an approving review of the head by an approver other than the author. Nothing is guessed.
 */

/** The plan workflow, whose pull-request runs make the plans. */
export const PLAN_WORKFLOW = ".github/workflows/plan.yml";
/** The apply workflow, whose runs may plan layers that became plannable (a follow-up review). */
export const APPLY_WORKFLOW = ".github/workflows/apply.yml";

/** The fields of a pull request (`GET /repos/{repo}/pulls/{n}`, or an entry of `/commits/{sha}/pulls`) this reads. */
export interface PullRequestFacts {
  readonly number: number;
  readonly state?: string;
  readonly merged_at?: string | null;
  readonly merge_commit_sha?: string | null;
  readonly user: { readonly login: string };
  readonly base: { readonly ref: string; readonly sha?: string; readonly repo?: { readonly full_name?: string } };
  readonly head: { readonly sha: string; readonly repo?: { readonly full_name?: string } | null };
}

/** The fields of a workflow run (`GET /repos/{repo}/actions/runs/{id}`) this reads. */
export interface RunFacts {
  readonly id: number;
  readonly path: string;
  readonly event: string;
  readonly status?: string;
  readonly conclusion?: string | null;
  readonly head_sha: string;
  readonly head_branch?: string | null;
  readonly pull_requests?: ReadonlyArray<{ readonly number: number; readonly base?: { readonly ref?: string } }>;
}

/** The fields of an issue comment this reads. */
export interface CommentFacts {
  readonly id: number;
  readonly user: { readonly login: string; readonly type?: string };
  readonly body: string;
}

/** The fields of a pull request review (`GET /repos/{repo}/pulls/{n}/reviews`) this reads. */
export interface ReviewFacts {
  readonly id?: number;
  readonly user: { readonly login: string } | null;
  readonly state: string;
  readonly commit_id: string;
  readonly body?: string | null;
}

/** The pull request merged as `sha` into the default branch: the one whose merge commit it is. */
export function mergedPullRequest(prs: readonly PullRequestFacts[], sha: string, defaultBranch: string): PullRequestFacts {
  const merged = prs.filter((p) => p.merge_commit_sha === sha && p.merged_at && p.base.ref === defaultBranch);
  if (merged.length !== 1) {
    const seen = prs.map((p) => `#${p.number} (base ${p.base.ref}, ${p.merged_at ? `merged as ${p.merge_commit_sha}` : "not merged"})`).join(", ") || "none";
    throw new Error(`${sha} is the merge commit of no pull request into ${defaultBranch} (pull requests of the commit: ${seen}): only plans reviewed on a pull request into ${defaultBranch} are applied`);
  }
  return merged[0] as PullRequestFacts;
}

/** A pull request fetched by number for a follow-up: it must be merged into the default branch. */
export function checkMerged(pr: PullRequestFacts, defaultBranch: string): PullRequestFacts {
  if (!pr.merged_at || pr.base.ref !== defaultBranch) throw new Error(`pull request #${pr.number} is ${pr.merged_at ? `merged into ${pr.base.ref}` : "not merged"}: a follow-up applies layers of a pull request merged into ${defaultBranch} only`);
  return pr;
}

/**
 * Checks that a run is the plan run of exactly this pull request: the plan workflow, a
 * `pull_request` event, the pull request's head, concluded successfully, and listed for this pull
 * request into the default branch. A run of the same branch for another pull request (into
 * another base, whose workflow file could upload anything) is refused.
 */
export function checkPlanRun(run: RunFacts, pr: PullRequestFacts, defaultBranch: string): void {
  const problems: string[] = [];
  if (run.path !== PLAN_WORKFLOW) problems.push(`it is a run of ${run.path}, not ${PLAN_WORKFLOW}`);
  if (run.event !== "pull_request") problems.push(`its event is ${run.event}, not pull_request`);
  if (run.head_sha !== pr.head.sha) problems.push(`it planned ${run.head_sha}, not the pull request's head ${pr.head.sha}`);
  if (run.conclusion !== "success") problems.push(`it concluded ${run.conclusion ?? run.status ?? "nothing yet"}, not success`);
  if (pr.base.ref !== defaultBranch) problems.push(`pull request #${pr.number} is into ${pr.base.ref}, not ${defaultBranch}`);
  const listed = (run.pull_requests ?? []).find((p) => p.number === pr.number);
  if (!listed) problems.push(`it is not a run for pull request #${pr.number} (it lists ${(run.pull_requests ?? []).map((p) => `#${p.number}`).join(", ") || "none"})`);
  else if (listed.base?.ref !== undefined && listed.base.ref !== defaultBranch) problems.push(`it ran for pull request #${pr.number} into ${listed.base.ref}, not ${defaultBranch}`);
  if (problems.length) throw new Error(`run ${run.id} is not the reviewed plan run of pull request #${pr.number}: ${problems.join("; ")}`);
}

/**
 * Checks that a run is an apply run of the default branch (which may have planned layers that
 * became plannable only once their upstream was applied, for a review of their own).
 */
export function checkFollowUpRun(run: RunFacts, defaultBranch: string): void {
  const problems: string[] = [];
  if (run.path !== APPLY_WORKFLOW) problems.push(`it is a run of ${run.path}, not ${APPLY_WORKFLOW}`);
  if (!["push", "workflow_dispatch"].includes(run.event)) problems.push(`its event is ${run.event}, not push or workflow_dispatch`);
  if (run.head_branch !== defaultBranch) problems.push(`it ran on ${run.head_branch ?? "no branch"}, not ${defaultBranch}`);
  if (run.status !== "completed") problems.push(`it has not completed (${run.status ?? "unknown"})`);
  if (problems.length) throw new Error(`run ${run.id} is not an apply run of ${defaultBranch} whose plans await review: ${problems.join("; ")}`);
}

/**
 * The signed binding of the pull request's newest plan comment (for `run`, when given): a comment
 * whose marker binds that run, verifies with the review key, and is not marked outdated. Comments by anyone, or signed
 * with another key, are passed over; none left is an error.
 */
export function boundComment(comments: readonly CommentFacts[], run: string | undefined, key: string): { binding: PlanBinding; comment: CommentFacts } {
  const rejected: string[] = [];
  for (const comment of [...comments].reverse()) {
    if (!comment.body.startsWith("<!-- plan-comment ")) continue;
    let binding: PlanBinding;
    try {
      binding = readBinding(comment.body);
      if (run !== undefined && binding.run !== run) continue;
      verifyComment(comment.body, key);
    } catch (error) {
      rejected.push(`comment ${comment.id} by ${comment.user.login}: ${(error as Error).message}`);
      continue;
    }
    if (/ stale=\S+/.test(comment.body.split("\n", 1)[0] ?? "")) {
      rejected.push(`comment ${comment.id}: marked outdated, a newer commit was being planned`);
      continue;
    }
    return { binding, comment };
  }
  throw new Error(`no signed plan comment binds ${run === undefined ? "a plan run" : `run ${run}`}${rejected.length ? `; passed over: ${rejected.join("; ")}` : ""}: re-run the plan (docs/review-workflow.md, "Recovery")`);
}

/** The approver list (`.github/approvers.yaml`, read from the base branch): `approvers: [login, …]`. */
export function readApprovers(text: string, file: string): string[] {
  const doc = parse(text) as { approvers?: unknown } | null;
  const list = doc?.approvers;
  if (!Array.isArray(list) || list.length === 0 || list.some((l) => typeof l !== "string" || !/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/.test(l))) {
    throw new Error(`${file}: expected "approvers:" with a non-empty list of GitHub logins (who may allow a protected destroy, a data-destroying update or an orphaned state)`);
  }
  return list as string[];
}

/** An allow that counted, with who gave it. */
export interface CountedAllow extends Allow {
  readonly by: string;
}

/** The allows that count, and every `/allow` that did not, with why (for the apply's summary). */
export interface AllowVerdict {
  readonly counted: CountedAllow[];
  readonly refused: ReadonlyArray<{ readonly line: string; readonly by: string; readonly why: string }>;
}

/**
 * The allows of a pull request's reviews that count: in an APPROVED review of the head the plans
 * were made from, by an approver who is not the author, naming a stack and the sha256 of exactly
 * its reviewed plan (or, for an orphaned state, of the orphan report).
 */
export function countedAllows(reviews: readonly ReviewFacts[], pr: PullRequestFacts, binding: PlanBinding, approvers: readonly string[]): AllowVerdict {
  const counted: CountedAllow[] = [];
  const refused: Array<{ line: string; by: string; why: string }> = [];
  const approverSet = new Set(approvers.map((a) => a.toLowerCase()));
  // Each reviewer's standing: their last review that approves, requests changes or was dismissed
  // (GitHub lists reviews oldest first; a comment changes no one's standing).
  const standing = new Map<string, string>();
  for (const r of reviews) if (r.user && ["APPROVED", "CHANGES_REQUESTED", "DISMISSED"].includes(r.state)) standing.set(r.user.login.toLowerCase(), r.state);
  for (const review of reviews) {
    const by = review.user?.login ?? "(deleted user)";
    const { allows, malformed } = readAllows(review.body ?? "");
    for (const line of malformed) refused.push({ line, by, why: "malformed: write /allow <stack> <address> sha256:<64 hex digits>, as the plan comment shows it" });
    const why =
      review.state !== "APPROVED" ? `the review is ${review.state}, not an approval`
      : review.commit_id !== binding.head ? `the review is of ${review.commit_id}, not the reviewed head ${binding.head}`
      : by.toLowerCase() === pr.user.login.toLowerCase() ? "the author of the pull request cannot allow their own change"
      : !approverSet.has(by.toLowerCase()) ? `${by} is not on the approver list (.github/approvers.yaml)`
      : standing.get(by.toLowerCase()) !== "APPROVED" ? `a later review of ${by} ${standing.get(by.toLowerCase()) === "DISMISSED" ? "was dismissed" : "requests changes"}`
      : undefined;
    for (const allow of allows) {
      const line = `/allow ${allow.stack} ${allow.address} sha256:${allow.sha256}`;
      if (why) refused.push({ line, by, why });
      else {
        const expected = allow.address === ORPHANED_STATE ? binding.orphans : binding.plans[allow.stack];
        if (expected === undefined) refused.push({ line, by, why: allow.address === ORPHANED_STATE ? "the reviewed comment showed no orphaned state" : `the reviewed plans have no plan of ${allow.stack}` });
        else if (expected !== allow.sha256) refused.push({ line, by, why: `it names sha256 ${allow.sha256.slice(0, 12)}…, but the reviewed ${allow.address === ORPHANED_STATE ? "orphan report" : `plan of ${allow.stack}`} is ${expected.slice(0, 12)}…` });
        else counted.push({ ...allow, by });
      }
    }
  }
  return { counted, refused };
}

/** The apply's summary of who allowed what, and what did not count. */
export function allowSummary(verdict: AllowVerdict): string {
  const lines = ["### Allows", ""];
  if (!verdict.counted.length && !verdict.refused.length) lines.push("No review allows anything: every protected destroy, data-destroying update and orphaned state is refused.");
  for (const a of verdict.counted) lines.push(`- allowed by **${a.by}**: \`${a.stack}\` \`${a.address}\` (plan sha256 \`${a.sha256.slice(0, 12)}…\`)`);
  if (verdict.refused.length) lines.push("", "Not counted:", ...verdict.refused.map((r) => `- \`${r.line.replace(/`/g, "'")}\` by ${r.by}: ${r.why}`));
  return lines.join("\n");
}

/**
 * What the trusted review job renders for a finished run of the plan workflow, or of the review
 * trigger (a review was submitted): the newest completed plan run of the pull request's current
 * head. A run for an older head is superseded (the newer push has its own run): nothing to render.
 */
export function runToRender(trigger: RunFacts, pr: PullRequestFacts, planRuns: readonly RunFacts[], defaultBranch: string): { run: RunFacts } | { skip: string } {
  if (pr.state !== "open") return { skip: `pull request #${pr.number} is ${pr.state ?? "not open"}` };
  if (pr.base.ref !== defaultBranch) return { skip: `pull request #${pr.number} is into ${pr.base.ref}: only changes into ${defaultBranch} are planned for apply` };
  if (trigger.head_sha !== pr.head.sha) return { skip: `run ${trigger.id} is for ${trigger.head_sha}; the pull request's head is now ${pr.head.sha}, whose own run renders` };
  const candidates = (trigger.path === PLAN_WORKFLOW ? [trigger] : planRuns).filter(
    (r) => r.path === PLAN_WORKFLOW && r.event === "pull_request" && r.head_sha === pr.head.sha && r.status === "completed" && (r.pull_requests ?? []).some((p) => p.number === pr.number),
  );
  const run = [...candidates].sort((a, b) => b.id - a.id)[0];
  return run ? { run } : { skip: `no completed plan run of pull request #${pr.number} at ${pr.head.sha} yet` };
}
