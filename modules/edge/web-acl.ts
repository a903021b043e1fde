import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CloudwatchLogResourcePolicy } from "@cdktf/provider-aws/lib/cloudwatch-log-resource-policy";
import { Wafv2WebAcl, type Wafv2WebAclRule } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { Wafv2WebAclLoggingConfiguration } from "@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration";
import { Construct } from "constructs";
import { EncryptionKey } from "../kms/encryption-key";
import { assertLogRetention, logGroupKeyStatement } from "../logs/retention";
import { WAF_MANAGED_GROUPS, WAF_MANAGED_RULES, type WafManagedGroup } from "./waf-rules";

/** Props of {@link WebAcl}. */
export interface WebAclProps {
  /** The ACL's name (`<env>-alb`); its log group is `aws-waf-logs-<name>`. */
  readonly name: string;
  /** Requests one client IP may send in {@link rateWindowSeconds} before it is blocked. */
  readonly rateLimit: number;
  /**
   * The window the rate is counted over: 60, 120, 300 or 600 seconds.
   * @default 300
   */
  readonly rateWindowSeconds?: number;
  /**
   * Rules of the managed groups that count instead of block, by group, while a false positive is tuned.
   * @default - none: every rule blocks
   */
  readonly countInsteadOfBlock?: Readonly<Partial<Record<WafManagedGroup, readonly string[]>>>;
  /** Retention of the request logs, days. */
  readonly logRetentionDays: number;
  readonly accountId: string;
  readonly region: string;
}

/** Headers whose values never reach the logs: they carry credentials. */
const REDACTED_HEADERS = ["authorization", "cookie"] as const;

/**
 * A regional WAFv2 web ACL for internet-facing load balancers: requests pass unless a rule
 * blocks them. In order: Amazon's IP reputation list, a rate-based rule per client IP, then the
 * core rule set, known bad inputs and SQL injection groups (1,125 WCU of the 1,500 an ACL may use
 * at the base price). Every request is logged, credentials redacted, to an encrypted log group
 * with the `aws-waf-logs-` prefix WAF requires, under a resource policy of this ACL's own (so
 * WAF never edits the account's shared one). The load balancer controller attaches it through
 * the Ingress's `alb.ingress.kubernetes.io/wafv2-acl-arn` annotation.
 * @see https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-list.html
 * @see https://docs.aws.amazon.com/waf/latest/developerguide/logging-cw-logs.html
 */
export class WebAcl extends Construct {
  readonly acl: Wafv2WebAcl;
  /** ARN of the ACL. */
  readonly arn: string;
  readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: WebAclProps) {
    super(scope, id);
    const where = this.node.path;
    assertLogRetention(where, props.logRetentionDays);
    const overrides = props.countInsteadOfBlock ?? {};
    for (const [group, rules] of Object.entries(overrides) as Array<[WafManagedGroup, readonly string[]]>) {
      const known: readonly string[] | undefined = WAF_MANAGED_RULES[group];
      if (!known) throw new Error(`${where}: countInsteadOfBlock names "${group}", which is not a managed group of the ACL; allowed: ${WAF_MANAGED_GROUPS.join(", ")}`);
      const unknown = rules.filter((r) => !known.includes(r));
      if (unknown.length) throw new Error(`${where}: countInsteadOfBlock.${group} names ${unknown.map((r) => `"${r}"`).join(", ")}, not rules of that group; allowed: ${known.join(", ")}`);
    }

    const { name, region, accountId } = props;
    const visibility = (metric: string) => ({ cloudwatchMetricsEnabled: true, metricName: metric, sampledRequestsEnabled: true });
    const managed = (group: WafManagedGroup, priority: number): Wafv2WebAclRule => ({
      name: group,
      priority,
      overrideAction: { none: {} },
      // The provider's statement block is too deep for the generated types (`any`): it is
      // written as Terraform names it.
      statement: {
        managed_rule_group_statement: {
          vendor_name: "AWS",
          name: group,
          rule_action_override: (overrides[group] ?? []).map((rule) => ({ name: rule, action_to_use: { count: {} } })),
        },
      },
      visibilityConfig: visibility(`${name}-${group}`),
    });
    const [reputation, ...inspection] = WAF_MANAGED_GROUPS;
    this.acl = new Wafv2WebAcl(this, "Default", {
      name,
      description: `${name}: the internet-facing load balancers`,
      scope: "REGIONAL",
      defaultAction: { allow: {} },
      rule: [
        managed(reputation, 0),
        {
          name: "rate-per-client-ip",
          priority: 1,
          action: { block: {} },
          statement: { rate_based_statement: { limit: props.rateLimit, evaluation_window_sec: props.rateWindowSeconds ?? 300, aggregate_key_type: "IP" } },
          visibilityConfig: visibility(`${name}-rate-per-client-ip`),
        },
        ...inspection.map((group, i) => managed(group, i + 2)),
      ],
      visibilityConfig: visibility(name),
    });
    this.arn = this.acl.arn;

    const logGroupName = `aws-waf-logs-${name}`;
    const logGroupArn = `arn:aws:logs:${region}:${accountId}:log-group:${logGroupName}`;
    const key = new EncryptionKey(this, "logs-key", {
      description: `Encrypts the request logs of the web ACL ${name}`,
      aliasName: `alias/${logGroupName}`,
      accountId,
      statements: [logGroupKeyStatement(region, logGroupArn)],
    });
    this.logGroup = new CloudwatchLogGroup(this, "logs", { name: logGroupName, retentionInDays: props.logRetentionDays, kmsKeyId: key.arn });
    // WAF delivers through CloudWatch Logs' vended logs: delivery.logs.amazonaws.com writes, only
    // into this group, only for this account.
    const policy = new CloudwatchLogResourcePolicy(this, "logs-policy", {
      policyName: logGroupName,
      policyDocument: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "WafDeliversThisAclsLogs",
            Effect: "Allow",
            Principal: { Service: "delivery.logs.amazonaws.com" },
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: `${logGroupArn}:*`,
            Condition: { StringEquals: { "aws:SourceAccount": accountId }, ArnLike: { "aws:SourceArn": `arn:aws:logs:${region}:${accountId}:*` } },
          },
        ],
      }),
    });
    new Wafv2WebAclLoggingConfiguration(this, "logging", {
      resourceArn: this.acl.arn,
      logDestinationConfigs: [this.logGroup.arn],
      redactedFields: REDACTED_HEADERS.map((header) => ({ singleHeader: { name: header } })),
      dependsOn: [policy],
    });
  }
}
