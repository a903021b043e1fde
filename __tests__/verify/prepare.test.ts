import { readFileSync } from "node:fs";
import path from "node:path";
import { AWS_6_ONLY, AWS_6_ONLY_RESOURCES, AWS_6_ONLY_VALUES, removeNewerAttributes, removeNewerResources, replaceNewerValues } from "../../scripts/verify/compat";
import { contractMockState, mockState, mockValue, referencedMapKeys } from "../../scripts/verify/mocks";
import { OFFLINE_AWS_PROVIDER, prepareStack, type StackJson, useLocalState } from "../../scripts/verify/prepare";
import { compareVersions } from "../../scripts/verify/toolchain";
import { EKS_CONTRACT } from "../../stacks/contracts/eks";
import { NETWORK_CONTRACT } from "../../stacks/contracts/network";
import { ROOT } from "../helpers";

const fixtures = path.join(ROOT, "__tests__", "fixtures", "real-plans", "all-create");
const stack = (name: string) => JSON.parse(readFileSync(path.join(fixtures, "cdktf.out", "stacks", name, "cdk.tf.json"), "utf8")) as StackJson;
const mirror = { mirror: "/mirror", versions: { aws: ["5.9.0", "5.100.0"] } };

describe("preparing a copy of a stack for an offline plan", () => {
  const original = stack("dev-network");
  const prepared = prepareStack(original, mirror);

  it("keeps state in a local file and gives the provider fake credentials, without account checks or a role", () => {
    expect(prepared.json.terraform?.backend).toEqual({ local: { path: "terraform.tfstate" } });
    expect(prepared.json.provider?.aws?.[0]).not.toHaveProperty("assume_role");
    expect(prepared.json.provider?.aws?.[0]).not.toHaveProperty("allowed_account_ids");
    expect(prepared.override).toEqual({ provider: { aws: [OFFLINE_AWS_PROVIDER] } });
    expect(OFFLINE_AWS_PROVIDER).toMatchObject({ skip_credentials_validation: true, skip_requesting_account_id: true, skip_metadata_api_check: true, skip_region_validation: true, max_retries: 1 });
  });

  it("never edits the synthesized original", () => {
    expect(original.terraform?.backend).toHaveProperty("s3");
    expect(original.terraform?.required_providers?.aws?.version).toBe("6.25.0");
  });

  it("relaxes the provider version to the newest the mirror has, and says so", () => {
    expect(prepared.json.terraform?.required_providers?.aws?.version).toBe("5.100.0");
    expect(prepared.relaxed).toEqual(["aws 6.25.0 → 5.100.0"]);
    expect(prepareStack(original, { versions: {} }).relaxed).toEqual([]);
  });

  it("leaves out the blocks of providers the mirror does not have", () => {
    const withHelm: StackJson = { ...original, terraform: { ...original.terraform, required_providers: { ...original.terraform?.required_providers, helm: { source: "helm", version: "3.0.2" } } }, resource: { ...original.resource, helm_release: { x: {}, y: {} } } };
    const result = prepareStack(withHelm, mirror);
    expect(result.unavailable).toEqual({ helm: 2 });
    expect(result.json.resource).not.toHaveProperty("helm_release");
    expect(result.json.terraform?.required_providers).not.toHaveProperty("helm");
  });

  it("finds data sources that would call AWS at plan time", () => {
    const calling: StackJson = { ...original, data: { ...original.data, aws_caller_identity: { me: {} }, aws_availability_zones: { zones: {} } } };
    expect(prepareStack(calling, mirror).apiDataSources).toEqual(["data.aws_caller_identity.me", "data.aws_availability_zones.zones"]);
    expect(prepared.apiDataSources).toEqual([]);
  });

  it("points a remote-state data source at a local state file", () => {
    const consumer: StackJson = { data: { terraform_remote_state: { network: { backend: "s3", config: { bucket: "b", key: "dev/network.tfstate" } } } } };
    const result = prepareStack(consumer, mirror);
    expect(result.remoteStates).toEqual({ network: "dev/network.tfstate" });
    useLocalState(result.json, "network", "/work/dev-network/mock-outputs.tfstate");
    expect(result.json.data?.terraform_remote_state?.network).toEqual({ backend: "local", config: { path: "/work/dev-network/mock-outputs.tfstate" } });
  });
});

describe("attributes only the 6.x provider has", () => {
  it("are listed with the resource, the attribute and why", () => {
    for (const entry of AWS_6_ONLY) expect(entry.reason.length).toBeGreaterThan(10);
    expect(AWS_6_ONLY).toContainEqual(expect.objectContaining({ type: "aws_eks_cluster", attribute: "deletion_protection" }));
  });

  it("are removed from a copy for a 5.x provider, and reported", () => {
    const tf = { resource: { aws_eks_cluster: { main: { name: "c", deletion_protection: true } }, aws_s3_bucket: { b: { bucket: "x", region: "eu-west-1" } } } };
    expect(removeNewerAttributes(tf)).toEqual(["aws_eks_cluster.main.deletion_protection", "aws_s3_bucket.b.region"]);
    expect(tf.resource.aws_eks_cluster.main).toEqual({ name: "c" });
  });

  it("and resource types only it has are left out of the copy, with whatever refers to them, and reported", () => {
    expect(AWS_6_ONLY_RESOURCES).toContainEqual(expect.objectContaining({ type: "aws_msk_topic", since: "6.38.0" }));
    const tf = {
      resource: {
        aws_msk_topic: { topics_orders: { name: "orders" } },
        aws_iam_role_policy: { uses: { policy: "${aws_msk_topic.topics_orders.arn}" }, other: { policy: "{}" } },
      },
      output: { topic: { value: "${aws_msk_topic.topics_orders.name}" }, kept: { value: "x" } },
    };
    expect(removeNewerResources(tf)).toEqual(["aws_msk_topic.topics_orders", "aws_iam_role_policy.uses", "output.topic"]);
    expect(tf).toEqual({ resource: { aws_iam_role_policy: { other: { policy: "{}" } } }, output: { kept: { value: "x" } } });
  });

  it("and values only it accepts are replaced by the nearest an older one does, and reported", () => {
    expect(AWS_6_ONLY_VALUES).toContainEqual(expect.objectContaining({ type: "aws_lambda_function", value: "nodejs24.x", olderValue: "nodejs22.x" }));
    const tf = { resource: { aws_lambda_function: { f: { runtime: "nodejs24.x" }, g: { runtime: "python3.12" } } } };
    expect(replaceNewerValues(tf)).toEqual(["aws_lambda_function.f.runtime nodejs24.x → nodejs22.x"]);
    expect(tf.resource.aws_lambda_function).toEqual({ f: { runtime: "nodejs22.x" }, g: { runtime: "python3.12" } });
  });

  it("compares versions numerically", () => {
    expect(["5.100.0", "5.9.0", "6.25.0"].sort(compareVersions)).toEqual(["5.9.0", "5.100.0", "6.25.0"]);
  });
});

describe("mock states of producers", () => {
  const plan = JSON.parse(readFileSync(path.join(fixtures, "dev-network.json"), "utf8")) as { output_changes: Record<string, never> };
  const state = mockState(plan.output_changes, NETWORK_CONTRACT.outputs, { account: "111111111111", region: "eu-west-1" }) as { outputs: Record<string, { value: unknown; type: unknown }> };

  it("keep what the producer's plan knows, and mock what it does not, per the contract", () => {
    expect(state.outputs.availability_zones).toEqual({ value: ["eu-west-1a", "eu-west-1b"], type: ["list", "string"] });
    expect(state.outputs.vpc_id).toEqual({ value: "vpc-0123456789abcdef0", type: "string" });
    expect(state.outputs.private_subnet_ids).toEqual({ value: ["subnet-0123456789abc200", "subnet-0123456789abc201"], type: ["list", "string"] });
  });

  it("have an output for every output of the contract", () => {
    expect(Object.keys(state.outputs).sort()).toEqual(Object.keys(NETWORK_CONTRACT.outputs).sort());
  });

  it("fill in the account and region, and default to mock-<name>", () => {
    expect(mockValue("role_arn", { kind: "string", description: "d", mock: "arn:aws:iam::{account}:role/{name}" }, { account: "1", region: "r" })).toBe("arn:aws:iam::1:role/role_arn");
    expect(mockValue("thing", undefined, { account: "1", region: "r" })).toBe("mock-thing");
    expect(mockValue("thing", undefined, { account: "1", region: "r" }, 2)).toBe("mock-thing-2");
  });
});

describe("preparing a stack with ephemeral resources and providers the mirror lacks", () => {
  const platform: StackJson = {
    terraform: { required_providers: { aws: { source: "aws", version: "6.25.0" }, helm: { source: "helm", version: "3.1.1" } } },
    provider: { aws: [{ region: "eu-west-1" }], helm: [{}] },
    ephemeral: { aws_secretsmanager_random_password: { admin: { password_length: 32 } } },
    resource: {
      aws_secretsmanager_secret_version: { v: { secret_string_wo: '${jsonencode({"p" = ephemeral.aws_secretsmanager_random_password.admin.random_password})}' } },
      helm_release: { r: { chart: "c" } },
    },
  };
  const prepared = prepareStack(platform, mirror);

  it("puts a placeholder where an ephemeral resource that calls AWS is read, and says so", () => {
    expect(prepared.json).not.toHaveProperty("ephemeral");
    expect(prepared.json.resource?.aws_secretsmanager_secret_version?.v?.secret_string_wo).toBe('${jsonencode({"p" = "verify-offline-placeholder"})}');
    expect(prepared.replacedEphemerals).toEqual(["ephemeral.aws_secretsmanager_random_password.admin"]);
  });

  it("leaves out the blocks of a provider the mirror lacks, and no empty section behind", () => {
    expect(prepared.unavailable).toEqual({ helm: 1 });
    expect(Object.keys(prepared.json.resource ?? {})).toEqual(["aws_secretsmanager_secret_version"]);
    const onlyHelm = prepareStack({ ...platform, ephemeral: undefined, resource: { helm_release: { r: { chart: "c" } } } }, mirror);
    expect(onlyHelm.json).not.toHaveProperty("resource");
  });
});

describe("a state of a contract's mocks, for a consumer whose producer was never planned", () => {
  it("holds every output as its mock, lists with one element per zone", () => {
    const state = contractMockState(NETWORK_CONTRACT.outputs, { account: "123456789012", region: "eu-west-1" }) as { outputs: Record<string, { value: unknown }> };
    expect(Object.keys(state.outputs).sort()).toEqual(Object.keys(NETWORK_CONTRACT.outputs).sort());
    expect(state.outputs.vpc_id?.value).toBe("vpc-0123456789abcdef0");
    expect(state.outputs.data_subnet_ids?.value).toEqual(["subnet-0123456789abc300", "subnet-0123456789abc301", "subnet-0123456789abc302"]);
  });
});

describe("mocks of a string-map output (the eks stack's pod_security_groups)", () => {
  const context = { account: "123456789012", region: "eu-west-1" };

  it("keep every key of the producer's plan, known or not, each unknown value a group id of its own", () => {
    // What `terraform show -json` gives for a map of group ids the same plan creates: the keys in
    // after_unknown only, `after` empty (terraform_data ids checked with Terraform 1.x).
    const state = mockState({ pod_security_groups: { actions: ["create"], before: null, after: {}, after_unknown: { "dev/app": true, "prod/app": true } } as never }, EKS_CONTRACT.outputs, context) as { outputs: Record<string, unknown> };
    expect(state.outputs.pod_security_groups).toEqual({ value: { "dev/app": "sg-0123456789abcde00", "prod/app": "sg-0123456789abcde01" }, type: ["object", { "dev/app": "string", "prod/app": "string" }] });
    const known = mockState({ pod_security_groups: { actions: ["no-op"], before: null, after: { "dev/app": "sg-real" }, after_unknown: false } as never }, EKS_CONTRACT.outputs, context) as { outputs: Record<string, { value: unknown }> };
    expect(known.outputs.pod_security_groups?.value).toEqual({ "dev/app": "sg-real" });
  });

  it("hold, where no producer was planned, exactly the keys the consumer reads, so that its plan indexes what it asks for", () => {
    const consumer = { locals: { a: '${data.terraform_remote_state.eks.outputs.pod_security_groups["dev/orders"]}', b: '${data.terraform_remote_state.eks.outputs.pod_security_groups["dev/auth"]}' }, resource: { x: { y: { z: '${data.terraform_remote_state.network.outputs.pod_security_groups["not/eks"]}' } } } };
    expect(referencedMapKeys(consumer, "eks", "pod_security_groups")).toEqual(["dev/auth", "dev/orders"]);
    const state = contractMockState(EKS_CONTRACT.outputs, context, 3, (output) => referencedMapKeys(consumer, "eks", output)) as { outputs: Record<string, { value: unknown }> };
    expect(state.outputs.pod_security_groups?.value).toEqual({ "dev/auth": "sg-0123456789abcde00", "dev/orders": "sg-0123456789abcde01" });
    expect(state.outputs.cluster_name?.value).toBe("mock-cluster_name");
  });
});
