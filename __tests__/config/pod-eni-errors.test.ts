import { stringify } from "yaml";
import { eksWarnings, formatProblem, loadEnvironmentFile } from "../../config";
import { TEST_NOW, validEnvironment, validEnvironmentInput } from "../helpers";

// Each service's pods get a security group of their own on a branch network interface
// (docs/security-groups-for-pods.md): the nodes that run them must have some. Counts from
// modules/instance-types/pod-eni.ts (upstream's vpclimits table): no t type, no Xen type.

/** Problems of an environment file whose node groups (and, with Karpenter, NodePools) are these, without the `file:line:` prefix. */
function problems(nodeGroups: Record<string, unknown>, platform?: object): string[] {
  const base = validEnvironmentInput(platform ? { platform } : {});
  const eks = { ...(base.eks as object), nodeGroups: { ...(base.eks.nodeGroups as object), ...nodeGroups }, ...(platform ? { karpenter: true } : {}) };
  return loadEnvironmentFile("config/test.yaml", stringify({ ...base, eks }), TEST_NOW).problems.map((p) => formatProblem({ ...p, line: undefined, frame: undefined }).replace(/^config\/test\.yaml: /, ""));
}
const group = (instanceTypes: string[]) => ({ instanceTypes, size: { min: 1, desired: 2, max: 6 } });
const pools = (pool: object) => ({ karpenter: { nodePools: { apps: { architectures: ["arm64"], ...pool } } } });

describe("pod ENIs: the nodes of the services' pods must have branch network interfaces", () => {
  it("accepts trunking-compatible types and families, and any type on a group that runs no service (the system group)", () => {
    expect(problems({ system: group(["t4g.large"]), apps: group(["m7g.xlarge", "c7g.xlarge"]) })).toEqual([]);
    expect(problems({}, pools({ families: ["m7g", "c8g"], sizes: ["medium", "large"] }))).toEqual([]);
    // Categories need no check: Karpenter picks only types with branch interfaces left for such pods.
    expect(problems({}, pools({ categories: ["t"] }))).toEqual([]);
  });

  it("refuses a type without branch interfaces on a group that runs the services' pods", () => {
    expect(problems({ apps: group(["m7g.xlarge", "t4g.xlarge"]) })).toEqual([
      "[test] eks.nodeGroups.apps.instanceTypes.1: has no branch network interfaces (it is not trunking compatible: no t2, t3, t3a or t4g type, and no Xen type, is), but the apps group runs the services' pods, and each service's pods get its security group on a branch interface (docs/security-groups-for-pods.md): they would never start on it; allowed: a Nitro type with branch interfaces, such as m7g.large (9 pods with a group of their own per node), c7i.large (9) or m7g.xlarge (18) (got \"t4g.xlarge\")",
    ]);
  });

  it("refuses a type the table of branch interfaces has no row for", () => {
    expect(problems({ apps: group(["c6gn.metal"]) })).toEqual([
      "[test] eks.nodeGroups.apps.instanceTypes.0: is not in the table of branch interfaces (modules/instance-types/pod-eni.ts, upstream's of 2026-08-06): it is unknown whether its nodes have branch interfaces, which the services' pods need (docs/security-groups-for-pods.md); allowed: a Nitro type with branch interfaces, such as m7g.large (9 pods with a group of their own per node), c7i.large (9) or m7g.xlarge (18) (got \"c6gn.metal\")",
    ]);
  });

  it("refuses a NodePool family of which no size (of the pool's sizes) has branch interfaces", () => {
    expect(problems({}, pools({ families: ["m7g", "t4g"] }))).toEqual([
      "[test] platform.karpenter.nodePools.apps.families.1: has no size with branch network interfaces: Karpenter would launch none of its types for the services' pods, since each service's pods get its security group on a branch interface (docs/security-groups-for-pods.md); allowed: a trunking-compatible family, such as m7g, c7g, r7g, m7i or m8g (no t family) (got \"t4g\")",
    ]);
    // i3 is Xen but for its bare-metal size.
    expect(problems({}, { karpenter: { nodePools: { apps: { architectures: ["amd64"], families: ["i3"], sizes: ["large", "xlarge"] } } } })).toEqual([
      '[test] platform.karpenter.nodePools.apps.families.0: has no size with branch network interfaces in the pool\'s sizes (large, xlarge): Karpenter would launch none of its types for the services\' pods, since each service\'s pods get its security group on a branch interface (docs/security-groups-for-pods.md); allowed: a trunking-compatible family, such as m7g, c7g, r7g, m7i or m8g (no t family) (got "i3")',
    ]);
  });

  it("refuses a NodePool family the table of branch interfaces does not list", () => {
    expect(problems({}, { karpenter: { nodePools: { apps: { architectures: ["amd64"], families: ["trn2"] } } } })).toEqual([
      "[test] platform.karpenter.nodePools.apps.families.0: is not in the table of branch interfaces (modules/instance-types/pod-eni.ts, upstream's of 2026-08-06): it is unknown whether its nodes have branch interfaces, which the services' pods need (docs/security-groups-for-pods.md); allowed: a family the table lists with branch interfaces, such as m7g, c7g, r7g, m7i or m8g (got \"trn2\")",
    ]);
  });
});

describe("eks.nodesReachDataStores, the upgrade's transition", () => {
  it("warns while it is on, and not otherwise", () => {
    const env = validEnvironment();
    expect(eksWarnings(env, TEST_NOW).filter((w) => w.field === "eks.nodesReachDataStores")).toEqual([]);
    expect(eksWarnings({ ...env, eks: { ...env.eks, nodesReachDataStores: true } }, TEST_NOW).filter((w) => w.field === "eks.nodesReachDataStores")).toEqual([
      {
        field: "eks.nodesReachDataStores",
        value: true,
        message:
          'keeps the databases and brokers open to the nodes\' security group, so every pod of the cluster reaches them as before pods had groups of their own: remove it once every service\'s pods have restarted with their SecurityGroupPolicy (docs/security-groups-for-pods.md, "Upgrading a running environment")',
      },
    ]);
  });
});
