import { Testing } from "cdktf";
import { ciRoleArn, runnerProjectName } from "../../config";
import { ACCESS_HOST_ENDPOINTS, ACCESS_HOST_IMAGE, ACCESS_HOST_INSTANCE_TYPE } from "../../modules/access/access-host";
import { RUNNER_IMAGE } from "../../modules/ci/codebuild-runner";
import { evaluate, type NamedPolicies } from "../../policy/iam-evaluation";
import { AccessStack, EksStack, LAYER_REGISTRY, layersOf, NetworkStack } from "../../stacks";
import { fixtureInputs, policyStatements, resourcesOf, synthJson, validEnvironment } from "../helpers";

const { backend, project } = fixtureInputs();
const CONNECTION = "arn:aws:codeconnections:eu-west-1:123456789012:connection/0a1b2c3d-0000-4000-8000-000000000001";
const env = validEnvironment({
  name: "reach",
  platform: {},
  ci: { runner: "codebuild", connectionArn: CONNECTION },
  access: { host: true },
  eks: {
    deletionProtection: true,
    apiAccess: [{ cidr: "10.200.0.0/16", description: "office VPN" }, { securityGroupId: "sg-0123456789abcdef0", description: "the ops VPC's tools" }],
    nodeGroups: { system: { instanceTypes: ["m7g.large"], size: { min: 2, desired: 2, max: 3 } }, apps: { instanceTypes: ["m7g.xlarge"], size: { min: 1, desired: 2, max: 6 } } },
  },
} as never);
const json = synthJson(new AccessStack(Testing.app(), { env, backend, project }));
const inline = (address: string) => policyStatements(json, json.resource.aws_iam_role_policy?.[`${address}_policy`]?.policy);
const runnerRole: NamedPolicies = { "runner role": inline("runner_role") };
const hostRole: NamedPolicies = { "host role": inline("host_role") };

describe("<env>-access: CI's runner", () => {
  const [project_] = resourcesOf(json, "aws_codebuild_project");

  it("is a CodeBuild project of the repository, in the private subnets, on a managed ARM image, never privileged", () => {
    expect(project_).toMatchObject({
      name: runnerProjectName(env),
      source: { type: "GITHUB", location: `https://github.com/${project.githubRepository}.git`, auth: { type: "CODECONNECTIONS", resource: CONNECTION } },
      environment: { type: "ARM_CONTAINER", image: RUNNER_IMAGE, privileged_mode: false, compute_type: "BUILD_GENERAL1_MEDIUM" },
      vpc_config: { subnets: "${data.terraform_remote_state.network.outputs.private_subnet_ids}", vpc_id: "${data.terraform_remote_state.network.outputs.vpc_id}" },
      artifacts: { type: "NO_ARTIFACTS" },
      logs_config: { cloudwatch_logs: { status: "ENABLED" }, s3_logs: { status: "DISABLED" } },
    });
  });

  it("starts a runner for queued workflow jobs (those with its label), with no build limit that would refuse one", () => {
    expect(resourcesOf(json, "aws_codebuild_webhook")).toEqual([expect.objectContaining({ build_type: "BUILD", filter_group: [{ filter: [{ type: "EVENT", pattern: "WORKFLOW_JOB_QUEUED" }] }] })]);
    expect(project_).not.toHaveProperty("concurrent_build_limit");
    expect(project_).toMatchObject({ queued_timeout: 30, build_timeout: 120 });
  });

  it("has a security group that admits nothing and sends HTTPS only; the cluster admits it on 443", () => {
    const groups = resourcesOf(json, "aws_security_group").filter((g) => g.name === runnerProjectName(env));
    // Only standalone rules: an inline `egress = []` beside them would revoke them on every apply.
    expect(groups).toHaveLength(1);
    expect(groups[0]).not.toHaveProperty("ingress");
    expect(groups[0]).not.toHaveProperty("egress");
    const egress = resourcesOf(json, "aws_vpc_security_group_egress_rule").filter((r) => String(r.security_group_id).includes("runner_security-group"));
    expect(egress).toEqual([expect.objectContaining({ cidr_ipv4: "0.0.0.0/0", ip_protocol: "tcp", from_port: 443, to_port: 443 })]);
    const ingress = resourcesOf(json, "aws_vpc_security_group_ingress_rule");
    expect(ingress.filter((r) => String(r.security_group_id).includes("runner_security-group"))).toEqual([]);
    expect(ingress.filter((r) => String(r.referenced_security_group_id).includes("runner_security-group"))).toEqual([
      expect.objectContaining({ security_group_id: "${data.terraform_remote_state.eks.outputs.api_security_group_id}", from_port: 443, to_port: 443 }),
    ]);
  });

  it("has a role trusted by CodeBuild for this project only, that writes its logs and manages its interfaces", () => {
    const [role] = resourcesOf(json, "aws_iam_role").filter((r) => r.name === runnerProjectName(env));
    const trust = policyStatements(json, role?.assume_role_policy);
    expect(trust).toEqual([
      expect.objectContaining({ Principal: { Service: ["codebuild.amazonaws.com"] }, Condition: expect.objectContaining({ ArnLike: { "aws:SourceArn": [`arn:aws:codebuild:eu-west-1:123456789012:project/${runnerProjectName(env)}`] } }) }),
    ]);
    const allowed = (action: string, resource: string, context = {}) => evaluate({ action, resource, context }, runnerRole).decision;
    expect(allowed("logs:PutLogEvents", `arn:aws:logs:eu-west-1:123456789012:log-group:/aws/codebuild/${runnerProjectName(env)}:log-stream:x`)).toBe("Allow");
    expect(allowed("codeconnections:GetConnectionToken", CONNECTION)).toBe("Allow");
    expect(allowed("codeconnections:GetConnectionToken", CONNECTION.replace("0001", "0002"))).toBe("ImplicitDeny");
    expect(allowed("ec2:CreateNetworkInterfacePermission", "arn:aws:ec2:eu-west-1:123456789012:network-interface/eni-1", { "ec2:AuthorizedService": "ec2.amazonaws.com" })).toBe("ImplicitDeny");
  });

  it("cannot read or write any Terraform state, nor take its lock", () => {
    const state = `arn:aws:s3:::${backend.bucket}`;
    for (const [action, resource] of [["s3:GetObject", `${state}/reach/eks.tfstate`], ["s3:PutObject", `${state}/reach/eks.tfstate`], ["s3:ListBucket", state], ["kms:Decrypt", backend.kmsKeyId]]) {
      expect([action, evaluate({ action: action!, resource: resource! }, runnerRole).decision]).toEqual([action, "ImplicitDeny"]);
    }
  });

  it("cannot assume CI's roles, or any role: jobs get theirs from GitHub's OIDC token", () => {
    for (const kind of ["plan", "apply", "drift"] as const) {
      expect(evaluate({ action: "sts:AssumeRole", resource: ciRoleArn(env, kind) }, runnerRole).decision).toBe("ImplicitDeny");
    }
    expect(evaluate({ action: "sts:AssumeRole", resource: "arn:aws:iam::123456789012:role/anything" }, runnerRole).decision).toBe("ImplicitDeny");
    expect(evaluate({ action: "iam:PassRole", resource: "*" }, runnerRole).decision).toBe("ImplicitDeny");
  });
});

describe("<env>-access: the access host", () => {
  const [template] = resourcesOf(json, "aws_launch_template");
  const [group] = resourcesOf(json, "aws_autoscaling_group");

  it("is the smallest Graviton instance, on the latest Amazon Linux resolved at launch", () => {
    expect(template).toMatchObject({ instance_type: ACCESS_HOST_INSTANCE_TYPE, image_id: ACCESS_HOST_IMAGE });
    expect(ACCESS_HOST_INSTANCE_TYPE).toBe("t4g.nano");
  });

  it("has no public IP, no SSH key, IMDSv2 with one hop, and an encrypted root volume", () => {
    expect(template).not.toHaveProperty("key_name");
    expect(template).toMatchObject({
      network_interfaces: [{ associate_public_ip_address: "false" }],
      metadata_options: { http_tokens: "required", http_put_response_hop_limit: 1, http_endpoint: "enabled" },
      block_device_mappings: [{ device_name: "/dev/xvda", ebs: { encrypted: "true", volume_type: "gp3" } }],
    });
  });

  it("runs one instance in the private subnets, replaced at least weekly", () => {
    expect(group).toMatchObject({ min_size: 1, max_size: 1, vpc_zone_identifier: "${data.terraform_remote_state.network.outputs.private_subnet_ids}", max_instance_lifetime: 604800 });
  });

  it("admits nothing, and sends HTTPS into the VPC only (endpoints and the cluster API)", () => {
    const egress = resourcesOf(json, "aws_vpc_security_group_egress_rule").filter((r) => String(r.security_group_id).includes("host_security-group"));
    expect(egress).toEqual([expect.objectContaining({ cidr_ipv4: env.network.vpcCidr, from_port: 443, to_port: 443 })]);
    expect(resourcesOf(json, "aws_vpc_security_group_ingress_rule").filter((r) => String(r.security_group_id).includes("host_security-group"))).toEqual([]);
    expect(resourcesOf(json, "aws_security_group").find((g) => g.name === "reach-access-host")).not.toHaveProperty("egress");
  });

  it("has a role with Session Manager's actions only: no SSM parameters, no Run Command, no S3", () => {
    const allowed = (action: string, resource = "*") => evaluate({ action, resource }, hostRole).decision;
    expect(allowed("ssmmessages:OpenDataChannel")).toBe("Allow");
    expect(allowed("ssm:UpdateInstanceInformation", "arn:aws:ec2:eu-west-1:123456789012:instance/i-1")).toBe("Allow");
    for (const action of ["ssm:GetParameter", "ssm:SendCommand", "ec2messages:GetMessages", "s3:GetObject", "sts:AssumeRole"]) expect([action, allowed(action)]).toEqual([action, "ImplicitDeny"]);
  });

  it("logs shell sessions, encrypted, to its own log group", () => {
    const [doc] = resourcesOf(json, "aws_ssm_document");
    expect(doc).toMatchObject({ name: "reach-access-host-session", document_type: "Session" });
    const content = JSON.parse(String(doc?.content)) as { inputs: Record<string, unknown> };
    expect(content.inputs).toMatchObject({ cloudWatchEncryptionEnabled: true, cloudWatchLogGroupName: "${aws_cloudwatch_log_group.host_session-logs.name}", runAsEnabled: false });
    expect(resourcesOf(json, "aws_cloudwatch_log_group").find((g) => g.name === "/aws/ssm/reach-access-host")).toMatchObject({ retention_in_days: 365, kms_key_id: expect.stringContaining("${aws_kms_key.") });
  });

  it("gets the Session Manager and KMS endpoints in its VPC", () => {
    const network = synthJson(new NetworkStack(Testing.app(), { env, backend, project }));
    const services = resourcesOf(network, "aws_vpc_endpoint").map((e) => String(e.service_name).split(".").slice(3).join("."));
    for (const service of ACCESS_HOST_ENDPOINTS) expect(services).toContain(service);
  });
});

describe("eks.apiAccess", () => {
  it("admits each listed source on 443 to the API's own security group, which is on the control plane only", () => {
    const eks = synthJson(new EksStack(Testing.app(), { env, backend, project }));
    expect(resourcesOf(eks, "aws_eks_cluster")[0]).toMatchObject({ vpc_config: { security_group_ids: ["${aws_security_group.cluster_api-security-group.id}"] } });
    expect(resourcesOf(eks, "aws_security_group").find((g) => g.name === "reach-platform-api")).toMatchObject({ egress: [] });
    const rules = resourcesOf(eks, "aws_vpc_security_group_ingress_rule").filter((r) => String(r.description).startsWith("Cluster API from"));
    for (const rule of rules) expect(rule.security_group_id).toBe("${aws_security_group.cluster_api-security-group.id}");
    expect(rules).toEqual([
      expect.objectContaining({ cidr_ipv4: "10.200.0.0/16", description: "Cluster API from office VPN", from_port: 443, to_port: 443 }),
      expect.objectContaining({ referenced_security_group_id: "sg-0123456789abcdef0", description: "Cluster API from the ops VPC's tools" }),
    ]);
  });
});

describe("the access layer", () => {
  it("exists only with a codebuild runner for cluster stacks, or an access host", () => {
    const has = (overrides: object) => layersOf(validEnvironment(overrides as never)).some((e) => e.layer === "access");
    expect(has({})).toBe(false);
    expect(has({ access: { host: true } })).toBe(true);
    expect(has({ platform: {}, ci: { runner: "codebuild", connectionArn: CONNECTION } })).toBe(true);
    expect(has({ platform: {}, ci: { runner: "hosted" }, eks: { ...validEnvironment().eks, publicAccessCidrs: ["203.0.113.0/24"] } })).toBe(false);
  });

  it("comes before the layers that reach the cluster, which follow it", () => {
    for (const layer of ["platform", "app"]) expect(LAYER_REGISTRY.find((e) => e.layer === layer)?.after).toContain("access");
  });
});
