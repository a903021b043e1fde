import { type ApiObjectMetadata } from "cdk8s";
import { crdKind } from "./crd-kind";

/**
 * Typed KEDA objects (keda.sh/v1alpha1, chart keda 2.20.2): the fields this project sets, as the
 * CRDs define them (kedacore/keda v2.20.2 `config/crd/bases/`).
 * @see https://keda.sh/docs/2.20/reference/scaledobject-spec/
 */

/** The CPU scaler: average utilisation of the pods' CPU requests, as the HPA's Resource metric. */
export interface CpuTrigger {
  readonly type: "cpu";
  readonly metricType: "Utilization";
  /** Trigger metadata values are strings (the CRD's `additionalProperties: {type: string}`). */
  readonly metadata: { readonly value: string };
}

/**
 * The Apache Kafka scaler (`kafka`, Sarama): a consumer group's lag on a topic. Parameter names
 * as the scaler reads them (pkg/scalers/kafka_scaler.go, `kafkaMetadata`; docs 2.20,
 * scalers/apache-kafka.md).
 */
export interface KafkaTrigger {
  readonly type: "kafka";
  readonly metadata: {
    readonly bootstrapServers: string;
    readonly consumerGroup: string;
    readonly topic: string;
    readonly lagThreshold: string;
    readonly offsetResetPolicy?: "latest" | "earliest";
    /** MSK IAM: the OAUTHBEARER mechanism with the `aws_msk_iam` token provider, over TLS, in `awsRegion`. */
    readonly sasl?: "oauthbearer";
    readonly saslTokenProvider?: "aws_msk_iam";
    readonly tls?: "enable";
    readonly awsRegion?: string;
  };
  readonly authenticationRef?: { readonly name: string; readonly kind?: "TriggerAuthentication" };
}

export interface ScaledObjectProps {
  readonly metadata: ApiObjectMetadata;
  readonly spec: {
    readonly scaleTargetRef: { readonly apiVersion: "apps/v1"; readonly kind: "Deployment"; readonly name: string };
    readonly minReplicaCount: number;
    readonly maxReplicaCount: number;
    /** Seconds between two reads of each trigger (KEDA's default: 30). */
    readonly pollingInterval?: number;
    readonly advanced?: {
      /** The HPA KEDA makes (`keda-hpa-<name>` unless named): naming an existing one takes it over (with the transfer annotation). */
      readonly horizontalPodAutoscalerConfig?: { readonly name?: string };
    };
    readonly triggers: ReadonlyArray<CpuTrigger | KafkaTrigger>;
  };
}

/** Scales a Deployment on its triggers, through an HPA that KEDA makes and owns. */
export class ScaledObject extends crdKind<ScaledObjectProps["spec"]>({ apiVersion: "keda.sh/v1alpha1", kind: "ScaledObject" }) {}

export interface TriggerAuthenticationProps {
  readonly metadata: ApiObjectMetadata;
  readonly spec: {
    /**
     * AWS credentials of a pod identity (IRSA or EKS Pod Identity): `identityOwner: keda` is the
     * operator's own role (docs 2.20, authentication-providers/aws.md).
     */
    readonly podIdentity: { readonly provider: "aws"; readonly identityOwner: "keda" | "workload" };
  };
}

/** How a trigger authenticates: here, as KEDA's operator's own AWS role. */
export class TriggerAuthentication extends crdKind<TriggerAuthenticationProps["spec"]>({ apiVersion: "keda.sh/v1alpha1", kind: "TriggerAuthentication" }) {}
