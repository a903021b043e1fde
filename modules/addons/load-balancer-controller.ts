import { Construct } from "constructs";
import { type ChartRelease } from "../helm/chart-release";
import { addonRelease, type WorkloadAddonProps, type ChartSource, placementOf, roleAnnotations } from "./addon";

/** The pinned chart. Its CRDs (IngressClassParams, TargetGroupBinding) are in the chart's `crds/`: Helm installs them on first install; an upgrade applies them first (docs/how-to.md, "Upgrade an add-on"). */
export const LOAD_BALANCER_CONTROLLER_CHART: ChartSource = { chart: "aws-load-balancer-controller", repository: "https://aws.github.io/eks-charts", version: "3.5.0", namespace: "aws-load-balancer-controller" };

/** The controller release the chart runs (its appVersion), whose Ingress annotation reference the objects are checked against. */
export const LOAD_BALANCER_CONTROLLER_VERSION = "v3.5.0";

/** Props of {@link LoadBalancerController}. */
export interface LoadBalancerControllerProps extends WorkloadAddonProps {
  readonly clusterName: string;
  readonly region: string;
  readonly vpcId: string;
  /**
   * Tags on every AWS resource the controller makes (the chart's `defaultTags`): the ALBs, their
   * listeners, target groups and security groups carry the cluster's environment, as the
   * stacks' resources do, so that an apply role denied another environment's tagged resources
   * (modules/ci/github-roles.ts, otherEnvironmentDenies) is denied these too.
   * @default - none
   */
  readonly defaultTags?: Readonly<Record<string, string>>;
}

/** The AWS Load Balancer Controller: ALBs for Ingresses, NLBs for Services; two replicas with a PDB, on the system nodes. */
export class LoadBalancerController extends Construct {
  readonly release: ChartRelease;

  constructor(scope: Construct, id: string, props: LoadBalancerControllerProps) {
    super(scope, id);
    this.release = addonRelease(this, "release", LOAD_BALANCER_CONTROLLER_CHART, {
      clusterName: props.clusterName,
      region: props.region,
      // Given, not discovered from instance metadata, which IMDSv2's hop limit of 1 keeps from pods.
      vpcId: props.vpcId,
      replicaCount: 2,
      podDisruptionBudget: { maxUnavailable: 1 },
      serviceAccount: { create: true, name: "aws-load-balancer-controller", annotations: roleAnnotations(props.identityMode, props.roleArn) },
      // Services of type LoadBalancer are opted in explicitly, never taken over silently.
      enableServiceMutatorWebhook: false,
      ...(props.defaultTags && { defaultTags: { ...props.defaultTags } }),
      ...placementOf(props),
    }, props);
  }
}
