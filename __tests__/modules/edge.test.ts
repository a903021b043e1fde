/* eslint-disable @typescript-eslint/no-explicit-any -- synthesized JSON is read by path here */
import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { Route53Zone } from "@cdktf/provider-aws/lib/route53-zone";
import { Certificate } from "../../modules/edge/certificate";
import { HostedZone } from "../../modules/edge/hosted-zone";
import { WebAcl, type WebAclProps } from "../../modules/edge/web-acl";
import { WAF_MANAGED_GROUPS, WAF_MANAGED_RULES } from "../../modules/edge/waf-rules";
import { resourcesOf, synthScope, type SynthesizedStack } from "../helpers";

const acl: WebAclProps = { name: "test-alb", rateLimit: 1000, logRetentionDays: 90, accountId: "123456789012", region: "eu-west-1" };
const synthAcl = (props: Partial<WebAclProps> = {}) => JSON.parse(synthScope((scope) => new WebAcl(scope, "web-acl", { ...acl, ...props }))) as SynthesizedStack;

describe("WebAcl", () => {
  const json = synthAcl({ countInsteadOfBlock: { AWSManagedRulesCommonRuleSet: ["SizeRestrictions_BODY"] } });
  const [webAcl] = resourcesOf(json, "aws_wafv2_web_acl");
  const rules = webAcl!.rule as Array<Record<string, any>>;

  it("is regional, allows what no rule blocks, and measures every rule", () => {
    expect(webAcl).toMatchObject({ name: "test-alb", scope: "REGIONAL", default_action: { allow: {} }, visibility_config: { cloudwatch_metrics_enabled: true, metric_name: "test-alb", sampled_requests_enabled: true } });
    for (const rule of rules) expect(rule.visibility_config).toEqual({ cloudwatch_metrics_enabled: true, metric_name: `test-alb-${rule.name}`, sampled_requests_enabled: true });
  });

  it("runs the IP reputation list first, then the rate rule per client IP, then the core, known-bad-inputs and SQL injection groups", () => {
    expect(rules.map((r) => [r.priority, r.name])).toEqual([
      [0, "AWSManagedRulesAmazonIpReputationList"],
      [1, "rate-per-client-ip"],
      [2, "AWSManagedRulesCommonRuleSet"],
      [3, "AWSManagedRulesKnownBadInputsRuleSet"],
      [4, "AWSManagedRulesSQLiRuleSet"],
    ]);
    expect(rules[1]).toMatchObject({ action: { block: {} }, statement: { rate_based_statement: { limit: 1000, evaluation_window_sec: 300, aggregate_key_type: "IP" } } });
    for (const rule of rules.filter((r) => r.name !== "rate-per-client-ip")) {
      expect(rule).toMatchObject({ override_action: { none: {} }, statement: { managed_rule_group_statement: { vendor_name: "AWS", name: rule.name } } });
    }
  });

  it("counts instead of blocking exactly the rules config names, in their group", () => {
    expect(rules.map((r) => r.statement.managed_rule_group_statement?.rule_action_override)).toEqual([[], undefined, [{ name: "SizeRestrictions_BODY", action_to_use: { count: {} } }], [], []]);
  });

  it("logs every request, credentials redacted, to an encrypted aws-waf-logs- group under a resource policy of its own", () => {
    expect(resourcesOf(json, "aws_cloudwatch_log_group")).toEqual([expect.objectContaining({ name: "aws-waf-logs-test-alb", retention_in_days: 90, kms_key_id: "${aws_kms_key.web-acl_logs-key.arn}" })]);
    expect(resourcesOf(json, "aws_wafv2_web_acl_logging_configuration")).toEqual([
      expect.objectContaining({
        resource_arn: "${aws_wafv2_web_acl.web-acl.arn}",
        log_destination_configs: ["${aws_cloudwatch_log_group.web-acl_logs.arn}"],
        redacted_fields: [{ single_header: { name: "authorization" } }, { single_header: { name: "cookie" } }],
        depends_on: ["aws_cloudwatch_log_resource_policy.web-acl_logs-policy"],
      }),
    ]);
    const [policy] = resourcesOf(json, "aws_cloudwatch_log_resource_policy");
    expect(JSON.parse(String(policy!.policy_document)).Statement).toEqual([
      {
        Sid: "WafDeliversThisAclsLogs",
        Effect: "Allow",
        Principal: { Service: "delivery.logs.amazonaws.com" },
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: "arn:aws:logs:eu-west-1:123456789012:log-group:aws-waf-logs-test-alb:*",
        Condition: { StringEquals: { "aws:SourceAccount": "123456789012" }, ArnLike: { "aws:SourceArn": "arn:aws:logs:eu-west-1:123456789012:*" } },
      },
    ]);
  });

  it("takes a rate window of config's", () => {
    expect((resourcesOf(synthAcl({ rateWindowSeconds: 60 }), "aws_wafv2_web_acl")[0]!.rule as any[])[1].statement.rate_based_statement.evaluation_window_sec).toBe(60);
  });

  it("refuses a count override of a rule the group does not have, which WAF would ignore silently", () => {
    expect(() => synthAcl({ countInsteadOfBlock: { AWSManagedRulesSQLiRuleSet: ["SQLi_BODY", "SQLI_BODY"] } })).toThrow('test/web-acl: countInsteadOfBlock.AWSManagedRulesSQLiRuleSet names "SQLI_BODY", not rules of that group; allowed: SQLi_QUERYARGUMENTS,');
    expect(() => synthAcl({ logRetentionDays: 10 })).toThrow("test/web-acl: retention of 10 days is not one CloudWatch Logs accepts");
  });

  it("knows the rules of every group it runs (1,125 WCU: under the 1,500 of the base price)", () => {
    expect(Object.keys(WAF_MANAGED_RULES).sort()).toEqual([...WAF_MANAGED_GROUPS].sort());
    for (const group of WAF_MANAGED_GROUPS) expect(WAF_MANAGED_RULES[group].length).toBeGreaterThan(0);
  });
});

describe("Certificate", () => {
  const text = synthScope((scope) => new Certificate(scope, "certificate-app", { domainName: "api.dev.example.com", zoneId: "Z0123456789ABCDEFGHIJ" }));
  const json = JSON.parse(text) as SynthesizedStack;

  it("asks ACM for a DNS-validated certificate of the host, replaced before it is destroyed", () => {
    expect(text).toHaveResourceWithProperties(AcmCertificate, { domain_name: "api.dev.example.com", validation_method: "DNS", key_algorithm: "RSA_2048", lifecycle: { create_before_destroy: true } });
  });

  it("writes each validation record ACM asks for into the zone, and waits until the certificate is issued", () => {
    expect(json.resource.aws_route53_record?.["certificate-app_validation-record"]).toMatchObject({
      for_each: "${{ for key, val in tolist(aws_acm_certificate.certificate-app.domain_validation_options): val.domain_name => val }}",
      zone_id: "Z0123456789ABCDEFGHIJ",
      name: "${each.value.resource_record_name}",
      type: "${each.value.resource_record_type}",
      records: ["${each.value.resource_record_value}"],
      allow_overwrite: true,
    });
    expect(json.resource.aws_acm_certificate_validation?.["certificate-app_validation"]).toMatchObject({
      certificate_arn: "${aws_acm_certificate.certificate-app.arn}",
      validation_record_fqdns: "${[ for key, val in aws_route53_record.certificate-app_validation-record: val.fqdn]}",
      timeouts: { create: "45m" },
    });
  });
});

describe("HostedZone", () => {
  it("is a public zone that is never force-destroyed", () => {
    expect(synthScope((scope) => new HostedZone(scope, "zone", { name: "dev.example.com", comment: "c" }))).toHaveResourceWithProperties(Route53Zone, { name: "dev.example.com", force_destroy: false });
  });
});
