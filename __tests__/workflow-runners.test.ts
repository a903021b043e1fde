import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { ROOT } from "./helpers";

/**
 * Which runner each CI job uses, read from the workflow files: the jobs that plan or apply the
 * stacks whose providers talk to the cluster API run on the environment's in-VPC runner, every
 * other job on GitHub's hosted runners; no fork's code reaches the runner; OIDC tokens only where
 * a job assumes a role.
 */
interface Step {
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, string>;
}
interface Job {
  readonly "runs-on"?: string;
  readonly if?: string;
  readonly uses?: string;
  readonly permissions?: Record<string, string>;
  readonly steps?: readonly Step[];
}
interface Workflow {
  readonly on: Record<string, unknown>;
  readonly permissions?: Record<string, string>;
  readonly jobs: Record<string, Job>;
}

const DIR = path.join(ROOT, ".github", "workflows");
const workflows = Object.fromEntries(readdirSync(DIR).map((f) => [f, parse(readFileSync(path.join(DIR, f), "utf8")) as Workflow]));
const jobs = Object.entries(workflows).flatMap(([file, wf]) => Object.entries(wf.jobs).map(([name, job]) => ({ file, name, job })));
const runs = (job: Job) => (job.steps ?? []).map((s) => s.run ?? "").join("\n");
/** The composite action every plan and drift job plans with (plan-env.sh, its role, the sealed upload). */
const PLAN_ACTION = "./.github/actions/plan-stacks";
/** The scope a job plans or applies with (plan-stacks' scope, or apply-env.sh's last argument), if it does. */
function scopeOf(job: Job): string | undefined {
  const planning = (job.steps ?? []).find((s) => s.uses === PLAN_ACTION);
  if (planning) return planning.with?.scope || "all";
  const call = /\.github\/scripts\/apply-env\.sh "\$ENV_NAME"[^\n]*/.exec(runs(job))?.[0];
  if (!call) return undefined;
  return /\b(aws|cluster)$/.exec(call.trim())?.[1] ?? "all";
}
const RUNNER_LABEL = /^\$\{\{ (matrix\.target|needs\.apply\.outputs\.runner)[^}]*format\('\{0\}-\{1\}-\{2\}', [^,]+, github\.run_id, github\.run_attempt\) \}\}$/;

describe("CI's runners", () => {
  const terraformJobs = jobs.filter(({ job }) => scopeOf(job) !== undefined);

  it("finds the jobs that run Terraform (the check looks at something)", () => {
    expect(terraformJobs.map(({ file, name }) => `${file}:${name}`).sort()).toEqual([
      "apply-env.yml:apply",
      "apply-env.yml:apply-cluster",
      "drift.yml:drift",
      "drift.yml:drift-cluster",
      "plan.yml:plan",
      "plan.yml:plan-cluster",
      "plan.yml:plan-cluster-production",
      "plan.yml:plan-production",
    ]);
  });

  it("run every job that plans or applies a cluster stack on the environment's runner (codebuild-<project>-<run id>-<attempt>)", () => {
    const cluster = terraformJobs.filter(({ job }) => scopeOf(job) === "cluster");
    expect(cluster).toHaveLength(4);
    for (const { job } of cluster) expect(job["runs-on"]).toMatch(RUNNER_LABEL);
  });

  it("run every other Terraform job on hosted runners, with the AWS stacks only (never one that plans everything)", () => {
    for (const { job } of terraformJobs.filter(({ job }) => scopeOf(job) !== "cluster")) {
      expect(scopeOf(job)).toBe("aws");
      expect(job["runs-on"]).toBe("ubuntu-latest");
    }
    // Jobs that run no Terraform never use a runner in the VPC.
    for (const { job } of jobs.filter(({ job }) => scopeOf(job) === undefined && job.uses === undefined)) expect(job["runs-on"]).toBe("ubuntu-latest");
  });

  it("never run a pull request from a fork on the in-VPC runner", () => {
    for (const name of ["plan-cluster", "plan-cluster-production"]) expect(workflows["plan.yml"]!.jobs[name]!.if).toContain("github.event.pull_request.head.repo.full_name == github.repository");
    // The other runner jobs run on the default branch only: no pull-request trigger at all.
    for (const file of ["apply.yml", "apply-env.yml", "drift.yml"]) {
      expect(Object.keys(workflows[file]!.on).filter((event) => event.startsWith("pull_request"))).toEqual([]);
    }
  });

  it("start a runner only when it exists: the cluster jobs read the label the AWS jobs computed, and skip without one", () => {
    expect(workflows["plan.yml"]!.jobs["plan-cluster"]!.if).toContain("needs.runners.outputs.targets != '[]'");
    expect(workflows["plan.yml"]!.jobs["plan-cluster-production"]!.if).toContain("needs.runners.outputs.approved != '[]'");
    expect(workflows["drift.yml"]!.jobs["drift-cluster"]!.if).toContain("needs.runners.outputs.matrix != '[]'");
    expect(workflows["apply-env.yml"]!.jobs["apply-cluster"]!.if).toBe("needs.apply.outputs.runner != ''");
    // The AWS legs say where their cluster stacks go (runner-status.sh, in the composite action).
    expect(readFileSync(path.join(ROOT, ".github", "actions", "plan-stacks", "action.yml"), "utf8")).toMatch(/if: always\(\) && inputs\.scope == 'aws'\n\s+shell: bash[\s\S]*?\.github\/scripts\/runner-status\.sh "\$TARGET"/);
  });

  it("hold a tenant's cluster jobs back until its host's leg found the runner, and report them as waiting meanwhile", () => {
    for (const [file, artifact] of [["plan.yml", "plans"], ["drift.yml", "drift"]] as const) {
      const wf = workflows[file]!;
      expect(runs(wf.jobs.runners!)).toContain(".github/scripts/runner-targets.sh plans");
      const wait = wf.jobs["await-runner"]!;
      expect(wait.if).toContain("needs.runners.outputs.waiting != '[]'");
      expect(runs(wait)).toContain('.github/scripts/await-runner.sh "$TARGET" "$RUNNER_TEMP/plans"');
      // The artifact the cluster job would have made: the review and apply find each stack's status there.
      expect((wait.steps ?? []).find((s) => s.uses?.startsWith("actions/upload-artifact@"))?.with?.name).toBe(`${artifact}-\${{ matrix.target.env }}-cluster`);
    }
    expect(JSON.stringify(workflows["drift.yml"]!.jobs.report)).toContain("await-runner");
  });

  it("grant id-token: write only to jobs that assume an AWS role, and never to a whole workflow", () => {
    for (const [file, wf] of Object.entries(workflows)) expect([file, wf.permissions?.["id-token"]]).toEqual([file, undefined]);
    for (const { file, name, job } of jobs) {
      // The plan-stacks action assumes its role (configure-aws-credentials) inside.
      const assumes = (job.steps ?? []).some((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@") || s.uses === PLAN_ACTION);
      // A call of a reusable workflow passes the permission on to the jobs that need it.
      const calls = job.uses !== undefined && /apply-env\.yml$/.test(job.uses);
      expect([`${file}:${name}`, job.permissions?.["id-token"] === "write"]).toEqual([`${file}:${name}`, assumes || calls]);
    }
  });

  it("give the runner's jobs the roles from GitHub's OIDC token, never the runner's own credentials", () => {
    for (const { job } of terraformJobs.filter(({ job }) => scopeOf(job) === "cluster")) {
      const step = (job.steps ?? []).find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@") || s.uses === PLAN_ACTION);
      expect(JSON.stringify(step)).toMatch(/vars\.(PLAN_ROLE_ARNS|DRIFT_ROLE_ARNS|APPLY_ROLE_ARN)/);
    }
  });
});
