import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { Testing } from "cdktf";
import { parse } from "yaml";
import { unknownValueKeys } from "../../modules/helm/value-keys";
import { EXACT_CHART_VERSION } from "../../modules/helm/versions";
import { MANIFESTS_CHART_VERSION, manifestsChartDir } from "../../modules/helm/manifest-release";
import { buildPlatform } from "../../stacks";
import { ROOT, shippedInputs, synthJson } from "../helpers";

// Every helm_release of every shipped environment: pinned exactly, installed atomically, its
// values valid YAML, and every key one the pinned chart has. Helm ignores a misspelt key
// silently, so this test is the only thing that catches one.
const REFERENCE = path.resolve(ROOT, "..", "shared", "reference", "helm-charts");
const hasReference = existsSync(REFERENCE);
const stacks = buildPlatform(Testing.app(), shippedInputs());
const releases = Object.values(stacks.environments)
  .flatMap((layers) => Object.values(layers))
  .flatMap((stack) => Object.entries(synthJson(stack).resource.helm_release ?? {}).map(([name, r]) => ({ stack: stack.node.id, name, r })));
const valuesOf = (r: Record<string, unknown>) => ((r.values as string[] | undefined) ?? []).map((v) => parse(v) as Record<string, unknown>);
const label = ({ stack, name }: { stack: string; name: string }) => `${stack} ${name}`;

describe("every Helm release", () => {
  it("exists: each environment has its add-ons and its app", () => {
    expect(releases.length).toBeGreaterThanOrEqual(20);
  });

  it.each(releases.map((x) => [label(x), x] as const))("%s: exact version, atomic, waited for, cleaned up on failure, bounded history and timeout", (_l, { r }) => {
    expect(String(r.version)).toMatch(EXACT_CHART_VERSION);
    expect(r).toMatchObject({ atomic: true, wait: true, cleanup_on_fail: true, max_history: 5 });
    expect(r.timeout).toBeGreaterThanOrEqual(300);
  });

  it.each(releases.map((x) => [label(x), x] as const))("%s: values are YAML that parses to a map", (_l, { r }) => {
    for (const values of valuesOf(r)) expect(values).toEqual(expect.any(Object));
  });

  (hasReference ? it.each : it.skip.each)(releases.filter((x) => !String(x.r.chart).startsWith("./")).map((x) => [label(x), x] as const))(
    `%s: sets only keys the pinned chart has (${hasReference ? "../shared/reference/helm-charts" : "skipped: ../shared/reference is not beside this clone; CI's helm job checks against the real chart"})`,
    (_l, { r }) => {
      const folder = path.join(REFERENCE, `${String(r.chart)}-${String(r.version)}`);
      expect({ folder, exists: existsSync(folder) }).toEqual({ folder, exists: true });
      const defaults = parse(readFileSync(path.join(folder, "values.yaml"), "utf8")) as Record<string, unknown>;
      const schemaFile = path.join(folder, "values.schema.json");
      const schema = existsSync(schemaFile) ? JSON.parse(readFileSync(schemaFile, "utf8")) : undefined;
      for (const values of valuesOf(r)) expect(unknownValueKeys(values, defaults, schema)).toEqual([]);
    },
  );

  it.each(releases.filter((x) => String(x.r.chart).startsWith("./")).map((x) => [label(x), x] as const))("%s: installs typed objects through the shipped manifests chart", (_l, { r }) => {
    const chart = parse(readFileSync(path.join(manifestsChartDir(), "Chart.yaml"), "utf8")) as { version: string };
    expect(r.version).toBe(chart.version);
    expect(r.version).toBe(MANIFESTS_CHART_VERSION);
    const defaults = parse(readFileSync(path.join(manifestsChartDir(), "values.yaml"), "utf8")) as Record<string, unknown>;
    for (const values of valuesOf(r)) expect(unknownValueKeys(values, defaults)).toEqual([]);
  });
});

describe("the key check", () => {
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
