import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { loadAll } from "js-yaml";
import { apiVersionOf } from "./strict-schema";

/**
 * Where the schemas of the pinned versions come from, read at run time and never copied into
 * the project: the Kubernetes OpenAPI of the cluster's version and the CRDs of the pinned
 * charts. Two layouts are read: ../shared/reference (`openapi/kubernetes-<version>/swagger.json`,
 * `crds/<project>-<version>/*.yaml`), which npm test uses where it is beside the clone, and the
 * folder CI's charts job fills (`helm pull` of each pinned chart, its CRDs rendered by
 * `helm template --include-crds`, and the OpenAPI of kubernetes/kubernetes at the release).
 */

/** One served version of a CRD. */
export interface CrdVersion {
  readonly apiVersion: string;
  readonly kind: string;
  readonly schema: { [key: string]: unknown };
  /** The file it came from, for messages. */
  readonly file: string;
}

/** Every YAML file below a folder, sorted. */
function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const file = path.join(dir, name);
      if (statSync(file).isDirectory()) return yamlFiles(file);
      return /\.ya?ml$/.test(name) ? [file] : [];
    });
}

/**
 * The served versions of every CustomResourceDefinition in YAML files below the folders (files
 * may hold many documents and other kinds). js-yaml reads the large CRDs about five times
 * faster than the `yaml` package; these are trusted files, read as data.
 */
export function loadCrds(dirs: readonly string[]): Map<string, CrdVersion> {
  const crds = new Map<string, CrdVersion>();
  for (const file of dirs.flatMap(yamlFiles)) {
    const text = readFileSync(file, "utf8");
    if (!text.includes("CustomResourceDefinition")) continue;
    for (const doc of loadAll(text) as Array<{ kind?: string; spec?: { group: string; names: { kind: string }; versions: Array<{ name: string; served: boolean; schema?: { openAPIV3Schema?: Record<string, unknown> } }> } }>) {
      if (doc?.kind !== "CustomResourceDefinition" || !doc.spec) continue;
      for (const version of doc.spec.versions) {
        const schema = version.schema?.openAPIV3Schema;
        if (!version.served || !schema) continue;
        const apiVersion = apiVersionOf(doc.spec.group, version.name);
        const key = `${apiVersion} ${doc.spec.names.kind}`;
        if (!crds.has(key)) crds.set(key, { apiVersion, kind: doc.spec.names.kind, schema, file });
      }
    }
  }
  return crds;
}

/**
 * The OpenAPI document of a Kubernetes minor version in a folder of `kubernetes-<x.y.z>/swagger.json`
 * (the newest patch there: a minor version's API does not change in its patches), or undefined
 * when the folder has none for that minor.
 */
export function openapiFile(dir: string, minor: string): string | undefined {
  if (!existsSync(dir)) return undefined;
  const patch = (name: string) => Number(name.split(".")[2] ?? -1);
  const releases = readdirSync(dir)
    .filter((name) => name.startsWith(`kubernetes-${minor}.`) && existsSync(path.join(dir, name, "swagger.json")))
    .sort((a, b) => patch(b) - patch(a));
  return releases[0] && path.join(dir, releases[0], "swagger.json");
}

/** The annotation reference of a load balancer controller release (`v3.5.0`) in a reference folder's layout. */
export function referenceAnnotationsFile(reference: string, controllerVersion: string): string {
  return path.join(reference, "docs", `aws-load-balancer-controller-${controllerVersion.replace(/^v/, "")}`, "annotations.md");
}

/** The shared reference folder beside the clone (`../shared/reference`), if it is there. */
export function referenceFolder(root: string): string | undefined {
  const dir = path.resolve(root, "..", "shared", "reference");
  return existsSync(path.join(dir, "crds")) && existsSync(path.join(dir, "openapi")) ? dir : undefined;
}

/**
 * The Ingress annotations the AWS Load Balancer Controller reads, from its annotation reference
 * (`docs/guide/ingress/annotations.md` of the pinned release): the names of its summary table,
 * with a name template such as `actions.${action-name}` read as the prefix `actions.`.
 */
export function loadIngressAnnotations(file: string): string[] {
  const names = [...readFileSync(file, "utf8").matchAll(/^\| \[alb\.ingress\.kubernetes\.io\/([^\]]+)\]/gm)].map((m) => (m[1] as string).replace(/\$\{.*$/, ""));
  if (!names.length) throw new Error(`${file}: no annotation table found (expected rows "| [alb.ingress.kubernetes.io/<name>](…)")`);
  return [...new Set(names)];
}
