import { stringify } from "yaml";
import { clusterAutoscalerEnabled, configWarnings, eksWarnings, formatProblem, loadEnvironmentFile, loadProjectSettings } from "../../config";
import { TEST_NOW, validEnvironment, validEnvironmentInput } from "../helpers";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/** Problems of an environment file whose eks section is changed by `edit`. */
function problems(edit: (eks: Record<string, unknown>) => Record<string, unknown>, overrides: Record<string, unknown> = {}, now = TEST_NOW): string[] {
  const base = validEnvironmentInput(overrides) as unknown as { eks: Record<string, unknown> };
  const content = { ...base, eks: edit(JSON.parse(JSON.stringify(base.eks)) as Record<string, unknown>) };
  return loadEnvironmentFile("config/test.yaml", stringify(content), now).problems.map(formatProblem);
}
const groups = (eks: Record<string, unknown>) => eks.nodeGroups as Record<string, Record<string, unknown>>;

describe("EKS config: one message per kind of bad input", () => {
  it("accepts the valid baseline", () => {
    expect(problems((eks) => eks)).toEqual([]);
  });

  it("rejects a node group whose sizes are out of order", () => {
    expect(problems((eks) => ({ ...eks, nodeGroups: { ...groups(eks), apps: { ...groups(eks).apps, size: { min: 3, desired: 2, max: 1 } } } }))).toEqual([
      'config/test.yaml:26: [test] eks.nodeGroups.apps.size: must satisfy min ≤ desired ≤ max (got 3 ≤ 2 ≤ 1) (got {"min":3,"desired":2,"max":1})',
    ]);
  });

  it("rejects a node group without instance types", () => {
    expect(problems((eks) => ({ ...eks, nodeGroups: { ...groups(eks), apps: { ...groups(eks).apps, instanceTypes: [] } } }))).toEqual([
      "config/test.yaml:24: [test] eks.nodeGroups.apps.instanceTypes: must list at least one instance type",
    ]);
  });

  it("rejects Graviton instance types with an x86 AMI, and the reverse", () => {
    expect(problems((eks) => ({ ...eks, nodeGroups: { ...groups(eks), apps: { ...groups(eks).apps, amiType: "AL2023_x86_64_STANDARD" } } }))).toEqual([
      'config/test.yaml:24: [test] eks.nodeGroups.apps.instanceTypes: are Graviton (ARM) types, but amiType is x86; use x86 types such as m7i.large, or amiType AL2023_ARM_64_STANDARD (got ["m7g.xlarge"])',
    ]);
    expect(problems((eks) => ({ ...eks, nodeGroups: { ...groups(eks), apps: { ...groups(eks).apps, instanceTypes: ["m7i.xlarge", "m7g.xlarge"] } } }))).toEqual([
      'config/test.yaml:24: [test] eks.nodeGroups.apps.instanceTypes: are x86 types, but amiType is ARM (Graviton); use Graviton types such as m7g.large, or amiType AL2023_x86_64_STANDARD (got ["m7i.xlarge"])',
    ]);
  });

  it("rejects a Kubernetes version it does not support, listing the ones it does", () => {
    expect(problems((eks) => ({ ...eks, version: "1.29" }))).toEqual(['config/test.yaml:30: [test] eks.version: allowed: "1.34", "1.35", "1.36" (got "1.29")']);
  });

  it("rejects a public endpoint open to 0.0.0.0/0, and a CIDR that is not one", () => {
    expect(problems((eks) => ({ ...eks, publicAccessCidrs: ["0.0.0.0/0"] }))).toEqual([
      'config/test.yaml:30: [test] eks.publicAccessCidrs: would open the Kubernetes API to the whole internet; allowed: the CIDRs of your offices or VPN only (got "0.0.0.0/0")',
    ]);
    expect(problems((eks) => ({ ...eks, publicAccessCidrs: ["office"] }))).toEqual(['config/test.yaml:31: [test] eks.publicAccessCidrs.0: is not an IPv4 CIDR block such as 10.20.0.0/16 (got "office")']);
  });

  it("rejects an admin or viewer that is not an IAM role or user ARN", () => {
    expect(problems((eks) => ({ ...eks, admins: ["platform-admin"] }))).toEqual([
      'config/test.yaml:31: [test] eks.admins.0: must be an IAM role or user ARN such as arn:aws:iam::123456789012:role/platform-admin (got "platform-admin")',
    ]);
  });

  it("rejects a production cluster without deletion protection", () => {
    expect(problems((eks) => ({ ...eks, deletionProtection: false }), { production: true })).toEqual([
      "config/test.yaml:14: [test] eks.deletionProtection: a production cluster must have deletion protection, so one mistaken API call cannot delete it; allowed: true (got false)",
    ]);
  });

  it("rejects a cluster without a system node group", () => {
    expect(problems((eks) => ({ ...eks, nodeGroups: { apps: groups(eks).apps } }))).toEqual([
      'config/test.yaml:15: [test] eks.nodeGroups.system: is required: every cluster has a "system" group for add-ons and an "apps" group for workloads, or, outside production, one "shared" group for both',
    ]);
  });

  it("rejects a system group on Spot, and fewer than 2 system nodes in production", () => {
    expect(problems((eks) => ({ ...eks, nodeGroups: { ...groups(eks), system: { ...groups(eks).system, capacityType: "SPOT" } } }))).toEqual([
      'config/test.yaml:23: [test] eks.nodeGroups.system.capacityType: the system group runs CoreDNS and the controllers and must not be interrupted; allowed: ON_DEMAND (got "SPOT")',
    ]);
    expect(problems((eks) => ({ ...eks, nodeGroups: { shared: { ...groups(eks).apps, capacityType: "SPOT" } } }))).toEqual([
      'config/test.yaml:23: [test] eks.nodeGroups.shared.capacityType: the shared group runs CoreDNS and the controllers and must not be interrupted; allowed: ON_DEMAND (got "SPOT")',
    ]);
    expect(problems((eks) => ({ ...eks, nodeGroups: { ...groups(eks), system: { ...groups(eks).system, size: { min: 1, desired: 1, max: 2 } } } }), { production: true })).toEqual([
      "config/test.yaml:20: [test] eks.nodeGroups.system.size.min: a production cluster needs at least 2 system nodes, so one node failing does not take DNS and the controllers down; allowed: 2 or more (got 1)",
    ]);
  });
});

describe("a small cluster: one shared node group for the add-ons and the services", () => {
  const shared = (eks: Record<string, unknown>) => ({ ...eks, nodeGroups: { shared: { instanceTypes: ["c7i.large"], amiType: "AL2023_x86_64_STANDARD", size: { min: 1, desired: 2, max: 3 } } } });

  it("accepts one shared group outside production, and warns at every synth what it gives up", () => {
    expect(problems(shared)).toEqual([]);
    const { config } = loadEnvironmentFile("config/test.yaml", stringify({ ...validEnvironmentInput(), eks: shared(validEnvironmentInput().eks as Record<string, unknown>) }), TEST_NOW);
    expect(configWarnings([config!], TEST_NOW).map((w) => formatProblem({ ...w, line: undefined }))).toEqual([
      'test.yaml: [test] eks.nodeGroups.shared: runs the add-ons and the services on the same nodes, with no CriticalAddonsOnly taint: the add-ons compete with application pods for CPU and memory, and a noisy application can starve CoreDNS and the controllers (load balancer, External Secrets, the autoscaler); fine for a small cluster outside production, which requires separate "system" and "apps" groups',
    ]);
  });

  it("rejects a shared group in production: a single node group in production", () => {
    expect(problems(shared, { production: true })).toEqual([
      'config/test.yaml:16: [test] eks.nodeGroups.shared: a production cluster keeps CoreDNS and the controllers on their own system group, tainted CriticalAddonsOnly, so that no application can starve them; allowed: a "system" group and an "apps" group instead',
    ]);
  });

  it("rejects a shared group beside the system or apps group it replaces", () => {
    expect(problems((eks) => ({ ...eks, nodeGroups: { ...groups(eks), shared: { ...groups(eks).apps } } }))).toEqual([
      'config/test.yaml:30: [test] eks.nodeGroups.shared: replaces the system and apps groups (one group for the add-ons and the services), so it cannot be given with them; remove it, or remove system and apps (got ["system","apps"])',
    ]);
  });
});

describe("the Cluster Autoscaler", () => {
  // It is a release of <env>-platform: the environments here have a platform section.
  const platform = { platform: {} };

  it("runs exactly when Karpenter is off and there is a platform section, unless config says otherwise", () => {
    const env = (eks: Record<string, unknown>, overrides: Record<string, unknown> = platform) => validEnvironment({ ...overrides, eks: { ...(validEnvironmentInput().eks as object), ...eks } } as never);
    expect([env({}), env({ karpenter: true }), env({ clusterAutoscaler: false }), env({}, {})].map(clusterAutoscalerEnabled)).toEqual([true, false, false, false]);
  });

  it("rejects the Cluster Autoscaler together with Karpenter", () => {
    expect(problems((eks) => ({ ...eks, karpenter: true, clusterAutoscaler: true }), platform)).toEqual([
      "config/test.yaml:32: [test] eks.clusterAutoscaler: cannot run together with Karpenter: both would add nodes for the same pending pods; allowed: false (or leave it out) with eks.karpenter: true, or turn eks.karpenter off (got true)",
    ]);
  });

  it("rejects it without a platform section, whose stack its release is in", () => {
    expect(problems((eks) => ({ ...eks, clusterAutoscaler: true }))).toEqual([
      "config/test.yaml:30: [test] eks.clusterAutoscaler: runs in <env>-platform with the other add-ons, which needs a platform section; add one, or leave eks.clusterAutoscaler out (got true)",
    ]);
  });

  it("rejects a Kubernetes version it has no build pinned for, when switched on; by default it stays off there, and a warning says so", () => {
    expect(problems((eks) => ({ ...eks, version: "1.34", clusterAutoscaler: true }), platform)).toEqual([
      'config/test.yaml:31: [test] eks.version: has no Cluster Autoscaler build pinned, and eks.clusterAutoscaler is true (upstream builds one per Kubernetes minor version); allowed: 1.35, 1.36 (the builds modules/addons/cluster-autoscaler-builds.ts pins), or eks.clusterAutoscaler: false, which leaves the managed groups at the size config gives them (got "1.34")',
    ]);
    expect(problems((eks) => ({ ...eks, version: "1.34" }), platform)).toEqual([]);
    const unbuilt = validEnvironment({ ...platform, eks: { ...(validEnvironmentInput().eks as object), version: "1.34" } } as never);
    expect(clusterAutoscalerEnabled(unbuilt)).toBe(false);
    expect(eksWarnings(unbuilt, new Date("2026-06-01T00:00:00Z")).map((w) => w.message)).toContain(
      "has no Cluster Autoscaler build pinned (1.35, 1.36 do), so with eks.karpenter off nothing adds nodes for pending pods: the managed groups stay at the size config gives them; upgrade Kubernetes, or set eks.clusterAutoscaler: false to say that is meant",
    );
    expect(problems((eks) => ({ ...eks, version: "1.34", karpenter: true }), platform)).toEqual([]);
  });
});

describe("the Kubernetes support window, judged on a date passed in (never the clock)", () => {
  const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
  const on = (version: string, supportType: "STANDARD" | "EXTENDED") => validEnvironment({ eks: { ...(validEnvironmentInput().eks as object), version, supportType } as never });
  const warnings = (version: string, supportType: "STANDARD" | "EXTENDED", iso: string) => eksWarnings(on(version, supportType), day(iso)).map((w) => w.message);

  it("says nothing before the 120 days ahead of the end of standard support", () => {
    expect(warnings("1.36", "STANDARD", "2026-12-01")).toEqual([]);
    expect(warnings("1.36", "STANDARD", "2027-04-03")).toEqual([]);
    expect(problems((eks) => ({ ...eks, version: "1.36" }), {}, day("2027-04-03"))).toEqual([]);
  });

  it("warns inside the window, with the days left and the one version to upgrade to", () => {
    expect(warnings("1.36", "STANDARD", "2027-04-04")).toEqual([
      'leaves EKS standard support on 2027-08-02 (in 120 days), when EKS upgrades the cluster by itself; upgrade to the next version once modules/eks/versions.ts lists it before then, or set eks.supportType: EXTENDED, which costs more',
    ]);
    expect(warnings("1.34", "STANDARD", "2026-11-23")).toEqual([
      'leaves EKS standard support on 2026-12-02 (in 9 days), when EKS upgrades the cluster by itself; upgrade to 1.35 (one minor version at a time: docs/how-to.md, "Upgrade Kubernetes") before then, or set eks.supportType: EXTENDED, which costs more',
    ]);
    // A warning, never an error, while standard support lasts.
    expect(problems((eks) => ({ ...eks, version: "1.34" }), {}, day("2026-12-01"))).toEqual([]);
  });

  it("refuses a version past standard support under supportType STANDARD, from the day it ends", () => {
    expect(problems((eks) => ({ ...eks, version: "1.34" }), {}, day("2026-12-02"))).toEqual([
      'config/test.yaml:30: [test] eks.version: left EKS standard support on 2026-12-02: with eks.supportType STANDARD, EKS upgrades the cluster to the next version by itself, outside any reviewed change; upgrade to 1.35 (one minor version at a time: docs/how-to.md, "Upgrade Kubernetes"), or set eks.supportType: EXTENDED to stay on it for now, billed at the extended-support rate (got "1.34")',
    ]);
    expect(problems((eks) => ({ ...eks, version: "1.35" }), {}, day("2027-06-01"))).toHaveLength(1);
  });

  it("accepts it under EXTENDED, and warns at every synth while it runs on paid extended support", () => {
    expect(problems((eks) => ({ ...eks, version: "1.34", supportType: "EXTENDED" }), {}, day("2026-12-02"))).toEqual([]);
    expect(warnings("1.34", "EXTENDED", "2026-12-02")).toEqual([
      'runs on EKS extended support (since 2026-12-02), billed at a higher rate per cluster-hour, until 2027-12-02 (in 365 days); upgrade to 1.35 (one minor version at a time: docs/how-to.md, "Upgrade Kubernetes")',
    ]);
    expect(warnings("1.35", "EXTENDED", "2027-03-01")).toEqual([
      'leaves EKS standard support on 2027-03-27 (in 26 days); with eks.supportType EXTENDED it then runs on extended support, billed at a higher rate per cluster-hour: upgrade to 1.36 (one minor version at a time: docs/how-to.md, "Upgrade Kubernetes")',
    ]);
    expect(warnings("1.36", "EXTENDED", "2026-12-01")).toEqual([]);
  });

  it("refuses a version past extended support whatever the support type", () => {
    for (const supportType of ["STANDARD", "EXTENDED"]) {
      expect(problems((eks) => ({ ...eks, version: "1.34", supportType }), {}, day("2027-12-02"))).toEqual([
        'config/test.yaml:30: [test] eks.version: left EKS extended support on 2027-12-02: EKS upgrades the cluster to the next version by itself, outside any reviewed change; upgrade to 1.35 (one minor version at a time: docs/how-to.md, "Upgrade Kubernetes") (got "1.34")',
      ]);
    }
  });

  it("is not judged without a date: tools that only read names and protect lists work whatever the day", () => {
    const content = stringify({ ...validEnvironmentInput(), eks: { ...(validEnvironmentInput().eks as object), version: "1.34" } });
    expect(loadEnvironmentFile("config/test.yaml", content).problems).toEqual([]);
    expect(loadEnvironmentFile("config/test.yaml", content, day("2027-12-02")).problems).toHaveLength(1);
  });

  it("prints the warnings with the file, line and environment at synth", () => {
    const content = stringify({ ...validEnvironmentInput(), eks: { ...(validEnvironmentInput().eks as object), version: "1.34", supportType: "EXTENDED" } });
    const { config } = loadEnvironmentFile("config/test.yaml", content, day("2027-01-01"));
    expect(configWarnings([config!], day("2027-01-01")).map((w) => formatProblem({ ...w, line: undefined }))).toEqual([
      'test.yaml: [test] eks.version: runs on EKS extended support (since 2026-12-02), billed at a higher rate per cluster-hour, until 2027-12-02 (in 335 days); upgrade to 1.35 (one minor version at a time: docs/how-to.md, "Upgrade Kubernetes") (got "1.34")',
    ]);
    expect(configWarnings([validEnvironment()], TEST_NOW)).toEqual([]);
  });
});

describe("the GitHub repository CI roles trust", () => {
  it("must be org/repo", () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "cdktf-")), "cdktf.json");
    writeFileSync(file, JSON.stringify({ context: { repository: "r", stateBackendStorage: "local", githubRepository: "github.com/example-org/platform-infra" } }));
    expect(() => loadProjectSettings(file, path.dirname(file))).toThrow(
      'cdktf.json: context.githubRepository: must be a GitHub repository in org/repo form, e.g. "example-org/platform-infra" (got "github.com/example-org/platform-infra")',
    );
  });
});
