import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Testing } from "cdktf";
import { planSubnets } from "../../config";
import { Network, type NetworkProps } from "../../modules/network/network";
import { EncryptionKey } from "../../modules/kms/encryption-key";
import { policyStatements, resourcesOf, synthScope, type SynthesizedStack } from "../helpers";

const plan = planSubnets({ vpcCidr: "10.10.0.0/16", region: "eu-west-1", azCount: 3, prefixLength: { public: 24, private: 20, data: 24 } });
if (!plan.fits) throw new Error("test plan must fit");

const props: NetworkProps = {
  name: "test",
  accountId: "123456789012",
  region: "eu-west-1",
  vpcCidr: "10.10.0.0/16",
  subnets: plan.subnets,
  natMode: "per-az",
  subnetTags: { public: { "kubernetes.io/role/elb": "1" }, private: { "karpenter.sh/discovery": "test-platform" } },
  flowLogRetentionDays: 90,
  permissionsBoundaryArn: "arn:aws:iam::123456789012:policy/test-boundary",
};

function synth(overrides: Partial<NetworkProps> = {}): { text: string; json: SynthesizedStack } {
  const text = Testing.synthScope((scope) => {
    new Network(scope, "network", { ...props, ...overrides });
  });
  return { text, json: JSON.parse(text) as SynthesizedStack };
}

const { text, json } = synth();

describe("Network", () => {
  it("creates a VPC with DNS support and hostnames", () => {
    expect(text).toHaveResourceWithProperties(Vpc, { cidr_block: "10.10.0.0/16", enable_dns_support: true, enable_dns_hostnames: true });
  });

  it("empties the default security group", () => {
    const [group] = resourcesOf(json, "aws_default_security_group");
    expect(group).not.toHaveProperty("ingress");
    expect(group).not.toHaveProperty("egress");
    expect(text).toHaveResource(DefaultSecurityGroup);
  });

  it("creates three tiers of subnets, keyed by zone, none mapping public IPs", () => {
    const subnets = resourcesOf(json, "aws_subnet");
    expect(subnets).toHaveLength(9);
    expect(subnets.every((s) => s.map_public_ip_on_launch === false)).toBe(true);
    expect(subnets.map((s) => (s.tags as Record<string, string>).Name).sort()).toEqual(
      ["data", "private", "public"].flatMap((tier) => ["a", "b", "c"].map((z) => `test-${tier}-eu-west-1${z}`)),
    );
  });

  it("tags each tier's subnets with the tags it is given, and nothing else", () => {
    const tagsOf = (tier: string) =>
      resourcesOf(json, "aws_subnet")
        .map((s) => s.tags as Record<string, string>)
        .filter((t) => t.Name?.startsWith(`test-${tier}-`));
    expect(tagsOf("public").every((t) => t["kubernetes.io/role/elb"] === "1")).toBe(true);
    expect(tagsOf("private").every((t) => t["karpenter.sh/discovery"] === "test-platform" && Object.keys(t).length === 2)).toBe(true);
    expect(tagsOf("data").every((t) => Object.keys(t).length === 1)).toBe(true);
  });

  it.each([
    ["per-az", 3],
    ["single", 1],
  ] as const)("creates NAT gateways and Elastic IPs for natMode %s (%i)", (natMode, count) => {
    const out = synth({ natMode }).json;
    expect(resourcesOf(out, "aws_nat_gateway")).toHaveLength(count);
    expect(resourcesOf(out, "aws_eip")).toHaveLength(count);
    // Every private zone still gets a default route, through its own or the single gateway.
    const natRoutes = resourcesOf(out, "aws_route").filter((r) => r.nat_gateway_id);
    expect(natRoutes).toHaveLength(3);
    expect(new Set(natRoutes.map((r) => r.nat_gateway_id)).size).toBe(count);
  });

  it("routes public subnets to the internet gateway and gives data subnets no way out", () => {
    const routes = resourcesOf(json, "aws_route");
    expect(routes.filter((r) => String(r.gateway_id).includes("aws_internet_gateway"))).toHaveLength(1);
    const tables = resourcesOf(json, "aws_route_table");
    expect(tables.map((t) => (t.tags as Record<string, string>).Name).sort()).toEqual([
      "test-data",
      "test-private-eu-west-1a",
      "test-private-eu-west-1b",
      "test-private-eu-west-1c",
      "test-public",
    ]);
    const dataTable = Object.entries(json.resource.aws_route_table ?? {}).find(([, t]) => (t.tags as Record<string, string>).Name === "test-data")?.[0];
    expect(routes.some((r) => String(r.route_table_id).includes(`${dataTable}.`))).toBe(false);
    expect(resourcesOf(json, "aws_route_table_association")).toHaveLength(9);
  });

  it("adds an S3 gateway endpoint on the private and data route tables", () => {
    const s3 = resourcesOf(json, "aws_vpc_endpoint").find((e) => e.vpc_endpoint_type === "Gateway");
    expect(s3).toMatchObject({ service_name: "com.amazonaws.eu-west-1.s3" });
    expect(s3?.route_table_ids).toHaveLength(4);
  });

  it("adds private interface endpoints for ECR, STS, CloudWatch Logs and Secrets Manager", () => {
    const services = resourcesOf(json, "aws_vpc_endpoint")
      .filter((e) => e.vpc_endpoint_type === "Interface")
      .map((e) => e.service_name)
      .sort();
    expect(services).toEqual(["ecr.api", "ecr.dkr", "logs", "secretsmanager", "sts"].map((s) => `com.amazonaws.eu-west-1.${s}`));
    expect(text).toHaveResourceWithProperties(VpcEndpoint, { private_dns_enabled: true, vpc_endpoint_type: "Interface" });
  });

  it("lets only HTTPS from the VPC reach the interface endpoints", () => {
    expect(text).toHaveResourceWithProperties(SecurityGroup, { description: "Interface VPC endpoints: HTTPS from inside the VPC only" });
    const rules = resourcesOf(json, "aws_vpc_security_group_ingress_rule");
    expect(rules).toEqual([expect.objectContaining({ ip_protocol: "tcp", from_port: 443, to_port: 443, cidr_ipv4: "10.10.0.0/16" })]);
    expect(text).toHaveResource(VpcSecurityGroupIngressRule);
    expect(resourcesOf(json, "aws_vpc_security_group_egress_rule")).toHaveLength(0);
  });

  it("logs all traffic to a KMS-encrypted log group with retention", () => {
    expect(text).toHaveResourceWithProperties(FlowLog, { traffic_type: "ALL", log_destination_type: "cloud-watch-logs", max_aggregation_interval: 60 });
    expect(text).toHaveResourceWithProperties(CloudwatchLogGroup, { name: "/aws/vpc/flow-logs/test", retention_in_days: 90 });
    const [group] = resourcesOf(json, "aws_cloudwatch_log_group");
    expect(group?.kms_key_id).toMatch(/^\$\{aws_kms_key\..*\.arn\}$/);
  });

  it("scopes the flow-log role to its service, account and log group", () => {
    const [role] = resourcesOf(json, "aws_iam_role");
    expect(policyStatements(json, role?.assume_role_policy)).toEqual([
      {
        Effect: "Allow",
        Principal: { Service: ["vpc-flow-logs.amazonaws.com"] },
        Action: ["sts:AssumeRole"],
        Condition: {
          StringEquals: { "aws:SourceAccount": ["123456789012"] },
          ArnLike: { "aws:SourceArn": ["arn:aws:ec2:eu-west-1:123456789012:vpc-flow-log/*"] },
        },
      },
    ]);
    const [policy] = resourcesOf(json, "aws_iam_role_policy");
    expect(policyStatements(json, policy?.policy)[0]?.Resource).toEqual([
      "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/vpc/flow-logs/test",
      "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/vpc/flow-logs/test:*",
    ]);
  });

  it("lets CloudWatch Logs use the key only for this log group", () => {
    const [key] = resourcesOf(json, "aws_kms_key");
    const statement = policyStatements(json, key?.policy)[1];
    expect(statement).toMatchObject({
      Principal: { Service: ["logs.eu-west-1.amazonaws.com"] },
      Condition: { ArnEquals: { "kms:EncryptionContext:aws:logs:arn": ["arn:aws:logs:eu-west-1:123456789012:log-group:/aws/vpc/flow-logs/test"] } },
    });
  });

  it("uses the caller's key for the flow logs when given one", () => {
    const out = Testing.synthScope((scope) => {
      const key = new EncryptionKey(scope, "shared-key", { description: "d", aliasName: "alias/shared", accountId: "123456789012" });
      new Network(scope, "network", { ...props, flowLogEncryptionKey: key });
    });
    expect(resourcesOf(JSON.parse(out) as SynthesizedStack, "aws_kms_key")).toHaveLength(1);
    expect(resourcesOf(JSON.parse(out) as SynthesizedStack, "aws_cloudwatch_log_group")[0]?.kms_key_id).toBe("${aws_kms_key.shared-key.arn}");
  });

  it("refuses a flow-log retention CloudWatch does not offer, naming the allowed periods", () => {
    expect(() => synth({ flowLogRetentionDays: 10 })).toThrow(/^stack\/network\/flow-logs: retention of 10 days is not one CloudWatch Logs accepts; allowed: 1, 3, 5, .*3653$/);
  });

  it("takes a custom list of interface endpoints", () => {
    const out = synth({ interfaceEndpoints: ["sts"] }).json;
    expect(resourcesOf(out, "aws_vpc_endpoint").map((e) => e.service_name)).toEqual(["com.amazonaws.eu-west-1.s3", "com.amazonaws.eu-west-1.sts"]);
  });

  it("exposes subnet ids per tier keyed by zone", () => {
    Testing.synthScope((scope) => {
      const network = new Network(scope, "network", props);
      expect(Object.keys(network.subnetIds.private)).toEqual(["eu-west-1a", "eu-west-1b", "eu-west-1c"]);
      expect(Object.keys(network.subnetIds.data)).toHaveLength(3);
      expect(network.subnetIds.controlPlane).toEqual({});
    });
  });
});

describe("Network with a control-plane tier", () => {
  const tiered = planSubnets({ vpcCidr: "10.10.0.0/16", region: "eu-west-1", azCount: 3, prefixLength: { public: 24, private: 20, data: 24, controlPlane: 28 } });
  if (!tiered.fits) throw new Error("test plan must fit");
  const out = synth({ subnets: tiered.subnets }).json;
  const controlPlaneSubnets = Object.entries(out.resource.aws_subnet ?? {}).filter(([address]) => address.startsWith("network_control-plane_"));

  it("adds one subnet per zone at the planned CIDRs, tagged with its name only, mapping no public IPs, and moves no other subnet", () => {
    expect(controlPlaneSubnets.map(([, s]) => [s.availability_zone, s.cidr_block, s.tags, s.map_public_ip_on_launch])).toEqual(
      Object.entries(tiered.subnets.controlPlane!).map(([zone, cidr]) => [zone, cidr, { Name: `test-control-plane-${zone}` }, false]),
    );
    const others = (json: SynthesizedStack) => Object.fromEntries(Object.entries(json.resource.aws_subnet ?? {}).filter(([address]) => !address.startsWith("network_control-plane_")));
    expect(others(out)).toEqual(others(json));
  });

  it("gives it a route table of its own with no route out, outside the S3 endpoint's tables: the cluster's interfaces talk only inside the VPC", () => {
    const tableAddress = Object.entries(out.resource.aws_route_table ?? {}).find(([, t]) => (t.tags as Record<string, string>).Name === "test-control-plane")?.[0];
    expect(tableAddress).toMatch(/^network_routes-control-plane/);
    expect(resourcesOf(out, "aws_route").filter((r) => String(r.route_table_id).includes(`${tableAddress}.`))).toEqual([]);
    const associations = resourcesOf(out, "aws_route_table_association").filter((a) => String(a.route_table_id).includes(`${tableAddress}.`));
    expect(associations.map((a) => a.subnet_id)).toEqual(controlPlaneSubnets.map(([address]) => `\${aws_subnet.${address}.id}`));
    const s3 = resourcesOf(out, "aws_vpc_endpoint").find((e) => e.vpc_endpoint_type === "Gateway");
    expect(s3?.route_table_ids).not.toContain(`\${aws_route_table.${tableAddress}.id}`);
  });

  it("exposes the tier's subnet ids keyed by zone", () => {
    Testing.synthScope((scope) => {
      const network = new Network(scope, "network", { ...props, subnets: tiered.subnets });
      expect(Object.keys(network.subnetIds.controlPlane)).toEqual(["eu-west-1a", "eu-west-1b", "eu-west-1c"]);
    });
  });
});

it("matches its snapshot (three zones, a NAT gateway per zone)", () => {
  expect(JSON.parse(synthScope((scope) => new Network(scope, "network", props)))).toMatchSnapshot();
});
