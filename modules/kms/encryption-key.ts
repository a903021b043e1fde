import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { TerraformStack, type TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { type IGrantable } from "../iam/grant";
import { PolicyDocument, type PolicyStatement } from "../iam/policy-document";

/** KMS waits this many days (at least, at most) before deleting a key scheduled for deletion. */
export const DELETION_WINDOW_DAYS = { min: 7, max: 30 } as const;

/** Props of {@link EncryptionKey}. */
export interface EncryptionKeyProps {
  /** What the key protects; shown in the console and in plans. */
  readonly description: string;
  /** Alias name, with the `alias/` prefix. */
  readonly aliasName: string;
  /** The account that owns the key; its administrators manage it through IAM. */
  readonly accountId: string;
  /**
   * Extra key-policy statements, for principals that IAM policies of this account cannot cover:
   * AWS services (CloudWatch Logs) and roles of other accounts.
   * @default - none: only IAM principals of the account the root statement admits
   */
  readonly statements?: readonly PolicyStatement[];
  /**
   * Days KMS waits before deleting the key once deletion is scheduled (7–30).
   * @default 30 - the longest window to notice a mistake
   */
  readonly deletionWindowInDays?: number;
  /**
   * Terraform's `prevent_destroy`: losing a key loses everything encrypted with it, so removing
   * one takes a deliberate code change.
   * @default true
   */
  readonly preventDestroy?: boolean;
  /**
   * The provider to make the key with: another region's, for a key beside a copy there.
   * @default - the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
}

/**
 * A customer-managed KMS key with yearly rotation and an alias.
 *
 * The key policy delegates to IAM in the owning account (the default policy, so IAM policies
 * govern who may use the key) and adds only the statements the caller lists. Roles of the
 * account get access through the grant methods, which add to the role's own policy.
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
    const window = props.deletionWindowInDays ?? DELETION_WINDOW_DAYS.max;
    if (!Number.isInteger(window) || window < DELETION_WINDOW_DAYS.min || window > DELETION_WINDOW_DAYS.max) {
      throw new Error(`${this.node.path}: deletionWindowInDays must be a whole number of days from ${DELETION_WINDOW_DAYS.min} to ${DELETION_WINDOW_DAYS.max} (got ${window})`);
    }
    if (!props.aliasName.startsWith("alias/") || props.aliasName.startsWith("alias/aws/")) {
      throw new Error(`${this.node.path}: aliasName must start with "alias/" and not "alias/aws/", which AWS reserves (got "${props.aliasName}")`);
    }
    const root: PolicyStatement = {
      Sid: "EnableIamPoliciesOfTheAccount",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${props.accountId}:root` },
      Action: "kms:*",
      Resource: "*",
    };
    const policy = new PolicyDocument(this, "policy", { statements: [root, ...(props.statements ?? [])] });
    this.key = new KmsKey(this, "Default", {
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays: window,
      policy: policy.json,
      lifecycle: props.preventDestroy ?? true ? { preventDestroy: true } : undefined,
      provider: props.provider,
    });
    this.alias = new KmsAlias(this, "alias", { name: props.aliasName, targetKeyId: this.key.keyId, provider: props.provider });
    this.arn = this.key.arn;
  }

  /** Lets the grantee decrypt with this key (read what was encrypted with it). */
  grantDecrypt(grantee: IGrantable): void {
    grantee.addToPrincipalPolicy({ Sid: sid("Decrypt", this), Effect: "Allow", Action: ["kms:Decrypt", "kms:DescribeKey"], Resource: this.arn });
  }

  /** Lets the grantee encrypt and decrypt with this key (read and write what it protects). */
  grantEncryptDecrypt(grantee: IGrantable): void {
    grantee.addToPrincipalPolicy({
      Sid: sid("EncryptDecrypt", this),
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"],
      Resource: this.arn,
    });
  }
}

/** A statement id naming the action and the key's construct path in its stack: unique per key and grant. */
function sid(action: string, key: Construct): string {
  const below = key.node.scopes.slice(key.node.scopes.indexOf(TerraformStack.of(key)) + 1);
  const words = below.flatMap((c) => c.node.id.split(/[^A-Za-z0-9]+/)).filter(Boolean).map((w) => w[0]?.toUpperCase() + w.slice(1));
  return `${action}With${words.join("")}`.slice(0, 100);
}
