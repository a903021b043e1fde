import { AppautoscalingPolicy } from "@cdktf/provider-aws/lib/appautoscaling-policy";
import { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { MskCluster } from "@cdktf/provider-aws/lib/msk-cluster";
import { MskConfiguration } from "@cdktf/provider-aws/lib/msk-configuration";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { type IGrantable, sidPart } from "../iam/grant";
import { EncryptionKey } from "../kms/encryption-key";
import { assertLogRetention, logGroupKeyStatement } from "../logs/retention";
import { brokerTypeProblem, defaultReplication, type KafkaVersion, MAX_BROKER_ZONES } from "./kafka-versions";

/** Client ports of MSK's listeners, by authentication. */
export const KAFKA_PORTS = { iam: 9098, tls: 9094 } as const;
/** Ports of the open-monitoring exporters (JMX, node) that Prometheus scrapes. */
/**
 * Terraform's `regex` pattern of the brokers' domain in a bootstrap string (`b-1.<domain>:9098,…`).
 * `[.]`, not an escaped dot: Terraform's string templates take no `\.` (terraform validate refuses it).
 */
export const BROKER_DOMAIN_PATTERN = "^b-[0-9]+[.]([^:,]+):";

export const EXPORTER_PORTS = { from: 11001, to: 11002 } as const;

/** Props of {@link KafkaCluster}. */
export interface KafkaClusterProps {
  /** Cluster name (`<env>-kafka`); part of every ARN the grants name. Changing it replaces the cluster. */
  readonly name: string;
  /** Kafka version (KRaft). */
  readonly kafkaVersion: KafkaVersion;
  /** Brokers: a multiple of the subnets used. */
  readonly brokers: number;
  /** Broker instance type. */
  readonly instanceType: string;
  /** Initial EBS volume per broker, GiB. */
  readonly volumeSizeGiB: number;
  /** Storage autoscaling's ceiling per broker, GiB. */
  readonly maxVolumeSizeGiB: number;
  /**
   * `default.replication.factor`.
   * @default min(3, brokers)
   */
  readonly replicationFactor?: number;
  /**
   * `min.insync.replicas`.
   * @default replicationFactor - 1, at least 1
   */
  readonly minInsyncReplicas?: number;
  /** `num.partitions` of topics created without a count. */
  readonly defaultPartitions: number;
  /**
   * ACM Private CAs whose client certificates are accepted too (TLS on 9094).
   * @default - none: IAM only
   */
  readonly clientCertificateAuthorityArns?: readonly string[];
  /** Retention of the broker logs, days. */
  readonly logRetentionDays: number;
  /** The VPC. */
  readonly vpcId: string;
  /** The data subnets; brokers go in the first `zones`. */
  readonly subnetIds: readonly string[];
  /** How many zones (and subnets) brokers are spread over: 2 or 3. */
  readonly zones: number;
  /**
   * The security groups of the clients, by name (a service: its pods' own group), admitted on the
   * client ports (`from-<client>-pods-iam`, and `-pods-tls` with certificate authorities).
   */
  readonly clientSecurityGroupIds: Readonly<Record<string, string>>;
  /**
   * The cluster's node security group: Prometheus scrapes the exporters from it (it runs without
   * a group of its own), on 11001–11002 only.
   */
  readonly nodeSecurityGroupId: string;
  /**
   * Whether KEDA's operator, which runs on the nodes without a group of its own, reads consumer
   * lag over IAM (9098): then the node group keeps that port too (`from-clients-iam`).
   * @default false
   */
  readonly lagReaders?: boolean;
  /**
   * Whether the node group is still admitted on the client ports while a running environment
   * moves to pods' own groups (config `eks.nodesReachDataStores`), at the rules' old addresses.
   * @default false
   */
  readonly transitionAdmitsNodes?: boolean;
  /** The account, for the key policy and grant ARNs. */
  readonly accountId: string;
  /** The region, for grant ARNs and the log key. */
  readonly region: string;
}

/**
 * A provisioned MSK cluster on KRaft: encrypted at rest with its own key and in transit
 * everywhere, IAM authentication (TLS client certificates optional, never unauthenticated),
 * broker logs into an encrypted log group, Prometheus exporters on, storage that grows on its
 * own, and a configuration that refuses unsafe defaults (no automatic topics, no unclean leader
 * election, replication derived from the broker count).
 *
 * Grants ({@link KafkaCluster.grantProduce}, {@link KafkaCluster.grantConsume}, {@link KafkaCluster.grantReadLag}) name this
 * cluster's topics and groups by its name and UUID, by prefix.
 */
export class KafkaCluster extends Construct {
  /** The cluster. */
  readonly cluster: MskCluster;
  /** The configuration the brokers run with. */
  readonly configuration: MskConfiguration;
  /** The brokers' security group. */
  readonly securityGroup: SecurityGroup;
  /** The key that encrypts the brokers' storage and logs. */
  readonly key: EncryptionKey;
  /** Bootstrap brokers for IAM clients (port 9098). */
  readonly bootstrapBrokersIam: string;
  /** Bootstrap brokers for TLS-certificate clients (port 9094); empty unless certificate authorities are set. */
  readonly bootstrapBrokersTls: string;
  /**
   * The brokers' DNS domain: broker N is `b-N.<domain>`. Read from the bootstrap string, whose
   * hosts are `b-<id>.<domain>:<port>`, because the bootstrap list need not name every broker
   * (MSK API reference, GetBootstrapBrokers) while every broker shares the domain, and the
   * brokers' ids are 1 to the broker count (MSK developer guide, "Open monitoring with
   * Prometheus": scrape each broker's DNS name on 11001 and 11002).
   */
  readonly brokerDomain: string;
  private readonly props: KafkaClusterProps;
  private readonly connected = new WeakSet<IGrantable>();

  constructor(scope: Construct, id: string, props: KafkaClusterProps) {
    super(scope, id);
    this.props = props;
    this.validate();
    const { name, accountId, region } = props;
    const replication = defaultReplication(props.brokers, props);
    const tlsClients = (props.clientCertificateAuthorityArns ?? []).length > 0;

    const logGroupName = `/aws/msk/${name}/brokers`;
    this.key = new EncryptionKey(this, "key", {
      description: `Encrypts the Kafka cluster ${name}: broker storage and logs`,
      aliasName: `alias/${name}`,
      accountId,
      statements: [logGroupKeyStatement(region, `arn:aws:logs:${region}:${accountId}:log-group:${logGroupName}`)],
    });
    const logGroup = new CloudwatchLogGroup(this, "broker-logs", { name: logGroupName, retentionInDays: props.logRetentionDays, kmsKeyId: this.key.arn });

    // Its description predates the pods' own groups; EC2 cannot change one (a new group would replace the brokers' interfaces' group): the rules say who is admitted.
    this.securityGroup = new SecurityGroup(this, "security-group", { name: `${name}-brokers`, description: `${name}: Kafka from the cluster's nodes only`, vpcId: props.vpcId, egress: [] });
    const allow = (ruleId: string, description: string, source: string, from: number, to = from) =>
      new VpcSecurityGroupIngressRule(this, ruleId, { securityGroupId: this.securityGroup.id, description, referencedSecurityGroupId: source, ipProtocol: "tcp", fromPort: from, toPort: to });
    for (const [client, groupId] of Object.entries(props.clientSecurityGroupIds).sort(([a], [b]) => a.localeCompare(b))) {
      allow(`from-${client}-pods-iam`, `Kafka, SASL/IAM, from the pods of ${client} (their own security group)`, groupId, KAFKA_PORTS.iam);
      if (tlsClients) allow(`from-${client}-pods-tls`, `Kafka, TLS client certificates, from the pods of ${client} (their own security group)`, groupId, KAFKA_PORTS.tls);
    }
    // The addresses they always had: during the move to pods' own groups the node group keeps the
    // client ports; after it, port 9098 only where KEDA reads lag.
    if (props.transitionAdmitsNodes) {
      allow("from-clients-iam", "Kafka, SASL/IAM, from the cluster's nodes and pods", props.nodeSecurityGroupId, KAFKA_PORTS.iam);
      if (tlsClients) allow("from-clients-tls", "Kafka, TLS client certificates, from the cluster's nodes and pods", props.nodeSecurityGroupId, KAFKA_PORTS.tls);
    } else if (props.lagReaders) {
      allow("from-clients-iam", "Kafka, SASL/IAM, from KEDA's operator on the cluster's nodes: the lag of the groups services scale on", props.nodeSecurityGroupId, KAFKA_PORTS.iam);
    }
    allow("from-prometheus", "Prometheus scraping the JMX and node exporters, from the cluster's pods", props.nodeSecurityGroupId, EXPORTER_PORTS.from, EXPORTER_PORTS.to);

    // MSK refuses to delete a configuration a cluster uses, and a Kafka upgrade needs one made
    // for the new version (terraform-provider-aws#15831). The version is in the name and the
    // configuration is replaced create-before-destroy: the new one exists, the cluster moves to
    // it, then the old one is deleted.
    this.configuration = new MskConfiguration(this, "configuration", {
      name: `${name}-${props.kafkaVersion.replace(/\./g, "-")}`,
      description: `Broker settings of ${name}`,
      kafkaVersions: [props.kafkaVersion],
      serverProperties: serverProperties({ ...replication, defaultPartitions: props.defaultPartitions }),
      lifecycle: { createBeforeDestroy: true },
    });

    this.cluster = new MskCluster(this, "Default", {
      clusterName: name,
      kafkaVersion: props.kafkaVersion,
      numberOfBrokerNodes: props.brokers,
      brokerNodeGroupInfo: {
        instanceType: props.instanceType,
        clientSubnets: Fn.slice([...props.subnetIds], 0, props.zones),
        securityGroups: [this.securityGroup.id],
        storageInfo: { ebsStorageInfo: { volumeSize: props.volumeSizeGiB } },
      },
      encryptionInfo: {
        encryptionAtRestKmsKeyArn: this.key.arn,
        encryptionInTransit: { clientBroker: "TLS", inCluster: true },
      },
      clientAuthentication: {
        sasl: { iam: true, scram: false },
        tls: tlsClients ? { certificateAuthorityArns: [...(props.clientCertificateAuthorityArns ?? [])] } : undefined,
        unauthenticated: false,
      },
      configurationInfo: { arn: this.configuration.arn, revision: this.configuration.latestRevision },
      openMonitoring: { prometheus: { jmxExporter: { enabledInBroker: true }, nodeExporter: { enabledInBroker: true } } },
      loggingInfo: { brokerLogs: { cloudwatchLogs: { enabled: true, logGroup: logGroup.name } } },
      // Storage autoscaling grows the volumes; Terraform must not shrink them back (MSK cannot).
      lifecycle: { ignoreChanges: ["broker_node_group_info[0].storage_info[0].ebs_storage_info[0].volume_size"] },
    });
    this.bootstrapBrokersIam = this.cluster.bootstrapBrokersSaslIam;
    this.bootstrapBrokersTls = tlsClients ? this.cluster.bootstrapBrokersTls : "";
    this.brokerDomain = Fn.element(Fn.regex(BROKER_DOMAIN_PATTERN, this.cluster.bootstrapBrokersSaslIam), 0);

    const target = new AppautoscalingTarget(this, "storage-scaling-target", {
      serviceNamespace: "kafka",
      scalableDimension: "kafka:broker-storage:VolumeSize",
      resourceId: this.cluster.arn,
      minCapacity: 1,
      maxCapacity: props.maxVolumeSizeGiB,
    });
    new AppautoscalingPolicy(this, "storage-scaling", {
      name: `${name}-broker-storage`,
      policyType: "TargetTrackingScaling",
      serviceNamespace: target.serviceNamespace,
      scalableDimension: target.scalableDimension,
      resourceId: target.resourceId,
      targetTrackingScalingPolicyConfiguration: {
        predefinedMetricSpecification: { predefinedMetricType: "KafkaBrokerStorageUtilization" },
        targetValue: 60,
        // MSK volumes only grow.
        disableScaleIn: true,
      },
    });
  }

  /**
   * Lets a role write to exactly these topics: `Connect`, `DescribeCluster` and
   * `WriteDataIdempotently` on this cluster (Kafka clients since 3.0 are idempotent by default,
   * and fail without it), `WriteData` and `DescribeTopic` on each topic's ARN
   * (`topic/<cluster>/<uuid>/<name>`), no wildcard.
   * @see https://docs.aws.amazon.com/msk/latest/developerguide/iam-access-control.html
   */
  grantProduce(grantee: IGrantable, topics: readonly string[]): void {
    if (topics.length === 0) return;
    this.grantConnect(grantee);
    grantee.addToPrincipalPolicy({ Sid: `KafkaIdempotentWritesTo${sidPart(this.props.name)}`, Effect: "Allow", Action: "kafka-cluster:WriteDataIdempotently", Resource: this.cluster.arn });
    grantee.addToPrincipalPolicy({ Sid: "KafkaProduceToItsTopics", Effect: "Allow", Action: ["kafka-cluster:WriteData", "kafka-cluster:DescribeTopic"], Resource: topics.map((t) => this.arnOf("topic", t)) });
  }

  /**
   * Lets a role read exactly these topics, in consumer groups starting with `groupPrefix`:
   * `Connect` and `DescribeCluster` on this cluster, `ReadData` and `DescribeTopic` on each
   * topic, `AlterGroup` and `DescribeGroup` on `group/<cluster>/<uuid>/<prefix>*` (a group id is
   * the client's choice, so its own prefix is the narrowest grant).
   */
  grantConsume(grantee: IGrantable, topics: readonly string[], groupPrefix: string): void {
    if (topics.length === 0) return;
    this.grantConnect(grantee);
    grantee.addToPrincipalPolicy({ Sid: "KafkaConsumeItsTopics", Effect: "Allow", Action: ["kafka-cluster:ReadData", "kafka-cluster:DescribeTopic"], Resource: topics.map((t) => this.arnOf("topic", t)) });
    grantee.addToPrincipalPolicy({ Sid: `KafkaGroups${sidPart(groupPrefix)}`, Effect: "Allow", Action: ["kafka-cluster:AlterGroup", "kafka-cluster:DescribeGroup"], Resource: this.arnOf("group", groupPrefix, "*") });
  }

  /**
   * Lets a role read the lag of exactly these consumer groups on exactly these topics, and
   * nothing else: what KEDA's Kafka scaler asks the brokers for (kedacore/keda
   * pkg/scalers/kafka_scaler.go: Metadata for the topic's partitions, ListOffsets for their
   * newest offsets, FindCoordinator and OffsetFetch for the group's committed offsets). Kafka
   * authorizes those as DESCRIBE on the topic (Metadata, ListOffsets, OffsetFetch) and DESCRIBE on
   * the group (FindCoordinator, OffsetFetch) (Apache Kafka docs, "Operations and Resources on
   * Protocols"), which MSK's IAM access control names `kafka-cluster:DescribeTopic` and
   * `kafka-cluster:DescribeGroup`, each needing `kafka-cluster:Connect`
   * (https://docs.aws.amazon.com/msk/latest/developerguide/kafka-actions.html). So: `Connect` on
   * this cluster (no DescribeCluster: it would list every group), `DescribeTopic` on each topic,
   * `DescribeGroup` on each group by its exact id; no read, write or group membership. Call it
   * once per grantee, with all its topics and groups.
   */
  grantReadLag(grantee: IGrantable, topics: readonly string[], groups: readonly string[]): void {
    if (topics.length === 0 || groups.length === 0) return;
    const unique = (names: readonly string[]) => [...new Set(names)].sort();
    if (!this.connected.has(grantee)) {
      grantee.addToPrincipalPolicy({ Sid: `KafkaConnectForLagTo${sidPart(this.props.name)}`, Effect: "Allow", Action: "kafka-cluster:Connect", Resource: this.cluster.arn });
    }
    grantee.addToPrincipalPolicy({ Sid: "KafkaDescribeLagTopics", Effect: "Allow", Action: "kafka-cluster:DescribeTopic", Resource: unique(topics).map((t) => this.arnOf("topic", t)) });
    grantee.addToPrincipalPolicy({ Sid: "KafkaDescribeLagGroups", Effect: "Allow", Action: "kafka-cluster:DescribeGroup", Resource: unique(groups).map((g) => this.arnOf("group", g)) });
  }

  /** Connecting to the cluster, which every grant needs once per grantee. */
  private grantConnect(grantee: IGrantable): void {
    if (this.connected.has(grantee)) return;
    this.connected.add(grantee);
    grantee.addToPrincipalPolicy({ Sid: `KafkaConnectTo${sidPart(this.props.name)}`, Effect: "Allow", Action: ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"], Resource: this.cluster.arn });
  }

  /** ARN of a topic, or of the groups with a prefix (`suffix` "*"), in this cluster only. */
  private arnOf(kind: "topic" | "group", name: string, suffix = ""): string {
    if (!/^[A-Za-z0-9._-]{1,249}$/.test(name)) throw new Error(`${this.node.path}: a ${kind} ${suffix ? "prefix" : "name"} must be letters, digits, . _ - (got "${name}")`);
    const { region, accountId, name: cluster } = this.props;
    return `arn:aws:kafka:${region}:${accountId}:${kind}/${cluster}/${this.cluster.clusterUuid}/${name}${suffix}`;
  }

  private validate(): void {
    const p = this.props;
    const where = this.node.path;
    const typeProblem = brokerTypeProblem(p.instanceType);
    if (typeProblem) throw new Error(`${where}: instanceType "${p.instanceType}" ${typeProblem}`);
    if (p.zones < 2 || p.zones > MAX_BROKER_ZONES) throw new Error(`${where}: zones must be 2 or ${MAX_BROKER_ZONES} (got ${p.zones})`);
    if (p.brokers % p.zones !== 0) throw new Error(`${where}: brokers (${p.brokers}) must be a multiple of the ${p.zones} zones`);
    const { replicationFactor, minInsyncReplicas } = defaultReplication(p.brokers, p);
    if (replicationFactor > p.brokers) throw new Error(`${where}: replicationFactor ${replicationFactor} is above the ${p.brokers} brokers`);
    if (minInsyncReplicas >= replicationFactor) throw new Error(`${where}: minInsyncReplicas ${minInsyncReplicas} must be below replicationFactor ${replicationFactor}`);
    if (p.maxVolumeSizeGiB < p.volumeSizeGiB) throw new Error(`${where}: maxVolumeSizeGiB ${p.maxVolumeSizeGiB} is below volumeSizeGiB ${p.volumeSizeGiB}`);
    assertLogRetention(where, p.logRetentionDays);
  }
}

/**
 * The brokers' `server.properties`: only settings KRaft-era Kafka accepts (nothing of ZooKeeper),
 * one per line, sorted, so a change is a one-line diff.
 */
export function serverProperties(settings: { readonly replicationFactor: number; readonly minInsyncReplicas: number; readonly defaultPartitions: number }): string {
  const properties: Record<string, string | number | boolean> = {
    // Topics are declared, with their partitions and retention, never made by a typo in a client.
    "auto.create.topics.enable": false,
    "default.replication.factor": settings.replicationFactor,
    "min.insync.replicas": settings.minInsyncReplicas,
    "num.partitions": settings.defaultPartitions,
    // An out-of-sync replica never becomes leader: no silent loss of acknowledged writes.
    "unclean.leader.election.enable": false,
  };
  return Object.keys(properties).sort().map((key) => `${key} = ${String(properties[key])}`).join("\n") + "\n";
}
