import { Testing } from "cdktf";
import { buildPlatform } from "../../stacks";
import { shippedInputs, validEnvironment } from "../helpers";

// One snapshot per distinct shape of stack, so that a reviewer sees every change to the
// Terraform a shape produces as a diff. The shapes are fixtures, not the shipped environments:
// environments of one shape differ only in names, and adding an environment must not need a
// new snapshot. Behaviour is asserted with matchers in the other stack and module tests.
const { backend, project } = shippedInputs();
const account = (id: string) => ({ id, region: "eu-west-1" as const, stateReaderArns: [`arn:aws:iam::${id}:role/platform-plan`], stateWriterArns: [`arn:aws:iam::${id}:role/platform-apply`] });
const small = validEnvironment({ name: "small", account: account("111111111111"), network: { vpcCidr: "10.60.0.0/16", azCount: 2, natMode: "single" } });
const large = validEnvironment({ name: "large", production: true, account: account("333333333333"), network: { vpcCidr: "10.70.0.0/16", azCount: 3, natMode: "per-az" } });
const stacks = buildPlatform(Testing.app(), { environments: [small, large], backend, project });

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

  it("network: three zones, a NAT gateway per zone", () => {
    expect(JSON.parse(Testing.synth(stacks.environments.large!.network!))).toMatchSnapshot();
  });
});
