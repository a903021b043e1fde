import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { loadEnvironments } from "../../config";
import { checkClusters, type ClusterToCheck } from "../../k8s/validation/check";
import { crossCheck } from "../../k8s/validation/cross-checks";
import { loadCrds, loadIngressAnnotations, openapiFile, referenceAnnotationsFile, referenceFolder } from "../../k8s/validation/schema-sources";
import { LOAD_BALANCER_CONTROLLER_VERSION } from "../../modules/addons/load-balancer-controller";
import { type PolicyReport } from "../../policy";
import { exampleNames, examplesSynth, exampleSynthResult, ROOT, TEST_NOW } from "../helpers";

// Every folder of examples/ is a reference design as a complete config folder (examples/README.md).
// The folders are listed here, not named, so that a new one cannot be left out: each must have
// a config/ folder and a README, synthesize (the global setup did, once, as `npm run synth --
// --config-dir examples/<name>/config` does), pass the policy pack with no error, and have
// Kubernetes objects that pass the strict schema checks and agree with each other, cluster by
// cluster (a shared cluster's host and tenants together).
const REFERENCE = referenceFolder(ROOT);
const annotations = REFERENCE ? loadIngressAnnotations(referenceAnnotationsFile(REFERENCE, LOAD_BALANCER_CONTROLLER_VERSION)) : undefined;
const crds = REFERENCE ? loadCrds([path.join(REFERENCE, "crds")]) : new Map();
const notStrictly = "../shared/reference is not beside this clone; CI's charts job checks them (npm run kube-check)";

/** Each example as the global setup synthesized it, with its clusters named `<example>/<cluster>` in messages. */
const examples = exampleNames().map((name) => {
  const configDir = path.join(ROOT, "examples", name, "config");
  const result = exampleSynthResult(name);
  const synth = examplesSynth(name);
  const clusters = result?.code === 0 ? synth.clusters(loadEnvironments({ configDir, now: TEST_NOW })).map((c) => ({ ...c, cluster: { ...c.cluster, environment: `${name}/${c.cluster.environment}` } })) : [];
  return { name, configDir, result, synth, clusters };
});
// A Kubernetes version the reference has no OpenAPI of is checked against its objects only, and says so.
const strictly = (c: ClusterToCheck) => REFERENCE !== undefined && openapiFile(path.join(REFERENCE, "openapi"), c.kubernetesVersion) !== undefined;
// Every example's clusters in one run: one validator per Kubernetes version, each kind's schema compiled once.
const strictClusters = examples.flatMap((e) => e.clusters.filter(strictly));
const strict = strictClusters.length ? checkClusters(strictClusters, { openapiDir: path.join(REFERENCE!, "openapi"), crds, crossCheck: { ingressAnnotations: annotations } }) : undefined;

describe.each(examples.map((e) => [e.name, e] as const))("examples/%s", (name, { configDir, result, synth, clusters }) => {
  const folder = path.join(ROOT, "examples", name);

  it("is a config folder of environment files, with a README saying what it models and how it differs from its reference design", () => {
    expect({ config: existsSync(configDir) && readdirSync(configDir).some((f) => /\.ya?ml$/.test(f)), readme: existsSync(path.join(folder, "README.md")) }).toEqual({ config: true, readme: true });
    const readme = readFileSync(path.join(folder, "README.md"), "utf8");
    expect(readme).toContain(`npm run synth -- --config-dir examples/${name}/config`);
    expect(readme).toMatch(/reference designs? 00\d/i);
  });

  it("synthesizes", () => {
    // Its exit code and output, so that a failure shows the synth's own messages.
    expect(result ?? { code: "not synthesized: the global setup synthesizes examples/<name>/config" }).toMatchObject({ code: 0 });
  });

  const synthesized = result?.code === 0;
  (synthesized ? it : it.skip)("passes the policy pack with no error", () => {
    const report = JSON.parse(readFileSync(path.join(synth.dir, "policy-report.json"), "utf8")) as PolicyReport;
    expect(report).toMatchObject({ status: "passed", counts: { errors: 0 } });
  });

  const loose = clusters.filter((c) => !strictly(c));
  const why = REFERENCE ? "no OpenAPI of their Kubernetes version in ../shared/reference" : notStrictly;
  (synthesized ? it : it.skip)(
    `has Kubernetes objects valid ${REFERENCE ? "strictly, against their cluster's OpenAPI and the pinned CRDs (CEL rules included), and " : ""}against each other${loose.length ? ` (${loose.map((c) => c.cluster.environment).join(", ")} not strictly: ${why})` : ""}`,
    () => {
      expect(clusters.length).toBeGreaterThan(0);
      expect(clusters.filter((c) => c.cluster.objects.length === 0).map((c) => c.cluster.environment)).toEqual([]);
      expect((strict?.problems ?? []).filter((p) => p.startsWith(`${name}/`))).toEqual([]);
      for (const { cluster } of loose) expect({ cluster: cluster.environment, problems: crossCheck(cluster, { ingressAnnotations: annotations }) }).toEqual({ cluster: cluster.environment, problems: [] });
    },
  );
});

describe("the examples", () => {
  it("are every folder of examples/, each listed in examples/README.md", () => {
    const index = readFileSync(path.join(ROOT, "examples", "README.md"), "utf8");
    expect(exampleNames().filter((name) => !index.includes(`](${name}/)`))).toEqual([]);
    expect(exampleNames()).toEqual(expect.arrayContaining(["microservices", "shared-cluster", "small-cluster"]));
  });
});
