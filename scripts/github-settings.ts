import path from "node:path";
import { type GithubSettings, githubSettings, loadBackendSettings, loadEnvironments, loadProjectSettings } from "../config";

/**
 * `npm run -s stacks -- --github-settings [--gh]`: the values docs/review-workflow.md's GitHub
 * checklist asks for, from config alone (no synth, no credentials): every role ARN is known from
 * the account, the reserved path and the name, and the account stacks output the same ones.
 */
export function githubSettingsOutput(root: string, configDir: string, format: "json" | "gh"): string {
  const settings = githubSettings({
    environments: loadEnvironments({ configDir, baseDir: root }),
    backend: loadBackendSettings(path.join(root, "backend.config"), root),
    project: loadProjectSettings(path.join(root, "cdktf.json"), root),
  });
  return format === "json" ? JSON.stringify(settings, null, 2) : ghCommands(settings);
}

/** A shell word, single-quoted. */
const quote = (value: string) => `'${value.replaceAll("'", `'\\''`)}'`;

/**
 * The settings as `gh` commands to read and run: a check that the repository id is the one the
 * roles trust, GitHub's default OIDC subject template (the trusts name default subjects),
 * repository variables, each GitHub Environment with its variable (those that apply deploy from
 * `main` only; the production plans' `plan-<env>` from any branch, since a pull request's job runs
 * on its merge ref, with self-review and administrator bypass refused), and the review key pair:
 * its public key a repository variable, its private key a secret of the review and apply
 * environments only. Required reviewers take user or team ids, so they stay a step in the repository's settings.
 * @see https://docs.github.com/en/rest/deployments/environments
 * @see https://docs.github.com/en/rest/actions/oidc (use_default: GitHub's default template, not the organization's)
 * @see https://cli.github.com/manual/gh_variable_set
 */
export function ghCommands(settings: GithubSettings): string {
  const repo = quote(settings.repository);
  const api = `repos/${settings.repository}/environments`;
  const environment = (env: GithubSettings["environments"][number]): string[] =>
    env.gates !== "plan"
      ? [
          `gh api --method PUT ${quote(`${api}/${env.name}`)} -F 'deployment_branch_policy[protected_branches]=false' -F 'deployment_branch_policy[custom_branch_policies]=true'`,
          `gh api --method POST ${quote(`${api}/${env.name}/deployment-branch-policies`)} -f name=main -f type=branch`,
        ]
      : [`echo '{"prevent_self_review":true,"can_admins_bypass":false,"deployment_branch_policy":null}' | gh api --method PUT ${quote(`${api}/${env.name}`)} --input -`];
  return [
    `# GitHub settings of ${settings.repository}, from config (docs/review-workflow.md, "Setting it up on GitHub").`,
    "# The repository id CI's roles trust (githubRepositoryId in cdktf.json) must be this repository's:",
    `test "$(gh api ${quote(`repos/${settings.repository}`)} --jq .id)" = ${quote(String(settings.repositoryId))} || echo 'githubRepositoryId in cdktf.json is not the id of ${settings.repository}: fix it, synth, and apply the account stacks'`,
    "# The roles trust GitHub's default OIDC subjects (repo:<org>/<repo>:<context>): keep the default template.",
    `gh api --method PUT ${quote(`repos/${settings.repository}/actions/oidc/customization/sub`)} -F use_default=true`,
    "# Repository variables:",
    ...Object.entries(settings.variables).map(([name, value]) => `gh variable set ${name} --repo ${repo} --body ${quote(value)}`),
    "# GitHub Environments: those that apply, in apply order, each deploying from main only, with its apply role;",
    "# then production's plans (plan-<env>), which pull requests' jobs wait in until a reviewer other than their author approves.",
    "# Then add each one's required reviewers: Settings > Environments > <name> > Required reviewers.",
    ...settings.environments.flatMap((env) => [...environment(env), ...Object.entries(env.variables).map(([name, value]) => `gh variable set ${name} --repo ${repo} --env ${env.name} --body ${quote(value)}`)]),
    "# The review key pair (docs/review-workflow.md, \"The review key\"): plans are sealed to its public key, a",
    "# repository variable; its private key, never printed, goes only to the review and apply environments.",
    "openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out review-key.pem",
    ...settings.keyVariables.map((name) => `openssl pkey -in review-key.pem -pubout | gh variable set ${name} --repo ${repo}`),
    ...settings.environments.flatMap((env) => env.secrets.map((name) => `gh secret set ${name} --repo ${repo} --env ${env.name} < review-key.pem`)),
    "rm -f review-key.pem",
  ].join("\n");
}
