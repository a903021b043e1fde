import { Construct } from "constructs";
import { type ChartRelease } from "../helm/chart-release";
import { addonRelease, type WorkloadAddonProps, type ChartSource, placementOf, roleAnnotations } from "./addon";

/** The pinned charts: `karpenter-crd` brings the CRDs as templates (so upgrades update them), `karpenter` runs with its own CRDs skipped. */
export const KARPENTER_CRD_CHART: ChartSource = { chart: "karpenter-crd", repository: "oci://public.ecr.aws/karpenter", version: "1.14.1", namespace: "karpenter" };
export const KARPENTER_CHART: ChartSource = { ...KARPENTER_CRD_CHART, chart: "karpenter" };
/** The name of the port of the chart's Service (named after the release, `karpenter`) that serves the controller's metrics (chart 1.14.1, templates/service.yaml: `http-metrics`, `controller.metrics.port` 8080). */
export const KARPENTER_METRICS_PORT = "http-metrics";

/** Props of {@link Karpenter}. */
export interface KarpenterProps extends WorkloadAddonProps {
  readonly clusterName: string;
  readonly clusterEndpoint: string;
  /** The interruption queue (`<env>-iam`). */
  readonly interruptionQueue: string;
  /** ARN of the controller's workload role (`<env>-iam`). */
  readonly roleArn: string;
}

/** Karpenter: its CRDs, then the controller (two replicas, on the system nodes, which it never manages). */
export class Karpenter extends Construct {
  /** The release that brings the NodePool and EC2NodeClass CRDs. */
  readonly crds: ChartRelease;
  readonly release: ChartRelease;

  constructor(scope: Construct, id: string, props: KarpenterProps) {
    super(scope, id);
    this.crds = addonRelease(this, "crds", KARPENTER_CRD_CHART, {}, props);
    this.release = addonRelease(this, "release", KARPENTER_CHART, {
      replicas: 2,
      // reservedENIs: the VPC CNI gives one of each node's interfaces to the trunk of security
      // groups for pods (ENABLE_POD_ENI, modules/eks/addons.ts), so Karpenter must not count it
      // in the node's max-pods (chart 1.14.1 values.yaml `settings.reservedENIs`, default "0";
      // aws/karpenter-provider-aws#7312: "If you've enabled Security Groups per Pod, … set RESERVED_ENIS=1").
      settings: { clusterName: props.clusterName, clusterEndpoint: props.clusterEndpoint, interruptionQueue: props.interruptionQueue, reservedENIs: "1" },
      serviceAccount: { create: true, name: "karpenter", annotations: roleAnnotations(props.identityMode, props.roleArn) },
      ...placementOf(props),
    }, { dependsOn: [...props.dependsOn, this.crds.release], installCrds: false });
  }
}
