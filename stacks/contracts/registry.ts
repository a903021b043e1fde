import { type Layer } from "../../config";
import { type OutputSpec, type StackContract } from "./contract";
import { DATABASE_CONTRACT } from "./database";
import { DNS_CONTRACT } from "./dns";
import { EKS_CONTRACT } from "./eks";
import { IAM_CONTRACT } from "./iam";
import { NETWORK_CONTRACT } from "./network";
import { PLATFORM_CONTRACT } from "./platform";
import { STREAMING_CONTRACT } from "./streaming";

/** The contract each producing layer publishes, for tools that read outputs by layer (the verify harness's mocks). */
export const CONTRACTS: Partial<Record<Layer, StackContract<Readonly<Record<string, OutputSpec>>>>> = {
  network: NETWORK_CONTRACT,
  dns: DNS_CONTRACT,
  eks: EKS_CONTRACT,
  iam: IAM_CONTRACT,
  database: DATABASE_CONTRACT,
  streaming: STREAMING_CONTRACT,
  platform: PLATFORM_CONTRACT,
};
