import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadEnvironments } from "../config";
import { checkClusters, type ClusterToCheck } from "../k8s/validation/check";
import { type StackJson } from "../k8s/validation/cluster-objects";
import { crossCheck } from "../k8s/validation/cross-checks";
import { loadCrds, loadIngressAnnotations, openapiFile, referenceAnnotationsFile, referenceFolder } from "../k8s/validation/schema-sources";
import { run } from "../main";
import { LOAD_BALANCER_CONTROLLER_VERSION } from "../modules/addons/load-balancer-controller";
import { type PolicyReport } from "../policy";
import { loadSynthContext } from "../review/context";
import { clustersToCheck } from "../scripts/cluster-stacks";
import { comparePins } from "../scripts/pins-check";
import { pinsOfSynth, projectInputs, readPins } from "../scripts/pins";
import { ROOT, TEST_NOW } from "./helpers";

// The user's own project, whatever it holds: the environments in config/, with the project's
// backend.config and cdktf.json. Every other test runs on __tests__/fixtures/project or on the
// examples (examples.test.ts checks each the same way), so these are the only tests that read
// what a company changes when it adopts the project, and they assert nothing about the values:
// any valid config passes. It is synthesized once, as `npm run synth` does it, and the checks
// read what it wrote.

/** The folders of environment files: config/. */
function configFolders(): string[] {
  return [path.join(ROOT, "config")];
}

/** Synthesizes a config folder of the project into a fresh folder, capturing what the app prints. */
function synthesize(configDir: string): { outdir: string; code: number; errors: string } {
  const outdir = mkdtempSync(path.join(tmpdir(), "user-config-"));
  const errors: string[] = [];
  // Its warnings and summary are the synth's to print (npm run synth shows them); here they are noise.
  const quiet = [jest.spyOn(console, "log").mockImplementation(() => {}), jest.spyOn(console, "warn").mockImplementation(() => {})];
  const error = jest.spyOn(console, "error").mockImplementation((...parts: unknown[]) => void errors.push(parts.join(" ")));
  try {
    return { outdir, code: run(["--config-dir", configDir], { CDKTF_OUTDIR: outdir }, ROOT, TEST_NOW), errors: errors.join("\n") };
  } finally {
    for (const spy of [...quiet, error]) spy.mockRestore();
  }
}

/** Each environment's Kubernetes objects, from the stacks a synth wrote (as `npm run kube-check` reads them). */
function clustersIn(outdir: string, configDir: string): ClusterToCheck[] {
  const { order } = loadSynthContext(path.join(outdir, "manifest.json"));
  return clustersToCheck(loadEnvironments({ configDir, now: TEST_NOW }), order, (s) => JSON.parse(readFileSync(path.join(outdir, "stacks", s, "cdk.tf.json"), "utf8")) as StackJson);
}

const REFERENCE = referenceFolder(ROOT);
const annotations = REFERENCE ? loadIngressAnnotations(referenceAnnotationsFile(REFERENCE, LOAD_BALANCER_CONTROLLER_VERSION)) : undefined;
const crds = REFERENCE ? loadCrds([path.join(REFERENCE, "crds")]) : new Map();

// Synthesized once; pins/ is config/'s.
// The global setup synthesized config/ already (with --quiet, as the synth runs in CI); alone, this file synthesizes it itself.
const fromSetup = (dir: string) => {
  const outdir = process.env.USER_CONFIG_SYNTH;
  if (dir !== path.join(ROOT, "config") || !outdir || !existsSync(path.join(outdir, "synth-result.json"))) return undefined;
  const result = JSON.parse(readFileSync(path.join(outdir, "synth-result.json"), "utf8")) as { code: number; errors?: string };
  return { outdir, code: result.code, errors: result.errors ?? "" };
};
const syntheses = new Map(configFolders().map((dir) => [dir, fromSetup(dir) ?? synthesize(dir)] as const));
const userSynth = syntheses.get(path.join(ROOT, "config"))!;

describe.each(configFolders().map((dir) => [path.relative(ROOT, dir), dir] as const))("your config, whatever it holds (%s, backend.config, cdktf.json)", (_name, configDir) => {
  const synth = syntheses.get(configDir)!;

  it("synthesizes, and passes the policy pack with no unsuppressed error", () => {
    expect({ code: synth.code, errors: synth.errors }).toEqual({ code: 0, errors: "" });
    const report = JSON.parse(readFileSync(path.join(synth.outdir, "policy-report.json"), "utf8")) as PolicyReport;
    expect(report).toMatchObject({ status: "passed", counts: { errors: 0 } });
  });

  const clusters = synth.code === 0 ? clustersIn(synth.outdir, configDir) : [];
  // A Kubernetes version the reference has no OpenAPI of is checked against its objects only.
  const strict = REFERENCE ? clusters.filter((c) => openapiFile(path.join(REFERENCE, "openapi"), c.kubernetesVersion)) : [];
  const loose = clusters.filter((c) => !strict.includes(c));
  const why = REFERENCE ? "no OpenAPI of their Kubernetes version in ../shared/reference" : "../shared/reference is not beside this clone; CI's charts job checks them (npm run kube-check)";

  const objects = clusters.reduce((n, c) => n + c.cluster.objects.length, 0);
  const how = `${strict.length ? "strictly, against their cluster's OpenAPI and the pinned CRDs (CEL rules included), and " : ""}against each other`;
  (synth.code === 0 ? it : it.skip)(`has valid Kubernetes objects: ${how}${loose.length ? ` (${loose.map((c) => c.cluster.environment).join(", ")} not strictly: ${why})` : ""}`, () => {
    expect(objects).toBeGreaterThan(0);
    if (strict.length) expect(checkClusters(strict, { openapiDir: path.join(REFERENCE!, "openapi"), crds, crossCheck: { ingressAnnotations: annotations } }).problems).toEqual([]);
    for (const { cluster } of loose) expect({ environment: cluster.environment, problems: crossCheck(cluster, { ingressAnnotations: annotations }) }).toEqual({ environment: cluster.environment, problems: [] });
  });
});

describe("your pins (pins/) against your config (config/)", () => {
  // From the synth above (the same as computePins, tested in pins.test.ts), not a second build.
  const { problems, notes } = comparePins(readPins(ROOT), pinsOfSynth(userSynth.outdir, projectInputs(ROOT)));

  it("hold wherever an environment is deployed where they were recorded: no stateful address, subnet CIDR or stack changed", () => {
    // Said, not failed: an environment never deployed, or pinned for another account or region
    // (a project just adopted), has nothing to keep, so the advice is to record it.
    if (notes.length) console.warn(`pins: not compared (run \`npm run pins\` to record them):\n${notes.map((n) => `  ${n}`).join("\n")}`);
    expect(problems).toEqual([]);
  });
});
