import { type DatabaseEngine, instanceClassProblem, SERVERLESS_CLASS, serverlessCapacityProblem } from "../modules/database/engines";
import { MSK_EXPRESS_BROKERS, MSK_STANDARD_BROKERS } from "../modules/instance-types/msk";
import { DB_CLASS_FAMILIES, dbInstanceClasses } from "../modules/instance-types/rds";
import { AUDIT_CLASSES } from "../modules/database/settings";
import { brokerTypeProblem, defaultReplication, MAX_BROKER_ZONES } from "../modules/streaming/kafka-versions";
import { type FieldProblem } from "./checks";
import { didYouMean } from "./near";
import { type EnvironmentConfig } from "./schema";

/** Checks of the database section that need more than one field. */
export function checkDatabase(env: EnvironmentConfig): FieldProblem[] {
  const db = env.database;
  if (!db) return [];
  const problems: FieldProblem[] = [];
  const aurora = db.engine === "aurora-postgresql";
  const classProblem = instanceClassProblem(db.engine, db.instanceClass);
  if (classProblem) problems.push({ field: "database.instanceClass", value: db.instanceClass, message: classProblem + classHint(db.engine, db.instanceClass) });
  if (db.instanceClass === SERVERLESS_CLASS && aurora) {
    if (!db.serverless) problems.push({ field: "database.serverless", message: "is required with instanceClass db.serverless: set minCapacity and maxCapacity (ACUs)" });
    else {
      const capacityProblem = serverlessCapacityProblem(db.serverless);
      if (capacityProblem) problems.push({ field: "database.serverless", value: db.serverless, message: capacityProblem });
    }
  } else if (db.serverless) {
    problems.push({ field: "database.serverless", value: db.serverless, message: "applies only to Aurora with instanceClass db.serverless; remove it, or set engine aurora-postgresql and instanceClass db.serverless" });
  }
  if (aurora && db.multiAz) {
    problems.push({ field: "database.multiAz", value: true, message: "is for RDS; Aurora is highly available through readers in other zones: set database.readers instead" });
  }
  if (!aurora && db.readers > 0) {
    problems.push({ field: "database.readers", value: db.readers, message: "is for Aurora; RDS for PostgreSQL is made highly available with multiAz: true" });
  }
  if (!aurora && db.maxAllocatedStorageGiB < db.allocatedStorageGiB) {
    problems.push({
      field: "database.maxAllocatedStorageGiB",
      value: db.maxAllocatedStorageGiB,
      message: `is below allocatedStorageGiB (${db.allocatedStorageGiB}); storage autoscaling can only grow the volume: allowed: ${db.allocatedStorageGiB} or more`,
    });
  }
  if (windowsOverlap(db.backupWindow, db.maintenanceWindow)) {
    problems.push({ field: "database.backupWindow", value: db.backupWindow, message: `overlaps the maintenance window ${db.maintenanceWindow}, which RDS refuses; move one of them` });
  }
  if (db.extendedSupport && !db.reasons.extendedSupport) {
    problems.push({
      field: "database.extendedSupport",
      value: true,
      message: "enrols the database in paid RDS Extended Support once its major version leaves standard support, billed per vCPU-hour; write why in database.reasons.extendedSupport, or leave it off and upgrade the major version in time",
    });
  }
  problems.push(...backupProblems(env));
  if (env.production) {
    const missing = (["ddl", "role"] as const).filter((c) => !db.auditLog.includes(c));
    if (missing.length) {
      problems.push({ field: "database.auditLog", value: db.auditLog, message: `a production database must audit schema and permission changes; add ${missing.join(" and ")} (allowed: ${AUDIT_CLASSES.join(", ")})` });
    }
    const singleZone = aurora ? db.readers === 0 : !db.multiAz;
    if (singleZone && !db.reasons.multiAz) {
      problems.push(
        aurora
          ? { field: "database.readers", value: 0, message: "a production Aurora cluster needs a reader in another zone to fail over to; allowed: 1 or more, or a written database.reasons.multiAz" }
          : { field: "database.multiAz", value: false, message: "a production database needs a standby in another zone; allowed: true, or a written database.reasons.multiAz" },
      );
    }
    if (!db.deletionProtection && !db.reasons.deletionProtection) {
      problems.push({ field: "database.deletionProtection", value: false, message: "a production database must have deletion protection; allowed: true, or a written database.reasons.deletionProtection" });
    }
  }
  return problems;
}

/**
 * "Did you mean" for a DB instance class that is a typo: a size its family lacks, or a family no
 * engine has. A real family of the other engine (db.m7g on Aurora) gets none: the message lists
 * the engine's families, and the nearest class of another family would mislead.
 */
function classHint(engine: DatabaseEngine, instanceClass: string): string {
  const family = instanceClass.split(".")[1] ?? "";
  const known = DB_CLASS_FAMILIES[family];
  return !known || known[engine] ? didYouMean(instanceClass, dbInstanceClasses(engine)) : "";
}

/** Whether an environment's database is backed up with AWS Backup: as config says, or in production. */
export function backupEnabled(env: Pick<EnvironmentConfig, "production" | "database">): boolean {
  return env.database?.backup.enabled ?? env.production;
}

function backupProblems(env: EnvironmentConfig): FieldProblem[] {
  const db = env.database!;
  const { backup } = db;
  const problems: FieldProblem[] = [];
  if (env.production && backup.enabled === false && !db.reasons.backup) {
    problems.push({ field: "database.backup.enabled", value: false, message: "a production database is backed up with AWS Backup, into a locked vault and another region; allowed: true, or a written database.reasons.backup" });
  }
  if (!backupEnabled(env)) return problems;
  if (env.production && !backup.vaultLock) {
    problems.push({
      field: "database.backup.vaultLock",
      message: "is required in production: Vault Lock in compliance mode keeps recovery points from being deleted early, by anyone; set minRetentionDays and maxRetentionDays (irreversible after changeableForDays, 3 by default)",
    });
  }
  const lock = backup.vaultLock;
  if (lock) {
    if (lock.maxRetentionDays < lock.minRetentionDays) problems.push({ field: "database.backup.vaultLock.maxRetentionDays", value: lock.maxRetentionDays, message: `is below minRetentionDays (${lock.minRetentionDays}); allowed: ${lock.minRetentionDays} or more` });
    const kept = [
      ["database.backup.dailyRetentionDays", backup.dailyRetentionDays],
      ...(backup.continuous ? [["database.backupRetentionDays", db.backupRetentionDays]] : []),
      ...(backup.copyTo ? [["database.backup.copyTo.retentionDays", backup.copyTo.retentionDays]] : []),
    ] as Array<[string, number]>;
    for (const [field, days] of kept) {
      if (days < lock.minRetentionDays || days > lock.maxRetentionDays) {
        problems.push({ field, value: days, message: `is outside the vault lock's retention (${lock.minRetentionDays}–${lock.maxRetentionDays} days), which AWS Backup refuses; allowed: ${lock.minRetentionDays}–${lock.maxRetentionDays}` });
      }
    }
  }
  if (backup.copyTo?.region === env.account.region) {
    problems.push({ field: "database.backup.copyTo.region", value: backup.copyTo.region, message: `is the environment's own region: a copy there does not survive losing it; allowed: any other region` });
  }
  return problems;
}

/** Checks of the streaming section that need more than one field. */
export function checkStreaming(env: EnvironmentConfig): FieldProblem[] {
  const kafka = env.streaming;
  if (!kafka) return [];
  const problems: FieldProblem[] = [];
  const zones = brokerZones(env);
  const typeProblem = brokerTypeProblem(kafka.instanceType);
  const express = MSK_EXPRESS_BROKERS.includes(kafka.instanceType);
  if (typeProblem) problems.push({ field: "streaming.instanceType", value: kafka.instanceType, message: typeProblem + (express ? "" : didYouMean(kafka.instanceType, MSK_STANDARD_BROKERS)) });
  if (kafka.zones !== undefined && kafka.zones > env.network.azCount) {
    const most = Math.min(env.network.azCount, MAX_BROKER_ZONES);
    problems.push({
      field: "streaming.zones",
      value: kafka.zones,
      message: `is more than network.azCount (${env.network.azCount}): brokers go in the data subnets, one zone each, and the VPC has subnets in ${env.network.azCount} zones; allowed: ${most === 2 ? "2" : `2–${most}`}`,
    });
  }
  // MSK requires the broker count to be a multiple of the client subnets (zones) and spreads
  // brokers evenly over them (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/msk_cluster, number_of_broker_nodes).
  if (kafka.brokers % zones !== 0) {
    const from = kafka.zones === undefined ? `network.azCount, at most ${MAX_BROKER_ZONES}` : "streaming.zones";
    problems.push({
      field: "streaming.brokers",
      value: kafka.brokers,
      message: `must be a multiple of the ${zones} broker zones (${from}), so every zone has the same number of brokers; allowed: ${zones}, ${zones * 2}, ${zones * 3}, …`,
    });
  }
  if (env.production && kafka.brokers < 3) {
    problems.push({ field: "streaming.brokers", value: kafka.brokers, message: "a production cluster needs at least 3 brokers, so a topic keeps 3 replicas and survives losing one; allowed: 3 or more" });
  }
  const { replicationFactor, minInsyncReplicas } = defaultReplication(kafka.brokers, { replicationFactor: kafka.replicationFactor, minInsyncReplicas: kafka.minInsyncReplicas });
  if (replicationFactor > kafka.brokers) {
    problems.push({ field: "streaming.replicationFactor", value: replicationFactor, message: `is above the broker count (${kafka.brokers}): a partition cannot have more replicas than there are brokers; allowed: 1–${kafka.brokers}` });
  }
  if (minInsyncReplicas >= replicationFactor) {
    problems.push({
      field: "streaming.minInsyncReplicas",
      value: minInsyncReplicas,
      message: `must be below the replication factor (${replicationFactor}), or one broker down stops every acks=all producer; allowed: 1–${Math.max(1, replicationFactor - 1)}`,
    });
  }
  if (kafka.maxVolumeSizeGiB < kafka.volumeSizeGiB) {
    problems.push({ field: "streaming.maxVolumeSizeGiB", value: kafka.maxVolumeSizeGiB, message: `is below volumeSizeGiB (${kafka.volumeSizeGiB}); storage autoscaling can only grow volumes: allowed: ${kafka.volumeSizeGiB} or more` });
  }
  return problems;
}

/**
 * How many zones (data subnets) MSK places brokers in: `streaming.zones`, or every zone of the
 * environment, at most three. The streaming stack passes the data subnets of the first this many
 * zones, in the region's order, so the choice is stable.
 */
export function brokerZones(env: Pick<EnvironmentConfig, "network" | "streaming">): number {
  return env.streaming?.zones ?? Math.min(env.network.azCount, MAX_BROKER_ZONES);
}

/** What the synth prints about valid data config: every accepted weaker production setting, and paid extended support, with its reason. */
export function dataWarnings(env: EnvironmentConfig): FieldProblem[] {
  const db = env.database;
  if (!db) return [];
  const warnings: FieldProblem[] = [];
  if (env.production && db.backup.enabled === false && db.reasons.backup) {
    warnings.push({ field: "database.reasons.backup", message: `production database runs without AWS Backup, accepted because: ${db.reasons.backup}` });
  }
  if (db.extendedSupport && db.reasons.extendedSupport) {
    warnings.push({ field: "database.reasons.extendedSupport", message: `database enrols in paid RDS Extended Support after its major version's standard support, accepted because: ${db.reasons.extendedSupport}` });
  }
  if (!env.production) return warnings;
  const singleZone = db.engine === "aurora-postgresql" ? db.readers === 0 : !db.multiAz;
  if (singleZone && db.reasons.multiAz) warnings.push({ field: "database.reasons.multiAz", message: `production database runs in one zone, accepted because: ${db.reasons.multiAz}` });
  if (!db.deletionProtection && db.reasons.deletionProtection) {
    warnings.push({ field: "database.reasons.deletionProtection", message: `production database runs without deletion protection, accepted because: ${db.reasons.deletionProtection}` });
  }
  return warnings;
}

/** Whether a daily `hh:mm-hh:mm` window overlaps a weekly `ddd:hh:mm-ddd:hh:mm` one (all UTC). */
function windowsOverlap(daily: string, weekly: string): boolean {
  const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
  const WEEK = 7 * 1440;
  const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  const weekMinute = (ddd: string) => DAYS.indexOf(ddd.slice(0, 3)) * 1440 + minutes(ddd.slice(4));
  const wStart = weekMinute(weekly.slice(0, 9));
  const wEnd = weekMinute(weekly.slice(10));
  const weeklyRanges: Array<[number, number]> = wEnd > wStart ? [[wStart, wEnd]] : [[wStart, WEEK], [0, wEnd]];
  const dStart = minutes(daily.slice(0, 5));
  const dEnd = minutes(daily.slice(6));
  const length = dEnd > dStart ? dEnd - dStart : dEnd + 1440 - dStart;
  // Each day's backup window, and the one that starts on Sunday and runs into Monday.
  const dailyRanges: Array<[number, number]> = [...DAYS.keys()].flatMap((day): Array<[number, number]> => {
    const start = day * 1440 + dStart;
    return [[start, start + length], [start - WEEK, start + length - WEEK]];
  });
  return dailyRanges.some(([s, e]) => weeklyRanges.some(([a, b]) => s < b && a < e));
}
