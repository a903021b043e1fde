import { type AlertRule } from "./crds/monitoring";
import { MSK_JOBS } from "../modules/addons/scrape-jobs";

/** Props of {@link kafkaAlerts}. */
export interface KafkaAlertsProps {
  /** The MSK cluster's name: the `kafka_cluster` label of its series (modules/addons/scrape-jobs.ts). */
  readonly clusterName: string;
  /** Where each alert's runbook is, a URL prefix (`…/docs/runbooks/`). */
  readonly runbookBaseUrl: string;
}

/**
 * Alerts on the MSK brokers, from the exporters Prometheus scrapes (modules/addons/scrape-jobs.ts).
 * The JMX exporter names an MBean's attribute by a `name` label on a per-type series
 * (`kafka.server:type=ReplicaManager,name=UnderReplicatedPartitions` →
 * `kafka_server_ReplicaManager_Value{name="UnderReplicatedPartitions"}`), as MSK's exporter
 * serves them (MSK developer guide, "Open monitoring with Prometheus"; Kafka's own metric list,
 * kafka.apache.org/documentation/#monitoring, names the MBeans). CloudWatch alarms cover the disk
 * (KafkaDataLogsDiskUsed), which the exporters report only as a node filesystem.
 */
export function kafkaAlerts(props: KafkaAlertsProps): AlertRule[] {
  const cluster = `kafka_cluster="${props.clusterName}"`;
  const runbook = (page: string) => `${props.runbookBaseUrl}${page}.md`;
  return [
    {
      alert: "KafkaBrokerUnreachable",
      // `up` is Prometheus's own series per target: 0 when the scrape fails.
      expr: `up{job="${MSK_JOBS.jmx}",${cluster}} == 0`,
      for: "10m",
      labels: { severity: "critical" },
      annotations: {
        summary: `${props.clusterName}: broker {{ $labels.broker }} does not answer its JMX exporter`,
        description: "Prometheus has failed to scrape the broker for 10 minutes: the broker is down, or the path from the nodes to it (security group, port 11001) is closed.",
        runbook_url: runbook("kafka-broker-unreachable"),
      },
    },
    {
      alert: "KafkaUnderReplicatedPartitions",
      expr: `sum by (broker) (kafka_server_ReplicaManager_Value{name="UnderReplicatedPartitions",job="${MSK_JOBS.jmx}",${cluster}}) > 0`,
      for: "15m",
      labels: { severity: "warning" },
      annotations: {
        summary: `${props.clusterName}: broker {{ $labels.broker }} leads partitions whose followers lag`,
        description: "{{ $value }} partitions have had fewer in-sync replicas than replicas for 15 minutes: one more broker lost and they stop taking writes.",
        runbook_url: runbook("kafka-under-replicated-partitions"),
      },
    },
    {
      alert: "KafkaOfflinePartitions",
      // Only the active controller reports it; max over brokers is the cluster's count.
      expr: `max(kafka_controller_KafkaController_Value{name="OfflinePartitionsCount",job="${MSK_JOBS.jmx}",${cluster}}) > 0`,
      for: "5m",
      labels: { severity: "critical" },
      annotations: {
        summary: `${props.clusterName}: partitions without a leader`,
        description: "{{ $value }} partitions have no leader: producers and consumers of them fail.",
        runbook_url: runbook("kafka-offline-partitions"),
      },
    },
  ];
}
