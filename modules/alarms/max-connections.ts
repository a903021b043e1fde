import { lookupInstanceType } from "../instance-types/ec2";

/** Bytes RDS divides the class's memory by for PostgreSQL's default max_connections. */
const BYTES_PER_CONNECTION = 9531392;
/** The default's ceiling. */
const MOST_CONNECTIONS = 5000;
/** Memory of one Aurora capacity unit (ACU), GiB. */
const GIB_PER_ACU = 2;
/** DB classes whose hardware is an EC2 type of another name (there is no x2g in EC2: x2gd is the same machine with local disks). */
const SAME_HARDWARE: Readonly<Record<string, string>> = { x2g: "x2gd" };

/**
 * The default `max_connections` of RDS for PostgreSQL and Aurora PostgreSQL on an instance class:
 * `LEAST({DBInstanceClassMemory/9531392}, 5000)`, with the class's memory (a class has the memory
 * of the EC2 type of the same name, modules/instance-types/ec2.ts). DBInstanceClassMemory is that
 * memory less what RDS reserves for the OS and its agents (a few percent: 413 connections on a
 * 4 GiB class rather than 450), so this is an upper bound: an alarm at 80% of it fires at a
 * slightly higher share of the real limit. Aurora Serverless v2 sizes it by the maximum
 * capacity (2 GiB per ACU). The project never sets max_connections in its parameter groups.
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_Limits.html#RDS_Limits.MaxConnections
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraPostgreSQL.Managing.html#AuroraPostgreSQL.Managing.MaxConnections
 */
export function defaultMaxConnections(instanceClass: string, serverlessMaxCapacity?: number): number {
  const memoryGiB = instanceClass === "db.serverless" ? (serverlessMaxCapacity ?? Number.NaN) * GIB_PER_ACU : classMemoryGiB(instanceClass);
  if (!Number.isFinite(memoryGiB) || memoryGiB <= 0) throw new Error(`no memory known for instance class ${instanceClass}${instanceClass === "db.serverless" ? " without a maximum capacity" : ""}`);
  return Math.min(Math.floor((memoryGiB * 1024 ** 3) / BYTES_PER_CONNECTION), MOST_CONNECTIONS);
}

function classMemoryGiB(instanceClass: string): number {
  const [prefix, family = "", size = ""] = instanceClass.split(".");
  if (prefix !== "db") return Number.NaN;
  const found = lookupInstanceType(`${SAME_HARDWARE[family] ?? family}.${size}`);
  return found.kind === "known" ? found.shape.memoryGiB : Number.NaN;
}
