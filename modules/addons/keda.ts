import { Construct } from "constructs";
import { type ChartRelease } from "../helm/chart-release";
import { addonRelease, type WorkloadAddonProps, type ChartSource, placementOf, roleAnnotations } from "./addon";

/** The pinned chart. Its CRDs are templates (`crds.install`): Helm installs and upgrades them with the release. */
export const KEDA_CHART: ChartSource = { chart: "keda", repository: "https://kedacore.github.io/charts", version: "2.20.2", namespace: "keda" };

/** The operator's service account: the chart's default name, which the role `<env>-keda` trusts. */
export const KEDA_OPERATOR_SERVICE_ACCOUNT = "keda-operator";

/** Props of {@link Keda}. */
export interface KedaProps extends WorkloadAddonProps {
  /** ARN of the operator's workload role (`<env>-iam`): it reads the lag of the groups services scale on. */
  readonly roleArn: string;
  /**
   * The only namespaces whose ScaledObjects KEDA acts on: the services' of each environment in the
   * cluster (the chart's `watchNamespace`, "namespaces to watch", comma-separated).
   */
  readonly watchNamespaces: readonly string[];
}

/**
 * KEDA: scales the services that ask for it on Kafka consumer lag (and CPU), through HPAs it
 * makes. Its operator reads the lag as its own role; every KEDA pod runs where the platform's do
 * (the system nodes, or a small cluster's shared group).
 *
 * - Exposure: its Metrics API server (the APIService `v1beta1.external.metrics.k8s.io`, port
 *   6443 of its pods) and its admission webhooks (9443), which the control plane calls. EKS puts
 *   the control plane's network interfaces and the managed nodes in the cluster security group,
 *   which admits all traffic from itself (https://docs.aws.amazon.com/eks/latest/userguide/sec-group-reqs.html,
 *   "Default cluster security group"), as metrics-server's APIService already relies on: no port
 *   is opened for KEDA. Its Prometheus endpoints stay off.
 * - Least privilege: the operator reads Secrets of its own namespace only (triggers use pod
 *   identity, never Secrets); no RBAC for custom scale targets (Deployments are built in); it
 *   watches the services' namespace only.
 * - Replicas: two operators (one leader, one standby: keda-docs 2.20 operate/cluster.md, "High
 *   Availability") with a PDB; one Metrics API server and one webhook, as upstream supports (a PDB
 *   of one pod would block every drain; the webhooks' `failurePolicy: Ignore` lets the API server
 *   proceed while one restarts).
 * @see https://github.com/kedacore/charts/blob/v2.20.2/keda/values.yaml
 */
export class Keda extends Construct {
  readonly release: ChartRelease;
  /** The service account the role `<env>-keda` is for. */
  readonly serviceAccount = { name: KEDA_OPERATOR_SERVICE_ACCOUNT, namespace: KEDA_CHART.namespace } as const;

  constructor(scope: Construct, id: string, props: KedaProps) {
    super(scope, id);
    const system = placementOf(props);
    this.release = addonRelease(this, "release", KEDA_CHART, {
      crds: { install: true },
      watchNamespace: props.watchNamespaces.join(","),
      operator: { replicaCount: 2, ...system },
      metricsServer: { replicaCount: 1, ...system },
      webhooks: { enabled: true, replicaCount: 1, ...system },
      podDisruptionBudget: { operator: { minAvailable: 1 } },
      serviceAccount: { operator: { create: true, name: KEDA_OPERATOR_SERVICE_ACCOUNT, annotations: roleAnnotations(props.identityMode, props.roleArn) } },
      permissions: { operator: { restrict: { secret: true } } },
      rbac: { enabledCustomScaledRefKinds: false },
    }, props);
  }
}
