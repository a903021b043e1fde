/**
 * Which Helm values a chart does not know. Helm silently ignores a misspelt key, so every key
 * path the project sets is checked against the pinned chart's own `values.yaml` (and its
 * `values.schema.json`, where it has one). A map the chart leaves empty (`annotations: {}`,
 * `nodeSelector: {}`, `resources: {}`) is free-form, as are Kubernetes' own maps
 * ({@link FREE_FORM_KEYS}): anything below them is allowed; a list is one value.
 */

type Json = Record<string, unknown>;

/** Keys whose maps are Kubernetes' own free-form maps, whatever a chart puts in them as an example (karpenter's `nodeSelector` has `kubernetes.io/os`). */
export const FREE_FORM_KEYS = ["nodeSelector", "annotations", "labels", "podAnnotations", "podLabels", "commonLabels", "additionalLabels", "resources", "extraArgs"] as const;
/**
 * Maps a chart hands to its program as they are, keyed by the program's own names rather than the
 * chart's, by chart: below each, every key is the program's, so none is checked (nor is the map's
 * own key). opentelemetry-collector's `config` is the collector's configuration, whose component
 * maps take any component id of the distribution the image is built with (its values.yaml: "Base
 * collector configuration"; its values.schema.json types `config` as a bare object); the rest of
 * `config` (`service.pipelines`, `service.telemetry`) stays checked against the chart's defaults.
 */
export const PASS_THROUGH_PATHS: Readonly<Record<string, readonly string[]>> = {
  "opentelemetry-collector": ["config.receivers", "config.processors", "config.exporters", "config.extensions", "config.connectors"],
};
const isMap = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

/** A JSON Schema node, as far as key checks need it. */
interface SchemaNode {
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly additionalProperties?: boolean | SchemaNode;
}

/** Whether a schema node allows `key` below it, and the node for that key. */
function schemaChild(node: SchemaNode | undefined, key: string): { allowed: boolean; child?: SchemaNode } {
  if (!node) return { allowed: false };
  const child = node.properties?.[key];
  if (child) return { allowed: true, child };
  if (node.additionalProperties === true || (node.additionalProperties === undefined && !node.properties && (node.type === "object" || node.type === undefined))) return { allowed: true };
  if (isMap(node.additionalProperties)) return { allowed: true, child: node.additionalProperties };
  return { allowed: false };
}

/** Dotted paths of the keys in `values` that the chart's defaults (or schema) do not have; `passThrough` paths ({@link PASS_THROUGH_PATHS}) are the program's, unchecked. */
export function unknownValueKeys(values: Json, defaults: Json, schema?: SchemaNode, at = "", passThrough: readonly string[] = []): string[] {
  const unknown: string[] = [];
  for (const [key, value] of Object.entries(values)) {
    const where = at ? `${at}.${key}` : key;
    if (passThrough.includes(where)) continue;
    const inDefaults = Object.prototype.hasOwnProperty.call(defaults, key);
    const { allowed: inSchema, child } = schemaChild(schema, key);
    if (!inDefaults && !inSchema) {
      unknown.push(where);
      continue;
    }
    const def = defaults[key];
    // Free-form where the chart has an empty map (or no default map) and the schema says nothing more.
    const freeForm = ((FREE_FORM_KEYS as readonly string[]).includes(key) || !isMap(def) || Object.keys(def).length === 0) && !child?.properties;
    if (isMap(value) && !freeForm) unknown.push(...unknownValueKeys(value, isMap(def) ? def : {}, child, where, passThrough));
  }
  return unknown;
}
