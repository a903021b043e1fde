import { Testing } from "cdktf";
import { NetworkStack } from "../../stacks/network-stack";
import { resourcesOf, shippedInputs, synthJson } from "../helpers";

const inputs = shippedInputs();
const app = Testing.app();
const stacks = Object.fromEntries(inputs.environments.map((env) => [env.name, new NetworkStack(app, { env, backend: inputs.backend, project: inputs.project })]));

describe.each(inputs.environments.map((env) => [env.name, env] as const))("%s-network", (name, env) => {
  const stack = stacks[name] as NetworkStack;
  const json = synthJson(stack);

  it("keeps its state at <env>/network.tfstate in the shared bucket", () => {
    expect(stack.node.id).toBe(`${name}-network`);
    expect(json.terraform.backend.s3).toEqual({
      bucket: inputs.backend.bucket,
      key: `${name}/network.tfstate`,
      region: inputs.backend.region,
      encrypt: true,
      kms_key_id: inputs.backend.kmsKeyId,
      dynamodb_table: inputs.backend.dynamodbTable,
      use_lockfile: true,
    });
  });

  it("can only deploy to its own account, through its deploy role, with default tags", () => {
    expect(json.provider.aws?.[0]).toEqual({
      region: env.account.region,
      allowed_account_ids: [env.account.id],
      assume_role: [{ role_arn: env.account.deployRoleArn, session_name: `cdktf-${name}-network` }],
      default_tags: [{ tags: { ...env.tags, environment: name, "managed-by": "cdktf", repository: inputs.project.repository } }],
    });
  });

  it(`has ${env.network.natMode === "per-az" ? "a NAT gateway per zone" : "one NAT gateway"}`, () => {
    expect(resourcesOf(json, "aws_nat_gateway")).toHaveLength(env.network.natMode === "per-az" ? env.network.azCount : 1);
  });

  it("spreads three tiers over the configured zones", () => {
    expect(resourcesOf(json, "aws_subnet")).toHaveLength(3 * env.network.azCount);
    expect(stack.outputs.availabilityZones).toHaveLength(env.network.azCount);
  });

  it("keeps flow logs for the configured period", () => {
    expect(resourcesOf(json, "aws_cloudwatch_log_group")[0]?.retention_in_days).toBe(env.network.flowLogRetentionDays);
  });

  it("exposes typed outputs and Terraform outputs for later stacks", () => {
    expect(stack.outputs.vpcCidr).toBe(env.network.vpcCidr);
    expect(Object.keys(stack.outputs.subnetIds)).toEqual(["public", "private", "data"]);
    expect(Object.keys(json.output ?? {}).sort()).toEqual(["data_subnet_ids", "private_subnet_ids", "public_subnet_ids", "vpc_id"]);
  });
});

it("omits assume_role when no deploy role is configured", () => {
  const env = { ...inputs.environments[0]!, account: { ...inputs.environments[0]!.account, deployRoleArn: undefined } };
  const json = synthJson(new NetworkStack(Testing.app(), { env, backend: inputs.backend, project: inputs.project }));
  expect(json.provider.aws?.[0]).not.toHaveProperty("assume_role");
});

it("omits use_lockfile and dynamodb_table when the backend does not use them", () => {
  const backend = { ...inputs.backend, useLockfile: false };
  const json = synthJson(new NetworkStack(Testing.app(), { env: inputs.environments[0]!, backend, project: inputs.project }));
  expect(json.terraform.backend.s3).not.toHaveProperty("use_lockfile");
});
