import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { Construct } from "constructs";
import { policyJson, type PolicyStatement } from "../iam/policy-document";

/** Props of {@link EncryptionKey}. */
export interface EncryptionKeyProps {
  /** What the key protects; shown in the console and in plans. */
  readonly description: string;
  /** Alias name, with the `alias/` prefix. */
  readonly aliasName: string;
  /** The account that owns the key; its administrators manage it through IAM. */
  readonly accountId: string;
  /**
   * Extra key-policy statements, e.g. letting a service such as CloudWatch Logs use the key.
   * @default - none: only IAM principals of the account the root statement admits
   */
  readonly statements?: readonly PolicyStatement[];
  /**
   * Days KMS waits before deleting the key once deletion is scheduled (7–30).
   * @default 30 - the longest window to notice a mistake
   */
  readonly deletionWindowInDays?: number;
  /**
   * Add Terraform's `prevent_destroy`, for keys whose loss destroys data (state, databases).
   * @default false
   */
  readonly preventDestroy?: boolean;
}

/**
 * A customer-managed KMS key with yearly rotation and an alias.
 *
 * The key policy delegates to IAM in the owning account (the default policy, so IAM policies
 * govern who may use the key) and adds only the service grants the caller lists.
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
 */
export class EncryptionKey extends Construct {
  /** The key. */
  readonly key: KmsKey;
  /** ARN of the key. */
  readonly arn: string;
  /** The alias resource. */
  readonly alias: KmsAlias;

  constructor(scope: Construct, id: string, props: EncryptionKeyProps) {
    super(scope, id);
    const root: PolicyStatement = {
      Sid: "EnableIamPoliciesOfTheAccount",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${props.accountId}:root` },
      Action: "kms:*",
      Resource: "*",
    };
    this.key = new KmsKey(this, "key", {
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays: props.deletionWindowInDays ?? 30,
      policy: policyJson({ Statement: [root, ...(props.statements ?? [])] }),
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
    });
    this.alias = new KmsAlias(this, "alias", { name: props.aliasName, targetKeyId: this.key.keyId });
    this.arn = this.key.arn;
  }
}
