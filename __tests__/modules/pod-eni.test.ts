import { EC2_FAMILY_NAMES, EC2_INSTANCE_TYPES } from "../../modules/instance-types/ec2";
import { POD_ENI_UNKNOWN_FAMILIES, podEniCapacity } from "../../modules/instance-types/pod-eni";

// Expected counts are the `BranchInterface` values of aws/karpenter-provider-aws
// pkg/providers/instancetype/zz_generated.vpclimits.go, commit 01a436f0bbbc75a1252aba1a3a48ca115b7e6cc0
// ("generated at 2026-08-06T04:02:42Z"), which are the same as aws/amazon-vpc-resource-controller-k8s
// pkg/aws/vpc/limits.go, commit 02c28c714bc8393f42fc9db2bc264e421c62aba4, for the types both list.
describe("podEniCapacity", () => {
  it.each([
    // Also the EKS user guide's example (sg-pods-example-deployment): "m5.large ... supports nine branch network interfaces".
    ["m5.large", 9],
    ["c5.4xlarge", 54],
    // The count follows the interface count, not the vCPUs: 8xlarge and 12xlarge have more than 16xlarge.
    ["m6i.8xlarge", 84],
    ["m6i.12xlarge", 114],
    ["m6i.16xlarge", 107],
    // Same-generation siblings differ on bare metal.
    ["m5.metal", 120],
    ["m5d.metal", 107],
    ["m7i-flex.large", 3],
    ["m8i.48xlarge", 98],
    ["m7g.medium", 4],
    ["x2gd.medium", 10],
    ["g5.xlarge", 4],
    ["i4i.xlarge", 6],
    ["r7iz.metal-32xl", 107],
  ])("gives %s %i branch interfaces", (instanceType, count) => {
    expect(podEniCapacity(instanceType)).toBe(count);
  });

  // The burstable Nitro families are not trunking compatible ("no instance types in the t family are
  // supported", EKS user guide, Security groups for Pods), nor are Xen types.
  it.each(["t3.medium", "t3a.small", "t4g.large", "t2.micro", "m4.large", "c4.xlarge"])("gives %s none", (instanceType) => {
    expect(podEniCapacity(instanceType)).toBe(0);
  });

  it("tells the one trunking-compatible i3 size, bare metal, from the Xen sizes", () => {
    expect([podEniCapacity("i3.large"), podEniCapacity("i3.16xlarge"), podEniCapacity("i3.metal")]).toEqual([0, 0, 120]);
  });

  it.each([
    ["a misspelt family", "m99.large"],
    ["a size the family lacks", "m5.huge"],
    ["a size the upstream table has no row for", "c6gn.metal"],
    ["a family the upstream table does not list", "trn2.48xlarge"],
    ["a size that family does not have", "p5.xlarge"],
  ])("does not guess for %s (%s)", (_why, instanceType) => {
    expect(podEniCapacity(instanceType)).toBeUndefined();
  });

  it("answers for every sized instance type but the one upstream lacks", () => {
    const unanswered = EC2_INSTANCE_TYPES.map((shape) => shape.name).filter((name) => podEniCapacity(name) === undefined);
    expect(unanswered).toEqual(["c6gn.metal"]);
  });

  it("has a row for every family the instance-type table knows, or says it has none", () => {
    // A size every family listed by name alone has, or is refused for if its row lacks it.
    const rowless = EC2_FAMILY_NAMES.filter((family) => {
      const sized = EC2_INSTANCE_TYPES.find((shape) => shape.family === family);
      return sized === undefined ? ["large", "xlarge", "2xlarge", "4xlarge", "24xlarge", "32xlarge", "48xlarge", "56xlarge", "112xlarge", "224xlarge"].every((size) => podEniCapacity(`${family}.${size}`) === undefined) : false;
    });
    expect(rowless).toEqual([...POD_ENI_UNKNOWN_FAMILIES].sort());
  });
});
