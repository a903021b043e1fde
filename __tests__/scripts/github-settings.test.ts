import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Testing } from "cdktf";
import { CI_WORKFLOWS, GITHUB_VARIABLES, type GithubSettings, githubSettings } from "../../config";
import { buildAccountStacks } from "../../stacks/platform-app";
import { FIXTURE, fixtureInputs, policyStatements, resourcesOf, ROOT, synthJson, tempProject } from "../helpers";

// `npm run -s stacks -- --github-settings`, as a user runs it (compiled, in the project's folder):
// what it prints is checked against what the account stacks make and what the workflows read.

const stacksCli = (cwd: string, args: string[]) => spawnSync("node", [path.join(ROOT, "dist", "scripts", "stacks.js"), ...args], { cwd, encoding: "utf8" });
const settingsOf = (cwd: string) => {
  const result = stacksCli(cwd, ["--github-settings"]);
  expect(result.stderr).toBe("");
  return JSON.parse(result.stdout) as GithubSettings;
};
const settings = settingsOf(FIXTURE);
const inputs = fixtureInputs();

/** Every CI role the account stacks synthesize: its ARN (account, path, name) → the OIDC subject it trusts. */
const subjects: Record<string, string> = Object.fromEntries(
  buildAccountStacks(Testing.app(), inputs).flatMap((stack) => {
    const json = synthJson(stack);
    const account = stack.node.id.replace(/^account-/, "");
    return resourcesOf(json, "aws_iam_role").map((role) => {
      const sub = policyStatements(json, role.assume_role_policy)[0]?.Condition?.StringEquals?.["token.actions.githubusercontent.com:sub"] as string[];
      return [`arn:aws:iam::${account}:role${String(role.path)}${String(role.name)}`, sub[0]!];
    });
  }),
);
const repo = `repo:${inputs.project.githubRepository}`;

describe("--github-settings", () => {
  it("names, for each variable, a role the account stacks make, trusted for exactly the jobs that read it", () => {
    const envs = inputs.environments.map((e) => e.name);
    const plans = JSON.parse(settings.variables.PLAN_ROLE_ARNS!) as Record<string, string>;
    const drifts = JSON.parse(settings.variables.DRIFT_ROLE_ARNS!) as Record<string, string>;
    expect(Object.keys(plans).sort()).toEqual([...envs].sort());
    expect(Object.keys(drifts).sort()).toEqual([...envs].sort());
    for (const env of inputs.environments) {
      // A production environment's plans run only in its plan-<env> GitHub Environment, after an approval.
      expect(subjects[plans[env.name]!]).toBe(env.production ? `${repo}:environment:plan-${env.name}` : `${repo}:pull_request`);
      expect(subjects[drifts[env.name]!]).toBe(`${repo}:ref:refs/heads/main`);
    }
    expect(subjects[settings.variables.STATE_PLAN_ROLE_ARN!]).toBe(`${repo}:pull_request`);
    expect(settings.variables.STATE_PLAN_ROLE_ARN).toMatch(new RegExp(`^arn:aws:iam::${inputs.backend.accountId}:`));
    const applying = settings.environments.filter((e) => e.gates === "apply");
    for (const env of applying) expect({ env: env.name, sub: subjects[env.variables.APPLY_ROLE_ARN!] }).toEqual({ env: env.name, sub: `${repo}:environment:${env.name}` });
    for (const env of settings.environments.filter((e) => e.gates === "plan")) {
      expect(env.variables).toEqual({});
      expect(Object.values(plans).map((arn) => subjects[arn])).toContain(`${repo}:environment:${env.name}`);
    }
    expect(settings.variables.AWS_REGION).toBe(inputs.backend.region);
    expect(settings.repositoryId).toBe(inputs.project.githubRepositoryId);
  });

  it("lists the GitHub Environments that apply in apply order, shared (state-backend) first, then promotion order, then production's plans", () => {
    const promotion = [...inputs.environments.filter((e) => !e.production), ...inputs.environments.filter((e) => e.production)];
    expect(settings.environments.map((e) => [e.name, e.gates])).toEqual([
      ["plan-review", "review"],
      ["shared", "apply"],
      ...promotion.map((e) => [e.name, "apply"]),
      ...promotion.filter((e) => e.production).map((e) => [`plan-${e.name}`, "plan"]),
    ]);
    expect(settings.repository).toBe(inputs.project.githubRepository);
  });

  it("names each account stack's plan role once its state is in the bucket, and none while it is local", () => {
    expect(inputs.project.stateBackendStorage).toBe("local");
    expect(JSON.parse(settings.variables.ACCOUNT_PLAN_ROLE_ARNS!)).toEqual({});
    const inBucket = githubSettings({ ...inputs, project: { ...inputs.project, stateBackendStorage: "s3" } });
    const accountPlans = JSON.parse(inBucket.variables.ACCOUNT_PLAN_ROLE_ARNS!) as Record<string, string>;
    const accounts = buildAccountStacks(Testing.app(), inputs).map((stack) => stack.node.id);
    expect(Object.keys(accountPlans).sort()).toEqual([...accounts].sort());
    for (const [stack, arn] of Object.entries(accountPlans)) expect({ stack, sub: subjects[arn] }).toEqual({ stack, sub: `${repo}:pull_request` });
  });

  it("sets every variable and secret the workflows read, and nothing they do not", () => {
    const dir = path.join(ROOT, ".github", "workflows");
    const text = [...readdirSync(dir).map((f) => readFileSync(path.join(dir, f), "utf8")), readFileSync(path.join(ROOT, ".github", "actions", "plan-stacks", "action.yml"), "utf8")].join("\n");
    const read = (kind: string) => [...new Set([...text.matchAll(new RegExp(`\\b${kind}\\.([A-Z][A-Z0-9_]*)`, "g"))].map((m) => m[1]!))];
    // plan.yml reads each leg's role through the variable its target names (npm run stacks -- --plan-targets).
    expect(text).toContain("vars[matrix.target.variable]");
    const byTarget = [GITHUB_VARIABLES.planRoles, GITHUB_VARIABLES.statePlanRole, GITHUB_VARIABLES.accountPlanRoles];
    const variables = new Set([...Object.keys(settings.variables), ...settings.keyVariables, ...settings.environments.flatMap((e) => Object.keys(e.variables))]);
    expect([...variables].sort()).toEqual([...new Set([...read("vars"), ...byTarget])].sort());
    expect([...new Set(settings.environments.flatMap((e) => e.secrets))].sort()).toEqual(read("secrets").filter((s) => s !== "GITHUB_TOKEN").sort());
  });

  it("gives the review private key to the review and apply environments only, never to a production plan's", () => {
    const promotion = [...inputs.environments.filter((e) => !e.production), ...inputs.environments.filter((e) => e.production)];
    expect(settings.environments.filter((e) => e.secrets.includes("PLAN_PRIVATE_KEY")).map((e) => e.name)).toEqual(["plan-review", "shared", ...promotion.map((e) => e.name)]);
    expect(settings.environments.filter((e) => e.gates === "plan").every((e) => e.secrets.length === 0)).toBe(true);
  });

  it("pins the apply and drift roles to the workflow files that alone assume them (job_workflow_ref)", () => {
    const dir = path.join(ROOT, ".github", "workflows");
    const assuming = (variable: string) => readdirSync(dir).filter((f) => readFileSync(path.join(dir, f), "utf8").includes(`vars.${variable}`)).map((f) => `.github/workflows/${f}`);
    expect(assuming("APPLY_ROLE_ARN")).toEqual([CI_WORKFLOWS.apply]);
    expect(assuming("DRIFT_ROLE_ARNS")).toEqual([CI_WORKFLOWS.drift]);
  });

  it("with --gh, prints the same values as gh commands, each environment deploying from main only", () => {
    const result = stacksCli(FIXTURE, ["--github-settings", "--gh"]);
    expect(result.status).toBe(0);
    const sets = [...result.stdout.matchAll(/^gh variable set (\w+) --repo '([^']+)'(?: --env (\w+))? --body '([^']*)'$/gm)].map(([, name, r, env, value]) => ({ name, repo: r, env, value }));
    expect(sets).toEqual([
      ...Object.entries(settings.variables).map(([name, value]) => ({ name, repo: settings.repository, env: undefined, value })),
      ...settings.environments.flatMap((e) => Object.entries(e.variables).map(([name, value]) => ({ name, repo: settings.repository, env: e.name, value }))),
    ]);
    for (const env of settings.environments.filter((e) => e.gates !== "plan")) expect(result.stdout).toContain(`gh api --method POST 'repos/${settings.repository}/environments/${env.name}/deployment-branch-policies' -f name=main -f type=branch`);
    // Production's plans wait for a reviewer who is not their author; pull requests' jobs run on their merge ref, so no branch policy.
    for (const env of settings.environments.filter((e) => e.gates === "plan")) {
      expect(result.stdout).toContain(`echo '{"prevent_self_review":true,"can_admins_bypass":false,"deployment_branch_policy":null}' | gh api --method PUT 'repos/${settings.repository}/environments/${env.name}' --input -`);
      expect(result.stdout).not.toContain(`environments/${env.name}/deployment-branch-policies`);
    }
    expect(result.stdout).toContain(`test "$(gh api 'repos/${settings.repository}' --jq .id)" = '${settings.repositoryId}' ||`);
    expect(result.stdout).toContain(`gh api --method PUT 'repos/${settings.repository}/actions/oidc/customization/sub' -F use_default=true`);
    // The review key pair: the public key a repository variable, the private key only in the review and apply environments.
    expect(result.stdout).toContain("openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out review-key.pem");
    expect(result.stdout).toContain(`openssl pkey -in review-key.pem -pubout | gh variable set PLAN_PUBLIC_KEY --repo '${settings.repository}'`);
    const keyed = [...result.stdout.matchAll(/^gh secret set PLAN_PRIVATE_KEY --repo '[^']+' --env (\S+) < review-key.pem$/gm)].map((m) => m[1]);
    expect(keyed).toEqual(settings.environments.filter((e) => e.gates !== "plan").map((e) => e.name));
    expect(result.stdout.trimEnd().split("\n").pop()).toBe("rm -f review-key.pem");
  });

  it("follows an adopted project's accounts and repository, with no other edit", () => {
    const dir = tempProject({}, { copyFixtureConfig: true });
    const cdktf = path.join(dir, "cdktf.json");
    const json = JSON.parse(readFileSync(cdktf, "utf8")) as { context: Record<string, string> };
    json.context.githubRepository = "acme/infra";
    writeFileSync(cdktf, JSON.stringify(json));
    const backend = path.join(dir, "backend.config");
    writeFileSync(backend, readFileSync(backend, "utf8").replaceAll(inputs.backend.accountId, "555555555555"));
    const adopted = settingsOf(dir);
    expect(adopted.repository).toBe("acme/infra");
    expect(adopted.variables.STATE_PLAN_ROLE_ARN).toBe("arn:aws:iam::555555555555:role/ci/state-backend-github-plan");
  });

  it("refuses --gh without --github-settings", () => {
    const result = stacksCli(ROOT, ["--gh"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe("error: --gh goes with --github-settings\n");
  });
});
