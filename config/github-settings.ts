import { type BackendSettings } from "./backend";
import { accountPlanRoleArn, accountStackId, ciRoleArn, planEnvironmentName, promotionOrder, REVIEW_ENVIRONMENT, SHARED_ENVIRONMENT, stateCiRoleArn } from "./naming";
import { type ProjectSettings } from "./project";
import { type EnvironmentConfig } from "./schema";

/**
 * The names the workflows read (`vars.X`, `secrets.X` in .github/workflows): a test checks that
 * every one they read is here, and every one here is read.
 */
export const GITHUB_VARIABLES = {
  /** Repository variable: JSON map environment → its plan role. */
  planRoles: "PLAN_ROLE_ARNS",
  /** Repository variable: JSON map environment → its drift role. */
  driftRoles: "DRIFT_ROLE_ARNS",
  /** Repository variable: state-backend's plan role. */
  statePlanRole: "STATE_PLAN_ROLE_ARN",
  /**
   * Repository variable: JSON map account stack (`account-<id>`) → its plan role, for the account
   * stacks whose state is in the bucket (`stateBackendStorage: s3`); `{}` while it is local, when
   * CI cannot plan them and lists them as applied by an operator.
   */
  accountPlanRoles: "ACCOUNT_PLAN_ROLE_ARNS",
  /** Repository variable: the region of STS for CI's credentials (the state's). */
  region: "AWS_REGION",
  /** Variable of each GitHub Environment that applies (`shared` too): its apply role. */
  applyRole: "APPLY_ROLE_ARN",
  /**
   * Repository variable: the review key pair's public key (PEM). Plan jobs, which run a pull
   * request's code, seal plan artifacts to it: they hold no secret. Made with the key pair, not
   * from config.
   */
  planPublicKey: "PLAN_PUBLIC_KEY",
} as const;

/** Secrets the workflows read: names only, their values are never known here. */
export const GITHUB_SECRETS = {
  /**
   * Secret of the review GitHub Environment and of every one that applies: the review key pair's
   * private key, which opens sealed plans and signs (and checks) the plan comment's binding.
   */
  planPrivateKey: "PLAN_PRIVATE_KEY",
} as const;

/**
 * The workflow files whose jobs, on the default branch, may assume the apply and drift roles:
 * the roles' trusts pin them (`job_workflow_ref`), so no other workflow on main gets an apply
 * role, even in its GitHub Environment. A test checks that the files exist and are the ones that
 * assume those roles.
 */
export const CI_WORKFLOWS = {
  /** The reusable workflow whose jobs run in each environment's GitHub Environment and apply. */
  apply: ".github/workflows/apply-env.yml",
  /** The scheduled drift check. */
  drift: ".github/workflows/drift.yml",
} as const;

/** One GitHub Environment: what it gates, and its variables. */
export interface GithubEnvironmentSettings {
  readonly name: string;
  /**
   * - `apply`: an environment's applies (and `shared`'s): deployments from `main` only, required reviewers;
   * - `plan`: a production environment's plans (`plan-<env>`): any branch (a pull request's job
   *   runs on `refs/pull/<n>/merge`), required reviewers who are not the run's author, no
   *   administrator bypass, no secrets. The plan role comes from `PLAN_ROLE_ARNS`;
   * - `review`: the trusted review jobs (`plan-review`): deployments from `main` only, no reviewers
   *   (it runs the default branch's code on every plan run), the review private key.
   */
  readonly gates: "apply" | "plan" | "review";
  readonly variables: Readonly<Record<string, string>>;
  /** Its secrets, by name (set from the review key pair, never printed). */
  readonly secrets: readonly string[];
}

/** What GitHub needs, computed from config: the role ARNs are known from account, path and name. */
export interface GithubSettings {
  /** The repository (`org/repo`) the roles trust. */
  readonly repository: string;
  /** Its numeric id, which every trust pins (`repository_id`). */
  readonly repositoryId: number;
  /** Repository variables, by name. */
  readonly variables: Readonly<Record<string, string>>;
  /** GitHub Environments: those that apply in apply order (`shared` first, then promotion order), then the production plans'. */
  readonly environments: readonly GithubEnvironmentSettings[];
  /**
   * Repository variables that config cannot compute, set by the commands that make the review key
   * pair (`--github-settings --gh`): their presence is checked, not their value.
   */
  readonly keyVariables: readonly string[];
}

/** The GitHub settings of a project: every value the checklist of docs/review-workflow.md asks for. */
export function githubSettings(inputs: { readonly environments: readonly EnvironmentConfig[]; readonly backend: BackendSettings; readonly project: ProjectSettings }): GithubSettings {
  // Promotion order: the apply order, each cluster host before its first tenant.
  const envs = promotionOrder(inputs.environments).map((name) => inputs.environments.find((e) => e.name === name)!);
  const byEnv = (role: "plan" | "drift") => JSON.stringify(Object.fromEntries(envs.map((e) => [e.name, ciRoleArn(e, role)])));
  // Every account stack, the state account's too, once its state is in the bucket.
  const accounts = [...new Set([...envs.map((e) => e.account.id), inputs.backend.accountId])];
  const accountPlans = inputs.project.stateBackendStorage === "s3" ? Object.fromEntries(accounts.map((id) => [accountStackId(id), accountPlanRoleArn(id)])) : {};
  return {
    repository: inputs.project.githubRepository,
    repositoryId: inputs.project.githubRepositoryId,
    variables: {
      [GITHUB_VARIABLES.region]: inputs.backend.region,
      [GITHUB_VARIABLES.planRoles]: byEnv("plan"),
      [GITHUB_VARIABLES.driftRoles]: byEnv("drift"),
      [GITHUB_VARIABLES.statePlanRole]: stateCiRoleArn(inputs.backend.accountId, "plan"),
      [GITHUB_VARIABLES.accountPlanRoles]: JSON.stringify(accountPlans),
    },
    environments: [
      { name: REVIEW_ENVIRONMENT, gates: "review", variables: {}, secrets: [GITHUB_SECRETS.planPrivateKey] },
      { name: SHARED_ENVIRONMENT, gates: "apply", variables: { [GITHUB_VARIABLES.applyRole]: stateCiRoleArn(inputs.backend.accountId, "apply") }, secrets: [GITHUB_SECRETS.planPrivateKey] },
      ...envs.map((e) => ({ name: e.name, gates: "apply" as const, variables: { [GITHUB_VARIABLES.applyRole]: ciRoleArn(e, "apply") }, secrets: [GITHUB_SECRETS.planPrivateKey] })),
      ...envs.filter((e) => e.production).map((e) => ({ name: planEnvironmentName(e), gates: "plan" as const, variables: {}, secrets: [] })),
    ],
    keyVariables: [GITHUB_VARIABLES.planPublicKey],
  };
}
