import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Testing } from "cdktf";
import { type GithubSettings } from "../../config";
import { buildAccountStacks } from "../../stacks";
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
    for (const env of envs) {
      expect(subjects[plans[env]!]).toBe(`${repo}:pull_request`);
      expect(subjects[drifts[env]!]).toBe(`${repo}:ref:refs/heads/main`);
    }
    expect(subjects[settings.variables.STATE_PLAN_ROLE_ARN!]).toBe(`${repo}:pull_request`);
    expect(settings.variables.STATE_PLAN_ROLE_ARN).toMatch(new RegExp(`^arn:aws:iam::${inputs.backend.accountId}:`));
    for (const env of settings.environments) expect({ env: env.name, sub: subjects[env.variables.APPLY_ROLE_ARN!] }).toEqual({ env: env.name, sub: `${repo}:environment:${env.name}` });
    expect(settings.variables.AWS_REGION).toBe(inputs.backend.region);
  });

  it("lists the GitHub Environments in apply order: shared (state-backend) first, then promotion order", () => {
    const promotion = [...inputs.environments.filter((e) => !e.production), ...inputs.environments.filter((e) => e.production)].map((e) => e.name);
    expect(settings.environments.map((e) => e.name)).toEqual(["shared", ...promotion]);
    expect(settings.repository).toBe(inputs.project.githubRepository);
  });

  it("sets every variable and secret the workflows read, and nothing they do not", () => {
    const dir = path.join(ROOT, ".github", "workflows");
    const text = readdirSync(dir).map((f) => readFileSync(path.join(dir, f), "utf8")).join("\n");
    const read = (kind: string) => [...new Set([...text.matchAll(new RegExp(`\\b${kind}\\.([A-Z][A-Z0-9_]*)`, "g"))].map((m) => m[1]!))].sort();
    const variables = new Set([...Object.keys(settings.variables), ...settings.environments.flatMap((e) => Object.keys(e.variables))]);
    expect([...variables].sort()).toEqual(read("vars"));
    expect([...settings.secrets].sort()).toEqual(read("secrets").filter((s) => s !== "GITHUB_TOKEN"));
  });

  it("with --gh, prints the same values as gh commands, each environment deploying from main only", () => {
    const result = stacksCli(FIXTURE, ["--github-settings", "--gh"]);
    expect(result.status).toBe(0);
    const sets = [...result.stdout.matchAll(/^gh variable set (\w+) --repo '([^']+)'(?: --env (\w+))? --body '([^']*)'$/gm)].map(([, name, r, env, value]) => ({ name, repo: r, env, value }));
    expect(sets).toEqual([
      ...Object.entries(settings.variables).map(([name, value]) => ({ name, repo: settings.repository, env: undefined, value })),
      ...settings.environments.flatMap((e) => Object.entries(e.variables).map(([name, value]) => ({ name, repo: settings.repository, env: e.name, value }))),
    ]);
    for (const env of settings.environments) expect(result.stdout).toContain(`gh api --method POST 'repos/${settings.repository}/environments/${env.name}/deployment-branch-policies' -f name=main -f type=branch`);
    expect(result.stdout).toMatch(/^openssl rand -base64 48 \| gh secret set PLAN_ARTIFACT_KEY --repo '[^']+'$/m);
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
