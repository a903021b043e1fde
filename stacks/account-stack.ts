import { LocalBackend } from "cdktf";
import { type Construct } from "constructs";
import { accountStackId, APP_IMAGE_REPOSITORY, type BackendSettings, type EnvironmentConfig, permissionsBoundaryName, type ProjectSettings } from "../config";
import { GithubCiRoles } from "../modules/ci/github-roles";
import { ImageRepository } from "../modules/ecr/image-repository";
import { PermissionsBoundary } from "../modules/iam/permissions-boundary";
import { awsProvider } from "./aws-provider";
import { configureS3Backend } from "./environment-stack";
import { PlatformStack } from "./platform-stack";

/** Props of {@link AccountStack}. */
export interface AccountStackProps {
  /** The account. */
  readonly accountId: string;
  /** The environments deployed to it (every one of the config folder, whatever `--env` selects). */
  readonly environments: readonly EnvironmentConfig[];
  readonly backend: BackendSettings;
  readonly project: ProjectSettings;
}

/**
 * `account-<id>`: what an AWS account needs once, before any environment in it is planned:
 * GitHub Actions' OIDC provider (exactly one per account), CI's roles for each environment in it,
 * and the application's image registry (one per account, so a digest promoted from one
 * environment to another in the same account is the same image).
 *
 * CI cannot create the roles it runs as, so an operator applies this stack once per account,
 * like state-backend, with local state until `stateBackendStorage` is `s3` (README, "Bootstrap").
 */
export class AccountStack extends PlatformStack {
  constructor(scope: Construct, props: AccountStackProps) {
    const id = accountStackId(props.accountId);
    super(scope, id);
    const region = props.environments[0]?.account.region ?? props.backend.region;
    if (props.project.stateBackendStorage === "s3") configureS3Backend(this, props.backend, `bootstrap/${id}.tfstate`);
    else new LocalBackend(this, { path: `../../../terraform.${id}.tfstate` });
    awsProvider(this, { region, accountId: props.accountId, tags: { component: "ci-bootstrap", "managed-by": "cdktf", repository: props.project.repository } });

    new GithubCiRoles(this, "github", {
      accountId: props.accountId,
      repository: props.project.githubRepository,
      environments: props.environments.map((env) => ({ name: env.name, boundaryArn: PermissionsBoundary.arnFor(props.accountId, permissionsBoundaryName(env)) })),
      state: { bucket: props.backend.bucket, region: props.backend.region, accountId: props.backend.accountId, lockTable: props.backend.dynamodbTable },
    });
    new ImageRepository(this, "app-images", { name: APP_IMAGE_REPOSITORY, accountId: props.accountId });
  }
}
