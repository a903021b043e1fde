import { type FieldProblem } from "./checks";
import { didYouMean } from "./near";
import { kedaEnabled } from "./platform-schema";
import { type EnvironmentConfig } from "./schema";
import { serviceEntries, serviceField, type ServiceConfig } from "./services";
import { groupPrefixOf } from "./topics";

/**
 * `services.<name>.scaling.kafkaLag`: a service that scales on its consumer group's lag as well as
 * on CPU (KEDA's ScaledObject in place of the HPA). What the checks here refuse would otherwise
 * fail only in the cluster: KEDA's operator could not read the lag (no KEDA, no grant, no Kafka),
 * and the ScaledObject would report an error while the service stayed at its minimum.
 */

/** What a service's lag scaling says (`scaling.kafkaLag`). */
export type KafkaLagSettings = NonNullable<ServiceConfig["scaling"]["kafkaLag"]>;

/** One service's lag scaling, with the service it belongs to. */
export interface KafkaLagScaling extends KafkaLagSettings {
  readonly service: string;
}

/** A group id an IAM policy can name as `group/<cluster>/<uuid>/<id>` (modules/streaming/kafka-cluster.ts, arnOf). */
const GROUP_ID = /^[A-Za-z0-9._-]{1,249}$/;

/** The config path of a field of a service's lag scaling: `services.<name>.scaling.kafkaLag.<field>` (`app.…` for the shorthand). */
export function kafkaLagField(env: Pick<EnvironmentConfig, "servicesSection">, service: string, field?: keyof KafkaLagSettings): string {
  return serviceField(env, service, `scaling.kafkaLag${field ? `.${field}` : ""}`);
}

/** Every service that scales on lag, sorted by service: what KEDA's role is granted, and what each ScaledObject reads. */
export function kafkaLagScalings(env: Pick<EnvironmentConfig, "services">): KafkaLagScaling[] {
  return serviceEntries(env).flatMap(([service, config]) => (config.scaling.kafkaLag ? [{ service, ...config.scaling.kafkaLag }] : []));
}

/**
 * Checks of each `scaling.kafkaLag`: KEDA is on, there is Kafka, the topic is one the service
 * consumes, and the group is under the service's own prefix (the only groups the service may
 * join, and the only ones KEDA's role is granted).
 */
export function checkKafkaLag(env: EnvironmentConfig): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const lag of kafkaLagScalings(env)) {
    const at = (field?: keyof KafkaLagSettings) => kafkaLagField(env, lag.service, field);
    if (!kedaEnabled(env)) {
      problems.push({ field: at(), message: "scales on Kafka lag, which KEDA does, but KEDA is off: set platform.keda.enabled: true (its add-on and the role that reads the lag), or remove this section to scale on CPU alone" });
    }
    const kafka = env.streaming;
    if (!kafka) {
      problems.push({ field: at(), message: "scales on Kafka lag, but the environment has no streaming section: there is no Kafka to read the lag of; add streaming, or remove this section" });
      continue;
    }
    const consumed = Object.entries(kafka.topics)
      .filter(([, topic]) => topic.consumers.includes(lag.service))
      .map(([name]) => name)
      .sort();
    if (!consumed.includes(lag.topic)) {
      problems.push({
        field: at("topic"),
        value: lag.topic,
        message: `is not a topic service ${lag.service} consumes (streaming.topics.<topic>.consumers)${didYouMean(lag.topic, consumed)}: its lag is no work of this service's; allowed: ${consumed.join(", ") || `none: no topic lists ${lag.service} among its consumers`}`,
      });
    }
    const prefix = groupPrefixOf(kafka, lag.service);
    if (!lag.group.startsWith(prefix)) {
      problems.push({
        field: at("group"),
        value: lag.group,
        message: `is not under the consumer-group prefix of service ${lag.service}, "${prefix}" (streaming.groupPrefixes): the service may join only those groups, and KEDA's role may read only those; allowed: a group id starting with "${prefix}"`,
      });
    } else if (!GROUP_ID.test(lag.group)) {
      problems.push({ field: at("group"), value: lag.group, message: "is not a group id an IAM policy can name (MSK's group ARNs); allowed: 1–249 of ASCII letters, digits, '.', '_' and '-'" });
    }
  }
  return problems;
}
