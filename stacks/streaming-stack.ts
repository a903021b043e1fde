import { type Construct } from "constructs";
import { brokerZones, type StreamingConfig } from "../config";
import { KafkaCluster } from "../modules/streaming/kafka-cluster";
import { eksFromRemoteState } from "./contracts/eks";
import { networkFromRemoteState } from "./contracts/network";
import { STREAMING_CONTRACT } from "./contracts/streaming";
import { appRoleGrantee } from "./app-grantee";
import { EnvironmentStack, type EnvironmentStackProps } from "./environment-stack";

/**
 * `<env>-streaming`: the application's Kafka (MSK), and its grants to produce and consume on its
 * topic and group prefixes. As in `<env>-database`, the grants live beside the cluster, as an
 * inline policy of this stack on the app role.
 */
export class StreamingStack extends EnvironmentStack {
  /** The cluster. */
  readonly kafka: KafkaCluster;

  constructor(scope: Construct, props: EnvironmentStackProps) {
    super(scope, "streaming", props);
    const { env } = props;
    const config = env.streaming as StreamingConfig;
    const network = networkFromRemoteState(this, props.backend, env);
    const eks = eksFromRemoteState(this, props.backend, env);
    const { appTopicPrefix, appGroupPrefix, ...settings } = config;

    this.kafka = new KafkaCluster(this, "kafka", {
      ...settings,
      name: `${env.name}-kafka`,
      vpcId: network.vpcId,
      subnetIds: network.subnetIds.data,
      zones: brokerZones(env),
      clientSecurityGroupId: eks.node_security_group_id,
      accountId: env.account.id,
      region: env.account.region,
    });
    const app = appRoleGrantee(this, props);
    this.kafka.grantProduce(app, appTopicPrefix);
    this.kafka.grantConsume(app, appTopicPrefix, appGroupPrefix);

    STREAMING_CONTRACT.publish(this, {
      cluster_arn: this.kafka.cluster.arn,
      cluster_name: this.kafka.cluster.clusterName,
      bootstrap_brokers: this.kafka.bootstrapBrokersIam,
      bootstrap_brokers_tls: this.kafka.bootstrapBrokersTls,
      auth_mode: "iam",
      app_topic_prefix: appTopicPrefix,
      app_group_prefix: appGroupPrefix,
      security_group_id: this.kafka.securityGroup.id,
    });
  }
}
