import { existsSync } from "node:fs";
import path from "node:path";
import { AssetType, type ITerraformDependable, TerraformAsset } from "cdktf";
import { type Chart } from "cdk8s";
import { Construct } from "constructs";
import { ChartRelease } from "./chart-release";

/** The version in `charts/manifests/Chart.yaml`. */
export const MANIFESTS_CHART_VERSION = "1.0.0";

/** The shipped chart that installs the manifests it is given as values (`manifests: [...]`), each rendered with `toYaml`, never as a template. */
export function manifestsChartDir(): string {
  // The same walk works from the sources (Jest) and from dist/ (the app).
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const candidate = path.join(dir, "charts", "manifests");
    if (existsSync(path.join(candidate, "Chart.yaml"))) return candidate;
  }
  throw new Error(`charts/manifests not found above ${__dirname}`);
}

/** Props of {@link ManifestRelease}. */
export interface ManifestReleaseProps {
  /** Release name. */
  readonly name: string;
  /** Namespace of the release (objects name their own). */
  readonly namespace: string;
  /** The typed objects (a cdk8s chart). */
  readonly chart: Chart;
  /** What must exist first: the releases that bring the objects' CRDs, at least. */
  readonly dependsOn?: readonly ITerraformDependable[];
  /**
   * Seconds Helm waits for the objects to be ready.
   * @default 300
   */
  readonly timeoutSeconds?: number;
}

/**
 * Kubernetes objects written as typed TypeScript (cdk8s), installed by a Helm release of the
 * shipped `manifests` chart. Objects whose kinds come from CRDs are never planned by Terraform
 * against the API server (as `kubernetes_manifest` would need), so a new cluster plans in one
 * pass; Helm applies them after the release that brings their CRDs. The objects are the
 * release's values, so the plan shows every change to them, key by key.
 */
export class ManifestRelease extends Construct {
  /** The release. */
  readonly release: ChartRelease;

  constructor(scope: Construct, id: string, props: ManifestReleaseProps) {
    super(scope, id);
    // Copied into the stack's folder, so cdktf.out/stacks/<stack> is complete on its own.
    const chart = new TerraformAsset(this, "chart", { path: manifestsChartDir(), type: AssetType.DIRECTORY });
    this.release = new ChartRelease(this, "release", {
      name: props.name,
      namespace: props.namespace,
      chart: `./${chart.path}`,
      version: MANIFESTS_CHART_VERSION,
      values: { manifests: props.chart.toJson() },
      timeoutSeconds: props.timeoutSeconds,
      dependsOn: props.dependsOn,
    });
  }
}
