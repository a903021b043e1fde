import { collisionKey, TOPIC_CONFIG_FIELDS, TOPIC_CONFIGS, topicNameProblem } from "../modules/streaming/topic-configs";
import { defaultReplication } from "../modules/streaming/kafka-versions";
import { type FieldProblem } from "./checks";
import { didYouMean } from "./near";
import { type EnvironmentConfig } from "./schema";
import { serviceNames } from "./services";

/**
 * Kafka topics and consumer groups of an environment, resolved from `streaming.topics` and
 * `streaming.groupPrefixes` with the cluster's defaults, and their checks. The streaming stack
 * creates and grants exactly what {@link resolvedTopics} returns.
 */

/** One topic with every setting decided. */
export interface ResolvedTopic {
  readonly name: string;
  readonly partitions: number;
  readonly replicationFactor: number;
  /** The topic's configs as Kafka names them, values as strings, sorted by name. */
  readonly configs: Readonly<Record<string, string>>;
  readonly producers: readonly string[];
  readonly consumers: readonly string[];
}

const HOUR_MS = 3_600_000;

/** The environment's topics, sorted by name, with the cluster's defaults filled in. */
export function resolvedTopics(env: EnvironmentConfig): ResolvedTopic[] {
  const kafka = env.streaming;
  if (!kafka) return [];
  const cluster = defaultReplication(kafka.brokers, { replicationFactor: kafka.replicationFactor, minInsyncReplicas: kafka.minInsyncReplicas });
  return Object.entries(kafka.topics)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, topic]) => {
      const replicationFactor = topic.replicationFactor ?? cluster.replicationFactor;
      const configs: Record<string, string> = {
        ...Object.fromEntries(Object.entries(topic.configs).map(([k, v]) => [k, String(v)])),
        "cleanup.policy": topic.cleanupPolicy,
        "min.insync.replicas": String(topic.minInsyncReplicas ?? Math.min(cluster.minInsyncReplicas, Math.max(1, replicationFactor - 1))),
        "retention.bytes": String(topic.retentionBytes),
        "retention.ms": String(topic.retentionHours === -1 ? -1 : topic.retentionHours * HOUR_MS),
      };
      const sorted = Object.fromEntries(Object.keys(configs).sort().map((k) => [k, configs[k] as string]));
      return { name, partitions: topic.partitions ?? kafka.defaultPartitions, replicationFactor, configs: sorted, producers: [...topic.producers].sort(), consumers: [...topic.consumers].sort() };
    });
}

/** The consumer-group prefix of each service that consumes a topic: as config says, or `<service>.`. */
export function groupPrefixes(env: EnvironmentConfig): Record<string, string> {
  const kafka = env.streaming;
  if (!kafka) return {};
  const consumers = [...new Set(Object.values(kafka.topics).flatMap((t) => t.consumers))].sort();
  return Object.fromEntries(consumers.map((service) => [service, groupPrefixOf(kafka, service)]));
}

/** One service's consumer-group prefix: as `streaming.groupPrefixes` says, or `<service>.`. */
export function groupPrefixOf(kafka: Pick<NonNullable<EnvironmentConfig["streaming"]>, "groupPrefixes">, service: string): string {
  return kafka.groupPrefixes[service] ?? `${service}.`;
}

/** Checks of `streaming.topics` and `streaming.groupPrefixes`. */
export function checkTopics(env: EnvironmentConfig): FieldProblem[] {
  const kafka = env.streaming;
  if (!kafka) return [];
  const problems: FieldProblem[] = [];
  const services = serviceNames(env);
  const allowedServices = services.length ? services.join(", ") : "none: the environment has no app";
  const known = TOPIC_CONFIGS[kafka.kafkaVersion];
  const cluster = defaultReplication(kafka.brokers, { replicationFactor: kafka.replicationFactor, minInsyncReplicas: kafka.minInsyncReplicas });
  const seen = new Map<string, string>();
  for (const [name, topic] of Object.entries(kafka.topics)) {
    const at = `streaming.topics.${name}`;
    const nameProblem = topicNameProblem(name);
    if (nameProblem) problems.push({ field: at, value: name, message: `is not a topic name Kafka accepts: ${nameProblem}; allowed: 1–249 of ASCII letters, digits, '.', '_' and '-'` });
    const other = seen.get(collisionKey(name));
    if (other !== undefined) {
      problems.push({ field: at, value: name, message: `collides with topic "${other}": Kafka's metric names turn '.' into '_', so it refuses both; use either '.' or '_' in topic names, not both` });
    }
    seen.set(collisionKey(name), name);
    const replicationFactor = topic.replicationFactor ?? cluster.replicationFactor;
    if (replicationFactor > kafka.brokers) {
      problems.push({ field: `${at}.replicationFactor`, value: replicationFactor, message: `is above the broker count (${kafka.brokers}): a partition cannot have more replicas than there are brokers; allowed: 1–${kafka.brokers}` });
    }
    if (env.production && replicationFactor < Math.min(3, kafka.brokers)) {
      problems.push({ field: `${at}.replicationFactor`, value: replicationFactor, message: `a production topic keeps ${Math.min(3, kafka.brokers)} copies, so losing a broker loses no data; allowed: ${Math.min(3, kafka.brokers)}–${kafka.brokers}` });
    }
    const isr = topic.minInsyncReplicas;
    if (isr !== undefined && isr > Math.max(1, replicationFactor - 1)) {
      problems.push({
        field: `${at}.minInsyncReplicas`,
        value: isr,
        message: `must be below the replication factor (${replicationFactor}), or one broker down stops every acks=all producer of the topic; allowed: 1–${Math.max(1, replicationFactor - 1)}`,
      });
    }
    for (const key of Object.keys(topic.configs)) {
      const field = TOPIC_CONFIG_FIELDS[key];
      if (field) problems.push({ field: `${at}.configs.${key}`, message: `is set with ${at}.${field}, not in configs` });
      else if (!known.includes(key)) {
        problems.push({ field: `${at}.configs.${key}`, message: `is not a topic config of Kafka ${kafka.kafkaVersion.replace(".x.kraft", "")}${didYouMean(key, known)}; allowed: ${known.filter((k) => !TOPIC_CONFIG_FIELDS[k]).join(", ")}` });
      }
    }
    if (topic.producers.length === 0 && services.length > 0) {
      problems.push({ field: `${at}.producers`, value: [], message: `lists no service: nothing of this environment may write to the topic, so it would stay empty; allowed: one or more of ${allowedServices}` });
    }
    for (const role of ["producers", "consumers"] as const) {
      topic[role].forEach((service, i) => {
        if (!services.includes(service)) problems.push({ field: `${at}.${role}.${i}`, value: service, message: `is not a service of this environment${didYouMean(service, services)}; allowed: ${allowedServices}` });
      });
    }
  }
  const consuming = new Set(Object.values(kafka.topics).flatMap((t) => t.consumers));
  for (const service of Object.keys(kafka.groupPrefixes)) {
    if (!consuming.has(service)) {
      problems.push({ field: `streaming.groupPrefixes.${service}`, value: service, message: `names no service that consumes a topic, so it grants nothing; allowed: ${[...consuming].sort().join(", ") || "none: no topic lists consumers"}` });
    }
  }
  return problems;
}
