import { type PolicyStatement } from "../policy-document";

/** Props of {@link grafanaCloudWatchStatements}. */
export interface GrafanaCloudWatchProps {
  /** The environment's account and region: the alarms Grafana may describe are theirs. */
  readonly accountId: string;
  readonly region: string;
}

/**
 * What Grafana's CloudWatch data source reads for metrics, nothing it could change: the metrics
 * part of AWS's AmazonGrafanaCloudWatchAccess (its CloudWatch, EC2 and tag actions; not its Logs
 * Insights or cross-account `oam` ones, which this data source is not set up for). Listing
 * metrics, reading their data and EC2's and the tagging API's Describe/Get calls take no
 * resource type (Service Authorization Reference), so they take "*"; the alarms are this
 * region's and account's.
 * @see https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonGrafanaCloudWatchAccess.html
 * @see https://grafana.com/docs/grafana/latest/datasources/aws-cloudwatch/
 */
export function grafanaCloudWatchStatements(props: GrafanaCloudWatchProps): PolicyStatement[] {
  return [
    { Sid: "ReadMetrics", Effect: "Allow", Action: ["cloudwatch:GetInsightRuleReport", "cloudwatch:GetMetricData", "cloudwatch:GetMetricStatistics", "cloudwatch:ListMetrics"], Resource: "*" },
    { Sid: "ReadAlarms", Effect: "Allow", Action: ["cloudwatch:DescribeAlarmHistory", "cloudwatch:DescribeAlarms", "cloudwatch:DescribeAlarmsForMetric"], Resource: `arn:aws:cloudwatch:${props.region}:${props.accountId}:alarm:*` },
    // The query editor's dimension values: instances, their tags, regions, resources by tag.
    { Sid: "ReadDimensionValues", Effect: "Allow", Action: ["ec2:DescribeInstances", "ec2:DescribeRegions", "ec2:DescribeTags", "tag:GetResources"], Resource: "*" },
  ];
}
