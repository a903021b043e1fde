import { TerraformOutput, Testing } from "cdktf";
import { EnvironmentStack, NETWORK_CONTRACT, networkFromRemoteState, type NetworkOutputs } from "../../stacks";
import { NetworkStack } from "../../stacks/network-stack";
import { fixtureInputs, resourcesOf, synthJson } from "../helpers";

const inputs = fixtureInputs();
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

  it("can only deploy to its own account, as whoever runs it (the deploy_role_arn variable, unset in CI), with default tags", () => {
    expect(json.provider.aws?.[0]).toEqual({
      region: env.account.region,
      allowed_account_ids: [env.account.id],
      assume_role: [{ role_arn: "${var.deploy_role_arn}", session_name: `cdktf-${name}-network` }],
      default_tags: [{ tags: { ...env.tags, environment: name, "managed-by": "cdktf", repository: inputs.project.repository } }],
    });
    expect((json as unknown as { variable: Record<string, unknown> }).variable.deploy_role_arn).toEqual({
      type: "string",
      nullable: true,
      default: null,
      description: expect.stringContaining(env.account.deployRoleArn ? `TF_VAR_deploy_role_arn=${env.account.deployRoleArn}` : "set it locally"),
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

  it("publishes its contract as named, described, non-sensitive outputs", () => {
    expect(stack.outputs.vpcCidr).toBe(env.network.vpcCidr);
    expect(Object.keys(stack.outputs.subnetIds)).toEqual(["public", "private", "data", "controlPlane"]);
    // No control-plane tier in config: the output is there, an empty list, for every consumer alike.
    expect((json.output?.control_plane_subnet_ids as { value: unknown }).value).toEqual(env.network.subnetPrefixLength.controlPlane ? stack.outputs.subnetIds.controlPlane : []);
    expect(Object.keys(json.output ?? {}).sort()).toEqual(Object.keys(NETWORK_CONTRACT.outputs).sort());
    for (const [name, output] of Object.entries(json.output ?? {}) as Array<[string, Record<string, unknown>]>) {
      expect(output).toMatchObject({ description: NETWORK_CONTRACT.outputs[name as keyof typeof NETWORK_CONTRACT.outputs].description, sensitive: false });
    }
    expect((json.output?.availability_zones as { value: unknown }).value).toEqual(stack.outputs.availabilityZones);
  });
});

it("names no local deploy role in the variable when config has none", () => {
  const env = { ...inputs.environments[0]!, account: { ...inputs.environments[0]!.account, deployRoleArn: undefined } };
  const json = synthJson(new NetworkStack(Testing.app(), { env, backend: inputs.backend, project: inputs.project })) as unknown as { variable: Record<string, { description: string }> };
  expect(json.variable.deploy_role_arn?.description).toBe("IAM role the AWS provider assumes. Leave unset in CI (each job runs as its OIDC role); set it locally to deploy as a person.");
});

it("omits use_lockfile and dynamodb_table when the backend does not use them", () => {
  const backend = { ...inputs.backend, useLockfile: false };
  const json = synthJson(new NetworkStack(Testing.app(), { env: inputs.environments[0]!, backend, project: inputs.project }));
  expect(json.terraform.backend.s3).not.toHaveProperty("use_lockfile");
});

describe("reading the network's contract from another stack", () => {
  const env = inputs.environments[0]!;
  class ConsumerStack extends EnvironmentStack {
    readonly network: NetworkOutputs;
    constructor() {
      super(Testing.app(), "eks", { env, backend: inputs.backend, project: inputs.project });
      this.network = networkFromRemoteState(this, inputs.backend, env);
      networkFromRemoteState(this, inputs.backend, env);
      new TerraformOutput(this, "probe", { value: this.network });
    }
  }
  const consumer = new ConsumerStack();
  const json = JSON.parse(Testing.synth(consumer)) as { data: Record<string, Record<string, Record<string, unknown>>>; output: { probe: { value: NetworkOutputs } } };

  it("uses one terraform_remote_state on the producer's state key, however often it reads", () => {
    expect(Object.keys(json.data.terraform_remote_state ?? {})).toEqual(["network"]);
    expect(json.data.terraform_remote_state?.network).toMatchObject({ backend: "s3", config: { bucket: inputs.backend.bucket, key: `${env.name}/network.tfstate`, region: inputs.backend.region } });
  });

  it("reads ids from the producer's named outputs and takes what config decides as literals", () => {
    const resolved = json.output.probe.value;
    expect(resolved.vpcId).toBe("${data.terraform_remote_state.network.outputs.vpc_id}");
    expect(resolved.subnetIds.private).toBe("${data.terraform_remote_state.network.outputs.private_subnet_ids}");
    // Without the tier nothing names control_plane_subnet_ids, which a network state applied before it lacks.
    expect(resolved.subnetIds.controlPlane).toEqual([]);
    expect(resolved.vpcCidr).toBe(env.network.vpcCidr);
    expect(resolved.permissionsBoundaryArn).toBe(`arn:aws:iam::${env.account.id}:policy/boundaries/${env.name}-platform-boundary`);
  });
});

describe("a network with a control-plane tier", () => {
  const base = inputs.environments[0]!;
  const env = { ...base, network: { ...base.network, subnetPrefixLength: { ...base.network.subnetPrefixLength, controlPlane: 28 } } };
  const stack = new NetworkStack(Testing.app(), { env, backend: inputs.backend, project: inputs.project });
  const json = synthJson(stack);

  it("publishes the tier's subnet ids in zone order, and consumers read them from that output", () => {
    expect(stack.outputs.availabilityZones.length).toBeGreaterThanOrEqual(2);
    expect((json.output?.control_plane_subnet_ids as { value: unknown }).value).toEqual(stack.outputs.availabilityZones.map((zone) => `\${aws_subnet.network_control-plane_${zone}.id}`));
    class Consumer extends EnvironmentStack {
      constructor() {
        super(Testing.app(), "eks", { env, backend: inputs.backend, project: inputs.project });
        new TerraformOutput(this, "probe", { value: networkFromRemoteState(this, inputs.backend, env).subnetIds.controlPlane });
      }
    }
    const probe = (JSON.parse(Testing.synth(new Consumer())) as { output: { probe: { value: unknown } } }).output.probe.value;
    expect(probe).toBe("${data.terraform_remote_state.network.outputs.control_plane_subnet_ids}");
  });

  it("adds only the tier's subnets and their route table: every other subnet keeps its CIDR", () => {
    const without = synthJson(stacks[base.name] as NetworkStack);
    const cidrs = (j: typeof json) => Object.fromEntries(Object.entries(j.resource.aws_subnet ?? {}).map(([address, s]) => [address, s.cidr_block]));
    const added = Object.keys(cidrs(json)).filter((address) => !(address in cidrs(without)));
    expect(cidrs(json)).toMatchObject(cidrs(without));
    expect(added).toEqual(stack.outputs.availabilityZones.map((zone) => `network_control-plane_${zone}`));
  });
});
