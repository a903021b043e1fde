import { type BackendSettings } from "./backend";
import { ciRoleArn, SHARED_ENVIRONMENT, stateCiRoleArn } from "./naming";
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
  /** Repository variable: the region of STS for CI's credentials (the state's). */
  region: "AWS_REGION",
  /** Variable of each GitHub Environment (`shared` too): its apply role. */
  applyRole: "APPLY_ROLE_ARN",
} as const;

/** Secrets the workflows read: names only, their values are never known here. */
export const GITHUB_SECRETS = {
  /** Encrypts plan artifacts, which hold sensitive values in clear: a long random string. */
  planArtifactKey: "PLAN_ARTIFACT_KEY",
} as const;

/** What GitHub needs, computed from config: the role ARNs are known from account, path and name. */
export interface GithubSettings {
  /** The repository (`org/repo`) the roles trust. */
  readonly repository: string;
  /** Repository variables, by name. */
  readonly variables: Readonly<Record<string, string>>;
  /** GitHub Environments in apply order (`shared` first, then promotion order), each with its variables. */
  readonly environments: ReadonlyArray<{ readonly name: string; readonly variables: Readonly<Record<string, string>> }>;
  /** Repository secrets to set, by name. */
  readonly secrets: readonly string[];
}

/** The GitHub settings of a project: every value the checklist of docs/review-workflow.md asks for. */
export function githubSettings(inputs: { readonly environments: readonly EnvironmentConfig[]; readonly backend: BackendSettings; readonly project: ProjectSettings }): GithubSettings {
  const envs = [...inputs.environments.filter((e) => !e.production), ...inputs.environments.filter((e) => e.production)];
  const byEnv = (role: "plan" | "drift") => JSON.stringify(Object.fromEntries(envs.map((e) => [e.name, ciRoleArn(e, role)])));
  return {
    repository: inputs.project.githubRepository,
    variables: {
      [GITHUB_VARIABLES.region]: inputs.backend.region,
      [GITHUB_VARIABLES.planRoles]: byEnv("plan"),
      [GITHUB_VARIABLES.driftRoles]: byEnv("drift"),
      [GITHUB_VARIABLES.statePlanRole]: stateCiRoleArn(inputs.backend.accountId, "plan"),
    },
    environments: [
      { name: SHARED_ENVIRONMENT, variables: { [GITHUB_VARIABLES.applyRole]: stateCiRoleArn(inputs.backend.accountId, "apply") } },
      ...envs.map((e) => ({ name: e.name, variables: { [GITHUB_VARIABLES.applyRole]: ciRoleArn(e, "apply") } })),
    ],
    secrets: Object.values(GITHUB_SECRETS),
  };
}
