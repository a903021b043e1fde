import { Construct } from "constructs";
import { brokerZones, groupPrefixes, kafkaClusterName, kafkaLagScalings, kedaEnabled, resolvedTopics, type StreamingConfig } from "../config";
import { alertTopicArn } from "../config/observability";
import { KafkaAlarms } from "../modules/alarms/kafka-alarms";
import { MSK_EXPRESS_BROKERS } from "../modules/instance-types/msk";
import { KafkaCluster } from "../modules/streaming/kafka-cluster";
import { KafkaTopic } from "../modules/streaming/kafka-topic";
import { eksFromRemoteState, podSecurityGroupKey } from "./contracts/eks";
import { networkFromRemoteState } from "./contracts/network";
import { STREAMING_CONTRACT } from "./contracts/streaming";
import { EnvironmentStack, type EnvironmentStackProps } from "./environment-stack";
import { runbookBaseUrl } from "./runbooks";
import { platformGrantee, serviceGrantee } from "./service-grantee";

/**
 * The AWS provider this stack requires: the first with `aws_msk_topic` (6.38.0, "New Resource:
 * aws_msk_topic", hashicorp/terraform-provider-aws#46490), newer than the 6.25 the prebuilt
 * bindings are built from. Only this stack needs it; `.gen/README.md` says when to move it.
 */
export const TOPICS_PROVIDER_VERSION = "6.38.0";

/**
 * `<env>-streaming`: the application's Kafka (MSK), its topics, and each service's grants to
 * produce to and consume exactly the topics config says (and KEDA's, to read the lag of the
 * groups services scale on). As in `<env>-database`, the grants live
 * beside the cluster, as an inline policy of this stack on each service's role.
 */
export class StreamingStack extends EnvironmentStack {
  /** The cluster. */
  readonly kafka: KafkaCluster;
  /** The topics, by name. */
  readonly topics: Readonly<Record<string, KafkaTopic>>;

  constructor(scope: Construct, props: EnvironmentStackProps) {
    super(scope, "streaming", props);
    const { env } = props;
    const config = env.streaming as StreamingConfig;
    this.addOverride("terraform.required_providers.aws.version", TOPICS_PROVIDER_VERSION);
    const network = networkFromRemoteState(this, props.backend, env);
    const eks = eksFromRemoteState(this, props.backend, env);
    const { topics: _topics, groupPrefixes: _groups, ...settings } = config;
    const topics = resolvedTopics(env);
    const services = [...new Set(topics.flatMap((t) => [...t.producers, ...t.consumers]))].sort();
    const lag = kafkaLagScalings(env);

    this.kafka = new KafkaCluster(this, "kafka", {
      ...settings,
      name: kafkaClusterName(env),
      vpcId: network.vpcId,
      subnetIds: network.subnetIds.data,
      zones: brokerZones(env),
      // Its producers' and consumers' pods, each by its own group (read from the cluster host's
      // state); the node group only for what runs without one: Prometheus, and KEDA's lag reading.
      clientSecurityGroupIds: Object.fromEntries(services.map((service) => [service, eks.pod_security_groups.get(podSecurityGroupKey(env, service))])),
      nodeSecurityGroupId: eks.node_security_group_id,
      lagReaders: kedaEnabled(env) && lag.length > 0,
      transitionAdmitsNodes: env.eks.nodesReachDataStores,
      accountId: env.account.id,
      region: env.account.region,
    });
    const topicScope = new Construct(this, "topics");
    this.topics = Object.fromEntries(
      topics.map((t) => [t.name, new KafkaTopic(topicScope, t.name, { clusterArn: this.kafka.cluster.arn, name: t.name, partitions: t.partitions, replicationFactor: t.replicationFactor, configs: t.configs })]),
    );

    const groups = groupPrefixes(env);
    for (const service of services) {
      const grantee = serviceGrantee(this, service);
      this.kafka.grantProduce(grantee, topics.filter((t) => t.producers.includes(service)).map((t) => t.name));
      this.kafka.grantConsume(grantee, topics.filter((t) => t.consumers.includes(service)).map((t) => t.name), groups[service] as string);
    }
    // KEDA's operator reads the lag of exactly the topics and groups services scale on, as its own role.
    if (kedaEnabled(env) && lag.length > 0) this.kafka.grantReadLag(platformGrantee(this, "keda"), lag.map((l) => l.topic), lag.map((l) => l.group));

    // Its alarms (standard brokers: Express brokers publish neither metric), notifying the alert topic.
    if (!MSK_EXPRESS_BROKERS.includes(config.instanceType)) {
      new KafkaAlarms(this, "alarms", { namePrefix: kafkaClusterName(env), clusterName: this.kafka.cluster.clusterName, brokers: config.brokers, thresholds: env.observability.alarms.streaming, topicArn: alertTopicArn(env), runbookBaseUrl: runbookBaseUrl(props.project) });
    }

    STREAMING_CONTRACT.publish(this, {
      cluster_arn: this.kafka.cluster.arn,
      cluster_name: this.kafka.cluster.clusterName,
      bootstrap_brokers: this.kafka.bootstrapBrokersIam,
      broker_domain: this.kafka.brokerDomain,
      bootstrap_brokers_tls: this.kafka.bootstrapBrokersTls,
      auth_mode: "iam",
      security_group_id: this.kafka.securityGroup.id,
    });
  }
}
