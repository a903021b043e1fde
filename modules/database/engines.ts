import { DB_CLASS_FAMILIES, dbInstanceClasses } from "../instance-types/rds";

/**
 * The PostgreSQL engines and versions the project supports, and which instance classes fit
 * which engine: the one list config validation and the database module share.
 */

/** `postgres` is RDS (one instance, optionally Multi-AZ); `aurora-postgresql` is an Aurora cluster (a writer plus readers, or Serverless v2). */
export const DATABASE_ENGINES = ["postgres", "aurora-postgresql"] as const;
export type DatabaseEngine = (typeof DATABASE_ENGINES)[number];

/**
 * Major PostgreSQL versions offered on both RDS and Aurora. Only the major is pinned: RDS and
 * Aurora pick the newest minor, and `auto_minor_version_upgrade` keeps it current in the
 * maintenance window (the provider ignores the minor it reads back). A major upgrade is a change
 * of this value, reviewed like any other; the parameter group of the new family is created
 * before the old one is removed.
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/PostgreSQLReleaseNotes/postgresql-release-calendar.html
 */
export const POSTGRES_VERSIONS = ["14", "15", "16", "17"] as const;
export type PostgresVersion = (typeof POSTGRES_VERSIONS)[number];
export const DEFAULT_POSTGRES_VERSION: PostgresVersion = "17";

/** The parameter-group family of an engine and major version (`postgres17`, `aurora-postgresql17`). */
export function parameterFamily(engine: DatabaseEngine, version: PostgresVersion): string {
  return `${engine}${version}`;
}

/** Families of burstable classes: for development only (on Aurora, only a few sizes). */
const BURSTABLE_FAMILIES = ["t3", "t4g"];

/** Instance families RDS for PostgreSQL offers (db.<family>.<size>; the sizes are in modules/instance-types/rds.ts). */
export const RDS_INSTANCE_FAMILIES: readonly string[] = Object.keys(DB_CLASS_FAMILIES).filter((f) => DB_CLASS_FAMILIES[f]?.postgres);

/** Instance families Aurora PostgreSQL offers for provisioned instances, and its burstable classes (for development only). */
export const AURORA_INSTANCE_FAMILIES: readonly string[] = Object.keys(DB_CLASS_FAMILIES).filter((f) => DB_CLASS_FAMILIES[f]?.["aurora-postgresql"] && !BURSTABLE_FAMILIES.includes(f));
export const AURORA_BURSTABLE_CLASSES: readonly string[] = dbInstanceClasses("aurora-postgresql").filter((c) => BURSTABLE_FAMILIES.some((f) => c.startsWith(`db.${f}.`)));

/** The instance class of Aurora Serverless v2 instances, whose size is a capacity range in ACUs. */
export const SERVERLESS_CLASS = "db.serverless";

/** Aurora Serverless v2 capacity limits, in Aurora capacity units (0 lets an idle cluster pause). */
export const SERVERLESS_CAPACITY = { min: 0, max: 256, step: 0.5 } as const;

/**
 * Why an instance class does not fit an engine, or undefined when it does: a family the engine
 * does not offer, or a size its family does not come in (a typo such as db.t4g.mediun).
 */
export function instanceClassProblem(engine: DatabaseEngine, instanceClass: string): string | undefined {
  const [, family, size] = /^db\.([a-z0-9]+)\.([a-z0-9]+)$/.exec(instanceClass) ?? [];
  const sizes = family ? DB_CLASS_FAMILIES[family]?.[engine] : undefined;
  const name = engine === "postgres" ? "an RDS for PostgreSQL class" : "an Aurora PostgreSQL class";
  if (engine === "postgres" && instanceClass === SERVERLESS_CLASS) return `db.serverless is Aurora Serverless v2; RDS for PostgreSQL needs a provisioned class such as db.m7g.large, or engine aurora-postgresql`;
  if (engine === "aurora-postgresql" && instanceClass === SERVERLESS_CLASS) return undefined;
  if (sizes?.includes(size as string)) return undefined;
  // Aurora's burstable classes are few: the message that lists them says more than a size list.
  if (sizes && (engine === "postgres" || !BURSTABLE_FAMILIES.includes(family as string))) return `is not ${name}: db.${family} comes in ${sizes.join(", ")}`;
  if (engine === "postgres") return `is not ${name}; allowed: db.<family>.<size> with family one of ${RDS_INSTANCE_FAMILIES.join(", ")}`;
  return `is not ${name}; allowed: db.serverless (Serverless v2), db.<family>.<size> with family one of ${AURORA_INSTANCE_FAMILIES.join(", ")}, or ${AURORA_BURSTABLE_CLASSES.join(", ")}`;
}

/** Why a Serverless v2 capacity range is invalid, or undefined when it is valid. */
export function serverlessCapacityProblem(capacity: { readonly minCapacity: number; readonly maxCapacity: number }): string | undefined {
  const { min, max, step } = SERVERLESS_CAPACITY;
  const onStep = (n: number) => Number.isInteger(n / step);
  if (![capacity.minCapacity, capacity.maxCapacity].every(onStep)) return `capacities must be multiples of ${step} ACU`;
  if (capacity.minCapacity < min || capacity.maxCapacity > max) return `capacities must be within ${min}–${max} ACU`;
  if (capacity.maxCapacity < 1) return "maxCapacity must be at least 1 ACU";
  if (capacity.minCapacity > capacity.maxCapacity) return `minCapacity (${capacity.minCapacity}) is above maxCapacity (${capacity.maxCapacity})`;
  return undefined;
}
