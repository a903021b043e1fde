import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { Construct } from "constructs";

/** One receiver whose credential lives in Secrets Manager. */
export interface ReceiverSecret {
  /** The receiver's name (config's key). */
  readonly receiver: string;
  /** The secret's name (`<env>/platform/alerting/<receiver>`). */
  readonly secretName: string;
  /** The JSON key of the secret's value that holds the credential (`url`, `routing_key`). */
  readonly key: string;
}

/** Props of {@link ReceiverSecrets}. */
export interface ReceiverSecretsProps {
  /** The receivers with a credential, in name order. */
  readonly secrets: readonly ReceiverSecret[];
  /** The key that encrypts them (the application secrets' key of `<env>-iam`, which External Secrets may decrypt with). */
  readonly kmsKeyId: string;
  /** Where their values go, for each secret's description: `<namespace>/<Secret>`. */
  readonly syncedInto: string;
}

/**
 * The Secrets Manager secrets of Alertmanager's receivers, with no value: an operator puts each
 * one (`aws secretsmanager put-secret-value`, docs/observability.md, "Credentials"), so that no
 * credential is ever in config, in Terraform's state or plan, or in Helm values. External Secrets
 * syncs them into the cluster.
 */
export class ReceiverSecrets extends Construct {
  /** The secrets, by receiver. */
  readonly secrets: Readonly<Record<string, SecretsmanagerSecret>>;

  constructor(scope: Construct, id: string, props: ReceiverSecretsProps) {
    super(scope, id);
    this.secrets = Object.fromEntries(
      props.secrets.map((s) => [
        s.receiver,
        new SecretsmanagerSecret(this, s.receiver, {
          name: s.secretName,
          description: `Alertmanager receiver ${s.receiver}: a JSON object whose key "${s.key}" is its credential, put by an operator (synced into ${props.syncedInto})`,
          kmsKeyId: props.kmsKeyId,
        }),
      ]),
    );
  }
}
