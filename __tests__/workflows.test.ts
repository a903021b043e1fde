import { writeFileSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse } from "yaml";
import { lintWorkflows } from "../scripts/lint-workflows";
import { ROOT } from "./helpers";

const WORKFLOWS = path.join(ROOT, ".github", "workflows");
/** The parts of a workflow the tests read. */
interface Workflow {
  readonly permissions: Record<string, string>;
  readonly concurrency: { readonly group: string };
  readonly jobs: Record<string, { readonly needs?: string | string[]; readonly environment?: string }>;
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

  it(".ci/run runs npm run verify where terraform is installed, and says when it skips", () => {
    const script = readFileSync(path.join(ROOT, ".ci", "run"), "utf8");
    expect(script).toContain("npm run verify -- --no-synth");
    expect(script).toContain('echo "verify: skipped: terraform not on PATH"');
  });

  it("plan authenticates through OIDC, keeps one comment per PR and runs one plan per PR at a time", () => {
    const plan = load("plan.yml");
    expect(plan.permissions["id-token"]).toBe("write");
    expect(plan.concurrency.group).toContain("github.event.pull_request.number");
    expect(JSON.stringify(plan)).not.toMatch(/aws-access-key-id|AWS_SECRET_ACCESS_KEY/);
    expect(JSON.stringify(plan.jobs.comment)).toContain("<!-- plan-comment");
  });

  it("apply promotes dev → stage → prod through GitHub Environments and applies saved plans", () => {
    const apply = load("apply.yml");
    expect(apply.jobs.stage?.needs).toContain("dev");
    expect(apply.jobs.prod?.needs).toContain("stage");
    expect(load("apply-env.yml").jobs.apply?.environment).toBe("${{ inputs.environment }}");
    const script = readFileSync(path.join(ROOT, ".github", "scripts", "apply-env.sh"), "utf8");
    expect(script).toMatch(/plan-guard/);
    expect(script).toMatch(/terraform apply -input=false -no-color "\$reviewed\/\$stack\.tfplan"/);
    expect(script).not.toMatch(/cdktf deploy/);
  });
});
