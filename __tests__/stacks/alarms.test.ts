import { alertTopicArn, loadEnvironments } from "../../config";
import { fixtureSynth, FIXTURE, resourcesOf, TEST_NOW } from "../helpers";
import path from "node:path";

const environments = Object.fromEntries(loadEnvironments({ configDir: path.join(FIXTURE, "config"), now: TEST_NOW }).map((e) => [e.name, e]));
const alarmsOf = (stack: string) => Object.entries(fixtureSynth.stack(stack).resource.aws_cloudwatch_metric_alarm ?? {});

describe("the CloudWatch alarms of the fixture's stacks", () => {
  it("name the exact resources of each stack in their dimensions", () => {
    const prodDb = Object.fromEntries(alarmsOf("prod-database").map(([, a]) => [a.alarm_name, a.dimensions]));
    expect(prodDb).toEqual({
      "prod-postgres-1-cpu": { DBInstanceIdentifier: "${aws_rds_cluster_instance.postgres_cluster_instance-1.identifier}" },
      "prod-postgres-1-connections": { DBInstanceIdentifier: "${aws_rds_cluster_instance.postgres_cluster_instance-1.identifier}" },
      "prod-postgres-2-cpu": { DBInstanceIdentifier: "${aws_rds_cluster_instance.postgres_cluster_instance-2.identifier}" },
      "prod-postgres-2-connections": { DBInstanceIdentifier: "${aws_rds_cluster_instance.postgres_cluster_instance-2.identifier}" },
      "prod-postgres-replica-lag": { DBClusterIdentifier: "${aws_rds_cluster.postgres_cluster.cluster_identifier}", Role: "READER" },
    });
    for (const [, a] of alarmsOf("dev-database")) expect(a.dimensions).toEqual({ DBInstanceIdentifier: "${aws_db_instance.postgres_instance.identifier}" });
    const disks = alarmsOf("prod-streaming").filter(([, a]) => a.metric_name === "KafkaDataLogsDiskUsed");
    expect(disks.map(([, a]) => a.dimensions)).toEqual(["1", "2", "3"].map((id) => ({ "Cluster Name": "${aws_msk_cluster.kafka.cluster_name}", "Broker ID": id })));
    const nat = alarmsOf("prod-network").map(([, a]) => (a.dimensions as { NatGatewayId: string }).NatGatewayId);
    expect([...new Set(nat)].sort()).toEqual(["eu-west-1a", "eu-west-1b", "eu-west-1c"].map((zone) => `\${aws_nat_gateway.network_nat_${zone}.id}`));
  });

  it("notify the environment's topic, whose ARN the network stack's topic has", () => {
    for (const env of Object.values(environments)) {
      const network = fixtureSynth.stack(`${env.name}-network`);
      expect(resourcesOf(network, "aws_sns_topic")).toEqual([expect.objectContaining({ name: `${env.name}-alerts` })]);
      expect(alertTopicArn(env)).toBe(`arn:aws:sns:${env.account.region}:${env.account.id}:${env.name}-alerts`);
      for (const stack of Object.keys(fixtureSynth.manifest()).filter((s) => s.startsWith(`${env.name}-`) && s !== `${env.name}-network`)) {
        for (const [, alarm] of alarmsOf(stack)) expect([alarm.alarm_actions, alarm.ok_actions]).toEqual([[alertTopicArn(env)], [alertTopicArn(env)]]);
      }
      for (const [, alarm] of alarmsOf(`${env.name}-network`)) expect(alarm.alarm_actions).toEqual(["${aws_sns_topic.alerts.arn}"]);
    }
  });

  it("take their thresholds from config: defaults, and each environment's overrides", () => {
    const cpu = (stack: string) => alarmsOf(stack).find(([, a]) => a.metric_name === "CPUUtilization")?.[1].threshold;
    expect(cpu("dev-database")).toBe(environments.dev?.observability.alarms.database.cpuPercent);
    expect(alarmsOf("prod-app").map(([, a]) => a.threshold)).toEqual([environments.prod?.observability.alarms.loadBalancer.elb5xxCount]);
  });

  it("publish the topic's key in the network contract, for Alertmanager's role", () => {
    expect(fixtureSynth.stack("prod-network").output?.alert_topic_key_arn).toMatchObject({ value: "${aws_kms_key.alerts_key.arn}", sensitive: false });
  });
});
