import { AppautoscalingPolicy } from "@cdktf/provider-aws/lib/appautoscaling-policy";
import { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target";
import { MskCluster } from "@cdktf/provider-aws/lib/msk-cluster";
import { MskConfiguration } from "@cdktf/provider-aws/lib/msk-configuration";
import { RoleReference } from "../../modules/iam/role-reference";
import { MskTopic } from "../../.gen/providers/aws/msk-topic";
import { KafkaCluster, type KafkaClusterProps, serverProperties } from "../../modules/streaming/kafka-cluster";
import { KafkaTopic } from "../../modules/streaming/kafka-topic";
import { policyStatements, resourcesOf, synthScope, type SynthesizedStack } from "../helpers";

const base: KafkaClusterProps = {
  name: "test-kafka",
  kafkaVersion: "3.9.x.kraft",
  brokers: 3,
  instanceType: "kafka.m7g.large",
  volumeSizeGiB: 100,
  maxVolumeSizeGiB: 1000,
  defaultPartitions: 6,
  logRetentionDays: 90,
  vpcId: "vpc-1",
  subnetIds: ["subnet-a", "subnet-b", "subnet-c", "subnet-d"],
  zones: 3,
  clientSecurityGroupIds: { orders: "sg-orders" },
  nodeSecurityGroupId: "sg-nodes",
  accountId: "123456789012",
  region: "eu-west-1",
};
const synth = (props: KafkaClusterProps, grant?: (kafka: KafkaCluster, role: RoleReference) => void) =>
  synthScope((scope) => {
    const kafka = new KafkaCluster(scope, "kafka", props);
    if (grant) grant(kafka, new RoleReference(scope, "app-role", { roleName: "test-app", policyName: "test-app-streaming" }));
  });

describe("KafkaCluster", () => {
  const text = synth(base);
  const json = JSON.parse(text) as SynthesizedStack;

  it("encrypts at rest with its own key and in transit everywhere, authenticates with IAM, never unauthenticated", () => {
    expect(text).toHaveResourceWithProperties(MskCluster, {
      cluster_name: "test-kafka",
      kafka_version: "3.9.x.kraft",
      number_of_broker_nodes: 3,
      encryption_info: { encryption_at_rest_kms_key_arn: "${aws_kms_key.kafka_key.arn}", encryption_in_transit: { client_broker: "TLS", in_cluster: true } },
      client_authentication: { sasl: { iam: true, scram: false }, unauthenticated: false },
    });
    expect(resourcesOf(json, "aws_msk_cluster")[0]?.client_authentication).not.toHaveProperty("tls");
  });

  it("places brokers in the first subnets, one per zone, with storage that grows and that Terraform does not shrink back", () => {
    expect(resourcesOf(json, "aws_msk_cluster")[0]).toMatchObject({
      broker_node_group_info: { client_subnets: '${slice(["subnet-a", "subnet-b", "subnet-c", "subnet-d"], 0, 3)}', instance_type: "kafka.m7g.large", storage_info: { ebs_storage_info: { volume_size: 100 } } },
      lifecycle: { ignore_changes: ["broker_node_group_info[0].storage_info[0].ebs_storage_info[0].volume_size"] },
    });
    expect(text).toHaveResourceWithProperties(AppautoscalingTarget, { service_namespace: "kafka", scalable_dimension: "kafka:broker-storage:VolumeSize", resource_id: "${aws_msk_cluster.kafka.arn}", max_capacity: 1000 });
    expect(text).toHaveResourceWithProperties(AppautoscalingPolicy, {
      policy_type: "TargetTrackingScaling",
      target_tracking_scaling_policy_configuration: { predefined_metric_specification: { predefined_metric_type: "KafkaBrokerStorageUtilization" }, target_value: 60, disable_scale_in: true },
    });
  });

  it("logs brokers into an encrypted group with retention, and runs the Prometheus exporters", () => {
    expect(resourcesOf(json, "aws_cloudwatch_log_group")).toEqual([expect.objectContaining({ name: "/aws/msk/test-kafka/brokers", retention_in_days: 90, kms_key_id: "${aws_kms_key.kafka_key.arn}" })]);
    expect(text).toHaveResourceWithProperties(MskCluster, {
      logging_info: { broker_logs: { cloudwatch_logs: { enabled: true, log_group: "${aws_cloudwatch_log_group.kafka_broker-logs.name}" } } },
      open_monitoring: { prometheus: { jmx_exporter: { enabled_in_broker: true }, node_exporter: { enabled_in_broker: true } } },
    });
  });

  it("admits the IAM port from the clients' own security groups, the exporters from the nodes' (Prometheus); the TLS port only with certificate authorities", () => {
    const ports = (j: SynthesizedStack) => resourcesOf(j, "aws_vpc_security_group_ingress_rule").map((r) => [r.from_port, r.to_port, r.referenced_security_group_id]);
    expect(ports(json)).toEqual([[9098, 9098, "sg-orders"], [11001, 11002, "sg-nodes"]]);
    expect(JSON.stringify(json.resource.aws_vpc_security_group_ingress_rule)).not.toMatch(/cidr/);
    const ca = "arn:aws:acm-pca:eu-west-1:123456789012:certificate-authority/11111111-2222-3333-4444-555555555555";
    const tls = JSON.parse(synth({ ...base, clientCertificateAuthorityArns: [ca] })) as SynthesizedStack;
    expect(ports(tls)).toEqual([[9098, 9098, "sg-orders"], [9094, 9094, "sg-orders"], [11001, 11002, "sg-nodes"]]);
    expect(resourcesOf(tls, "aws_msk_cluster")[0]?.client_authentication).toMatchObject({ tls: { certificate_authority_arns: [ca] }, unauthenticated: false });
  });

  it("keeps the IAM port open to the nodes' group, at the address it always had, only for KEDA's lag reading", () => {
    const lag = JSON.parse(synth({ ...base, lagReaders: true })) as SynthesizedStack;
    expect(lag.resource.aws_vpc_security_group_ingress_rule?.["kafka_from-clients-iam"]).toMatchObject({ referenced_security_group_id: "sg-nodes", from_port: 9098, to_port: 9098 });
    expect(json.resource.aws_vpc_security_group_ingress_rule).not.toHaveProperty("kafka_from-clients-iam");
  });

  it("runs a configuration named for its Kafka version and replaced create-before-destroy, so an upgrade never deletes the one in use", () => {
    expect(text).toHaveResourceWithProperties(MskConfiguration, { name: "test-kafka-3-9-x-kraft", kafka_versions: ["3.9.x.kraft"], lifecycle: { create_before_destroy: true } });
    expect(synth({ ...base, kafkaVersion: "4.0.x.kraft" })).toHaveResourceWithProperties(MskConfiguration, { name: "test-kafka-4-0-x-kraft" });
    expect(text).toHaveResourceWithProperties(MskCluster, { configuration_info: { arn: "${aws_msk_configuration.kafka_configuration.arn}", revision: "${aws_msk_configuration.kafka_configuration.latest_revision}" } });
  });

  it("configures safe topics: declared only, replication from the broker count, no unclean elections, nothing of ZooKeeper", () => {
    const properties = String(resourcesOf(json, "aws_msk_configuration")[0]?.server_properties);
    expect(properties).toBe(
      ["auto.create.topics.enable = false", "default.replication.factor = 3", "min.insync.replicas = 2", "num.partitions = 6", "unclean.leader.election.enable = false", ""].join("\n"),
    );
    expect(properties).not.toMatch(/zookeeper|log\.message\.format/);
    expect(serverProperties({ replicationFactor: 2, minInsyncReplicas: 1, defaultPartitions: 3 })).toContain("default.replication.factor = 2\nmin.insync.replicas = 1\n");
  });

  it.each([
    [{ brokers: 4 }, "brokers (4) must be a multiple of the 3 zones"],
    [{ replicationFactor: 4 }, "replicationFactor 4 is above the 3 brokers"],
    [{ minInsyncReplicas: 3 }, "minInsyncReplicas 3 must be below replicationFactor 3"],
    [{ maxVolumeSizeGiB: 10 }, "maxVolumeSizeGiB 10 is below volumeSizeGiB 100"],
    [{ instanceType: "m5.large" }, 'instanceType "m5.large" is not an MSK broker type'],
    [{ zones: 4 }, "zones must be 2 or 3 (got 4)"],
  ])("refuses %j, saying why", (override, message) => {
    expect(() => synth({ ...base, ...(override as Partial<KafkaClusterProps>) })).toThrow(`test/kafka: ${message}`);
  });
});

describe("KafkaCluster grants", () => {
  const cluster = "${aws_msk_cluster.kafka.arn}";
  const arn = (kind: string, name: string) => `arn:aws:kafka:eu-west-1:123456789012:${kind}/test-kafka/\${aws_msk_cluster.kafka.cluster_uuid}/${name}`;
  const statementsOf = (grant: (kafka: KafkaCluster, role: RoleReference) => void) => {
    const json = JSON.parse(synth(base, grant)) as SynthesizedStack;
    const [policy] = resourcesOf(json, "aws_iam_role_policy");
    expect(policy).toMatchObject({ name: "test-app-streaming", role: "test-app" });
    return policyStatements(json, policy!.policy);
  };

  it("grantProduce: connect to this cluster, write exactly its topics", () => {
    expect(statementsOf((kafka, role) => kafka.grantProduce(role, ["orders", "orders.dlq"]))).toEqual([
      { Sid: "KafkaConnectToTestKafka", Effect: "Allow", Action: ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"], Resource: [cluster] },
      { Sid: "KafkaIdempotentWritesToTestKafka", Effect: "Allow", Action: ["kafka-cluster:WriteDataIdempotently"], Resource: [cluster] },
      { Sid: "KafkaProduceToItsTopics", Effect: "Allow", Action: ["kafka-cluster:WriteData", "kafka-cluster:DescribeTopic"], Resource: [arn("topic", "orders"), arn("topic", "orders.dlq")] },
    ]);
  });

  it("grantConsume: connect once, read exactly its topics, join only its own groups", () => {
    expect(statementsOf((kafka, role) => {
      kafka.grantProduce(role, ["orders"]);
      kafka.grantConsume(role, ["users"], "orders-service.");
    }).slice(3)).toEqual([
      { Sid: "KafkaConsumeItsTopics", Effect: "Allow", Action: ["kafka-cluster:ReadData", "kafka-cluster:DescribeTopic"], Resource: [arn("topic", "users")] },
      { Sid: "KafkaGroupsOrdersService", Effect: "Allow", Action: ["kafka-cluster:AlterGroup", "kafka-cluster:DescribeGroup"], Resource: [arn("group", "orders-service.*")] },
    ]);
  });

  it("grantReadLag: connect only (no DescribeCluster, which lists every group), describe exactly the topics and the groups by their ids", () => {
    expect(statementsOf((kafka, role) => kafka.grantReadLag(role, ["users", "orders", "orders"], ["orders-service.lag", "billing.invoices"]))).toEqual([
      { Sid: "KafkaConnectForLagToTestKafka", Effect: "Allow", Action: ["kafka-cluster:Connect"], Resource: [cluster] },
      { Sid: "KafkaDescribeLagTopics", Effect: "Allow", Action: ["kafka-cluster:DescribeTopic"], Resource: [arn("topic", "orders"), arn("topic", "users")] },
      { Sid: "KafkaDescribeLagGroups", Effect: "Allow", Action: ["kafka-cluster:DescribeGroup"], Resource: [arn("group", "billing.invoices"), arn("group", "orders-service.lag")] },
    ]);
  });

  it("grantReadLag refuses a group id that is no Kafka name, and grants nothing without topics or groups", () => {
    expect(() => synth(base, (kafka, role) => kafka.grantReadLag(role, ["orders"], ["a*"]))).toThrow('test/kafka: a group name must be letters, digits, . _ - (got "a*")');
    const json = JSON.parse(synth(base, (kafka, role) => { kafka.grantReadLag(role, [], ["a."]); kafka.grantReadLag(role, ["orders"], []); })) as SynthesizedStack;
    expect(resourcesOf(json, "aws_iam_role_policy")).toEqual([]);
  });

  it("grants nothing for no topics", () => {
    const json = JSON.parse(synth(base, (kafka, role) => { kafka.grantProduce(role, []); kafka.grantConsume(role, [], "x."); })) as SynthesizedStack;
    expect(resourcesOf(json, "aws_iam_role_policy")).toEqual([]);
  });

  it("refuses a topic or group prefix that is no Kafka name", () => {
    expect(() => synth(base, (kafka, role) => kafka.grantProduce(role, ["*"]))).toThrow('test/kafka: a topic name must be letters, digits, . _ - (got "*")');
    expect(() => synth(base, (kafka, role) => kafka.grantConsume(role, ["orders"], "a*"))).toThrow('test/kafka: a group prefix must be letters, digits, . _ - (got "a*")');
  });
});

describe("KafkaTopic", () => {
  const json = JSON.parse(synthScope((scope) => new KafkaTopic(scope, "orders", { clusterArn: "arn:aws:kafka:eu-west-1:123456789012:cluster/test-kafka/uuid", name: "orders", partitions: 6, replicationFactor: 3, configs: { "retention.ms": "1", "cleanup.policy": "delete" } }))) as SynthesizedStack;

  it("is an aws_msk_topic through the .gen binding, its configs a JSON object with sorted keys", () => {
    expect(MskTopic.tfResourceType).toBe("aws_msk_topic");
    expect(json.resource.aws_msk_topic?.orders).toMatchObject({
      cluster_arn: "arn:aws:kafka:eu-west-1:123456789012:cluster/test-kafka/uuid",
      name: "orders",
      partition_count: 6,
      replication_factor: 3,
      configs: '{"cleanup.policy":"delete","retention.ms":"1"}',
    });
  });
});
