import { S3Backend, type TerraformStack } from "cdktf";
import { type Construct } from "constructs";
import { type BackendSettings, type EnvironmentConfig, type Layer, type ProjectSettings, stackId, stateKey } from "../config";
import { awsProvider } from "./aws-provider";
import { PlatformStack } from "./platform-stack";

/** What every stack of an environment is given. */
export interface EnvironmentStackProps {
  /** The environment, validated. */
  readonly env: EnvironmentConfig;
  /** Remote-state settings from backend.config. */
  readonly backend: BackendSettings;
  /** Project-wide settings from cdktf.json. */
  readonly project: ProjectSettings;
}

/**
 * Base of every per-environment stack (`<env>-<layer>`): it stores state in the shared S3
 * backend under `<env>/<layer>.tfstate` and configures an AWS provider that can only ever touch
 * the environment's own account, as whoever runs it (see {@link awsProvider}).
 */
export abstract class EnvironmentStack extends PlatformStack {
  /** The environment this stack belongs to. */
  readonly env: EnvironmentConfig;
  /** The layer this stack holds. */
  readonly layer: Layer;
  /** The tags every resource of the environment carries (the provider's default tags). */
  readonly defaultTags: Readonly<Record<string, string>>;

  protected constructor(scope: Construct, layer: Layer, props: EnvironmentStackProps) {
    super(scope, stackId(props.env, layer));
    this.env = props.env;
    this.layer = layer;
    configureS3Backend(this, props.backend, stateKey(props.env, layer));
    const { account } = props.env;
    this.defaultTags = { ...props.env.tags, environment: props.env.name, "managed-by": "cdktf", repository: props.project.repository };
    awsProvider(this, { region: account.region, accountId: account.id, localRoleArn: account.deployRoleArn, tags: this.defaultTags });
  }
}

/** Points a stack's state at the shared bucket, with the settings of backend.config. */
export function configureS3Backend(stack: TerraformStack, backend: BackendSettings, key: string): void {
  new S3Backend(stack, s3BackendConfig(backend, key));
  // cdktf 0.21 predates S3-native locking, so its typed config lacks `use_lockfile`.
  if (backend.useLockfile) stack.addOverride("terraform.backend.s3.use_lockfile", true);
}

/** The S3 backend settings of one state key: what a stack stores its state with and what remote-state readers read it with. */
export function s3BackendConfig(backend: BackendSettings, key: string) {
  return { bucket: backend.bucket, key, region: backend.region, encrypt: true, kmsKeyId: backend.kmsKeyId, dynamodbTable: backend.dynamodbTable };
}
