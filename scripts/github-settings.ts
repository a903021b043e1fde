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
 * The settings as `gh` commands to read and run: repository variables, each GitHub Environment
 * (deployments from `main` only) with its variable, the secret from a random value. Required
 * reviewers take user or team ids, so they stay a step in the repository's settings.
 * @see https://docs.github.com/en/rest/deployments/environments
 * @see https://cli.github.com/manual/gh_variable_set
 */
export function ghCommands(settings: GithubSettings): string {
  const repo = quote(settings.repository);
  const api = `repos/${settings.repository}/environments`;
  return [
    `# GitHub settings of ${settings.repository}, from config (docs/review-workflow.md, "Setting it up on GitHub").`,
    "# Repository variables:",
    ...Object.entries(settings.variables).map(([name, value]) => `gh variable set ${name} --repo ${repo} --body ${quote(value)}`),
    "# GitHub Environments, in apply order, each deploying from main only, with its apply role.",
    "# Then add each one's required reviewers: Settings > Environments > <name> > Required reviewers.",
    ...settings.environments.flatMap((env) => [
      `gh api --method PUT ${quote(`${api}/${env.name}`)} -F 'deployment_branch_policy[protected_branches]=false' -F 'deployment_branch_policy[custom_branch_policies]=true'`,
      `gh api --method POST ${quote(`${api}/${env.name}/deployment-branch-policies`)} -f name=main -f type=branch`,
      ...Object.entries(env.variables).map(([name, value]) => `gh variable set ${name} --repo ${repo} --env ${env.name} --body ${quote(value)}`),
    ]),
    "# Repository secrets (a random value, never printed):",
    ...settings.secrets.map((name) => `openssl rand -base64 48 | gh secret set ${name} --repo ${repo}`),
  ].join("\n");
}
