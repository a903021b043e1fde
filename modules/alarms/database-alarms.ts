import { Construct } from "constructs";
import { type AlarmNotification, notifyingAlarm } from "./alarm";
import { defaultMaxConnections } from "./max-connections";

/** Props of {@link DatabaseAlarms}. */
export interface DatabaseAlarmsProps extends AlarmNotification {
  /** The database's identifier (`<env>-postgres`): the alarms' names start with it. */
  readonly identifier: string;
  /** The DB instances, by a stable key (`instance` on RDS, `1`, `2`, … on Aurora), each with its DBInstanceIdentifier. */
  readonly instances: Readonly<Record<string, string>>;
  /**
   * Aurora: the cluster's DBClusterIdentifier, and whether it has readers (their AuroraReplicaLag is alarmed).
   * @default - RDS: no cluster
   */
  readonly cluster?: { readonly identifier: string; readonly readers: boolean };
  /** The instance class (`db.serverless` for Aurora Serverless v2). */
  readonly instanceClass: string;
  /**
   * Aurora Serverless v2's maximum capacity, ACUs: it sizes max_connections.
   * @default - provisioned instances
   */
  readonly serverlessMaxCapacity?: number;
  readonly thresholds: {
    readonly cpuPercent: number;
    readonly freeStorageGiB: number;
    readonly replicaLagSeconds: number;
    readonly connectionsPercent: number;
  };
}

/**
 * The alarms of a PostgreSQL database, on `AWS/RDS` metrics of exactly its instances and cluster:
 *
 * - each instance (DBInstanceIdentifier): `CPUUtilization` (Average, 3 × 5 minutes; warning) and
 *   `DatabaseConnections` (Maximum, 2 × 5 minutes) above a share of the class's default
 *   max_connections (warning: at the limit new connections are refused);
 * - RDS: `FreeStorageSpace` (Minimum, 5 minutes) below the threshold: critical, storage
 *   autoscaling has reached its ceiling or cannot keep up, and a full disk stops writes;
 * - Aurora with readers: `AuroraReplicaLag` (Maximum over the readers: DBClusterIdentifier with
 *   Role=READER, 2 × 5 minutes; warning). Whichever instance Aurora makes the reader, the
 *   cluster's reader role reports it, so a failover needs no change here. Aurora's storage grows
 *   by itself: no storage alarm. This project makes no RDS read replicas (a Multi-AZ standby
 *   serves no reads and reports no ReplicaLag), so there is no ReplicaLag alarm.
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-metrics.html
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.AuroraMonitoring.Metrics.html
 */
export class DatabaseAlarms extends Construct {
  constructor(scope: Construct, id: string, props: DatabaseAlarmsProps) {
    super(scope, id);
    const { identifier, thresholds } = props;
    const maxConnections = defaultMaxConnections(props.instanceClass, props.serverlessMaxCapacity);
    const connections = Math.floor((maxConnections * thresholds.connectionsPercent) / 100);
    const common = { namespace: "AWS/RDS", period: 300, comparisonOperator: "GreaterThanThreshold" };

    for (const [key, instance] of Object.entries(props.instances)) {
      const at = new Construct(this, key);
      const name = props.cluster ? `${identifier}-${key}` : identifier;
      notifyingAlarm(at, "cpu", props, {
        ...common,
        name: `${name}-cpu`,
        severity: "warning",
        summary: `The CPU of ${instance} has been above ${thresholds.cpuPercent}% for 15 minutes.`,
        runbook: "aws-database-cpu.md",
        metricName: "CPUUtilization",
        dimensions: { DBInstanceIdentifier: instance },
        statistic: "Average",
        threshold: thresholds.cpuPercent,
        evaluationPeriods: 3,
      });
      notifyingAlarm(at, "connections", props, {
        ...common,
        name: `${name}-connections`,
        severity: "warning",
        summary: `${instance} has more than ${connections} connections, ${thresholds.connectionsPercent}% of the ${maxConnections} its class ${props.instanceClass} allows by default.`,
        runbook: "aws-database-connections.md",
        metricName: "DatabaseConnections",
        dimensions: { DBInstanceIdentifier: instance },
        statistic: "Maximum",
        threshold: connections,
        evaluationPeriods: 2,
      });
      if (!props.cluster) {
        notifyingAlarm(at, "free-storage", props, {
          ...common,
          name: `${name}-free-storage`,
          severity: "critical",
          summary: `${instance} has less than ${thresholds.freeStorageGiB} GiB of free storage.`,
          runbook: "aws-database-free-storage.md",
          metricName: "FreeStorageSpace",
          dimensions: { DBInstanceIdentifier: instance },
          statistic: "Minimum",
          comparisonOperator: "LessThanThreshold",
          threshold: thresholds.freeStorageGiB * 1024 ** 3,
          evaluationPeriods: 1,
        });
      }
    }
    if (props.cluster?.readers) {
      notifyingAlarm(this, "replica-lag", props, {
        ...common,
        name: `${identifier}-replica-lag`,
        severity: "warning",
        summary: `A reader of ${props.cluster.identifier} lags the writer by more than ${thresholds.replicaLagSeconds} s.`,
        runbook: "aws-database-replica-lag.md",
        metricName: "AuroraReplicaLag",
        dimensions: { DBClusterIdentifier: props.cluster.identifier, Role: "READER" },
        statistic: "Maximum",
        // AuroraReplicaLag is in milliseconds.
        threshold: thresholds.replicaLagSeconds * 1000,
        evaluationPeriods: 2,
      });
    }
  }
}
