import { type TerraformStack } from "cdktf";
import { type BackendSettings } from "../../config";
import { type ContractValues, StackContract } from "./contract";

/** The outputs `<env>-streaming` publishes: how the application reaches Kafka. */
export const STREAMING_CONTRACT = new StackContract("streaming", {
  cluster_arn: { kind: "string", description: "ARN of the MSK cluster", mock: "arn:aws:kafka:{region}:{account}:cluster/mock/00000000-0000-0000-0000-000000000000-1" },
  cluster_name: { kind: "string", description: "Name of the MSK cluster", mock: "mock" },
  bootstrap_brokers: { kind: "string", description: "Bootstrap brokers for IAM authentication (SASL/IAM over TLS, port 9098)", mock: "b-1.mock.abc123.c2.kafka.{region}.amazonaws.com:9098" },
  broker_domain: {
    kind: "string",
    description: "The brokers' DNS domain: broker N is b-N.<domain> (Prometheus scrapes each one's exporters on 11001 and 11002)",
    mock: "mock.abc123.c2.kafka.{region}.amazonaws.com",
  },
  bootstrap_brokers_tls: { kind: "string", description: "Bootstrap brokers for TLS client certificates (port 9094); empty when only IAM is on", mock: "" },
  auth_mode: { kind: "string", description: "How the application authenticates: iam (SASL/IAM)", mock: "iam" },
  security_group_id: { kind: "string", description: "The brokers' security group", mock: "sg-0123456789abcdef4" },
});

/** How the application reaches Kafka. */
export type StreamingOutputs = ContractValues<typeof STREAMING_CONTRACT.outputs>;

/** The Kafka cluster of an environment, read from its streaming stack's state. */
export function streamingFromRemoteState(stack: TerraformStack, backend: BackendSettings, env: { readonly name: string }): StreamingOutputs {
  return STREAMING_CONTRACT.read(stack, backend, env);
}
