/* eslint-disable @typescript-eslint/no-explicit-any -- values are plain JSON here */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse } from "yaml";
import { unknownValueKeys } from "../../modules/helm/value-keys";
import { EXACT_CHART_VERSION } from "../../modules/helm/versions";
import { MANIFESTS_CHART_VERSION, manifestsChartDir } from "../../modules/helm/manifest-release";
import { checkReleases, releasesIn, type SynthesizedRelease, upstreamReleases } from "../../scripts/chart-values";
import { clusterAutoscalerEnabled, clusterName, hasSharedNodeGroup } from "../../config";
import { ON_SHARED_NODES, ON_SYSTEM_NODES } from "../../modules/addons/addon";
import { CLUSTER_AUTOSCALER_CHART, CLUSTER_AUTOSCALER_IMAGE_TAGS, CLUSTER_AUTOSCALER_SERVICE_ACCOUNT } from "../../modules/addons/cluster-autoscaler";
import { autoDiscoveryTags } from "../../modules/iam/policies/cluster-autoscaler";
import { fixtureInputs, fixtureSynth, ROOT } from "../helpers";

// Every helm_release of every environment of the fixture project: pinned exactly, installed atomically, its
// values valid YAML, and every key one the pinned chart has. Helm ignores a misspelt key
// silently, so this test is the only thing that catches one.
const REFERENCE = path.resolve(ROOT, "..", "shared", "reference", "helm-charts");
const hasReference = existsSync(REFERENCE);
// The fixture project as the global setup synthesized it, read as CI's chart job reads it.
const out = fixtureSynth.dir;
const all = releasesIn(out);
const label = (r: SynthesizedRelease) => `${r.stack} ${r.name}`;
const raw = (r: SynthesizedRelease) => (JSON.parse(readFileSync(path.join(out, "stacks", r.stack, "cdk.tf.json"), "utf8")) as { resource: { helm_release: Record<string, Record<string, unknown>> } }).resource.helm_release[r.name]!;

describe("every Helm release", () => {
  it("exists: the fixture project synthesizes, and each environment has its add-ons and its app", () => {
    expect(all.length).toBeGreaterThanOrEqual(20);
  });

  it.each(all.map((r) => [label(r), r] as const))("%s: exact version, atomic, waited for, cleaned up on failure, bounded history and timeout", (_l, r) => {
    expect(r.version).toMatch(EXACT_CHART_VERSION);
    expect(raw(r)).toMatchObject({ atomic: true, wait: true, cleanup_on_fail: true, max_history: 5 });
    expect(raw(r).timeout).toBeGreaterThanOrEqual(300);
  });

  it.each(all.map((r) => [label(r), r] as const))("%s: values, where it sets any, are YAML that parses to a map", (_l, r) => {
    for (const values of r.values) expect(values).toEqual(expect.any(Object));
  });

  (hasReference ? it.each : it.skip.each)(upstreamReleases(all).map((r) => [label(r), r] as const))(
    `%s: sets only keys the pinned chart has (${hasReference ? "../shared/reference/helm-charts" : "skipped: ../shared/reference is not beside this clone; CI's charts job checks against the real chart"})`,
    (_l, r) => {
      expect(checkReleases([r], REFERENCE)).toEqual([]);
    },
  );

  it.each(all.filter((r) => !r.repository).map((r) => [label(r), r] as const))("%s: installs typed objects through the shipped manifests chart", (_l, r) => {
    const chart = parse(readFileSync(path.join(manifestsChartDir(), "Chart.yaml"), "utf8")) as { version: string };
    expect(r.version).toBe(chart.version);
    expect(r.version).toBe(MANIFESTS_CHART_VERSION);
    const defaults = parse(readFileSync(path.join(manifestsChartDir(), "values.yaml"), "utf8")) as Record<string, unknown>;
    for (const values of r.values) expect(unknownValueKeys(values, defaults)).toEqual([]);
  });
});

describe("the Cluster Autoscaler's release", () => {
  const environments = fixtureInputs().environments;
  const ofEnv = (name: string) => all.find((r) => r.stack === `${name}-platform` && r.chart === CLUSTER_AUTOSCALER_CHART.chart);

  it("runs exactly in the environments without Karpenter (the fixture has one)", () => {
    expect(environments.filter((e) => ofEnv(e.name)).map((e) => e.name)).toEqual(environments.filter((e) => !e.eks.karpenter).map((e) => e.name));
    expect(environments.some((e) => !e.eks.karpenter)).toBe(true);
  });

  it.each(environments.filter(clusterAutoscalerEnabled).map((e) => [e.name, e] as const))(
    "%s: the build of its Kubernetes version, auto-discovery by its cluster's tags, its own role, on the add-ons' nodes",
    (_name, env) => {
      const release = ofEnv(env.name)!;
      expect(release).toMatchObject({ repository: CLUSTER_AUTOSCALER_CHART.repository, version: CLUSTER_AUTOSCALER_CHART.version });
      expect(raw(release)).toMatchObject({ namespace: "kube-system" });
      const values = release.values[0] as Record<string, any>;
      expect(values.image).toEqual({ tag: CLUSTER_AUTOSCALER_IMAGE_TAGS[env.eks.version] });
      expect(values).toMatchObject({ cloudProvider: "aws", awsRegion: env.account.region, autoDiscovery: { clusterName: clusterName(env), tags: autoDiscoveryTags(clusterName(env)) } });
      expect(values.rbac.serviceAccount).toEqual({ create: true, name: CLUSTER_AUTOSCALER_SERVICE_ACCOUNT, annotations: env.eks.workloadIdentity === "irsa" ? { "eks.amazonaws.com/role-arn": "${data.terraform_remote_state.iam.outputs.cluster_autoscaler_role_arn}" } : {} });
      expect(values.nodeSelector).toEqual((hasSharedNodeGroup(env) ? ON_SHARED_NODES : ON_SYSTEM_NODES).nodeSelector);
      expect(values.extraArgs).toMatchObject({ expander: "least-waste", "balance-similar-node-groups": true, "skip-nodes-with-local-storage": false });
    },
  );
});

describe("the key check", () => {
  it("reports a release whose value the chart does not have, naming stack, release and key", () => {
    const bad: SynthesizedRelease = { stack: "dev-platform", name: "metrics-server_release", chart: "metrics-server", repository: "https://example.com", version: "3.13.1", values: [{ replicaz: 2 }] };
    const dir = mkdtempSync(path.join(tmpdir(), "charts-"));
    mkdirSync(path.join(dir, "metrics-server-3.13.1"));
    writeFileSync(path.join(dir, "metrics-server-3.13.1", "values.yaml"), "replicas: 1\n");
    expect(checkReleases([bad], dir)).toEqual(["dev-platform metrics-server_release: replicaz is not a value of metrics-server 3.13.1"]);
    expect(checkReleases([{ ...bad, version: "9.9.9" }], dir)).toEqual([`dev-platform metrics-server_release: no values.yaml for metrics-server 9.9.9 in ${dir}`]);
  });

  it("says a missing folder is missing, rather than reporting an unknown key per release", () => {
    expect(() => checkReleases(all, path.join(tmpdir(), "no-such-charts-folder"))).toThrow(
      `${path.join(tmpdir(), "no-such-charts-folder")}: no such folder; pass the folder holding <chart>-<version>/values.yaml for each pinned chart (CI fills it with helm pull)`,
    );
  });

  const defaults = { replicaCount: 2, serviceAccount: { create: true, annotations: {}, name: null }, podDisruptionBudget: {}, tolerations: [] };

  it("finds a key the chart does not have, however deep, and names its path", () => {
    expect(unknownValueKeys({ replicaCont: 2, serviceAccount: { anotations: {} } }, defaults)).toEqual(["replicaCont", "serviceAccount.anotations"]);
  });

  it("accepts anything below a map the chart leaves empty, and a list as one value", () => {
    expect(unknownValueKeys({ serviceAccount: { annotations: { "eks.amazonaws.com/role-arn": "x" }, name: "sa" }, podDisruptionBudget: { maxUnavailable: 1 }, tolerations: [{ key: "k" }] }, defaults)).toEqual([]);
  });

  it("reads the chart's JSON schema where it has one", () => {
    const schema = { type: "object", properties: { webhook: { type: "object", properties: { port: { type: "integer" } }, additionalProperties: false } }, additionalProperties: false };
    expect(unknownValueKeys({ webhook: { port: 1 } }, {}, schema)).toEqual([]);
    expect(unknownValueKeys({ webhook: { prot: 1 }, extra: 1 }, {}, schema)).toEqual(["webhook.prot", "extra"]);
  });
});
