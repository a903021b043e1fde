import { existsSync } from "node:fs";
import path from "node:path";
import { AlertTopic } from "../../modules/alerts/alert-topic";
import { SEVERITY_PREFIX } from "../../modules/alarms/alarm";
import { DatabaseAlarms, type DatabaseAlarmsProps } from "../../modules/alarms/database-alarms";
import { KafkaAlarms } from "../../modules/alarms/kafka-alarms";
import { LoadBalancerAlarms } from "../../modules/alarms/load-balancer-alarms";
import { defaultMaxConnections } from "../../modules/alarms/max-connections";
import { NatAlarms } from "../../modules/alarms/nat-alarms";
import { DB_CLASS_FAMILIES, dbInstanceClasses } from "../../modules/instance-types/rds";
import { policyStatements, resourcesOf, ROOT, synthScope, type SynthesizedStack } from "../helpers";

const notify = { topicArn: "arn:aws:sns:eu-west-1:123456789012:test-alerts", runbookBaseUrl: "https://github.com/org/repo/blob/main/docs/runbooks/" };
const DB_THRESHOLDS = { cpuPercent: 80, freeStorageGiB: 10, replicaLagSeconds: 60, connectionsPercent: 80 };

function alarms(build: Parameters<typeof synthScope>[0]): Array<Record<string, unknown>> {
  return resourcesOf(JSON.parse(synthScope(build)) as SynthesizedStack, "aws_cloudwatch_metric_alarm");
}

function database(overrides: Partial<DatabaseAlarmsProps> = {}) {
  return alarms((s) => new DatabaseAlarms(s, "alarms", { ...notify, identifier: "test-postgres", instances: { instance: "test-postgres" }, instanceClass: "db.m7g.large", thresholds: DB_THRESHOLDS, ...overrides }));
}

describe("defaultMaxConnections: RDS's LEAST({DBInstanceClassMemory/9531392}, 5000)", () => {
  it("divides the class's memory, and caps at 5000", () => {
    // db.m7g.large: 8 GiB; db.t4g.medium: 4 GiB; db.r7g.large: 16 GiB; db.r8g.48xlarge: 1536 GiB.
    expect(defaultMaxConnections("db.m7g.large")).toBe(Math.floor((8 * 1024 ** 3) / 9531392));
    expect(defaultMaxConnections("db.t4g.medium")).toBe(450);
    expect(defaultMaxConnections("db.r7g.large")).toBe(1802);
    expect(defaultMaxConnections("db.r8g.48xlarge")).toBe(5000);
  });

  it("sizes Serverless v2 by its maximum capacity (2 GiB per ACU), and db.x2g by x2gd's memory", () => {
    expect(defaultMaxConnections("db.serverless", 8)).toBe(defaultMaxConnections("db.r7g.large"));
    expect(defaultMaxConnections("db.x2g.large")).toBe(Math.floor((32 * 1024 ** 3) / 9531392));
  });

  it("knows the memory of every class the engines offer", () => {
    const classes = [...dbInstanceClasses("postgres"), ...dbInstanceClasses("aurora-postgresql")];
    expect(classes.length).toBeGreaterThan(Object.keys(DB_CLASS_FAMILIES).length);
    expect(classes.filter((c) => !(defaultMaxConnections(c) > 0))).toEqual([]);
  });

  it("refuses a class it has no memory for, and Serverless without a capacity", () => {
    expect(() => defaultMaxConnections("db.z9.large")).toThrow("no memory known for instance class db.z9.large");
    expect(() => defaultMaxConnections("db.serverless")).toThrow("no memory known for instance class db.serverless without a maximum capacity");
  });
});

describe("DatabaseAlarms", () => {
  it("on RDS: CPU, connections and free storage of the one instance", () => {
    const found = database();
    expect(found.map((a) => a.alarm_name).sort()).toEqual(["test-postgres-connections", "test-postgres-cpu", "test-postgres-free-storage"]);
    for (const alarm of found) expect(alarm.dimensions).toEqual({ DBInstanceIdentifier: "test-postgres" });
    const byName = Object.fromEntries(found.map((a) => [a.alarm_name, a]));
    expect(byName["test-postgres-cpu"]).toMatchObject({ namespace: "AWS/RDS", metric_name: "CPUUtilization", statistic: "Average", threshold: 80, comparison_operator: "GreaterThanThreshold" });
    expect(byName["test-postgres-free-storage"]).toMatchObject({ metric_name: "FreeStorageSpace", comparison_operator: "LessThanThreshold", threshold: 10 * 1024 ** 3 });
    expect(byName["test-postgres-connections"]).toMatchObject({ metric_name: "DatabaseConnections", threshold: Math.floor(defaultMaxConnections("db.m7g.large") * 0.8) });
  });

  it("on Aurora: CPU and connections per instance, the readers' lag by the cluster's READER role, no storage alarm", () => {
    const found = database({ instances: { "1": "test-postgres-1", "2": "test-postgres-2" }, cluster: { identifier: "test-postgres", readers: true }, instanceClass: "db.r7g.large", thresholds: { ...DB_THRESHOLDS, replicaLagSeconds: 30, connectionsPercent: 50 } });
    expect(found.map((a) => a.alarm_name).sort()).toEqual(["test-postgres-1-connections", "test-postgres-1-cpu", "test-postgres-2-connections", "test-postgres-2-cpu", "test-postgres-replica-lag"]);
    const lag = found.find((a) => a.alarm_name === "test-postgres-replica-lag");
    expect(lag).toMatchObject({ metric_name: "AuroraReplicaLag", dimensions: { DBClusterIdentifier: "test-postgres", Role: "READER" }, statistic: "Maximum", threshold: 30000 });
    expect(found.find((a) => a.alarm_name === "test-postgres-2-connections")).toMatchObject({ dimensions: { DBInstanceIdentifier: "test-postgres-2" }, threshold: 901 });
  });

  it("has no lag alarm on a cluster without readers", () => {
    const found = database({ instances: { "1": "test-postgres-1" }, cluster: { identifier: "test-postgres", readers: false }, instanceClass: "db.serverless", serverlessMaxCapacity: 4 });
    expect(found.map((a) => a.alarm_name).sort()).toEqual(["test-postgres-1-connections", "test-postgres-1-cpu"]);
  });
});

describe("KafkaAlarms, NatAlarms, LoadBalancerAlarms", () => {
  it("alarms on each broker's disk by Cluster Name and Broker ID 1…N, and on the cluster's under-replicated partitions", () => {
    const found = alarms((s) => new KafkaAlarms(s, "alarms", { ...notify, namePrefix: "test-kafka", clusterName: "test-kafka", brokers: 3, thresholds: { diskUsedPercent: 75, underReplicatedPartitions: 0 } }));
    const disks = found.filter((a) => a.metric_name === "KafkaDataLogsDiskUsed");
    expect(disks.map((a) => a.dimensions)).toEqual(["1", "2", "3"].map((id) => ({ "Cluster Name": "test-kafka", "Broker ID": id })));
    expect(disks.every((a) => a.namespace === "AWS/Kafka" && a.threshold === 75)).toBe(true);
    const urp = found.find((a) => a.alarm_name === "test-kafka-under-replicated-partitions");
    expect(urp?.metric_query).toEqual([expect.objectContaining({ expression: `SELECT SUM(UnderReplicatedPartitions) FROM SCHEMA("AWS/Kafka", "Cluster Name", "Broker ID") WHERE "Cluster Name" = 'test-kafka'`, return_data: true, period: 300 })]);
  });

  it("alarms on each NAT gateway by its NatGatewayId", () => {
    const found = alarms((s) => new NatAlarms(s, "nat", { ...notify, namePrefix: "test", natGatewayIds: { "eu-west-1a": "nat-a", "eu-west-1b": "nat-b" }, thresholds: { portAllocationErrors: 0, packetsDropped: 500 } }));
    expect(found.map((a) => [a.alarm_name, a.metric_name, a.dimensions, a.threshold]).sort()).toEqual([
      ["test-nat-eu-west-1a-packets-dropped", "PacketsDropCount", { NatGatewayId: "nat-a" }, 500],
      ["test-nat-eu-west-1a-port-allocation-errors", "ErrorPortAllocation", { NatGatewayId: "nat-a" }, 0],
      ["test-nat-eu-west-1b-packets-dropped", "PacketsDropCount", { NatGatewayId: "nat-b" }, 500],
      ["test-nat-eu-west-1b-port-allocation-errors", "ErrorPortAllocation", { NatGatewayId: "nat-b" }, 0],
    ]);
  });

  it("finds the ALBs by the controller's cluster tag, one contributor per LoadBalancer", () => {
    const [alarm] = alarms((s) => new LoadBalancerAlarms(s, "alb", { ...notify, namePrefix: "test", clusterName: "test-platform", elb5xxCount: 25 }));
    expect(alarm).toMatchObject({ alarm_name: "test-alb-5xx", threshold: 25, treat_missing_data: "notBreaching" });
    expect((alarm?.metric_query as Array<{ expression: string }>)[0]?.expression).toBe(
      `SELECT SUM(HTTPCode_ELB_5XX_Count) FROM SCHEMA("AWS/ApplicationELB", LoadBalancer) WHERE tag."elbv2.k8s.aws/cluster" = 'test-platform' GROUP BY LoadBalancer ORDER BY SUM() DESC`,
    );
  });

  it("every alarm notifies the topic on ALARM and OK, says its severity, and links a runbook that exists", () => {
    const all = [
      ...database(),
      ...alarms((s) => new KafkaAlarms(s, "k", { ...notify, namePrefix: "k", clusterName: "k", brokers: 1, thresholds: { diskUsedPercent: 80, underReplicatedPartitions: 0 } })),
      ...alarms((s) => new NatAlarms(s, "n", { ...notify, namePrefix: "n", natGatewayIds: { a: "nat-a" }, thresholds: { portAllocationErrors: 0, packetsDropped: 1 } })),
      ...alarms((s) => new LoadBalancerAlarms(s, "l", { ...notify, namePrefix: "l", clusterName: "c", elb5xxCount: 1 })),
    ];
    for (const alarm of all) {
      expect(alarm).toMatchObject({ alarm_actions: [notify.topicArn], ok_actions: [notify.topicArn], actions_enabled: true });
      const description = alarm.alarm_description as string;
      expect(description).toMatch(SEVERITY_PREFIX);
      const runbook = /Runbook: (\S+)$/.exec(description)?.[1] ?? "";
      expect(runbook.startsWith(notify.runbookBaseUrl)).toBe(true);
      expect(existsSync(path.join(ROOT, "docs", "runbooks", runbook.slice(notify.runbookBaseUrl.length)))).toBe(true);
    }
  });
});

describe("AlertTopic", () => {
  const FROM_ALARMS_OF_THIS_ACCOUNT = { StringEquals: { "aws:SourceAccount": ["123456789012"] }, ArnLike: { "aws:SourceArn": ["arn:aws:cloudwatch:eu-west-1:123456789012:alarm:*"] } };
  const json = JSON.parse(synthScope((s) => new AlertTopic(s, "alerts", { name: "test-alerts", accountId: "123456789012", region: "eu-west-1", emailAddresses: ["b@example.com", "a@example.com", "a@example.com"] }))) as SynthesizedStack;

  it("is encrypted with its own key, whose policy lets CloudWatch alarms of this account use it", () => {
    const [topic] = resourcesOf(json, "aws_sns_topic");
    expect(topic).toMatchObject({ name: "test-alerts", kms_master_key_id: "${aws_kms_key.alerts_key.arn}" });
    const [key] = resourcesOf(json, "aws_kms_key");
    const statement = policyStatements(json, key?.policy).find((s) => s.Sid === "CloudWatchAlarmsOfThisAccount");
    expect(statement).toMatchObject({ Effect: "Allow", Principal: { Service: ["cloudwatch.amazonaws.com"] }, Condition: FROM_ALARMS_OF_THIS_ACCOUNT });
    expect([statement?.Action].flat().sort()).toEqual(["kms:Decrypt", "kms:GenerateDataKey*"]);
  });

  it("admits cloudwatch.amazonaws.com to Publish only from this account's alarms, and nothing without TLS", () => {
    const [policy] = resourcesOf(json, "aws_sns_topic_policy");
    const statements = policyStatements(json, policy?.policy);
    expect(statements.map((s) => s.Sid)).toEqual(["CloudWatchAlarmsOfThisAccount", "DenyInsecureTransport"]);
    expect(statements[0]).toMatchObject({ Effect: "Allow", Principal: { Service: ["cloudwatch.amazonaws.com"] }, Condition: FROM_ALARMS_OF_THIS_ACCOUNT });
    expect([statements[0]?.Action].flat()).toEqual(["sns:Publish"]);
    expect(statements[1]).toMatchObject({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": ["false"] } } });
  });

  it("subscribes each address once, keyed by the address", () => {
    expect(Object.entries(json.resource.aws_sns_topic_subscription ?? {}).map(([address, s]) => [address, s.protocol, s.endpoint])).toEqual([
      ["alerts_email_a_example_com", "email", "a@example.com"],
      ["alerts_email_b_example_com", "email", "b@example.com"],
    ]);
  });
});
