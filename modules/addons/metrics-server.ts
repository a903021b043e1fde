import { Construct } from "constructs";
import { type ChartRelease } from "../helm/chart-release";
import { addonRelease, type AddonProps, type ChartSource, placementOf } from "./addon";

/** The pinned chart (no CRDs: it registers an APIService). */
export const METRICS_SERVER_CHART: ChartSource = { chart: "metrics-server", repository: "https://kubernetes-sigs.github.io/metrics-server", version: "3.13.1", namespace: "kube-system" };

/** metrics-server: the resource metrics the HPA scales on; two replicas with a PDB, on the system nodes. */
export class MetricsServer extends Construct {
  readonly release: ChartRelease;

  constructor(scope: Construct, id: string, props: AddonProps) {
    super(scope, id);
    this.release = addonRelease(this, "release", METRICS_SERVER_CHART, { replicas: 2, podDisruptionBudget: { enabled: true, maxUnavailable: 1 }, ...placementOf(props) }, props);
  }
}
