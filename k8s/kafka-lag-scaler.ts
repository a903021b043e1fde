import { Construct } from "constructs";
import { ScaledObject, type ScaledObjectProps, TriggerAuthentication, type TriggerAuthenticationProps } from "./crds/keda";

/** Props of {@link kafkaLagScaling} and {@link KafkaLagScaler}. */
export interface KafkaLagScalerProps {
  /** The Deployment to scale; the ScaledObject takes its name, the TriggerAuthentication `<name>-kafka`. */
  readonly name: string;
  readonly namespace: string;
  /** Fewest replicas: the HPA's `min` (at least 1; see {@link kafkaLagScaling} on why never 0). */
  readonly min: number;
  /** Most replicas. KEDA's Kafka scaler also never asks for more than the topic has partitions (allowIdleConsumers: false). */
  readonly max: number;
  /** Average CPU use of the pods' requests to aim for, as the HPA did. */
  readonly cpuTargetPercent: number;
  /** The topic whose lag counts. */
  readonly topic: string;
  /** The consumer group id whose lag counts. */
  readonly group: string;
  /** Messages of lag per replica to aim for (KEDA divides the group's total lag by it). */
  readonly lagThreshold: number;
  /** MSK's bootstrap brokers for IAM clients (port 9098), comma-separated, as MSK gives them. */
  readonly bootstrapServers: string;
  /** The cluster's region: the MSK IAM token is signed for it. */
  readonly region: string;
  /**
   * Labels of both objects.
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * The ScaledObject and TriggerAuthentication that scale a Kafka consumer on CPU and on its
 * group's lag, as KEDA 2.20 reads them.
 *
 * - Two triggers: `cpu` (so CPU still scales the Deployment, as the HPA did) and `kafka`, KEDA's
 *   Apache Kafka scaler; KEDA's HPA takes the larger of the two counts. The chart must then make
 *   no HPA of its own: KEDA makes and owns one (`keda-hpa-<name>`), and its admission webhook
 *   refuses a ScaledObject for a Deployment another HPA scales.
 * - MSK IAM on the `kafka` scaler is `sasl: oauthbearer` with `saslTokenProvider: aws_msk_iam`,
 *   `tls: enable` and `awsRegion` (kedacore/keda pkg/scalers/kafka_scaler.go: `parseOAuthParams`
 *   refuses aws_msk_iam without TLS or a region; keda-docs content/docs/2.20/scalers/apache-kafka.md).
 *   `sasl: aws_msk_iam` is the experimental `apache-kafka` scaler's spelling, which this one refuses.
 * - Credentials: `podIdentity: { provider: aws, identityOwner: keda }`: with no `roleArn`, KEDA
 *   loads the AWS SDK's default chain in its operator pod (pkg/scalers/aws/aws_config_cache.go,
 *   `GetCredentials`), that is the operator's own IRSA or Pod Identity role, `<env>-keda`, whose
 *   only grant is reading these groups and topics (`KafkaCluster.grantReadLag`). `workload` would
 *   make KEDA assume the service's own role, which may also consume and produce.
 * - `minReplicaCount` is the HPA's `min`, never 0: with 0 KEDA would stop every consumer when the
 *   lag is 0, and the next message would wait for a poll (30 s) and a pod start; the group would
 *   rebalance at each wake; and the CPU trigger cannot wake a Deployment from 0 (docs 2.20,
 *   scalers/cpu.md). The schema already refuses an HPA `min` below 1.
 */
export function kafkaLagScaling(props: KafkaLagScalerProps): [ScaledObjectProps, TriggerAuthenticationProps] {
  const where = `kafka lag scaling of ${props.namespace}/${props.name}`;
  if (!Number.isInteger(props.min) || props.min < 1) throw new Error(`${where}: min must be an integer of at least 1 (got ${props.min}): a consumer scaled to 0 waits a poll and a pod start for each first message`);
  if (props.max < props.min) throw new Error(`${where}: max (${props.max}) is below min (${props.min})`);
  if (!Number.isInteger(props.lagThreshold) || props.lagThreshold < 1) throw new Error(`${where}: lagThreshold must be a positive integer (got ${props.lagThreshold})`);
  const labels = props.labels ? { labels: { ...props.labels } } : {};
  const auth = `${props.name}-kafka`;
  const triggerAuthentication: TriggerAuthenticationProps = {
    metadata: { name: auth, namespace: props.namespace, ...labels },
    spec: { podIdentity: { provider: "aws", identityOwner: "keda" } },
  };
  const scaledObject: ScaledObjectProps = {
    metadata: { name: props.name, namespace: props.namespace, ...labels },
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: props.name },
      minReplicaCount: props.min,
      maxReplicaCount: props.max,
      triggers: [
        { type: "cpu", metricType: "Utilization", metadata: { value: String(props.cpuTargetPercent) } },
        {
          type: "kafka",
          metadata: {
            bootstrapServers: props.bootstrapServers,
            consumerGroup: props.group,
            topic: props.topic,
            lagThreshold: String(props.lagThreshold),
            sasl: "oauthbearer",
            saslTokenProvider: "aws_msk_iam",
            tls: "enable",
            awsRegion: props.region,
          },
          authenticationRef: { name: auth, kind: "TriggerAuthentication" },
        },
      ],
    },
  };
  return [scaledObject, triggerAuthentication];
}

/** {@link kafkaLagScaling}'s two objects in a cdk8s chart. */
export class KafkaLagScaler extends Construct {
  readonly scaledObject: ScaledObject;
  readonly triggerAuthentication: TriggerAuthentication;

  constructor(scope: Construct, id: string, props: KafkaLagScalerProps) {
    super(scope, id);
    const [scaledObject, triggerAuthentication] = kafkaLagScaling(props);
    this.triggerAuthentication = new TriggerAuthentication(this, "trigger-authentication", triggerAuthentication);
    this.scaledObject = new ScaledObject(this, "scaled-object", scaledObject);
  }
}
