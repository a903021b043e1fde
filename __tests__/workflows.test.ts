import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse } from "yaml";
import { lintWorkflows, shellcheckScripts } from "../scripts/lint-workflows";
import { ROOT } from "./helpers";

const WORKFLOWS = path.join(ROOT, ".github", "workflows");
/** A workflow as the tests read it: loosely typed, since each test looks at different parts. */
interface Job {
  readonly needs?: string | string[];
  readonly environment?: string;
  readonly if?: string;
  readonly permissions?: Record<string, string>;
  readonly strategy?: { readonly "max-parallel"?: number; readonly matrix: Record<string, unknown> };
  readonly steps?: ReadonlyArray<{ readonly uses?: string; readonly run?: string; readonly with?: Record<string, unknown> }>;
}
interface Workflow {
  readonly permissions: Record<string, string>;
  readonly concurrency: { readonly group: string; readonly "cancel-in-progress"?: boolean };
  readonly jobs: Readonly<Record<string, Job>>;
}
const load = (name: string) => parse(readFileSync(path.join(WORKFLOWS, name), "utf8")) as Workflow;

describe("GitHub workflows", () => {
  it("pass actionlint", async () => {
    expect(await lintWorkflows(WORKFLOWS)).toEqual([]);
  }, 30_000);

  const shell = shellcheckScripts(path.join(ROOT, ".github", "scripts"));
  (shell.ran ? it : it.skip)(`.github/scripts pass shellcheck${shell.ran ? "" : ` (${shell.output})`}`, () => {
    expect(shell.output).toBe("");
  });

  it("actionlint catches a broken workflow (the check is real)", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "wf-"));
    writeFileSync(path.join(dir, "bad.yml"), "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.evnt }}\n");
    expect((await lintWorkflows(dir)).map((p) => p.kind)).toContain("expression");
  }, 30_000);

  it("ci runs the README's checks, checkov with SARIF, and npm run verify against the registry's providers", () => {
    const steps = JSON.stringify(load("ci.yml").jobs);
    for (const cmd of ["npm ci", "npm run lint", "npm run typecheck", "npm test", "npm run synth", "--framework terraform_json", "upload-sarif", "npm run verify -- --require"]) expect(steps).toContain(cmd);
  });

  it("ci gates on a pinned Checkov, never soft-failing: every failure on the accepted list, of the JSON and of the plans", () => {
    const job = load("ci.yml").jobs.checkov!;
    const text = JSON.stringify(job);
    expect(text).not.toContain("soft-fail");
    expect(job.steps!.find((s: { run?: string }) => s.run?.includes("pip install"))).toMatchObject({ run: 'pip install "checkov==${CHECKOV_VERSION}"', env: { CHECKOV_VERSION: "3.3.13" } });
    for (const step of ["--framework terraform_json", "--framework terraform_plan", "npm run -s checkov-gate -- checkov-json.json checkov-plan.json", "name\":\"verify-plans"]) expect(text).toContain(step);
    expect(job.needs).toEqual(["test", "verify"]);
  });

  it("ci checks every Helm value against the real charts at their pinned versions", () => {
    const charts = JSON.stringify(load("ci.yml").jobs.charts);
    for (const step of ["npm run synth", ".github/scripts/pull-charts.sh charts-upstream", "npm run -s chart-values -- --check charts-upstream"]) expect(charts).toContain(step);
    // And every Kubernetes object against the pulled charts' CRDs and Kubernetes' own OpenAPI.
    for (const step of ["node dist/scripts/kube-check.js --print-sources", "npm run -s kube-check -- --crds charts-upstream --openapi k8s-openapi --annotations lbc-annotations.md"]) expect(charts).toContain(step);
    const script = readFileSync(path.join(ROOT, ".github", "scripts", "pull-charts.sh"), "utf8");
    expect(script).toContain('helm pull "$repository/$chart" --version "$version"');
    expect(script).toContain('helm pull "$chart" --repo "$repository" --version "$version"');
  });

  it(".ci/run runs npm run verify where terraform is installed, and says when it skips", () => {
    const script = readFileSync(path.join(ROOT, ".ci", "run"), "utf8");
    expect(script).toContain("npm run verify -- --no-synth");
    expect(script).toContain('echo "verify: skipped: terraform not on PATH"');
  });

  it("plan runs the pull request's code with no write token, no secret and no credentials kept, as read-only plan roles, one run per PR at a time", () => {
    const plan = load("plan.yml");
    expect(plan.permissions).toEqual({ "contents": "read" });
    expect(plan.concurrency.group).toContain("github.event.pull_request.number");
    const text = JSON.stringify(plan);
    expect(text).not.toMatch(/secrets\.|pull-requests|issues: write|statuses|aws-access-key-id|AWS_SECRET_ACCESS_KEY|APPLY_ROLE|DEPLOY_ROLE/);
    for (const [name, job] of Object.entries(plan.jobs)) {
      expect([name, Object.entries(job.permissions ?? {}).filter(([, v]) => v === "write").map(([k]) => k)]).toEqual([name, ["synth", "runners", "await-runner"].includes(name) ? [] : ["id-token"]]);
      for (const step of job.steps ?? []) if (step.uses?.startsWith("actions/checkout@")) expect([name, step.with?.["persist-credentials"]]).toEqual([name, false]);
    }
    // Each leg's role is the one its target names; production's legs wait in their plan-<env> GitHub Environment.
    expect(JSON.stringify(plan.jobs.plan)).toContain("vars[matrix.target.variable]");
    expect(plan.jobs["plan-production"]?.environment).toBe("plan-${{ matrix.target.name }}");
    expect(plan.jobs["plan-cluster-production"]?.environment).toBe("plan-${{ matrix.target.env }}");
    expect(JSON.stringify(plan.jobs.synth)).toContain("npm run -s stacks -- --plan-targets --approved");
    expect(readFileSync(path.join(ROOT, ".github", "actions", "plan-stacks", "action.yml"), "utf8")).toContain("PLAN_PUBLIC_KEY: ${{ inputs.public-key }}");
  });

  it("the comment is rendered by the default branch's code (workflow_run), which alone holds the review key and writes to the pull request", () => {
    const review = load("plan-review.yml") as Workflow & { on: Record<string, { workflows: string[]; types: string[] }> };
    expect(review.on).toEqual({ workflow_run: { workflows: ["plan", "review-submitted"], types: ["requested", "completed"] } });
    expect(review.jobs.render?.environment).toBe("plan-review");
    expect(JSON.stringify(review.jobs.render)).toContain(".github/scripts/render-review.sh");
    expect(JSON.stringify(review.jobs.render)).toContain("secrets.PLAN_PRIVATE_KEY");
    expect(JSON.stringify(review.jobs.stale)).toContain(".github/scripts/mark-stale.sh");
    // Never the pull request's head: checkout takes the default branch's commit of the workflow_run.
    for (const job of Object.values(review.jobs)) for (const step of job.steps ?? []) if (step.uses?.startsWith("actions/checkout@")) expect(step.with).toEqual({ "persist-credentials": false });
    const submitted = load("review-submitted.yml") as Workflow & { permissions: Record<string, string> };
    expect(submitted.permissions).toEqual({});
    expect(JSON.stringify(submitted.jobs)).not.toMatch(/checkout|npm|secrets/);
  });

  it("apply judges with main^1's code, builds without an OIDC token, and applies from the checked bundle only", () => {
    const apply = load("apply.yml");
    expect(JSON.stringify(apply).replaceAll("/dev/null", "")).not.toMatch(/\b(dev|stage|prod)\b/);
    expect(apply.jobs.apply?.strategy?.["max-parallel"]).toBe(1);
    expect(apply.jobs.apply?.strategy?.matrix.target).toBe("${{ fromJSON(needs.reviewed-plan.outputs.matrix) }}");
    expect(apply.concurrency).toEqual({ group: "apply", "cancel-in-progress": false });
    expect(apply.jobs.build?.permissions).toEqual({ contents: "read" });
    // main before the push (a rebase merge's SHA^1 would be the pull request's own commit).
    expect(JSON.stringify(apply.jobs.build)).toContain('git worktree add --detach base \\"${BEFORE:-$SHA^1}\\"');
    expect(JSON.stringify(apply.jobs.build)).toContain("${{ github.event.before }}");
    // What leaves the code is refused at apply unless allowed, whatever the review's status said.
    expect(JSON.stringify(apply.jobs["reviewed-plan"])).toContain("BASE_MANIFEST");
    expect(JSON.stringify(apply.jobs.apply)).not.toContain("inherit");
    expect(apply.jobs["reviewed-plan"]?.environment).toBe("plan-review");
    expect(JSON.stringify(apply.jobs["reviewed-plan"])).toContain("delivery/base/.github/scripts/find-reviewed-plan.sh");
    // A dispatch names a run, never an allow: allows come from approving reviews only.
    expect(JSON.stringify(apply)).not.toContain("allow-destroy");
    expect(readFileSync(path.join(ROOT, ".github", "scripts", "find-reviewed-plan.sh"), "utf8")).toContain("check-coverage.sh");
    const env = load("apply-env.yml");
    for (const name of ["apply", "apply-cluster"]) {
      const job = env.jobs[name]!;
      expect(job.environment).toBe("${{ inputs.environment }}");
      const steps = JSON.stringify(job.steps);
      expect(steps).not.toMatch(/npm ci|actions\/checkout/);
      expect(steps).toContain('sha256sum -c -');
      expect(steps).toContain("../base/.github/scripts/apply-env.sh");
      expect(steps).toContain("GUARD_CONFIG_DIRS");
    }
    expect(JSON.stringify(env.jobs.apply)).toContain("check-environment.sh");
    const script = readFileSync(path.join(ROOT, ".github", "scripts", "apply-env.sh"), "utf8");
    expect(script).toMatch(/terraform apply -input=false -no-color "\$reviewed\/\$stack\.tfplan"/);
    expect(script).not.toMatch(/cdktf deploy/);
  });

  it("drift logs in as the drift role, which trusts the scheduled run on main, not pull requests", () => {
    const drift = load("drift.yml");
    expect(JSON.stringify(drift.jobs.drift)).toContain("fromJSON(vars.DRIFT_ROLE_ARNS)[matrix.env]");
    expect(drift.jobs.report?.environment).toBe("plan-review");
    expect(JSON.stringify(drift.jobs.report)).toContain(".github/scripts/drift-report.sh");
    expect(JSON.stringify(drift)).not.toContain("PLAN_ROLE_ARNS");
  });

  it("keeps no credentials in any checkout: a job's token is never left for the code it runs to take", () => {
    for (const file of readdirSync(path.join(ROOT, ".github", "workflows"))) {
      for (const [name, job] of Object.entries(load(file).jobs)) {
        for (const step of job.steps ?? []) if (step.uses?.startsWith("actions/checkout@")) expect([file, name, step.with?.["persist-credentials"]]).toEqual([file, name, false]);
      }
    }
  });

  it("pins every action of every job by commit SHA, and runs a current Node LTS", () => {
    for (const file of readdirSync(path.join(ROOT, ".github", "workflows"))) {
      const wf = load(file);
      for (const [name, job] of Object.entries(wf.jobs)) {
        for (const step of job.steps ?? []) {
          if (step.uses && !step.uses.startsWith("./")) expect([file, name, step.uses]).toEqual([file, name, expect.stringMatching(/^[\w.-]+\/[\w.\/-]+@[0-9a-f]{40}$/)]);
          if (step.with?.["node-version"] !== undefined) expect([file, name, step.with["node-version"]]).toEqual([file, name, 24]);
        }
      }
    }
  });
});

describe("who a job runs as (the trust chain)", () => {
  // That no synthesized stack names a role for its provider to assume is synth.test.ts's (it
  // reads the fixture's one synth).
  it("no workflow or CI script sets that variable: each job is the role its OIDC token gives it", () => {
    const code = (file: string) => readFileSync(file, "utf8").split("\n").filter((line) => !line.trim().startsWith("#")).join("\n");
    for (const dir of ["workflows", "scripts"]) {
      for (const file of readdirSync(path.join(ROOT, ".github", dir))) expect([file, code(path.join(ROOT, ".github", dir, file))]).not.toEqual([file, expect.stringMatching(/TF_VAR_|deploy_role_arn|-var[ =]/)]);
    }
  });
});

