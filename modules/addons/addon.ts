import { type ITerraformDependable } from "cdktf";
import { type Construct } from "constructs";
import { ChartRelease, type HelmValues } from "../helm/chart-release";
import { type NodePlacement } from "./placement";

export { type NodePlacement, ON_SHARED_NODES, ON_SYSTEM_NODES, placementOf, SYSTEM_PODS_LABEL } from "./placement";

/** Where a pinned chart comes from: the one place its version is set (cdk-eks-blueprints' `defaultProps`). */
export interface ChartSource {
  /** Chart name. */
  readonly chart: string;
  /** Chart repository (https or oci). */
  readonly repository: string;
  /** The exact version, checked against the upstream chart's values (__tests__/addons). */
  readonly version: string;
  /** The namespace the add-on runs in (the workload roles of `<env>-iam` trust its service account there). */
  readonly namespace: string;
}

/** What every add-on is given. */
export interface AddonProps {
  /** What must exist first: the add-on's namespace, at least. */
  readonly dependsOn: readonly ITerraformDependable[];
  /**
   * Where its pods run.
   * @default ON_SYSTEM_NODES - the system node group
   */
  readonly placement?: NodePlacement;
}

/** Props of an add-on that acts as a workload role of `<env>-iam`. */
export interface WorkloadAddonProps extends AddonProps {
  /** ARN of its workload role (`<env>-iam`). */
  readonly roleArn: string;
  /** How its pods assume the role: IRSA (the service account's annotation) or Pod Identity (an association in `<env>-iam`). */
  readonly identityMode: "irsa" | "pod-identity";
}

/** The annotation that binds a service account to its IAM role (IRSA); Pod Identity needs none (its association is in `<env>-iam`). */
export function roleAnnotations(mode: "irsa" | "pod-identity", roleArn: string): Record<string, string> {
  return mode === "irsa" ? { "eks.amazonaws.com/role-arn": roleArn } : {};
}

/** A release of a pinned chart, named after it. */
export function addonRelease(scope: Construct, id: string, source: ChartSource, values: HelmValues, props: AddonProps & { readonly timeoutSeconds?: number; readonly installCrds?: boolean; readonly name?: string }): ChartRelease {
  return new ChartRelease(scope, id, {
    name: props.name ?? source.chart,
    namespace: source.namespace,
    chart: source.chart,
    repository: source.repository,
    version: source.version,
    values,
    timeoutSeconds: props.timeoutSeconds,
    installCrds: props.installCrds,
    dependsOn: props.dependsOn,
  });
}
