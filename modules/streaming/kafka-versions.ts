import { MSK_EXPRESS_BROKERS, MSK_STANDARD_BROKERS } from "../instance-types/msk";

/**
 * The Apache Kafka versions MSK offers that the project supports: KRaft only. KRaft clusters
 * have no ZooKeeper to patch, size or secure, and MSK cannot move a cluster from ZooKeeper to
 * KRaft in place, so starting on KRaft avoids a migration to a new cluster later.
 * @see https://docs.aws.amazon.com/msk/latest/developerguide/supported-kafka-versions.html
 */
export const KAFKA_VERSIONS = ["3.7.x.kraft", "3.8.x.kraft", "3.9.x.kraft", "4.0.x.kraft", "4.1.x.kraft"] as const;
export type KafkaVersion = (typeof KAFKA_VERSIONS)[number];

/** The last 3.x line: the widest client compatibility (Kafka 4 drops clients older than 2.1). */
export const DEFAULT_KAFKA_VERSION: KafkaVersion = "3.9.x.kraft";

/** The broker for development only: burstable, with the fewest partitions per broker. */
export const DEVELOPMENT_BROKER = "kafka.t3.small";

/**
 * Why a broker type cannot be used, or undefined when it can: a type MSK does not offer (the
 * table is modules/instance-types/msk.ts), or an Express broker, whose storage MSK manages, while
 * this project sizes and autoscales each broker's EBS volume.
 */
export function brokerTypeProblem(instanceType: string): string | undefined {
  if (MSK_STANDARD_BROKERS.includes(instanceType)) return undefined;
  if (MSK_EXPRESS_BROKERS.includes(instanceType)) {
    return `is an Express broker, whose storage MSK manages; the streaming layer sizes and autoscales each broker's EBS volume (volumeSizeGiB, maxVolumeSizeGiB), which Express brokers do not have: use a standard broker such as ${instanceType.replace(/^express\./, "kafka.")}`;
  }
  const family = /^kafka\.([a-z0-9]+)\.[a-z0-9]+$/.exec(instanceType)?.[1];
  const offered = MSK_STANDARD_BROKERS.filter((t) => t.startsWith(`kafka.${family}.`));
  if (family && offered.length) return `is not an MSK broker type: kafka.${family} comes in ${offered.map((t) => t.split(".")[2]).join(", ")}`;
  const families = [...new Set(MSK_STANDARD_BROKERS.filter((t) => t !== DEVELOPMENT_BROKER).map((t) => t.split(".")[1]))];
  return `is not an MSK broker type; allowed: kafka.<family>.<size> with family one of ${families.join(", ")} (kafka.m7g.large, …), or ${DEVELOPMENT_BROKER}`;
}

/** MSK places brokers in two or three client subnets, one per zone. */
export const MAX_BROKER_ZONES = 3;

/** The replication settings a cluster's configuration gets. */
export interface Replication {
  /** `default.replication.factor`. */
  readonly replicationFactor: number;
  /** `min.insync.replicas`. */
  readonly minInsyncReplicas: number;
}

/**
 * Replication derived from the broker count: a replication factor of min(3, brokers), and one
 * replica fewer in sync, so a single broker can be down (patching, failure) while producers
 * with `acks=all` keep writing.
 */
export function defaultReplication(brokers: number, overrides: Partial<Replication> = {}): Replication {
  const replicationFactor = overrides.replicationFactor ?? Math.min(3, brokers);
  return { replicationFactor, minInsyncReplicas: overrides.minInsyncReplicas ?? Math.max(1, replicationFactor - 1) };
}
