import { Construct } from "constructs";
import { type AlarmNotification, notifyingAlarm } from "./alarm";

/** The tag the AWS Load Balancer Controller puts on every ALB it makes, with the cluster's name (its docs, "Resource Tags", v3.5.0). */
export const CONTROLLER_CLUSTER_TAG = "elbv2.k8s.aws/cluster";

/** Props of {@link LoadBalancerAlarms}. */
export interface LoadBalancerAlarmsProps extends AlarmNotification {
  /** Prefix of the alarm's name (the environment's name). */
  readonly namePrefix: string;
  /** The EKS cluster whose load balancer controller makes the ALBs: the value of its tag. */
  readonly clusterName: string;
  /** 5xx responses an ALB gives itself in 5 minutes above which it is in alarm. */
  readonly elb5xxCount: number;
}

/**
 * One alarm on the 5xx responses the ALBs give themselves (`HTTPCode_ELB_5XX_Count`: no healthy
 * target, a target that timed out or reset), each ALB of the cluster a contributor of its own.
 *
 * The load balancer controller makes the ALBs, not Terraform, so their `LoadBalancer` dimension
 * (`app/<name>/<id>`) is not known at plan, and a plan may read nothing from AWS. A Metrics
 * Insights query finds them instead, by the tag the controller puts on each
 * (`elbv2.k8s.aws/cluster = <cluster>`), grouped by `LoadBalancer`: an ALB made later joins the
 * alarm by itself, and no ALB of another cluster does. Two limits follow from AWS:
 * - tags reach Metrics Insights only once "resource tags on telemetry" is on in the account and
 *   region (`aws observabilityadmin start-telemetry-enrichment`, once: docs/observability.md);
 *   before that the query matches nothing and the alarm stays OK;
 * - an alarm takes one Metrics Insights query, so it cannot divide by `RequestCount`: the
 *   threshold is a count per 5 minutes, not a share.
 * The metric is published only when non-zero: missing data is "not breaching".
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Create_Metrics_Insights_Alarm.html
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html
 */
export class LoadBalancerAlarms extends Construct {
  constructor(scope: Construct, id: string, props: LoadBalancerAlarmsProps) {
    super(scope, id);
    notifyingAlarm(this, "elb-5xx", props, {
      name: `${props.namePrefix}-alb-5xx`,
      severity: "critical",
      summary: `An ALB of ${props.clusterName} answered more than ${props.elb5xxCount} requests with its own 5xx in 5 minutes: users are getting errors.`,
      runbook: "aws-alb-5xx.md",
      metricQuery: [
        {
          id: "elb5xx",
          returnData: true,
          period: 300,
          expression: `SELECT SUM(HTTPCode_ELB_5XX_Count) FROM SCHEMA("AWS/ApplicationELB", LoadBalancer) WHERE tag."${CONTROLLER_CLUSTER_TAG}" = '${props.clusterName}' GROUP BY LoadBalancer ORDER BY SUM() DESC`,
          label: "HTTPCode_ELB_5XX_Count",
        },
      ],
      evaluationPeriods: 1,
      comparisonOperator: "GreaterThanThreshold",
      threshold: props.elb5xxCount,
      treatMissingData: "notBreaching",
    });
  }
}
