import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { loadEnvironments } from "../config/load";
import { checkClusters, type ClusterToCheck } from "../k8s/validation/check";
import { type StackJson } from "../k8s/validation/cluster-objects";
import { loadCrds, loadIngressAnnotations, referenceAnnotationsFile, referenceFolder } from "../k8s/validation/schema-sources";
import { LOAD_BALANCER_CONTROLLER_VERSION } from "../modules/addons/load-balancer-controller";
import { SECURITY_GROUP_POLICY_CRD } from "../k8s/crds/vpc-resources";
import { KUBERNETES_VERSIONS } from "../modules/eks/versions";
import { loadSynthContext } from "../review/context";
import { clustersToCheck } from "./cluster-stacks";
import { runCli } from "./review-cli";

const USAGE = `Usage: npm run -s kube-check -- (--reference DIR | --crds DIR... --openapi DIR [--annotations FILE] | --print-sources) [--out cdktf.out] [--config-dir config]

Validates every Kubernetes object the synthesized stacks install (run npm run synth first), as
\`kubeconform -strict\` does: against the OpenAPI of each environment's Kubernetes version and the
CRDs of the pinned charts, unknown fields being errors, CRD CEL rules included; then checks the
objects against each other (selectors, ports, stores, node classes, namespaces, quotas, Ingress
annotations). Exit 1 on a problem, 2 when a schema is missing.

  --reference DIR    a folder laid out as ../shared/reference (openapi/, crds/, docs/)
  --crds DIR         a folder of YAML holding CustomResourceDefinitions (repeatable); CI's charts
                     job fills it with \`helm template --include-crds\` of each pulled chart
  --openapi DIR      a folder of kubernetes-<x.y.z>/swagger.json
  --annotations FILE the AWS Load Balancer Controller's annotations.md of the pinned release
  --print-sources    where CI downloads what the charts do not bring: one line per Kubernetes
                     version of the config, "openapi <release> <url>", "annotations <version> <url>",
                     and "crd <name> <url>" for each CRD that EKS installs rather than a chart`;

/** Where Kubernetes' own OpenAPI of a release is (kubernetes/kubernetes, api/openapi-spec). */
const openapiUrl = (release: string) => `https://raw.githubusercontent.com/kubernetes/kubernetes/v${release}/api/openapi-spec/swagger.json`;
const ANNOTATIONS_URL = `https://raw.githubusercontent.com/kubernetes-sigs/aws-load-balancer-controller/${LOAD_BALANCER_CONTROLLER_VERSION}/docs/guide/ingress/annotations.md`;

runCli(USAGE, () => {
  const { values } = parseArgs({
    options: {
      reference: { type: "string" },
      crds: { type: "string", multiple: true, default: [] },
      openapi: { type: "string" },
      annotations: { type: "string" },
      out: { type: "string", default: "cdktf.out" },
      "config-dir": { type: "string", default: "config" },
      "print-sources": { type: "boolean" },
    },
  });
  if (values["print-sources"]) {
    const releases = [...new Set(loadEnvironments({ configDir: path.resolve(values["config-dir"] as string) }).map((env) => KUBERNETES_VERSIONS[env.eks.version].apiRelease))].sort();
    console.log([...releases.map((r) => `openapi ${r} ${openapiUrl(r)}`), `annotations ${LOAD_BALANCER_CONTROLLER_VERSION} ${ANNOTATIONS_URL}`, `crd ${SECURITY_GROUP_POLICY_CRD.name} ${SECURITY_GROUP_POLICY_CRD.url}`].join("\n"));
    return 0;
  }
  const reference = values.reference ?? (values.openapi ? undefined : referenceFolder(process.cwd()));
  const crdDirs = reference ? [path.join(reference, "crds")] : (values.crds as string[]);
  const openapiDir = reference ? path.join(reference, "openapi") : values.openapi;
  const annotations = reference ? referenceAnnotationsFile(reference, LOAD_BALANCER_CONTROLLER_VERSION) : values.annotations;
  if (!openapiDir || crdDirs.length === 0) throw new Error("give --reference DIR, or --crds DIR and --openapi DIR (no ../shared/reference is beside this clone)");
  for (const dir of [openapiDir, ...crdDirs, ...(annotations ? [annotations] : [])]) if (!existsSync(dir)) throw new Error(`${dir}: no such file or folder`);

  const context = loadSynthContext(path.join(values.out as string, "manifest.json"));
  if (context.order.length === 0) throw new Error(`${values.out}/manifest.json lists no stacks; run npm run synth first`);
  const environments = loadEnvironments({ configDir: path.resolve(values["config-dir"] as string) });
  const clusters: ClusterToCheck[] = clustersToCheck(environments, context.order, (s) => JSON.parse(readFileSync(path.join(values.out as string, "stacks", s, "cdk.tf.json"), "utf8")) as StackJson);
  const crds = loadCrds(crdDirs);
  const result = checkClusters(clusters, { openapiDir, crds, crossCheck: { ingressAnnotations: annotations ? loadIngressAnnotations(annotations) : undefined } });
  for (const problem of result.problems) console.error(problem);
  const against = Object.entries(result.openapi).map(([version, file]) => `Kubernetes ${version} (${file})`).join(", ");
  console.log(`kube-check: ${result.objects} objects of ${clusters.length} clusters against ${against || "no Kubernetes version"} and ${crds.size} CRD versions${annotations ? "" : " (Ingress annotations not checked: no --annotations)"}: ${result.problems.length} problem(s)`);
  return result.problems.length ? 1 : 0;
});
