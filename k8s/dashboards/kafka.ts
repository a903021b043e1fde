import { MSK_JOBS } from "../../modules/addons/scrape-jobs";
import { dashboard, type Dashboard } from "./model";

/** Props of {@link kafkaDashboard}. */
export interface KafkaDashboardProps {
  /** The MSK cluster's name: the `kafka_cluster` label of its series (modules/addons/scrape-jobs.ts). */
  readonly clusterName: string;
}

/** The Kafka dashboard's uid. */
export const KAFKA_DASHBOARD_UID = "kafka";

/**
 * The MSK brokers, from their open-monitoring exporters (jobs `msk-jmx` on 11001 and `msk-node`
 * on 11002): health (brokers answering, the active controller, offline and under-replicated
 * partitions), traffic per broker and per topic, consumer lag per group (MSK's own
 * `kafka.consumer.group:type=ConsumerLagMetrics`), and the brokers' CPU and disk.
 *
 * MSK's JMX exporter names an MBean attribute `<domain>_<type>_<attribute>` with the MBean's
 * `name` (and `topic`) as labels: `kafka.server:type=BrokerTopicMetrics,name=BytesInPerSec`'s
 * counter is `kafka_server_BrokerTopicMetrics_Count{name="BytesInPerSec"}`, the all-topics one
 * without a `topic` label (MSK developer guide, "Use Prometheus metrics"; Kafka's MBeans,
 * kafka.apache.org/documentation/#monitoring; as k8s/kafka-alerts.ts queries them).
 */
export function kafkaDashboard(props: KafkaDashboardProps): Dashboard {
  const jmx = `job="${MSK_JOBS.jmx}",kafka_cluster="${props.clusterName}"`;
  const node = `job="${MSK_JOBS.node}",kafka_cluster="${props.clusterName}"`;
  const topics = (name: string) => `sum by (topic) (rate(kafka_server_BrokerTopicMetrics_Count{${jmx},name="${name}",topic!=""}[5m]))`;
  const brokers = (name: string) => `sum by (broker) (rate(kafka_server_BrokerTopicMetrics_Count{${jmx},name="${name}",topic=""}[5m]))`;
  return dashboard({
    uid: KAFKA_DASHBOARD_UID,
    title: `Kafka: ${props.clusterName}`,
    tags: ["kafka", "msk"],
    panels: [
      { title: "Brokers answering", type: "stat", unit: "short", queries: [{ expr: `sum(up{${jmx}})` }] },
      { title: "Active controllers", type: "stat", unit: "short", description: "Exactly 1 is healthy.", queries: [{ expr: `sum(kafka_controller_KafkaController_Value{${jmx},name="ActiveControllerCount"})` }] },
      { title: "Offline partitions", type: "stat", unit: "short", queries: [{ expr: `max(kafka_controller_KafkaController_Value{${jmx},name="OfflinePartitionsCount"})` }] },
      { title: "Under-replicated partitions", type: "stat", unit: "short", queries: [{ expr: `sum(kafka_server_ReplicaManager_Value{${jmx},name="UnderReplicatedPartitions"})` }] },
      { title: "Bytes in, per broker", unit: "Bps", min: 0, queries: [{ expr: brokers("BytesInPerSec"), legend: "{{broker}}" }] },
      { title: "Bytes out, per broker", unit: "Bps", min: 0, queries: [{ expr: brokers("BytesOutPerSec"), legend: "{{broker}}" }] },
      { title: "Messages in, per topic", unit: "short", min: 0, queries: [{ expr: topics("MessagesInPerSec"), legend: "{{topic}}" }] },
      { title: "Bytes in, per topic", unit: "Bps", min: 0, queries: [{ expr: topics("BytesInPerSec"), legend: "{{topic}}" }] },
      { title: "Consumer lag, per group and topic", unit: "short", min: 0, queries: [{ expr: `sum by (groupId, topic) (kafka_consumer_group_ConsumerLagMetrics_Value{${jmx},name="SumOffsetLag"})`, legend: "{{groupId}} {{topic}}" }] },
      {
        title: "Partitions and leaders, per broker",
        unit: "short",
        min: 0,
        queries: [
          { expr: `sum by (broker) (kafka_server_ReplicaManager_Value{${jmx},name="PartitionCount"})`, legend: "{{broker}} partitions" },
          { expr: `sum by (broker) (kafka_server_ReplicaManager_Value{${jmx},name="LeaderCount"})`, legend: "{{broker}} leaders" },
        ],
      },
      { title: "Broker CPU use", unit: "percentunit", min: 0, max: 1, queries: [{ expr: `1 - avg by (broker) (rate(node_cpu_seconds_total{${node},mode="idle"}[5m]))`, legend: "{{broker}}" }] },
      {
        title: "Broker disk use",
        unit: "percentunit",
        min: 0,
        max: 1,
        description: "The CloudWatch alarm on KafkaDataLogsDiskUsed pages on the data volume.",
        queries: [{ expr: `1 - node_filesystem_avail_bytes{${node},fstype!~"tmpfs|overlay"} / node_filesystem_size_bytes{${node},fstype!~"tmpfs|overlay"}`, legend: "{{broker}} {{mountpoint}}" }],
      },
    ],
  });
}
