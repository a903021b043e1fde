import { Construct } from "constructs";
import { type AlarmNotification, notifyingAlarm } from "./alarm";

/** Props of {@link KafkaAlarms}. */
export interface KafkaAlarmsProps extends AlarmNotification {
  /** Prefix of the alarms' names: the cluster's name as config gives it, readable in plans. */
  readonly namePrefix: string;
  /** The cluster's name: the `Cluster Name` dimension of its metrics. */
  readonly clusterName: string;
  /** How many brokers it has: MSK numbers them 1…N, the `Broker ID` dimension. */
  readonly brokers: number;
  readonly thresholds: {
    /** A broker's data-log disk use, percent, above which its alarm fires. */
    readonly diskUsedPercent: number;
    /** Under-replicated partitions (the cluster's sum) above which the alarm fires. */
    readonly underReplicatedPartitions: number;
  };
}

/**
 * The alarms of an MSK cluster of standard brokers, on `AWS/Kafka` metrics of the DEFAULT
 * monitoring level (free, and the level the cluster has), dimensions `Cluster Name` and
 * `Broker ID`:
 *
 * - per broker, `KafkaDataLogsDiskUsed` (Maximum, 3 × 5 minutes): critical, a full disk stops
 *   the broker. Storage autoscaling grows the volumes at 60%, so this fires when it has reached
 *   its ceiling (`maxVolumeSizeGiB`) or cannot keep up;
 * - `UnderReplicatedPartitions`, summed over the brokers (each reports the partitions it leads),
 *   by a Metrics Insights query on this cluster's name only, so the alarm follows any broker
 *   count (3 × 5 minutes; warning: a broker is down or lagging, and one more loss can lose
 *   writes). Brief spikes during MSK's rolling updates stay below three periods.
 *
 * Express brokers publish neither metric (MSK manages their storage and replication).
 * @see https://docs.aws.amazon.com/msk/latest/developerguide/metrics-details.html
 */
export class KafkaAlarms extends Construct {
  constructor(scope: Construct, id: string, props: KafkaAlarmsProps) {
    super(scope, id);
    const { clusterName, namePrefix, thresholds } = props;
    const disk = new Construct(this, "disk-used");
    for (let broker = 1; broker <= props.brokers; broker++) {
      notifyingAlarm(disk, String(broker), props, {
        name: `${namePrefix}-broker-${broker}-disk-used`,
        severity: "critical",
        summary: `Broker ${broker} of ${namePrefix} has used more than ${thresholds.diskUsedPercent}% of its data-log disk.`,
        runbook: "aws-kafka-disk-used.md",
        namespace: "AWS/Kafka",
        metricName: "KafkaDataLogsDiskUsed",
        dimensions: { "Cluster Name": clusterName, "Broker ID": String(broker) },
        statistic: "Maximum",
        period: 300,
        evaluationPeriods: 3,
        comparisonOperator: "GreaterThanThreshold",
        threshold: thresholds.diskUsedPercent,
      });
    }
    notifyingAlarm(this, "under-replicated-partitions", props, {
      name: `${namePrefix}-under-replicated-partitions`,
      severity: "warning",
      summary: `${namePrefix} has more than ${thresholds.underReplicatedPartitions} under-replicated partitions.`,
      runbook: "aws-kafka-under-replicated.md",
      metricQuery: [
        {
          id: "urp",
          returnData: true,
          period: 300,
          expression: `SELECT SUM(UnderReplicatedPartitions) FROM SCHEMA("AWS/Kafka", "Cluster Name", "Broker ID") WHERE "Cluster Name" = '${clusterName}'`,
          label: "UnderReplicatedPartitions",
        },
      ],
      evaluationPeriods: 3,
      comparisonOperator: "GreaterThanThreshold",
      threshold: thresholds.underReplicatedPartitions,
      treatMissingData: "notBreaching",
    });
  }
}
