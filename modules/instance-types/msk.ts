/**
 * The broker types of Amazon MSK (provisioned clusters), kept beside the EC2 and RDS tables.
 *
 * Where the facts come from (as of 2026-12): "Amazon MSK broker sizes" in the MSK Developer
 * Guide. Standard brokers are T3 (kafka.t3.small only, for development), M5 and M7g (Graviton);
 * Express brokers (express.m7g.*) manage their own storage.
 * @see https://docs.aws.amazon.com/msk/latest/developerguide/broker-instance-sizes.html
 */

const sizes = (prefix: string, list: string) => list.split(" ").map((size) => `${prefix}.${size}`);

/** Standard brokers: EBS storage that the cluster's config sizes and autoscales. */
export const MSK_STANDARD_BROKERS: readonly string[] = [
  "kafka.t3.small",
  ...sizes("kafka.m5", "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge"),
  ...sizes("kafka.m7g", "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge"),
];

/** Express brokers: storage MSK manages, with no EBS settings. */
export const MSK_EXPRESS_BROKERS: readonly string[] = sizes("express.m7g", "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge");
