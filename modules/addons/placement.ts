/**
 * Where the platform's add-ons run (data only, so that config can name the label without loading
 * the constructs): the system node group, or a small cluster's shared group (config/node-groups.ts).
 */

/** Where the platform's pods run: the node label they select, and the taints they tolerate. */
export interface NodePlacement {
  readonly nodeSelector: Readonly<Record<string, string>>;
  readonly tolerations: ReadonlyArray<{ readonly key: string; readonly operator: "Exists"; readonly effect: "NoSchedule" }>;
}

/** Pods of the platform run on the system node group: its label, and its CriticalAddonsOnly taint tolerated. */
export const ON_SYSTEM_NODES: NodePlacement = {
  nodeSelector: { "platform/node-group": "system" },
  tolerations: [{ key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" }],
};

/** The label only a small cluster's shared node group carries (config/node-groups.ts): the platform's pods select it there. */
export const SYSTEM_PODS_LABEL = { key: "platform/system-pods", value: "true" } as const;

/**
 * In a small cluster, pods of the platform run on its one shared group: selected by the label only
 * that group carries (never a Karpenter node, which the controllers must not run on), with the
 * same toleration (the shared group has no taint; tolerating one changes nothing there).
 */
export const ON_SHARED_NODES: NodePlacement = {
  nodeSelector: { [SYSTEM_PODS_LABEL.key]: SYSTEM_PODS_LABEL.value },
  tolerations: ON_SYSTEM_NODES.tolerations,
};

/** Where an add-on's pods run: the placement it was given, or the system nodes. */
export function placementOf(props: { readonly placement?: NodePlacement }): NodePlacement {
  return props.placement ?? ON_SYSTEM_NODES;
}
