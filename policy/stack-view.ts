import { type ResourceView, type Rule, type StackView } from "./types";

/** The blocks of a stack a rule inspects (`"*"` in its types: every block). */
export function inspectedBy(rule: Rule, view: StackView): readonly ResourceView[] {
  return rule.types.includes("*") ? view.resources : rule.types.flatMap((type) => view.ofType(type));
}

type Blocks = Record<string, Record<string, Record<string, unknown>>>;

/** Builds the view of one stack from its resolved Terraform JSON (`stack.toTerraform()`). */
export function stackView(id: string, tf: Record<string, unknown>): StackView {
  const resources: ResourceView[] = [
    ...blocks("resource", (tf.resource ?? {}) as Blocks, ""),
    ...blocks("data", (tf.data ?? {}) as Blocks, "data."),
    ...providers((tf.provider ?? {}) as Record<string, Array<Record<string, unknown>>>, id),
  ];
  const byType = new Map<string, ResourceView[]>();
  for (const r of resources) byType.set(r.type, [...(byType.get(r.type) ?? []), r]);
  const serialized = new Map(resources.map((r) => [r, JSON.stringify(r.attrs)]));
  return {
    id,
    resources,
    ofType: (type) => byType.get(type) ?? [],
    linkedTo: (target, type) => {
      const literalIds = ["bucket", "name", "id"].map((k) => target.attrs[k]).filter((v): v is string => typeof v === "string");
      return (byType.get(type) ?? []).filter((candidate) => {
        if ((serialized.get(candidate) ?? "").includes(`\${${target.address}.`)) return true;
        return ["bucket", "name", "table_name"].some((k) => literalIds.includes(candidate.attrs[k] as string));
      });
    },
  };
}

function blocks(kind: "resource" | "data", source: Blocks, prefix: string): ResourceView[] {
  return Object.entries(source).flatMap(([type, byName]) =>
    Object.entries(byName).map(([name, body]) => {
      const { "//": meta, ...attrs } = body;
      return { kind, type, name, address: `${prefix}${type}.${name}`, path: metadataPath(meta) ?? `${prefix}${type}.${name}`, attrs };
    }),
  );
}

function providers(source: Record<string, Array<Record<string, unknown>>>, stackId: string): ResourceView[] {
  return Object.entries(source).flatMap(([name, configs]) =>
    configs.map((config, index) => {
      const alias = typeof config.alias === "string" ? config.alias : undefined;
      const address = alias ? `provider.${name}.${alias}` : `provider.${name}`;
      return { kind: "provider" as const, type: `provider.${name}`, name: alias ?? String(index), address, path: `${stackId}/${address}`, attrs: config };
    }),
  );
}

function metadataPath(meta: unknown): string | undefined {
  const path = (meta as { metadata?: { path?: unknown } } | undefined)?.metadata?.path;
  return typeof path === "string" ? path : undefined;
}
