import { Construct } from "constructs";
import { type ChartRelease } from "../helm/chart-release";
import { addonRelease, type WorkloadAddonProps, type ChartSource, placementOf, roleAnnotations } from "./addon";

/** The pinned chart. Its CRDs are templates (`installCRDs`): Helm installs and upgrades them with the release. */
export const EXTERNAL_SECRETS_CHART: ChartSource = { chart: "external-secrets", repository: "https://charts.external-secrets.io", version: "2.9.0", namespace: "external-secrets" };

/** Props of {@link ExternalSecrets}. */
export interface ExternalSecretsProps extends WorkloadAddonProps {
  /** ARN of its workload role (`<env>-iam`): reads `<env>/*` in Secrets Manager. */
  readonly roleArn: string;
}

/** External Secrets Operator: syncs Secrets Manager secrets into Kubernetes Secrets, as its own role. */
export class ExternalSecrets extends Construct {
  readonly release: ChartRelease;
  /** The service account the ClusterSecretStore authenticates as. */
  readonly serviceAccount = { name: "external-secrets", namespace: EXTERNAL_SECRETS_CHART.namespace } as const;

  constructor(scope: Construct, id: string, props: ExternalSecretsProps) {
    super(scope, id);
    this.release = addonRelease(this, "release", EXTERNAL_SECRETS_CHART, {
      installCRDs: true,
      replicaCount: 2,
      podDisruptionBudget: { enabled: true, minAvailable: 1 },
      serviceAccount: { create: true, name: this.serviceAccount.name, annotations: roleAnnotations(props.identityMode, props.roleArn) },
      global: placementOf(props),
    }, props);
  }
}
