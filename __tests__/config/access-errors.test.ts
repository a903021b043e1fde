import { stringify } from "yaml";
import { formatProblem, loadEnvironmentFile, reachesCluster } from "../../config";
import { LAYER_REGISTRY, layersOf } from "../../stacks";
import { CLUSTER_LAYERS } from "../../config/naming";
import { TEST_CONNECTION_ARN, TEST_NOW, validEnvironment, validEnvironmentInput } from "../helpers";

// The paths to the cluster API: CI's runner, the access host and extra API sources. One message
// per impossible combination, each naming the field, the value and what is allowed.

const PRIVATE_EKS = validEnvironmentInput().eks;
function problems(sections: Record<string, unknown>): string[] {
  const content = validEnvironmentInput({ platform: {}, ...sections } as never);
  return loadEnvironmentFile("config/test.yaml", stringify(content), TEST_NOW).problems.map((p) => formatProblem({ ...p, line: undefined, frame: undefined }).replace(/^config\/test\.yaml: /, ""));
}

describe("ci.runner", () => {
  it("accepts a codebuild runner with its connection, and hosted runners for a public endpoint", () => {
    expect(problems({})).toEqual([]);
    expect(problems({ ci: { runner: "hosted" }, eks: { ...PRIVATE_EKS, publicAccessCidrs: ["203.0.113.0/24"] } })).toEqual([]);
    // Nothing reaches the cluster: no runner is needed, so neither choice is judged.
    expect(problems({ platform: undefined, ci: { runner: "hosted" } })).toEqual([]);
  });

  it("refuses hosted runners for a private-only endpoint: CI could never reach it", () => {
    expect(problems({ ci: { runner: "hosted" } })).toEqual([
      '[test] ci.runner: GitHub\'s hosted runners are on the internet and cannot reach this cluster\'s private-only API endpoint, so CI could never plan or apply the platform and app stacks; use runner: codebuild (an in-VPC runner), or open the public endpoint to CI\'s ranges in eks.publicAccessCidrs (got "hosted")',
    ]);
  });

  it("requires the connection of a codebuild runner", () => {
    expect(problems({ ci: { runner: "codebuild" } })).toEqual([
      '[test] ci.connectionArn: is required with runner: codebuild: the runner\'s webhook and jobs reach GitHub through a CodeConnections connection an operator makes once (docs/first-deployment.md, "The runner\'s connection"); write its ARN here',
    ]);
  });

  it("refuses a connection of another account, and accepts one of another region (CodeBuild uses those)", () => {
    const other = TEST_CONNECTION_ARN.replace("123456789012", "210987654321");
    expect(problems({ ci: { runner: "codebuild", connectionArn: other } })).toEqual([
      `[test] ci.connectionArn: is in account 210987654321, but the runner is made in 123456789012: CodeBuild uses connections of its own account only; make the connection there (got "${other}")`,
    ]);
    expect(problems({ ci: { runner: "codebuild", connectionArn: TEST_CONNECTION_ARN.replace("eu-west-1", "eu-central-1") } })).toEqual([]);
  });

  it("refuses a connection ARN of another service", () => {
    expect(problems({ ci: { runner: "codebuild", connectionArn: "arn:aws:iam::123456789012:role/github" } })[0]).toContain(
      "ci.connectionArn: must be the ARN of an AWS CodeConnections connection to GitHub",
    );
  });
});

describe("eks.apiAccess", () => {
  const eks = (apiAccess: unknown[]) => ({ eks: { ...PRIVATE_EKS, apiAccess } });

  it("accepts private ranges and security groups", () => {
    expect(problems(eks([{ cidr: "10.200.0.0/16", description: "VPN" }, { securityGroupId: "sg-0123456789abcdef0", description: "tools" }]))).toEqual([]);
  });

  it("refuses a public range, 0.0.0.0/0 included: a private endpoint is never reached from the internet", () => {
    const message = (cidr: string) =>
      `[test] eks.apiAccess.0.cidr: is not a private (RFC 1918) range: the private endpoint is reached from inside the VPC and what is routed to it, never from the internet; for a public address use eks.publicAccessCidrs (the public endpoint), or give the VPN's private range (got "${cidr}")`;
    expect(problems(eks([{ cidr: "0.0.0.0/0", description: "everyone" }]))).toEqual([message("0.0.0.0/0")]);
    expect(problems(eks([{ cidr: "203.0.113.0/24", description: "office" }]))).toEqual([message("203.0.113.0/24")]);
  });

  it("needs exactly one source per entry", () => {
    const message = '[test] eks.apiAccess.0: needs exactly one of cidr or securityGroupId: one source per entry (got "both")';
    expect(problems(eks([{ cidr: "10.1.0.0/16", securityGroupId: "sg-0123456789abcdef0", description: "both" }]))).toEqual([message]);
    expect(problems(eks([{ description: "both" }]))).toEqual([message]);
  });

  it("refuses a malformed source", () => {
    const found = problems(eks([{ cidr: "10.1.0.1/16", description: "typo" }, { securityGroupId: "vpc-123", description: "wrong id" }]));
    expect(found).toEqual([expect.stringContaining("eks.apiAccess.0.cidr: has host bits set"), expect.stringContaining("eks.apiAccess.1.securityGroupId: must be a security group id")]);
  });
});

describe("the layers that reach the cluster", () => {
  it("are the same in config's check and in the registry: platform and app", () => {
    const full = validEnvironment({ platform: {}, app: { image: { tag: "1" }, architectures: ["arm64"], ingress: { host: "a.example.com", certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-0000-4000-8000-000000000001" } } } as never);
    expect(layersOf(full).filter((e) => CLUSTER_LAYERS.includes(e.layer)).map((e) => e.layer)).toEqual(["platform", "app"]);
    expect(CLUSTER_LAYERS.every((layer) => LAYER_REGISTRY.some((e) => e.layer === layer))).toBe(true);
    expect(reachesCluster(full)).toBe(true);
    expect(reachesCluster(validEnvironment())).toBe(false);
  });
});
