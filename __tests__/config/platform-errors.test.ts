import { stringify } from "yaml";
import { formatProblem, loadEnvironmentFile } from "../../config";
import { TEST_NOW, validEnvironmentInput } from "../helpers";

/** Problems of an environment file with Karpenter on and this platform section, without the `file:line:` prefix. */
function problems(platform: object, overrides: Record<string, unknown> = {}): string[] {
  const content = validEnvironmentInput({ platform, ...overrides, eks: { ...(validEnvironmentInput().eks as object), karpenter: true, ...((overrides.eks as object) ?? {}) } } as never);
  return loadEnvironmentFile("config/test.yaml", stringify(content), TEST_NOW).problems.map((p) => formatProblem({ ...p, line: undefined, frame: undefined }).replace(/^config\/test\.yaml: /, ""));
}
const pool = (extra: object = {}) => ({ karpenter: { nodePools: { apps: { architectures: ["arm64"], ...extra } } } });

describe("platform config: one message per kind of bad input", () => {
  it("accepts the defaults, and reference design 001's pools: x86 and Graviton families, small sizes, Spot and On-Demand", () => {
    expect(problems({})).toEqual([]);
    expect(problems({ karpenter: { amiAlias: "al2023@v20261012", nodePools: {
      // These x86 families start at large: they have no medium.
      "nodepool-amd64": { architectures: ["amd64"], families: ["c5", "c6a", "c6i", "m6i"], sizes: ["large"], capacityTypes: ["spot", "on-demand"] },
      "nodepool-arm64": { architectures: ["arm64"], families: ["c6g", "c7g", "m6g", "m7g"], sizes: ["medium"], capacityTypes: ["spot", "on-demand"] },
    } } })).toEqual([]);
  });

  it("refuses Karpenter settings while Karpenter is off", () => {
    expect(problems(pool(), { eks: { karpenter: false } })).toEqual([
      "[test] platform.karpenter: configures Karpenter's nodes, but Karpenter is off: set eks.karpenter: true (its role and interruption queue), or remove this section",
    ]);
  });

  it("refuses an AMI alias that is not a pinned Amazon Linux 2023 release, and @latest in production", () => {
    expect(problems({ karpenter: { amiAlias: "al2023@20261012" } })).toEqual([
      '[test] platform.karpenter.amiAlias: must be an Amazon Linux 2023 alias pinned to a release, al2023@v<YYYYMMDD> (or al2023@latest outside production) (got "al2023@20261012")',
    ]);
    expect(problems({ karpenter: { amiAlias: "al2023@latest" } })).toEqual([]);
    expect(problems({ karpenter: { amiAlias: "al2023@latest" } }, { production: true })).toEqual([
      '[test] platform.karpenter.amiAlias: would replace every Karpenter node of production at each AMI release, untested (Karpenter\'s docs advise against it); pin the release tested in the environments before, such as al2023@v20261012 (got "al2023@latest")',
    ]);
  });

  it("refuses a family of the wrong architecture, and an architecture no family gives", () => {
    expect(problems(pool({ families: ["c7g", "m6i"] }))).toEqual([
      '[test] platform.karpenter.nodePools.apps.families: is an amd64 family, but the pool launches arm64 only; move it to a pool of that architecture, or add it to architectures (got "m6i")',
    ]);
    expect(problems(pool({ architectures: ["amd64", "arm64"], families: ["c7g"] }))).toEqual([
      '[test] platform.karpenter.nodePools.apps.architectures: has no family of that architecture in families (c7g), so the pool could never launch it (got "amd64")',
    ]);
  });

  it("refuses requirements Karpenter would refuse: an unknown or restricted key, a bad operator or value count, a key a field sets", () => {
    const req = (key: string, operator: string, values?: string[]) => problems(pool({ requirements: [{ key, operator, ...(values ? { values } : {}) }] }));
    expect(req("karpenter.k8s.aws/instance-famly", "In", ["c7g"])[0]).toMatch(/^\[test\] platform\.karpenter\.nodePools\.apps\.requirements\.0: key karpenter\.k8s\.aws\/instance-famly is not a well-known label Karpenter 1\.14\.1 can launch for; allowed: kubernetes\.io\/arch, /);
    expect(req("kubernetes.io/hostname", "Exists")[0]).toMatch(/key kubernetes\.io\/hostname is restricted: Karpenter sets it itself/);
    expect(req("karpenter.sh/nodepool", "In", ["x"])[0]).toMatch(/key karpenter\.sh\/nodepool is restricted/);
    expect(req("karpenter.k8s.aws/instance-cpu", "Gt", ["4", "8"])[0]).toMatch(/operator Gt takes exactly one non-negative integer value \(got \["4","8"\]\)/);
    expect(req("karpenter.k8s.aws/instance-cpu-manufacturer", "Lt", ["4"])[0]).toMatch(/operator Lt compares integers, but karpenter\.k8s\.aws\/instance-cpu-manufacturer is not an integer label/);
    expect(req("topology.kubernetes.io/zone", "NotIn", [])[0]).toMatch(/operator NotIn needs at least one value/);
    expect(req("karpenter.k8s.aws/instance-local-nvme", "Exists", ["1"])[0]).toMatch(/operator Exists takes no values/);
    expect(req("kubernetes.io/arch", "In", ["amd64"])[0]).toMatch(/key kubernetes\.io\/arch is set by the pool's architectures; set it there/);
    expect(req("karpenter.k8s.aws/instance-cpu", "Lte", ["32"])).toEqual([]);
    expect(problems(pool({ requirements: [{ key: "kubernetes.io/os", operator: "Matches", values: [] }] }))[0]).toMatch(/requirements\.0\.operator: allowed: "In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt", "Gte", "Lte"/);
  });

  it("refuses a disruption budget with a schedule but no duration, and malformed durations and counts", () => {
    expect(problems(pool({ disruption: { budgets: [{ nodes: "0", schedule: "0 9 * * mon-fri" }] } }))).toEqual([
      '[test] platform.karpenter.nodePools.apps.disruption.budgets.0: needs schedule and duration together (a budget with one of them is refused by Karpenter), or neither for a budget that always applies (got {"nodes":"0","schedule":"0 9 * * mon-fri"})',
    ]);
    expect(problems(pool({ disruption: { budgets: [{ nodes: "ten" }] } }))).toEqual(['[test] platform.karpenter.nodePools.apps.disruption.budgets.0.nodes: must be a node count or a percentage, quoted, such as "1" or "10%" (got "ten")']);
    expect(problems(pool({ expireAfter: "30d" }))).toEqual(['[test] platform.karpenter.nodePools.apps.expireAfter: must be a duration such as 30s, 5m or 720h, or Never (got "30d")']);
    expect(problems(pool({ disruption: { budgets: [{ nodes: "1", schedule: "@daily", duration: "90s" }] } }))).toEqual([
      '[test] platform.karpenter.nodePools.apps.disruption.budgets.0.duration: must be a duration of hours and minutes, such as 8h or 1h30m (got "90s")',
    ]);
  });

  it("refuses an empty pool list, a pool without architectures, and a name Kubernetes refuses", () => {
    expect(problems({ karpenter: { nodePools: {} } })).toEqual(["[test] platform.karpenter.nodePools: lists no NodePool: Karpenter would launch nothing; leave the key out for the default pools, or name at least one"]);
    expect(problems(pool({ architectures: [] }))).toEqual(["[test] platform.karpenter.nodePools.apps.architectures: must list at least one of amd64, arm64"]);
    expect(problems({ karpenter: { nodePools: { Apps_1: { architectures: ["arm64"] } } } })).toEqual(['[test] platform.karpenter.nodePools.Apps_1: must be a Kubernetes name such as apps-arm64 (got "Apps_1")']);
  });

  it("points the old karpenterCapacityTypes to where capacity types are set now", () => {
    expect(problems({ karpenterCapacityTypes: ["spot"] })).toEqual([
      "[test] platform.karpenterCapacityTypes: moved: each Karpenter NodePool says which capacity types it launches; set platform.karpenter.nodePools.<name>.capacityTypes (docs/how-to.md, \"Karpenter's nodes\")",
    ]);
  });

  it("refuses a Prometheus replica count out of range", () => {
    expect(problems({ prometheus: { replicas: 0 } })).toEqual(["[test] platform.prometheus.replicas: must be at least 1 (got 0)"]);
  });
});
