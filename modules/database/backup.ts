import { BackupPlan } from "@cdktf/provider-aws/lib/backup-plan";
import { BackupSelection } from "@cdktf/provider-aws/lib/backup-selection";
import { BackupVault } from "@cdktf/provider-aws/lib/backup-vault";
import { BackupVaultLockConfiguration } from "@cdktf/provider-aws/lib/backup-vault-lock-configuration";
import { BackupVaultPolicy } from "@cdktf/provider-aws/lib/backup-vault-policy";
import { type TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { MANAGED_POLICIES } from "../iam/managed-policies";
import { PolicyDocument, serviceTrust } from "../iam/policy-document";
import { Role } from "../iam/role";
import { EncryptionKey } from "../kms/encryption-key";

/** A vault lock: recovery points kept between these, unchangeable after the cooling-off period. */
export interface VaultLock {
  readonly minRetentionDays: number;
  readonly maxRetentionDays: number;
  /** Days before the lock is in compliance mode for good. */
  readonly changeableForDays: number;
}

/** Props of {@link DatabaseBackup}. */
export interface DatabaseBackupProps {
  /** The database's identifier: the vault, plan and role are named after it. */
  readonly identifier: string;
  /** ARN of the RDS instance or Aurora cluster. */
  readonly resourceArn: string;
  readonly accountId: string;
  readonly region: string;
  /** The environment's permissions boundary, for AWS Backup's role. */
  readonly permissionsBoundaryArn: string;
  /** When the daily backup starts (AWS Backup cron, UTC). */
  readonly schedule: string;
  /** Days each daily recovery point is kept. */
  readonly dailyRetentionDays: number;
  /**
   * Days of continuous backup (point-in-time recovery, at most 35): AWS Backup then manages the
   * database's automated backups, whose retention must be the same (config checks it).
   * @default - no continuous backup
   */
  readonly continuousRetentionDays?: number;
  /**
   * Vault Lock in compliance mode, on this vault and the copy's.
   * @default - no lock
   */
  readonly vaultLock?: VaultLock;
  /**
   * Copy each daily recovery point to a vault made in another region (with the provider of that
   * region), and optionally to a vault of another account.
   * @default - no copy
   */
  readonly copyTo?: { readonly region: string; readonly provider: TerraformProvider; readonly retentionDays: number; readonly accountVaultArn?: string };
}

/**
 * AWS Backup of one database, beside RDS's automated backups: a vault encrypted with its own key
 * (and a vault policy that denies deleting recovery points early to everyone), Vault Lock in
 * compliance mode where configured, a plan of daily backups and continuous backups for
 * point-in-time recovery, copies to a vault in another region (and another account), and a
 * selection by the database's ARN, taken by a role of AWS Backup's own, within the boundary.
 * @see https://docs.aws.amazon.com/aws-backup/latest/devguide/vault-lock.html
 */
export class DatabaseBackup extends Construct {
  /** The vault in the database's region. */
  readonly vault: BackupVault;
  /** The vault of the copies, in the other region. */
  readonly copyVault?: BackupVault;
  readonly plan: BackupPlan;

  constructor(scope: Construct, id: string, props: DatabaseBackupProps) {
    super(scope, id);
    if (props.continuousRetentionDays !== undefined && props.continuousRetentionDays > 35) {
      throw new Error(`${this.node.path}: continuous backups are kept 1–35 days (got ${props.continuousRetentionDays})`);
    }
    const name = `${props.identifier}-backups`;
    this.vault = this.vaultIn("vault", name, props.region, props);
    if (props.copyTo) this.copyVault = this.vaultIn("copy-vault", name, props.copyTo.region, props, props.copyTo.provider);

    const copyActions = props.copyTo
      ? [this.copyVault!.arn, ...(props.copyTo.accountVaultArn ? [props.copyTo.accountVaultArn] : [])].map((destinationVaultArn) => ({ destinationVaultArn, lifecycle: { deleteAfter: props.copyTo!.retentionDays } }))
      : undefined;
    this.plan = new BackupPlan(this, "plan", {
      name,
      rule: [
        { ruleName: "daily", targetVaultName: this.vault.name, schedule: props.schedule, startWindow: 60, completionWindow: 360, lifecycle: { deleteAfter: props.dailyRetentionDays }, copyAction: copyActions },
        ...(props.continuousRetentionDays !== undefined
          ? [{ ruleName: "continuous", targetVaultName: this.vault.name, schedule: props.schedule, enableContinuousBackup: true, lifecycle: { deleteAfter: props.continuousRetentionDays } }]
          : []),
      ],
    });
    const role = new Role(this, "role", {
      name: `${props.identifier}-backup`,
      description: `AWS Backup: backs up and restores ${props.identifier}`,
      trust: [serviceTrust("backup.amazonaws.com", props.accountId)],
      permissionsBoundaryArn: props.permissionsBoundaryArn,
      managedPolicyArns: [MANAGED_POLICIES.backupServiceRole, MANAGED_POLICIES.backupRestores],
    });
    new BackupSelection(this, "selection", { name, planId: this.plan.id, iamRoleArn: role.arn, resources: [props.resourceArn] });
  }

  /** A vault with its own key, a policy that refuses early deletes, and the lock where configured. */
  private vaultIn(id: string, name: string, region: string, props: DatabaseBackupProps, provider?: TerraformProvider): BackupVault {
    const key = new EncryptionKey(this, `${id}-key`, {
      description: `Encrypts the AWS Backup recovery points of ${props.identifier} in ${region}`,
      aliasName: `alias/${name}`,
      accountId: props.accountId,
      provider,
    });
    const vault = new BackupVault(this, id, { name, kmsKeyArn: key.arn, forceDestroy: false, provider });
    const policy = new PolicyDocument(this, `${id}-policy-document`, {
      statements: [
        {
          Sid: "DenyEarlyDeletion",
          Effect: "Deny",
          Principal: { AWS: "*" },
          // Recovery points leave by their lifecycle only (which this policy does not govern); the
          // policy itself stays changeable, by Terraform, so it is never a trap.
          Action: ["backup:DeleteRecoveryPoint", "backup:UpdateRecoveryPointLifecycle"],
          Resource: "*",
        },
      ],
    });
    new BackupVaultPolicy(this, `${id}-policy`, { backupVaultName: vault.name, policy: policy.json, provider });
    if (props.vaultLock) {
      new BackupVaultLockConfiguration(this, `${id}-lock`, {
        backupVaultName: vault.name,
        minRetentionDays: props.vaultLock.minRetentionDays,
        maxRetentionDays: props.vaultLock.maxRetentionDays,
        // Setting it makes the lock compliance mode once the days have passed (governance without it).
        changeableForDays: props.vaultLock.changeableForDays,
        provider,
      });
    }
    return vault;
  }
}
