import { Construct } from "constructs";
import { type ChartRelease } from "../helm/chart-release";
import { addonRelease, type WorkloadAddonProps, type ChartSource, roleAnnotations } from "./addon";

/**
 * The pinned chart: upstream Fluent Bit, which has CloudWatch Logs output built in
 * (`cloudwatch_logs`). Not aws-for-fluent-bit: its 0.2 image line reached end of life, and the
 * upstream chart is the maintained one.
 */
export const LOG_SHIPPING_CHART: ChartSource = { chart: "fluent-bit", repository: "https://fluent.github.io/helm-charts", version: "0.58.1", namespace: "logging" };

/** Props of {@link LogShipping}. */
export interface LogShippingProps extends WorkloadAddonProps {
  readonly region: string;
  /** The log group (made in Terraform, with retention and KMS): Fluent Bit never creates one. */
  readonly logGroupName: string;
  /** ARN of its workload role (`<env>-iam`): writes to that log group only. */
  readonly roleArn: string;
}

/** Fluent Bit on every node (system nodes too), shipping the containers' logs to CloudWatch Logs. */
export class LogShipping extends Construct {
  readonly release: ChartRelease;

  constructor(scope: Construct, id: string, props: LogShippingProps) {
    super(scope, id);
    const output = [
      "[OUTPUT]",
      "    Name              cloudwatch_logs",
      "    Match             kube.*",
      `    region            ${props.region}`,
      `    log_group_name    ${props.logGroupName}`,
      "    log_stream_prefix from-fluent-bit-",
      "    auto_create_group Off",
      "",
    ].join("\n");
    this.release = addonRelease(this, "release", LOG_SHIPPING_CHART, {
      serviceAccount: { create: true, name: "fluent-bit", annotations: roleAnnotations(props.identityMode, props.roleArn) },
      // Every node's logs, the system group's included.
      tolerations: [{ operator: "Exists" }],
      config: { outputs: output },
    }, props);
  }
}
