import { Construct } from "constructs";
import { type ChartRelease } from "../helm/chart-release";
import { type AddonProps, addonRelease, type ChartSource, placementOf } from "./addon";

/** The pinned chart. Its CRDs are templates (`installCRDs`): Helm installs and upgrades them with the release. */
export const EXTERNAL_SECRETS_CHART: ChartSource = { chart: "external-secrets", repository: "https://charts.external-secrets.io", version: "2.9.0", namespace: "external-secrets" };

/**
 * The service account the platform's ClusterSecretStore authenticates as (JWT: External Secrets
 * requests its token), trusted by the role `<env>-external-secrets`. No pod runs as it.
 */
export const PLATFORM_SECRETS_ACCOUNT = { name: "platform-secrets", namespace: EXTERNAL_SECRETS_CHART.namespace } as const;

/** Props of {@link ExternalSecrets}. */
export type ExternalSecretsProps = AddonProps;

/**
 * External Secrets Operator: syncs Secrets Manager secrets into Kubernetes Secrets. Its pods hold
 * no AWS credentials of their own: every store names the service account it reads as (the
 * platform's ClusterSecretStore {@link PLATFORM_SECRETS_ACCOUNT}, each environment's SecretStore
 * one of its namespace), so a store without auth, which would fall back to the operator's own
 * credentials, reads nothing (pkg/provider/aws/auth/auth.go at helm-chart-2.9.0).
 */
export class ExternalSecrets extends Construct {
  readonly release: ChartRelease;

  constructor(scope: Construct, id: string, props: ExternalSecretsProps) {
    super(scope, id);
    this.release = addonRelease(this, "release", EXTERNAL_SECRETS_CHART, {
      installCRDs: true,
      replicaCount: 2,
      podDisruptionBudget: { enabled: true, minAvailable: 1 },
      serviceAccount: { create: true, name: "external-secrets" },
      global: placementOf(props),
    }, props);
  }
}
