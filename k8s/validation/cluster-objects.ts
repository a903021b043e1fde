import { parse } from "yaml";

/**
 * The Kubernetes objects the synthesized stacks put on each environment's cluster, read from
 * the Terraform JSON as Helm and the kubernetes provider will get them: the typed objects of
 * every release of the shipped `manifests` chart (its values hold them, `manifests: [...]`), and
 * the namespaces the stacks create. An upstream chart renders its own objects; an app's own OCI
 * chart too: neither is here.
 */

/** A Kubernetes object, as JSON. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Readonly<Record<string, string>>; readonly annotations?: Readonly<Record<string, string>> };
  readonly [field: string]: unknown;
}

/** An object with where it comes from. */
export interface PlacedObject {
  /** `<stack> <release>`, for messages. */
  readonly source: string;
  /** The namespace it lands in: its own, or the release's (Helm installs a namespaced object without one there). */
  readonly namespace?: string;
  readonly object: KubeObject;
}

/** Everything one cluster gets from the project. */
export interface ClusterObjects {
  readonly environment: string;
  readonly objects: readonly PlacedObject[];
  /** The namespaces that exist: Kubernetes' own and those the stacks create. */
  readonly namespaces: readonly string[];
}

/** The parts of a synthesized stack read here. */
export interface StackJson {
  readonly resource?: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, unknown>>>>>>;
  readonly output?: Readonly<Record<string, { readonly value?: unknown }>>;
}

/** Namespaces every cluster has. */
export const KUBERNETES_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease"] as const;

/**
 * Kinds that have no namespace (of those the project emits, and the CRD kinds it uses). Any other
 * kind is namespaced.
 */
const CLUSTER_SCOPED = new Set(["Namespace", "StorageClass", "ClusterRole", "ClusterRoleBinding", "ClusterSecretStore", "NodePool", "EC2NodeClass", "PriorityClass", "CustomResourceDefinition"]);

/** Whether objects of a kind live in a namespace. */
export const isNamespaced = (kind: string) => !CLUSTER_SCOPED.has(kind);

/** The objects one stack's manifest releases install, each placed in its namespace. */
export function manifestObjects(stackId: string, stack: StackJson): PlacedObject[] {
  return Object.entries(stack.resource?.helm_release ?? {}).flatMap(([name, release]) => {
    const values = (release.values as string[] | undefined) ?? [];
    return values.flatMap((text) => {
      const manifests = (parse(text) as { manifests?: KubeObject[] } | null)?.manifests;
      if (!Array.isArray(manifests)) return [];
      return manifests.map((object) => ({
        source: `${stackId} ${name}`,
        namespace: isNamespaced(object.kind) ? (object.metadata.namespace ?? String(release.namespace)) : undefined,
        object,
      }));
    });
  });
}

/** The namespaces a stack creates (kubernetes_namespace_v1). */
export function stackNamespaces(stack: StackJson): string[] {
  return Object.values(stack.resource?.kubernetes_namespace_v1 ?? {}).map((n) => String((n.metadata as { name: string }).name));
}

/**
 * One cluster's objects from its stacks (`<env>-<layer>` → JSON): its host environment's, and its
 * tenants' where they share it. A value that reads another of these stacks' outputs
 * (`${data.terraform_remote_state.<layer>.outputs.<name>}`) is replaced by that output where the
 * producer writes it as a literal (the platform's store and class names): the objects are checked
 * with what they will hold. A stack reads its own environment's layer, or else the host's (a
 * tenant reads its host's platform: config/naming.ts, layerOwner). Other references stay.
 */
export function clusterObjects(environment: string, stacks: Readonly<Record<string, StackJson>>): ClusterObjects {
  const entries = Object.entries(stacks);
  const literals = new Map<string, string>();
  const split = (id: string) => ({ env: id.slice(0, id.indexOf("-")), layer: id.slice(id.indexOf("-") + 1) });
  for (const [id, json] of entries) {
    const { env, layer } = split(id);
    for (const [name, output] of Object.entries(json.output ?? {})) {
      if (typeof output.value === "string" && !isReference(output.value)) literals.set(`${env} \${data.terraform_remote_state.${layer}.outputs.${name}}`, output.value);
    }
  }
  const resolver = (env: string) => {
    const resolve = (value: unknown): unknown => {
      if (typeof value === "string") return literals.get(`${env} ${value}`) ?? literals.get(`${environment} ${value}`) ?? value;
      if (Array.isArray(value)) return value.map(resolve);
      if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]));
      return value;
    };
    return resolve;
  };
  return {
    environment,
    objects: entries.flatMap(([id, json]) => manifestObjects(id, json).map((p) => ({ ...p, object: resolver(split(id).env)(p.object) as KubeObject }))),
    namespaces: [...KUBERNETES_NAMESPACES, ...entries.flatMap(([, json]) => stackNamespaces(json))],
  };
}

/** Whether a value is a Terraform reference (an output of another stack), known only at apply. */
export const isReference = (value: unknown) => typeof value === "string" && value.includes("${");
