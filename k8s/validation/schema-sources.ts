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

/** A CustomResourceDefinition document, as far as the loader reads it. */
interface CrdDocument {
  kind?: string;
  spec?: { group: string; names: { kind: string; singular?: string }; versions: Array<{ name: string; served: boolean; schema?: { openAPIV3Schema?: Record<string, unknown> } }> };
}

/** One RFC 6902 operation of a kustomize JSON patch (upstream's CRD patches use `add` and `replace`). */
interface PatchOperation {
  op: string;
  path: string;
  value?: unknown;
}

/**
 * A JSON patch of a CRD beside it: `<singular>_patch.yaml`, a YAML list of operations, patches
 * the CRD of that folder whose `spec.names.singular` it names, as upstream's kustomization
 * targets it (kedacore/keda `config/crd/kustomization.yaml`: `patches/scaledobject_patch.yaml`
 * on `scaledobjects.keda.sh`). The cluster serves the patched schema: the chart's CRD templates
 * are made from base and patch (../shared/reference/README.md, "KEDA"), so a patch is applied
 * before the schema is read.
 */
const PATCH_FILE = /^([a-z0-9.-]+)_patch\.ya?ml$/;

/** Applies `add` and `replace` operations in place; any other, or a path that is not there, is an error (a patch that no longer fits must not pass). */
function applyPatch(target: Record<string, unknown>, operations: readonly PatchOperation[], file: string): void {
  for (const { op, path: pointer, value } of operations) {
    if (op !== "add" && op !== "replace") throw new Error(`${file}: patch operation "${op}" at ${pointer} is not supported (only add and replace)`);
    const keys = pointer.split("/").slice(1).map((k) => k.replace(/~1/g, "/").replace(/~0/g, "~"));
    const last = keys.pop();
    let node: unknown = target;
    for (const key of keys) node = node && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined;
    if (last === undefined || !node || typeof node !== "object" || (op === "replace" && !(last in node))) throw new Error(`${file}: patch path ${pointer} is not in the CRD it patches`);
    if (Array.isArray(node) && op === "add") node.splice(last === "-" ? node.length : Number(last), 0, value);
    else (node as Record<string, unknown>)[last] = value;
  }
}

/**
 * The served versions of every CustomResourceDefinition in YAML files below the folders (files
 * may hold many documents and other kinds), with the JSON patches beside them applied
 * ({@link PATCH_FILE}). js-yaml reads the large CRDs about five times faster than the `yaml`
 * package; these are trusted files, read as data.
 */
export function loadCrds(dirs: readonly string[]): Map<string, CrdVersion> {
  const docs: Array<{ doc: CrdDocument; file: string }> = [];
  const patches: Array<{ singular: string; dir: string; file: string; operations: PatchOperation[] }> = [];
  for (const file of dirs.flatMap(yamlFiles)) {
    const text = readFileSync(file, "utf8");
    const patch = PATCH_FILE.exec(path.basename(file));
    if (patch) {
      // A patch file may hold several documents (upstream's starts with "---"); each is a list of operations.
      const operations = (loadAll(text) as unknown[]).filter((d) => d !== null && d !== undefined).flat() as PatchOperation[];
      patches.push({ singular: patch[1] as string, dir: path.dirname(file), file, operations });
      continue;
    }
    if (!text.includes("CustomResourceDefinition")) continue;
    for (const doc of loadAll(text) as CrdDocument[]) if (doc?.kind === "CustomResourceDefinition" && doc.spec) docs.push({ doc, file });
  }
  for (const patch of patches) {
    const target = docs.find(({ doc, file }) => path.dirname(file) === patch.dir && doc.spec?.names.singular === patch.singular);
    if (!target) throw new Error(`${patch.file}: patches the CRD whose singular name is ${patch.singular}, but no CRD of that name is in ${patch.dir}`);
    applyPatch(target.doc as Record<string, unknown>, patch.operations, patch.file);
  }
  const crds = new Map<string, CrdVersion>();
  for (const { doc, file } of docs) {
    const spec = doc.spec!;
    for (const version of spec.versions) {
      const schema = version.schema?.openAPIV3Schema;
      if (!version.served || !schema) continue;
      const apiVersion = apiVersionOf(spec.group, version.name);
      const key = `${apiVersion} ${spec.names.kind}`;
      if (!crds.has(key)) crds.set(key, { apiVersion, kind: spec.names.kind, schema, file });
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
