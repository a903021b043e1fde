/**
 * Kubernetes schemas made strict, the way `kubeconform -strict` reads them (its
 * openapi2jsonschema `--strict`) and the API server's strict field validation behaves: every
 * object schema that lists its properties refuses any other, so a misspelt field is an error
 * instead of being dropped. Core kinds come from the Kubernetes OpenAPI (swagger 2.0
 * `definitions`), custom resources from their CRD's `openAPIV3Schema`. The schemas are only
 * rewritten here; validating is Ajv's (validator.ts).
 */

type Json = { [key: string]: unknown };
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** Where definitions are referenced from: `k8s#/definitions/<name>`. */
export const CORE_SCHEMA_ID = "k8s";
const DEFINITIONS = "#/definitions/";
export const OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";
const INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
const QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity";

/** resource.Quantity's syntax, as controller-gen writes it into CRDs (k8s.io/apimachinery/pkg/api/resource). */
const QUANTITY_PATTERN = "^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$";

/** The extension keywords of Kubernetes schemas: annotations to Ajv (registered, so strict mode stays on for real typos). */
export const KUBERNETES_KEYWORDS = [
  "x-kubernetes-group-version-kind", "x-kubernetes-list-type", "x-kubernetes-list-map-keys", "x-kubernetes-patch-strategy", "x-kubernetes-patch-merge-key",
  "x-kubernetes-map-type", "x-kubernetes-unions", "x-kubernetes-int-or-string", "x-kubernetes-preserve-unknown-fields", "x-kubernetes-embedded-resource",
  "x-kubernetes-validations", "x-kubernetes-selectable-fields", "example",
] as const;

/** The definitions reachable from some, through `$ref`. */
function reachable(definitions: Readonly<Record<string, Json>>, roots: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...roots];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!isObject(node)) return;
    if (typeof node.$ref === "string" && node.$ref.startsWith(DEFINITIONS)) stack.push(node.$ref.slice(DEFINITIONS.length));
    Object.values(node).forEach(visit);
  };
  while (stack.length) {
    const name = stack.pop() as string;
    if (seen.has(name)) continue;
    if (!definitions[name]) throw new Error(`the OpenAPI document has no definition ${name}`);
    seen.add(name);
    visit(definitions[name]);
  }
  return seen;
}

/** One swagger definition, strict: `additionalProperties: false` where properties are listed, int-or-string as either. */
function strictCore(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strictCore);
  if (!isObject(node)) return node;
  if (node.format === "int-or-string") return { anyOf: [{ type: "string" }, { type: "integer" }] };
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "description") continue;
    if (key === "properties" && isObject(value)) out.properties = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, strictCore(v)]));
    else out[key] = typeof value === "object" ? strictCore(value) : value;
  }
  if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

/** An `apiVersion` of a group and version: `apps/v1`, or `v1` for the core group. */
export const apiVersionOf = (group: string, version: string) => (group ? `${group}/${version}` : version);

/**
 * The core schema document for Ajv (`$id: k8s`): the definitions the given kinds reach, strict,
 * with IntOrString and Quantity as what they accept (a string or a number), and each kind's
 * `apiVersion` and `kind` required and pinned to its own values.
 */
export function coreSchemaDocument(swagger: { readonly definitions: Readonly<Record<string, Json>> }, roots: readonly string[]): Json {
  const names = reachable(swagger.definitions, [...roots, OBJECT_META]);
  const definitions: Record<string, Json> = {};
  for (const name of names) definitions[name] = strictCore(swagger.definitions[name]) as Json;
  definitions[INT_OR_STRING] = { anyOf: [{ type: "string" }, { type: "integer" }] };
  definitions[QUANTITY] = { anyOf: [{ type: "string", pattern: QUANTITY_PATTERN }, { type: "number" }] };
  for (const name of names) {
    const gvks = swagger.definitions[name]?.["x-kubernetes-group-version-kind"] as Array<{ group: string; version: string; kind: string }> | undefined;
    const def = definitions[name] as { properties?: Json; required?: string[] };
    if (!gvks || !def.properties?.apiVersion || !def.properties.kind) continue;
    def.properties.apiVersion = { type: "string", enum: [...new Set(gvks.map((g) => apiVersionOf(g.group, g.version)))] };
    def.properties.kind = { type: "string", enum: [...new Set(gvks.map((g) => g.kind))] };
    def.required = [...new Set(["apiVersion", "kind", ...(def.required ?? [])])];
  }
  return { $id: CORE_SCHEMA_ID, definitions };
}

/** The swagger definition of each `apiVersion kind` (`apps/v1 Deployment` → `io.k8s.api.apps.v1.Deployment`). */
export function definitionsByKind(swagger: { readonly definitions: Readonly<Record<string, Json>> }): Map<string, string> {
  const index = new Map<string, string>();
  for (const [name, def] of Object.entries(swagger.definitions)) {
    const gvks = (def["x-kubernetes-group-version-kind"] as Array<{ group: string; version: string; kind: string }> | undefined) ?? [];
    if (!isObject(def.properties) || !def.properties.metadata) continue;
    for (const g of gvks) index.set(`${apiVersionOf(g.group, g.version)} ${g.kind}`, name);
  }
  return index;
}

/**
 * A CRD version's `openAPIV3Schema`, strict as the API server applies it: an object schema
 * refuses fields it does not list (even one that lists none: the API server prunes them), except
 * under `x-kubernetes-preserve-unknown-fields`; `x-kubernetes-int-or-string` accepts either; at
 * the root, `apiVersion` and `kind` are pinned and `metadata` is the core ObjectMeta.
 */
export function strictCrdSchema(schema: Json, gvk: { readonly apiVersion: string; readonly kind: string }): Json {
  const walk = (node: unknown, root: boolean): unknown => {
    if (Array.isArray(node)) return node.map((n) => walk(n, false));
    if (!isObject(node)) return node;
    const out: Json = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === "description") continue;
      if (key === "properties" && isObject(value)) out.properties = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, false)]));
      // Data, not schemas.
      else if (["default", "enum", "example", "x-kubernetes-validations"].includes(key)) out[key] = value;
      else out[key] = typeof value === "object" ? walk(value, false) : value;
    }
    if (out["x-kubernetes-int-or-string"] === true && !out.anyOf && !out.type) out.anyOf = [{ type: "integer" }, { type: "string" }];
    const objectSchema = out.type === "object" || out.properties !== undefined;
    if (objectSchema && out["x-kubernetes-preserve-unknown-fields"] !== true && out.additionalProperties === undefined) out.additionalProperties = false;
    if (root) {
      const properties = (out.properties ?? {}) as Json;
      properties.apiVersion = { type: "string", enum: [gvk.apiVersion] };
      properties.kind = { type: "string", enum: [gvk.kind] };
      properties.metadata = { $ref: `${CORE_SCHEMA_ID}${DEFINITIONS}${OBJECT_META}` };
      out.properties = properties;
      out.required = [...new Set(["apiVersion", "kind", "metadata", ...((out.required as string[] | undefined) ?? [])])];
    }
    return out;
  };
  return walk(schema, true) as Json;
}

/** A copy without null fields: the API server treats a null field as unset (cdk8s writes none, but charts may). */
export function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (!isObject(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)]));
}

/**
 * A custom resource with its CRD's defaults applied, as the API server applies them before it
 * validates (structural schema defaulting): a property missing from an object gets its
 * `default`, then is defaulted in turn. So the schema and the CEL rules judge what the cluster
 * will store.
 * @see https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#defaulting
 */
export function withDefaults(schema: unknown, value: unknown): unknown {
  if (!isObject(schema)) return value;
  if (Array.isArray(value)) return isObject(schema.items) ? value.map((item) => withDefaults(schema.items, item)) : value;
  if (!isObject(value)) return value;
  const properties = isObject(schema.properties) ? schema.properties : {};
  const out: Json = { ...value };
  for (const [key, child] of Object.entries(properties)) {
    if (out[key] === undefined && isObject(child) && child.default !== undefined) out[key] = JSON.parse(JSON.stringify(child.default));
    if (out[key] !== undefined) out[key] = withDefaults(child, out[key]);
  }
  if (isObject(schema.additionalProperties)) {
    for (const key of Object.keys(out)) if (!(key in properties)) out[key] = withDefaults(schema.additionalProperties, out[key]);
  }
  return out;
}

/**
 * A strict CRD schema cut down to the shape of the objects it will judge: the schema of a field
 * none of them has becomes `{}`, and its name stays, so an unknown field is still one, a missing
 * required field is still missing, and every field they do have is judged by its whole schema.
 * prometheus-operator's and External Secrets' CRDs are 0.6–0.8 MB each; compiling them whole
 * for a few fields costs seconds, compiling the objects' part, milliseconds.
 */
export function schemaForShape(schema: unknown, instances: readonly unknown[]): unknown {
  if (Array.isArray(schema) || !isObject(schema)) return schema;
  const out: Json = { ...schema };
  const objects = instances.filter(isObject);
  if (isObject(schema.properties)) {
    out.properties = Object.fromEntries(
      Object.entries(schema.properties).map(([key, sub]) => {
        const values = objects.filter((o) => key in o).map((o) => o[key]);
        return [key, values.length ? schemaForShape(sub, values) : {}];
      }),
    );
  }
  if (isObject(schema.additionalProperties)) {
    const known = isObject(schema.properties) ? schema.properties : {};
    out.additionalProperties = schemaForShape(schema.additionalProperties, objects.flatMap((o) => Object.entries(o).filter(([k]) => !(k in known)).map(([, v]) => v)));
  }
  if (schema.items !== undefined) out.items = schemaForShape(schema.items, instances.flatMap((i) => (Array.isArray(i) ? i : [])));
  for (const combinator of ["anyOf", "oneOf", "allOf"] as const) {
    if (Array.isArray(schema[combinator])) out[combinator] = (schema[combinator] as unknown[]).map((branch) => schemaForShape(branch, instances));
  }
  return out;
}
