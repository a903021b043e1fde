import { Construct } from "constructs";
import { MskTopic } from "../../.gen/providers/aws/msk-topic";

/** Props of {@link KafkaTopic}. */
export interface KafkaTopicProps {
  /** ARN of the MSK cluster (provisioned, Kafka 3.6 or newer: MSK's topic APIs need it). */
  readonly clusterArn: string;
  /** The topic's name, as Kafka validates it. Changing it replaces the topic. */
  readonly name: string;
  /** Partitions; grows in place, never shrinks. */
  readonly partitions: number;
  /** Copies of each partition. Changing it replaces the topic (and loses its records). */
  readonly replicationFactor: number;
  /** Topic-level configs by Kafka's names, values as strings. */
  readonly configs: Readonly<Record<string, string>>;
}

/**
 * One Kafka topic, made through MSK's topic API (`aws_msk_topic`), so each topic and each change
 * to its partitions or configs is a line in the plan. The brokers never create topics on the
 * fly (`auto.create.topics.enable=false`). The provider creates with `CreateTopic` and waits for
 * ACTIVE; it changes partitions and configs with separate `UpdateTopic` calls; a new name or
 * replication factor replaces the topic, which plan-guard refuses (a topic holds data).
 * @see https://docs.aws.amazon.com/msk/latest/developerguide/msk-topic-operations-information.html
 */
export class KafkaTopic extends Construct {
  readonly topic: MskTopic;
  /** The topic's name. */
  readonly name: string;

  constructor(scope: Construct, id: string, props: KafkaTopicProps) {
    super(scope, id);
    this.name = props.name;
    const configs = Object.fromEntries(Object.keys(props.configs).sort().map((k) => [k, props.configs[k] as string]));
    this.topic = new MskTopic(this, "Default", {
      clusterArn: props.clusterArn,
      name: props.name,
      partitionCount: props.partitions,
      replicationFactor: props.replicationFactor,
      configs: JSON.stringify(configs),
    });
  }
}
