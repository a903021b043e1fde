import { Testing } from "cdktf";
import { buildPlatform } from "../../stacks";
import { fixtureInputs, validEnvironment, validEnvironmentInput } from "../helpers";

// One snapshot per distinct shape of stack, so that a reviewer sees every change to the
// Terraform a shape produces as a diff. The shapes are fixtures, not the shipped environments:
// environments of one shape differ only in names, and adding an environment must not need a
// new snapshot. Behaviour is asserted with matchers in the other stack and module tests.
const { backend, project } = fixtureInputs();
const account = (id: string) => ({ id, region: "eu-west-1" as const, stateReaderArns: [`arn:aws:iam::${id}:role/platform-plan`], stateWriterArns: [`arn:aws:iam::${id}:role/platform-apply`] });
const small = validEnvironment({
  name: "small",
  account: account("111111111111"),
  network: { vpcCidr: "10.60.0.0/16", azCount: 2, natMode: "single" },
  database: { engine: "postgres", instanceClass: "db.t4g.medium", deletionProtection: false },
  platform: {},
  app: { image: { tag: "1.0.0" }, architectures: ["arm64"], ingress: { host: "small.example.com", certificateArn: "arn:aws:acm:eu-west-1:111111111111:certificate/11111111-2222-3333-4444-555555555555" } },
});
const large = validEnvironment({
  name: "large",
  production: true,
  account: account("333333333333"),
  network: { vpcCidr: "10.70.0.0/16", azCount: 3, natMode: "per-az" },
  database: { engine: "aurora-postgresql", instanceClass: "db.r7g.large", readers: 1 },
  streaming: { brokers: 3, instanceType: "kafka.m7g.large", topics: { orders: { partitions: 12, producers: ["app"], consumers: ["app"] }, users: { cleanupPolicy: "compact", retentionHours: -1, producers: ["app"] } } },
  eks: { ...validEnvironmentInput().eks, karpenter: true },
  dns: { zone: "large.example.com" },
  platform: { karpenter: { nodePools: { "apps-amd64": { architectures: ["amd64"], capacityTypes: ["spot", "on-demand"] }, "apps-arm64": { architectures: ["arm64"], capacityTypes: ["spot", "on-demand"] } } } },
  app: {
    image: { tag: "2.0.0", digest: `sha256:${"b".repeat(64)}` },
    ingress: { host: "api.large.example.com", wafAclArn: "arn:aws:wafv2:eu-west-1:333333333333:regional/webacl/edge/11111111-2222-3333-4444-555555555555" },
    migrations: { command: ["npx", "prisma", "migrate", "deploy"] },
  },
});
// Aurora Serverless v2 is the third database shape: only its database stack is kept.
const serverless = validEnvironment({
  name: "serverless",
  account: account("222222222222"),
  network: { vpcCidr: "10.80.0.0/16", azCount: 2, natMode: "single" },
  database: { engine: "aurora-postgresql", instanceClass: "db.serverless", serverless: { minCapacity: 0, maxCapacity: 4 }, readers: 1 },
});
const stacks = buildPlatform(Testing.app(), { environments: [small, large], backend, project });
const serverlessStacks = buildPlatform(Testing.app(), { environments: [serverless], backend, project });

describe("snapshot per shape", () => {
  it("state backend, with the state roles of two environments", () => {
    expect(JSON.parse(Testing.synth(stacks.stateBackend))).toMatchSnapshot();
  });

  it("network: two zones, one NAT gateway", () => {
    expect(JSON.parse(Testing.synth(stacks.environments.small!.network!))).toMatchSnapshot();
  });

  it("eks: system and apps node groups, private endpoint", () => {
    expect(JSON.parse(Testing.synth(stacks.environments.large!.eks!))).toMatchSnapshot();
  });

  it("iam: workload roles, Karpenter's queue", () => {
    expect(JSON.parse(Testing.synth(stacks.environments.large!.iam!))).toMatchSnapshot();
  });

  it("account: GitHub OIDC provider, CI roles, image registry", () => {
    expect(JSON.parse(Testing.synth(stacks.accounts[0]!))).toMatchSnapshot();
  });

  it("database: RDS PostgreSQL, one zone, no deletion protection", () => {
    expect(JSON.parse(Testing.synth(stacks.environments.small!.database!))).toMatchSnapshot();
  });

  it("database: Aurora PostgreSQL, a writer and a reader", () => {
    expect(JSON.parse(Testing.synth(stacks.environments.large!.database!))).toMatchSnapshot();
  });

  it("database: Aurora Serverless v2", () => {
    expect(JSON.parse(Testing.synth(serverlessStacks.environments.serverless!.database!))).toMatchSnapshot();
  });

  it("dns: the zone it makes", () => {
    expect(JSON.parse(Testing.synth(stacks.environments.large!.dns!))).toMatchSnapshot();
  });

  it("streaming: three brokers over three zones, IAM authentication, its topics", () => {
    expect(JSON.parse(Testing.synth(stacks.environments.large!.streaming!))).toMatchSnapshot();
  });

  it("platform: add-ons with Karpenter and external-dns, typed objects after their CRDs", () => {
    expect(JSON.parse(Testing.synth(stacks.environments.large!.platform!))).toMatchSnapshot();
  });

  it("platform: add-ons without Karpenter", () => {
    expect(JSON.parse(Testing.synth(stacks.environments.small!.platform!))).toMatchSnapshot();
  });

  it("app: the shipped chart, with database and Kafka settings, migrations, a certificate of its zone and a WAF made elsewhere", () => {
    expect(JSON.parse(Testing.synth(stacks.environments.large!.app!))).toMatchSnapshot();
  });

  it("app: without Kafka, its own certificate, the default web ACL", () => {
    expect(JSON.parse(Testing.synth(stacks.environments.small!.app!))).toMatchSnapshot();
  });

  it("network: three zones, a NAT gateway per zone", () => {
    expect(JSON.parse(Testing.synth(stacks.environments.large!.network!))).toMatchSnapshot();
  });
});
