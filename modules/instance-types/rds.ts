/**
 * The DB instance classes of RDS for PostgreSQL and Aurora PostgreSQL (`db.<family>.<size>`),
 * by family, with the sizes each engine offers: the one list the database module and config
 * validation share (modules/database/engines.ts says which engine takes which).
 *
 * Where the facts come from (as of 2026-12): "Supported DB engines for DB instance classes" in
 * the RDS User Guide (the PostgreSQL column) and in the Aurora User Guide (Aurora PostgreSQL).
 * A class has the hardware of the EC2 type of the same name (./ec2.ts). Burstable classes are
 * for development: Aurora offers only the three below.
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.DBInstanceClass.Support.html
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.DBInstanceClass.SupportAurora.html
 */

/** The sizes of one family on each engine (a missing engine does not offer the family). */
export interface DbClassFamily {
  /** RDS for PostgreSQL. */
  readonly postgres?: readonly string[];
  /** Aurora PostgreSQL (provisioned instances). */
  readonly "aurora-postgresql"?: readonly string[];
}

const sizes = (list: string) => list.split(" ");
const UP_TO_16X = sizes("large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge");
const UP_TO_24X = sizes("large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge");
const UP_TO_32X = sizes("large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 32xlarge");
const UP_TO_48X = sizes("large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 48xlarge");
const BURSTABLE = sizes("micro small medium large xlarge 2xlarge");
/** Aurora's Optimized Reads classes start at xlarge. */
const OPTIMIZED_READS_16X = sizes("xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge");
const OPTIMIZED_READS_32X = sizes("xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 32xlarge");

/** The DB instance class families, `db.` and size left out. */
export const DB_CLASS_FAMILIES: Readonly<Record<string, DbClassFamily>> = {
  t3: { postgres: BURSTABLE, "aurora-postgresql": ["medium"] },
  t4g: { postgres: BURSTABLE, "aurora-postgresql": ["medium", "large"] },
  m5: { postgres: UP_TO_24X },
  m5d: { postgres: UP_TO_24X },
  m6g: { postgres: UP_TO_16X },
  m6gd: { postgres: UP_TO_16X },
  m6i: { postgres: UP_TO_32X },
  m6id: { postgres: UP_TO_32X },
  m7g: { postgres: UP_TO_16X },
  m7i: { postgres: UP_TO_48X },
  m8g: { postgres: UP_TO_48X },
  r5: { postgres: UP_TO_24X, "aurora-postgresql": UP_TO_24X },
  r5b: { postgres: UP_TO_24X },
  r5d: { postgres: UP_TO_24X },
  r6g: { postgres: UP_TO_16X, "aurora-postgresql": UP_TO_16X },
  r6gd: { postgres: UP_TO_16X, "aurora-postgresql": OPTIMIZED_READS_16X },
  r6i: { postgres: UP_TO_32X, "aurora-postgresql": UP_TO_32X },
  r6id: { postgres: UP_TO_32X, "aurora-postgresql": OPTIMIZED_READS_32X },
  r7g: { postgres: UP_TO_16X, "aurora-postgresql": UP_TO_16X },
  r7i: { postgres: UP_TO_48X, "aurora-postgresql": UP_TO_48X },
  r8g: { postgres: UP_TO_48X, "aurora-postgresql": UP_TO_48X },
  x2g: { "aurora-postgresql": UP_TO_16X },
};

/** Every class an engine offers, `db.m7g.large` and so on (for "did you mean"). */
export function dbInstanceClasses(engine: keyof DbClassFamily): string[] {
  return Object.entries(DB_CLASS_FAMILIES).flatMap(([family, offered]) => (offered[engine] ?? []).map((size) => `db.${family}.${size}`));
}
