import { type ApiObjectMetadata } from "cdk8s";
import { crdKind } from "./crd-kind";

/**
 * Typed External Secrets objects (external-secrets.io/v1, chart 2.9.0): the fields this project
 * sets, as the CRDs define them.
 * @see https://external-secrets.io/latest/api/spec/
 */

/** A store's AWS Secrets Manager provider, authenticating by JWT as the service account `Ref` names. */
interface SecretsManagerProvider<Ref> {
  readonly aws: {
    readonly service: "SecretsManager";
    readonly region: string;
    readonly auth: { readonly jwt: { readonly serviceAccountRef: Ref } };
  };
}

/** A ClusterSecretStore for AWS Secrets Manager: it names the namespace of the account it reads as (the platform's, `platform-secrets`). */
export interface ClusterSecretStoreProps {
  readonly metadata: ApiObjectMetadata;
  readonly spec: {
    readonly provider: SecretsManagerProvider<{ readonly name: string; readonly namespace: string }>;
    /** Namespaces whose ExternalSecrets may use the store. */
    readonly conditions?: ReadonlyArray<{ readonly namespaces: readonly string[] }>;
  };
}

export class ClusterSecretStore extends crdKind<ClusterSecretStoreProps["spec"]>({ apiVersion: "external-secrets.io/v1", kind: "ClusterSecretStore" }) {}

/**
 * A namespaced SecretStore for AWS Secrets Manager: only the ExternalSecrets of its own namespace
 * use it. It authenticates as a service account of that namespace: ESO v2.9.0 refuses a
 * `serviceAccountRef.namespace` other than the store's (its webhook), requests the token itself
 * (audience `sts.amazonaws.com` unless the account's `eks.amazonaws.com/audience` says otherwise)
 * and calls AssumeRoleWithWebIdentity on the account's `eks.amazonaws.com/role-arn`
 * (pkg/provider/aws/auth/auth.go at helm-chart-2.9.0, cc5bfbc2234ace9cb0caff4ea89c435cf517b27b).
 */
export interface SecretStoreProps {
  readonly metadata: ApiObjectMetadata;
  readonly spec: { readonly provider: SecretsManagerProvider<{ readonly name: string }> };
}

export class SecretStore extends crdKind<SecretStoreProps["spec"]>({ apiVersion: "external-secrets.io/v1", kind: "SecretStore" }) {}

/** An ExternalSecret: one Kubernetes Secret, kept in sync with secrets of a store. */
export interface ExternalSecretProps {
  readonly metadata: ApiObjectMetadata;
  readonly spec: {
    readonly refreshInterval: string;
    readonly secretStoreRef: { readonly kind: "ClusterSecretStore" | "SecretStore"; readonly name: string };
    readonly target: { readonly name: string; readonly creationPolicy: "Owner" };
    /** One Secret key each, from one JSON key (`property`) of a secret of the store. */
    readonly data?: ReadonlyArray<{ readonly secretKey: string; readonly remoteRef: { readonly key: string; readonly property: string } }>;
    /** One secret's JSON keys become the Secret's keys. */
    readonly dataFrom?: ReadonlyArray<{
      readonly extract?: { readonly key: string };
      /** ESO 2.9.0's AWS provider needs `name` or `tags`; `path` narrows the listing (see appSecretsFind). */
      readonly find?: { readonly path?: string } & ({ readonly name: { readonly regexp: string }; readonly tags?: Readonly<Record<string, string>> } | { readonly name?: { readonly regexp: string }; readonly tags: Readonly<Record<string, string>> });
      /** Renames the keys found: `<env>/app/DB_OPTIONS` → `DB_OPTIONS`. */
      readonly rewrite?: ReadonlyArray<{ readonly regexp: { readonly source: string; readonly target: string } }>;
    }>;
  };
}

export class ExternalSecret extends crdKind<ExternalSecretProps["spec"]>({ apiVersion: "external-secrets.io/v1", kind: "ExternalSecret" }) {}
