import { Release } from "@cdktf/provider-helm/lib/release";
import { type ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { Document, isScalar, visit } from "yaml";
import { EXACT_CHART_VERSION } from "./versions";

/** Helm values: what a chart's values.yaml has, as data. */
export type HelmValues = { readonly [key: string]: unknown };

/** Props of {@link ChartRelease}. */
export interface ChartReleaseProps {
  /** Release name; with the namespace, the release's identity in the cluster. */
  readonly name: string;
  /** Namespace the release lives in (it must exist). */
  readonly namespace: string;
  /** Chart name, or a local chart path. */
  readonly chart: string;
  /**
   * Chart repository (https or oci).
   * @default - none: `chart` is a local path
   */
  readonly repository?: string;
  /** Exact chart version: a range would install whatever is newest on the day. */
  readonly version: string;
  /**
   * Values, merged over the chart's defaults.
   * @default {}
   */
  readonly values?: HelmValues;
  /**
   * Seconds Helm waits for the release's resources to be ready.
   * @default 300
   */
  readonly timeoutSeconds?: number;
  /**
   * Install the chart's `crds/` folder (first install only, as Helm does).
   * @default true
   */
  readonly installCrds?: boolean;
  /**
   * What must exist first (the namespace, the release that brings CRDs).
   * @default - none
   */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/** Releases kept per chart, for `helm rollback`: enough to go back a few deploys, bounded so Secrets do not pile up. */
export const MAX_HISTORY = 5;

/**
 * One Helm release, installed the safe way: `atomic` (a failed install or upgrade rolls back),
 * `wait` for readiness, `cleanup_on_fail`, a bounded history and an exact version. Values are
 * one YAML document with sorted keys, so a change is a small diff in the plan.
 */
export class ChartRelease extends Construct {
  /** The release. */
  readonly release: Release;

  constructor(scope: Construct, id: string, props: ChartReleaseProps) {
    super(scope, id);
    if (!EXACT_CHART_VERSION.test(props.version)) {
      throw new Error(`${this.node.path}: chart ${props.chart} version must be exact, such as 1.2.3, never a range or empty (got "${props.version}")`);
    }
    const values = props.values ?? {};
    this.release = new Release(this, "Default", {
      name: props.name,
      namespace: props.namespace,
      chart: props.chart,
      repository: props.repository,
      version: props.version,
      values: Object.keys(values).length ? [valuesYaml(values)] : undefined,
      atomic: true,
      wait: true,
      cleanupOnFail: true,
      maxHistory: MAX_HISTORY,
      timeout: props.timeoutSeconds ?? 300,
      skipCrds: props.installCrds === false ? true : undefined,
      dependsOn: props.dependsOn ? [...props.dependsOn] : undefined,
    });
  }
}

/**
 * Values as one YAML document, keys sorted. A string that holds a Terraform reference (an
 * output of another stack) is double-quoted, so that what Terraform puts there stays a string
 * (a port `5432` would otherwise reach Kubernetes as a number). The references are names, ARNs,
 * host names and ports: none holds a quote or a backslash.
 */
export function valuesYaml(values: HelmValues): string {
  // No anchors: an object used twice (ON_SYSTEM_NODES on several components) is written out
  // each time, never as an alias, which sorted keys could place before its anchor.
  const doc = new Document(values, { sortMapEntries: true, aliasDuplicateObjects: false });
  visit(doc, {
    Scalar(_key, node) {
      if (isScalar(node) && typeof node.value === "string" && node.value.includes("${")) node.type = "QUOTE_DOUBLE";
    },
  });
  // No folding: a reference split over two lines would no longer be one.
  return doc.toString({ lineWidth: 0 });
}
