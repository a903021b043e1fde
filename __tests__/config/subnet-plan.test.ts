import { planSubnets, type SubnetPlanInput } from "../../config";

const base: SubnetPlanInput = { vpcCidr: "10.10.0.0/16", region: "eu-west-1", azCount: 2, prefixLength: { public: 24, private: 20, data: 24 } };

function subnets(input: SubnetPlanInput) {
  const plan = planSubnets(input);
  if (!plan.fits) throw new Error("expected the plan to fit");
  return plan.subnets;
}

describe("subnet plan", () => {
  it("lays tiers out private, public, data, each with six zone slots", () => {
    expect(subnets(base)).toEqual({
      private: { "eu-west-1a": "10.10.0.0/20", "eu-west-1b": "10.10.16.0/20" },
      public: { "eu-west-1a": "10.10.96.0/24", "eu-west-1b": "10.10.97.0/24" },
      data: { "eu-west-1a": "10.10.102.0/24", "eu-west-1b": "10.10.103.0/24" },
    });
  });

  it("gives a zone position the same subnets whatever the number of zones its region lists", () => {
    const threeZoneRegion = subnets({ ...base, region: "eu-west-1" });
    const fourZoneRegion = subnets({ ...base, region: "us-west-2" });
    for (const tier of ["public", "private", "data"] as const) expect(Object.values(fourZoneRegion[tier])).toEqual(Object.values(threeZoneRegion[tier]));
  });

  it("never renumbers an existing subnet when a zone is added", () => {
    const two = subnets(base);
    const three = subnets({ ...base, azCount: 3 });
    for (const tier of ["public", "private", "data"] as const) {
      expect(three[tier]).toMatchObject(two[tier]);
      expect(Object.keys(three[tier])).toHaveLength(3);
    }
  });

  it("aligns each tier to its subnet size", () => {
    const plan = subnets({ ...base, vpcCidr: "10.10.0.0/20", prefixLength: { public: 26, private: 24, data: 27 } });
    expect(plan.private["eu-west-1a"]).toBe("10.10.0.0/24");
    expect(plan.public["eu-west-1a"]).toBe("10.10.6.0/26");
    expect(plan.data["eu-west-1a"]).toBe("10.10.7.128/27");
  });

  it("uses the region's own zone names (ap-northeast-1 has no b)", () => {
    expect(Object.keys(subnets({ ...base, region: "ap-northeast-1", azCount: 3 }).private)).toEqual(["ap-northeast-1a", "ap-northeast-1c", "ap-northeast-1d"]);
  });

  it("lays the optional control-plane tier after the other tiers' six slots, moving none of their subnets", () => {
    const without = subnets(base);
    const withTier = subnets({ ...base, prefixLength: { ...base.prefixLength, controlPlane: 28 } });
    expect(withTier).toEqual({ ...without, controlPlane: { "eu-west-1a": "10.10.108.0/28", "eu-west-1b": "10.10.108.16/28" } });
    // Reference design 004's /24s start at the same place: the first address after the data tier's slots.
    expect(subnets({ ...base, prefixLength: { ...base.prefixLength, controlPlane: 24 } }).controlPlane).toEqual({ "eu-west-1a": "10.10.108.0/24", "eu-west-1b": "10.10.109.0/24" });
    expect(without).not.toHaveProperty("controlPlane");
  });

  it("counts the control-plane tier's six slots in what the VPC must hold", () => {
    const tight = { ...base, vpcCidr: "10.10.0.0/20", prefixLength: { public: 26, private: 24, data: 26 } };
    expect(planSubnets(tight).fits).toBe(true);
    // The data tier's six /26 slots run from 10.10.7.128 to 10.10.8.255: six /25s fit after them (10.10.9.0–10.10.11.255).
    expect(planSubnets({ ...tight, prefixLength: { ...tight.prefixLength, controlPlane: 25 } })).toEqual({ fits: true, subnets: expect.objectContaining({ controlPlane: { "eu-west-1a": "10.10.9.0/25", "eu-west-1b": "10.10.9.128/25" } }) });
    // Six /22s, aligned to 10.10.12.0, would run to 10.10.35.255: 3072 + 6 × 1024 addresses.
    expect(planSubnets({ ...tight, prefixLength: { ...tight.prefixLength, controlPlane: 22 } })).toEqual({ fits: false, needed: 3072n + 6n * 1024n, available: 4096n });
  });

  it("reports the addresses needed when the tiers do not fit", () => {
    expect(planSubnets({ ...base, vpcCidr: "10.10.0.0/24" })).toEqual({ fits: false, needed: 27648n, available: 256n });
  });

  it("rejects a subnet larger than the VPC", () => {
    expect(planSubnets({ ...base, vpcCidr: "10.10.0.0/24", prefixLength: { public: 28, private: 20, data: 28 } }).fits).toBe(false);
  });
});
