import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { hasCodebuildRunner } from "../config/access-checks";
import { type BackendSettings, loadBackendSettings } from "../config/backend";
import { type EnvironmentConfig } from "../config/schema";
import { type GithubSettings, githubSettings } from "../config/github-settings";
import { loadProjectSettings, type ProjectSettings } from "../config/project";
import { configLoader, runCli } from "./review-cli";

const USAGE = `Usage: npm run doctor [-- --root DIR]

Checks what can be checked on this machine before a first deployment (docs/first-deployment.md),
and says precisely what is missing, with the file and the fix:
  - the CLI tools: terraform >= 1.10 (S3-native locking), node, the AWS CLI v2, the Session Manager
    plugin and kubectl (for an access host), gh;
  - backend.config, cdktf.json and config/*.yaml: valid, and no placeholder left (the example
    account ids, example-org, the example repository id, the all-zero connection id);
  - the GitHub variables and secret the workflows read, when gh is logged in.
It never needs credentials: with none, the GitHub check says it was skipped. Exit 1 when
anything is missing.`;

/** Runs a command: its exit status and output. Injected by tests. */
export type Probe = (command: string, args: readonly string[]) => { status: number | null; stdout: string };

const probe: Probe = (command, args) => {
  const r = spawnSync(command, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  return { status: r.error ? null : r.status, stdout: `${r.stdout ?? ""}${r.stderr ?? ""}` };
};

/** One finding: what is missing, where, and what to do. */
export interface Finding {
  readonly where: string;
  readonly problem: string;
  readonly fix: string;
}

/** Account ids the shipped files use as examples: never a real account of yours. */
export const PLACEHOLDER_ACCOUNTS = ["000000000000", "111111111111", "222222222222", "333333333333", "123456789012"] as const;
const PLACEHOLDER_CONNECTION = /connection\/0{8}-0{4}-0{4}-0{4}-0{12}$/;
const PLACEHOLDER_ORG = /(^|\/)example-org(\/|-|$)/;
/** The repository id the shipped cdktf.json carries (githubRepositoryId): an example, never your repository's. */
export const PLACEHOLDER_REPOSITORY_ID = 123456789;

/** `file:line` of the first line that holds the text, relative to the project's root. */
function lineOfText(root: string, file: string, needle: string): string {
  const shown = path.relative(root, file);
  const index = readFileSync(file, "utf8").split("\n").findIndex((l) => l.includes(needle));
  return index >= 0 ? `${shown}:${index + 1}` : shown;
}

/** The tools, by what they are needed for. */
export function checkTools(envs: readonly EnvironmentConfig[], run: Probe): Finding[] {
  const found: Finding[] = [];
  const tf = run("terraform", ["version", "-json"]);
  if (tf.status !== 0) found.push({ where: "terraform", problem: "not found on PATH", fix: "install Terraform 1.11 (https://developer.hashicorp.com/terraform/install)" });
  else {
    const version = (/"terraform_version":\s*"(\d+)\.(\d+)/.exec(tf.stdout) ?? []).slice(1).map(Number);
    if ((version[0] ?? 0) < 1 || ((version[0] ?? 0) === 1 && (version[1] ?? 0) < 10)) found.push({ where: "terraform", problem: `version ${version.join(".")} has no S3-native locking (use_lockfile)`, fix: "install Terraform 1.10 or later (1.11 is tested)" });
  }
  const aws = run("aws", ["--version"]);
  if (aws.status !== 0) found.push({ where: "aws", problem: "the AWS CLI is not installed", fix: "install the AWS CLI v2: it bootstraps the account stacks and gets cluster tokens (aws eks get-token)" });
  else if (!/aws-cli\/2\./.test(aws.stdout)) found.push({ where: "aws", problem: `is not version 2 (${aws.stdout.trim()})`, fix: "install the AWS CLI v2" });
  if (envs.some((e) => e.access.host)) {
    if (run("session-manager-plugin", ["--version"]).status !== 0) found.push({ where: "session-manager-plugin", problem: "not installed: `npm run kube` tunnels through the access host with it", fix: "install the Session Manager plugin for the AWS CLI" });
    if (run("kubectl", ["version", "--client"]).status !== 0) found.push({ where: "kubectl", problem: "not installed", fix: "install kubectl within one minor version of the clusters" });
  }
  if (run("gh", ["--version"]).status !== 0) found.push({ where: "gh", problem: "the GitHub CLI is not installed: the GitHub settings cannot be checked or set from here", fix: "install gh (https://cli.github.com), or set the settings in the web UI" });
  return found;
}

/** backend.config, cdktf.json and the environment files: placeholders left in them. */
export function checkFiles(root: string, envs: readonly EnvironmentConfig[], backend: BackendSettings, project: ProjectSettings): Finding[] {
  const found: Finding[] = [];
  const backendFile = path.join(root, "backend.config");
  if ((PLACEHOLDER_ACCOUNTS as readonly string[]).includes(backend.accountId) || PLACEHOLDER_ORG.test(backend.bucket)) {
    found.push({ where: lineOfText(root, backendFile, "bucket"), problem: `names the example state bucket ${backend.bucket} (account ${backend.accountId})`, fix: "write your state account's bucket name, region and KMS alias ARN (README, \"Remote state\")" });
  }
  const cdktfJson = path.join(root, "cdktf.json");
  if (PLACEHOLDER_ORG.test(project.githubRepository)) found.push({ where: lineOfText(root, cdktfJson, '"githubRepository"'), problem: `githubRepository is the example ${project.githubRepository}`, fix: "write your repository (org/repo): CI's roles trust its OIDC tokens only" });
  if (project.githubRepositoryId === PLACEHOLDER_REPOSITORY_ID) {
    found.push({ where: lineOfText(root, cdktfJson, '"githubRepositoryId"'), problem: `githubRepositoryId is the example ${PLACEHOLDER_REPOSITORY_ID}`, fix: `write your repository's id (gh api repos/${project.githubRepository} --jq .id): CI's roles trust that repository id only` });
  }
  if (PLACEHOLDER_ORG.test(project.repository)) found.push({ where: lineOfText(root, cdktfJson, '"repository"'), problem: `repository is the example ${project.repository}`, fix: "write where this code lives (the repository tag on every resource)" });
  for (const env of envs) {
    const file = path.join(root, "config", `${env.name}.yaml`);
    const at = (needle: string) => (existsSync(file) ? lineOfText(root, file, needle) : path.relative(root, file));
    if ((PLACEHOLDER_ACCOUNTS as readonly string[]).includes(env.account.id)) found.push({ where: at(`"${env.account.id}"`), problem: `account.id ${env.account.id} is an example`, fix: `write the id of ${env.name}'s AWS account (quoted), and the same in its role ARNs` });
    for (const arn of [...env.eks.admins, ...env.eks.viewers, env.account.deployRoleArn ?? ""].filter((a) => (PLACEHOLDER_ACCOUNTS as readonly string[]).some((id) => a.includes(`::${id}:`)))) {
      found.push({ where: at(arn), problem: `${arn} is in an example account`, fix: "name a real role of the environment's account (an SSO permission set's role, for people)" });
    }
    if (hasCodebuildRunner(env) && env.ci.connectionArn && PLACEHOLDER_CONNECTION.test(env.ci.connectionArn)) {
      found.push({ where: at("connectionArn"), problem: "ci.connectionArn is the all-zero placeholder", fix: `make the GitHub connection in ${env.account.id}/${env.account.region} and write its ARN (docs/first-deployment.md, "The runner's connection")` });
    }
  }
  return found;
}

/**
 * The GitHub settings the workflows read, compared with what config says they must be
 * (`npm run -s stacks -- --github-settings`), when gh is logged in; never fails for want of
 * credentials. Secrets are checked by name only: their values cannot be read.
 */
export function checkGithub(expected: GithubSettings, run: Probe): { findings: Finding[]; skipped?: string } {
  if (run("gh", ["auth", "status"]).status !== 0) return { findings: [], skipped: "gh is not logged in: GitHub variables not checked (gh auth login, then run again)" };
  // Variables list name and value; secrets have no value field (gh refuses one): name only.
  const values = (args: readonly string[], fields = "name,value"): Map<string, string> => {
    const out = run("gh", [...args, "--json", fields]);
    try {
      return new Map((JSON.parse(out.stdout || "[]") as Array<{ name: string; value?: string }>).map((v) => [v.name, v.value ?? ""]));
    } catch {
      return new Map();
    }
  };
  const findings: Finding[] = [];
  const compare = (where: string, actual: Map<string, string>, wanted: Readonly<Record<string, string>>, fix: (name: string, value: string) => string) => {
    for (const [name, value] of Object.entries(wanted)) {
      const got = actual.get(name);
      if (got === undefined) findings.push({ where: `${where} ${name}`, problem: "not set", fix: fix(name, value) });
      else if (got.trim() !== value) findings.push({ where: `${where} ${name}`, problem: `is ${got.trim()}, but config makes ${value}`, fix: fix(name, value) });
    }
  };
  compare("GitHub variable", values(["variable", "list"]), expected.variables, (name, value) => `gh variable set ${name} --body '${value}'`);
  const keyFix = "make the review key pair as npm run -s stacks -- --github-settings --gh prints it";
  const repoVariables = values(["variable", "list"]);
  for (const name of expected.keyVariables) if (!repoVariables.has(name)) findings.push({ where: `GitHub variable ${name}`, problem: "not set", fix: keyFix });
  for (const env of expected.environments) {
    compare(`GitHub environment ${env.name}, variable`, values(["variable", "list", "--env", env.name]), env.variables, (name, value) => `create the GitHub Environment ${env.name} with required reviewers, then gh variable set ${name} --env ${env.name} --body '${value}'`);
    if (!env.secrets.length) continue;
    const secrets = values(["secret", "list", "--env", env.name], "name");
    for (const name of env.secrets) if (!secrets.has(name)) findings.push({ where: `GitHub environment ${env.name}, secret ${name}`, problem: "not set", fix: keyFix });
  }
  return { findings };
}

/** Every check; prints the report, and returns the exit code. */
export function doctor(root: string, run: Probe = probe, print: (line: string) => void = console.log): number {
  let envs: EnvironmentConfig[] = [];
  const findings: Finding[] = [];
  try {
    envs = configLoader().loadEnvironments({ configDir: path.join(root, "config"), baseDir: root });
  } catch (error) {
    findings.push({ where: "config/", problem: (error as Error).message, fix: "fix the config errors above (npm run synth names them too)" });
  }
  let settings: { backend: BackendSettings; project: ProjectSettings } | undefined;
  try {
    settings = { backend: loadBackendSettings(path.join(root, "backend.config"), root), project: loadProjectSettings(path.join(root, "cdktf.json"), root) };
    findings.push(...checkFiles(root, envs, settings.backend, settings.project));
  } catch (error) {
    findings.push({ where: "backend.config / cdktf.json", problem: (error as Error).message, fix: "see README, \"Remote state\"" });
  }
  findings.push(...checkTools(envs, run));
  const github = settings
    ? checkGithub(githubSettings({ environments: envs, ...settings }), run)
    : { findings: [], skipped: "GitHub settings not checked: backend.config and cdktf.json must load first" };
  findings.push(...github.findings);
  for (const f of findings) print(`✖ ${f.where}: ${f.problem}\n    fix: ${f.fix}`);
  if (github.skipped) print(`- ${github.skipped}`);
  print(findings.length ? `doctor: ${findings.length} thing(s) to fix before a first deployment` : "doctor: nothing missing that can be checked here");
  return findings.length ? 1 : 0;
}

if (require.main === module) {
  runCli(USAGE, () => {
    const { values } = parseArgs({ options: { root: { type: "string", default: "." } } });
    return doctor(path.resolve(values.root as string));
  });
}
