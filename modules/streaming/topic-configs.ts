import { type KafkaVersion } from "./kafka-versions";

/**
 * Topic-level configuration names Apache Kafka documents, per version: the generated
 * `topic_config.html` of apache/kafka-site (`36/`, `38/`, `39/`, `40/`, `41/generated/`). 3.7's
 * page is not published there; its names are 3.6's, which differ from 3.8's only by the three
 * compression levels of KIP-390 (released in 3.8).
 */

/** In every supported version. */
const COMMON = [
  "cleanup.policy", "compression.type", "delete.retention.ms", "file.delete.delay.ms", "flush.messages", "flush.ms",
  "follower.replication.throttled.replicas", "index.interval.bytes", "leader.replication.throttled.replicas",
  "local.retention.bytes", "local.retention.ms", "max.compaction.lag.ms", "max.message.bytes",
  "message.timestamp.after.max.ms", "message.timestamp.before.max.ms", "message.timestamp.type",
  "min.cleanable.dirty.ratio", "min.compaction.lag.ms", "min.insync.replicas", "preallocate", "remote.storage.enable",
  "retention.bytes", "retention.ms", "segment.bytes", "segment.index.bytes", "segment.jitter.ms", "segment.ms",
  "unclean.leader.election.enable",
] as const;

/** Removed in 4.0 (KIP-724: message formats v0 and v1 are gone). */
const BEFORE_4 = ["message.downconversion.enable", "message.format.version", "message.timestamp.difference.max.ms"] as const;
/** KIP-390, 3.8. */
const COMPRESSION_LEVELS = ["compression.gzip.level", "compression.lz4.level", "compression.zstd.level"] as const;
/** KIP-950, 3.9. */
const REMOTE_LOG_SWITCHES = ["remote.log.copy.disable", "remote.log.delete.on.disable"] as const;

/** The topic configuration names a Kafka version accepts, sorted. */
export const TOPIC_CONFIGS: Readonly<Record<KafkaVersion, readonly string[]>> = {
  "3.7.x.kraft": [...COMMON, ...BEFORE_4].sort(),
  "3.8.x.kraft": [...COMMON, ...BEFORE_4, ...COMPRESSION_LEVELS].sort(),
  "3.9.x.kraft": [...COMMON, ...BEFORE_4, ...COMPRESSION_LEVELS, ...REMOTE_LOG_SWITCHES].sort(),
  "4.0.x.kraft": [...COMMON, ...COMPRESSION_LEVELS, ...REMOTE_LOG_SWITCHES].sort(),
  "4.1.x.kraft": [...COMMON, ...COMPRESSION_LEVELS, ...REMOTE_LOG_SWITCHES].sort(),
};

/** Topic configs that have a field of their own in config (`streaming.topics.<name>.<field>`): set there, never in `configs`. */
export const TOPIC_CONFIG_FIELDS: Readonly<Record<string, string>> = {
  "cleanup.policy": "cleanupPolicy",
  "min.insync.replicas": "minInsyncReplicas",
  "retention.bytes": "retentionBytes",
  "retention.ms": "retentionHours",
};

/** Kafka's longest topic name (`org.apache.kafka.common.internals.Topic.MAX_NAME_LENGTH`). */
export const MAX_TOPIC_NAME_LENGTH = 249;

/**
 * Why Kafka refuses a topic name, in Kafka's words (`Topic.detectInvalidTopic` of apache/kafka
 * `clients/.../common/internals/Topic.java`), or undefined when it is valid. Names starting with
 * `__` are also refused here: Kafka and MSK keep their internal topics there
 * (`__consumer_offsets`, `__amazon_msk_canary`).
 */
export function topicNameProblem(name: string): string | undefined {
  if (name === "") return "the empty string is not allowed";
  if (name === "." || name === "..") return `'${name}' is not allowed`;
  if (name.length > MAX_TOPIC_NAME_LENGTH) return `is longer than the max allowed length ${MAX_TOPIC_NAME_LENGTH}`;
  if (!/^[a-zA-Z0-9._-]+$/.test(name)) return "contains one or more characters other than ASCII alphanumerics, '.', '_' and '-'";
  if (name.startsWith("__")) return "starts with __, where Kafka and MSK keep their internal topics (__consumer_offsets, __amazon_msk_canary)";
  return undefined;
}

/**
 * The name two topics collide on: Kafka's metric names turn `.` into `_`, so it refuses a topic
 * whose name equals another's after that (`Topic.unifyCollisionChars`; KRaft's
 * ReplicationControlManager: "collides with existing topic").
 */
export function collisionKey(name: string): string {
  return name.replace(/\./g, "_");
}
