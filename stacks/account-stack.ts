import { LocalBackend, TerraformOutput } from "cdktf";
import { type Construct } from "constructs";
import {
  ACCOUNT_PLAN_ROLE_NAME,
  accountStackId,
  accountStateKey,
  accountImageRepositories,
  type BackendSettings,
  CI_WORKFLOWS,
  type EnvironmentConfig,
  GITHUB_VARIABLES,
  grafanaAdminSecretName,
  layerOwner,
  tenantRecordPatterns,
  stateKey,
  permissionsBoundaryName,
  planEnvironmentName,
  type ProjectSettings,
  SHARED_ENVIRONMENT,
  stateCiRoleName,
} from "../config";
import { AccountPlanRole } from "../modules/ci/account-plan-role";
import { GithubCiRoles } from "../modules/ci/github-roles";
import { StateBackendCiRoles, stateBackendCeiling } from "../modules/ci/state-backend-roles";
import { ImageRepository } from "../modules/ecr/image-repository";
import { PermissionsBoundary } from "../modules/iam/permissions-boundary";
import { awsProvider } from "./aws-provider";
import { configureS3Backend } from "./environment-stack";
import { hostStateReads, layersOf } from "./registry";
import { PlatformStack } from "./platform-stack";
import { STATE_BACKEND_STACK_ID, stateBackendResources } from "./state-backend-stack";

/** Where each of an environment's CI roles goes in GitHub's settings (docs/review-workflow.md, the checklist). */
const GITHUB_SETTING = {
  plan: (env: string) => `${GITHUB_VARIABLES.planRoles}["${env}"]`,
  apply: (env: string) => `${GITHUB_VARIABLES.applyRole} of the GitHub Environment ${env}`,
  drift: (env: string) => `${GITHUB_VARIABLES.driftRoles}["${env}"]`,
} as const;

/** Props of {@link AccountStack}. */
export interface AccountStackProps {
  /** The account. */
  readonly accountId: string;
  /** The environments deployed to it (every one of the config folder, whatever `--env` selects); none in a state account that holds no environment. */
  readonly environments: readonly EnvironmentConfig[];
  readonly backend: BackendSettings;
  readonly project: ProjectSettings;
}

/**
 * `account-<id>`: what an AWS account needs once, before any environment in it is planned:
 * GitHub Actions' OIDC provider (exactly one per account), CI's roles for each environment in it,
 * the plan role of this stack itself (`account-stack-github-plan`, for pull requests), and the
 * application's image registry (one per account, so a digest promoted from one
 * environment to another in the same account is the same image). The state account's stack (an
 * account of environments or one of its own) also holds CI's two roles of the state-backend
 * stack, so that account too has one OIDC provider, whichever it is.
 *
 * CI cannot create the roles it runs as, so an operator applies this stack once per account,
 * like state-backend, with local state until `stateBackendStorage` is `s3` (README, "Bootstrap").
 * From then on pull requests plan it as its plan role (`ACCOUNT_PLAN_ROLE_ARNS`), so a change to
 * CI's trust is reviewed on its real plan; with local state CI cannot plan it.
 * Its outputs are the ARNs the GitHub settings name (`npm run -s stacks -- --github-settings`).
 */
export class AccountStack extends PlatformStack {
  /** The account. */
  readonly accountId: string;

  constructor(scope: Construct, props: AccountStackProps) {
    const id = accountStackId(props.accountId);
    super(scope, id);
    this.accountId = props.accountId;
    const { backend } = props;
    const region = props.environments[0]?.account.region ?? backend.region;
    if (props.project.stateBackendStorage === "s3") configureS3Backend(this, backend, accountStateKey(props.accountId));
    else new LocalBackend(this, { path: `../../../terraform.${id}.tfstate` });
    awsProvider(this, { region, accountId: props.accountId, tags: { component: "ci-bootstrap", "managed-by": "cdktf", repository: props.project.repository } });

    const holdsState = props.accountId === backend.accountId;
    const resources = stateBackendResources(backend);
    // A production environment's plans read its state and its releases' Secrets: only after an
    // approval in its plan-<env> GitHub Environment (docs/architecture.md, "What a pull request can read").
    const environments = props.environments.map((env) => ({
      name: env.name,
      region: env.account.region,
      boundaryArn: PermissionsBoundary.arnFor(props.accountId, permissionsBoundaryName(env)),
      planEnvironment: env.production ? planEnvironmentName(env) : undefined,
      // Grafana's admin secret is the platform layer's, where the environment has one (a tenant has none).
      refreshedSecrets: layersOf(env).some((entry) => entry.layer === "platform") ? [grafanaAdminSecretName(env)] : [],
      otherEnvironments: props.environments.filter((other) => other.name !== env.name).map((other) => other.name),
      // A tenant's stacks read its host's cluster layers: exactly those keys (stacks/platform-app.ts grants the same in the bucket).
      foreignStateKeys: hostStateReads(env).map((layer) => stateKey({ name: layerOwner(env, layer) }, layer)),
      recordNames: tenantRecordPatterns(env),
    }));
    const state = { bucket: backend.bucket, region: backend.region, accountId: backend.accountId, lockTable: backend.dynamodbTable };
    const repository = { name: props.project.githubRepository, id: props.project.githubRepositoryId };
    const github = new GithubCiRoles(this, "github", {
      accountId: props.accountId,
      repository,
      workflows: CI_WORKFLOWS,
      environments,
      state,
      ceiling: holdsState ? stateBackendCeiling(backend.accountId, backend.region, resources) : [],
    });
    new TerraformOutput(this, "github_oidc_provider_arn", { value: github.provider.arn, description: "GitHub Actions' OIDC provider of this account, which CI's roles trust" });
    for (const env of props.environments) {
      for (const kind of ["plan", "apply", "drift"] as const) {
        const role = github.roles[`${env.name}-${kind}`];
        if (!role) throw new Error(`${this.node.path}: no ${kind} role for ${env.name}`);
        new TerraformOutput(this, `${env.name}_${kind}_role_arn`, { value: role.arn, description: `CI's ${kind} role of ${env.name} (${GITHUB_SETTING[kind](env.name)})` });
      }
    }
    const accountPlan = new AccountPlanRole(this, "account-plan", {
      accountId: props.accountId,
      name: ACCOUNT_PLAN_ROLE_NAME,
      repository,
      providerArn: github.provider.arn,
      boundaryArn: github.boundaryArn,
      state,
      stateKey: accountStateKey(props.accountId),
    });
    new TerraformOutput(this, "account_plan_role_arn", { value: accountPlan.role.arn, description: `CI's plan role of this stack (${GITHUB_VARIABLES.accountPlanRoles}["${id}"])` });
    if (holdsState) {
      const roles = new StateBackendCiRoles(this, "state-backend-ci", {
        accountId: backend.accountId,
        region: backend.region,
        repository,
        applyWorkflow: CI_WORKFLOWS.apply,
        providerArn: github.provider.arn,
        boundaryArn: github.boundaryArn,
        environmentBoundaryArns: environments.map((e) => e.boundaryArn),
        applyEnvironment: SHARED_ENVIRONMENT,
        names: { plan: stateCiRoleName("plan"), apply: stateCiRoleName("apply") },
        state,
        statePrefix: `${STATE_BACKEND_STACK_ID}/`,
        resources,
      });
      new TerraformOutput(this, "state_plan_role_arn", { value: roles.plan.arn, description: `CI's plan role of state-backend (${GITHUB_VARIABLES.statePlanRole})` });
      new TerraformOutput(this, "state_apply_role_arn", { value: roles.apply.arn, description: `CI's apply role of state-backend (${GITHUB_VARIABLES.applyRole} of the GitHub Environment ${SHARED_ENVIRONMENT})` });
    }
    // Each service's images are pulled where its environments run: one repository per repository
    // name any of the account's services uses (`<name>-images`: the app's stays `app-images`). An
    // account with environments but no service keeps the app's, which it always had; a state
    // account without environments needs none.
    for (const name of accountImageRepositories(props.environments)) new ImageRepository(this, `${name}-images`, { name, accountId: props.accountId });
  }
}
