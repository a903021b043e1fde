import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { unzipSync } from "fflate";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { parseForwarderConfig } from "../../functions/alarm-forwarder/config";
import { AlarmForwarder, type AlarmForwarderProps, forwardedReceivers } from "../../modules/alerts/alarm-forwarder";
import { alarmForwarderBundle } from "../../modules/lambda/function-bundle";
import { fixtureSynth, policyStatements, resourcesOf, ROOT, synthScope, type SynthesizedStack } from "../helpers";

const secretArn = (name: string) => `arn:aws:secretsmanager:eu-west-1:123456789012:secret:test/platform/alerting/${name}-AbCdEf`;
const secret = (name: string, key: string) => ({ name: `test/platform/alerting/${name}`, arn: secretArn(name), key });
const props: AlarmForwarderProps = {
  name: "test-alarm-forwarder",
  environment: "test",
  topicArn: "arn:aws:sns:eu-west-1:123456789012:test-alerts",
  receivers: {
    pager: { type: "pagerduty", secret: secret("pager", "routing_key") },
    chat: { type: "slack", channel: "#alerts-test", secret: secret("chat", "url") },
    mail: { type: "email" },
    heartbeat: { type: "webhook", secret: secret("heartbeat", "url") },
  },
  routes: { critical: ["pager", "chat", "mail"], warning: ["chat"] },
  secretsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/app-secrets",
  vpcId: "vpc-1",
  subnetIds: ["subnet-private-a", "subnet-private-b"],
  accountId: "123456789012",
  region: "eu-west-1",
  permissionsBoundaryArn: "arn:aws:iam::123456789012:policy/boundaries/test-platform-boundary",
  runbookBaseUrl: "https://github.com/example-org/platform-infra/blob/main/docs/runbooks/",
};
const text = synthScope((scope) => new AlarmForwarder(scope, "alarm-forwarder", props));
const json = JSON.parse(text) as SynthesizedStack;
const [fn] = resourcesOf(json, "aws_lambda_function");

describe("AlarmForwarder", () => {
  it("forwards only routed receivers that are not email (the heartbeat webhook is Alertmanager's alone)", () => {
    expect(forwardedReceivers(props.receivers, props.routes)).toEqual(["chat", "pager"]);
    expect(forwardedReceivers({ mail: { type: "email" } }, { critical: ["mail"], warning: [] })).toEqual([]);
    expect(() => synthScope((s) => new AlarmForwarder(s, "f", { ...props, routes: { critical: ["mail"], warning: [] } }))).toThrow("f: no routed slack, pagerduty or webhook receiver");
  });

  it("is the shipped bundle, in the private subnets, its settings and logs encrypted, failures kept in an encrypted queue", () => {
    const bundle = alarmForwarderBundle();
    expect(text).toHaveResourceWithProperties(LambdaFunction, {
      function_name: "test-alarm-forwarder",
      runtime: "nodejs24.x",
      handler: "index.handler",
      source_code_hash: bundle.sha256,
      reserved_concurrent_executions: 5,
      kms_key_arn: "${aws_kms_key.alarm-forwarder_key.arn}",
      vpc_config: { subnet_ids: ["subnet-private-a", "subnet-private-b"], security_group_ids: ["${aws_security_group.alarm-forwarder_security-group.id}"] },
      dead_letter_config: { target_arn: "${aws_sqs_queue.alarm-forwarder_dead-letters.arn}" },
      logging_config: { log_format: "JSON", log_group: "${aws_cloudwatch_log_group.alarm-forwarder_logs.name}" },
      tracing_config: { mode: "PassThrough" },
    });
    expect(fn?.depends_on).toEqual(["aws_cloudwatch_log_group.alarm-forwarder_logs", "aws_iam_role.alarm-forwarder_role", "aws_iam_role_policy.alarm-forwarder_role_policy"]);
    expect(resourcesOf(json, "aws_cloudwatch_log_group")).toEqual([expect.objectContaining({ name: "/aws/lambda/test-alarm-forwarder", kms_key_id: "${aws_kms_key.alarm-forwarder_key.arn}", retention_in_days: 90 })]);
    expect(resourcesOf(json, "aws_sqs_queue")).toEqual([{ name: "test-alarm-forwarder-dead-letters", kms_master_key_id: "${aws_kms_key.alarm-forwarder_key.arn}", message_retention_seconds: 1209600 }]);
  });

  it("is told the routes and where each secret is, never a credential", () => {
    const variables = (fn?.environment as { variables: Record<string, string> }).variables;
    expect(Object.keys(variables)).toEqual(["FORWARDER_CONFIG"]);
    expect(parseForwarderConfig(variables.FORWARDER_CONFIG)).toEqual({
      environment: "test",
      routes: { critical: ["pager", "chat", "mail"], warning: ["chat"] },
      receivers: {
        chat: { type: "slack", channel: "#alerts-test", secretName: "test/platform/alerting/chat", secretKey: "url" },
        mail: { type: "email" },
        pager: { type: "pagerduty", secretName: "test/platform/alerting/pager", secretKey: "routing_key" },
      },
      ownAlarms: ["test-alarm-forwarder-errors"],
    });
  });

  it("reads exactly the routed receivers' secrets, decrypting only through Secrets Manager and only for them", () => {
    const [policy] = resourcesOf(json, "aws_iam_role_policy");
    const arns = [secretArn("chat"), secretArn("pager")];
    expect(policyStatements(json, policy!.policy)).toEqual([
      { Sid: "ReadTheReceiverSecrets", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: arns },
      { Sid: "DecryptThemThroughSecretsManager", Effect: "Allow", Action: ["kms:Decrypt"], Resource: [props.secretsKeyArn], Condition: { StringEquals: { "kms:ViaService": ["secretsmanager.eu-west-1.amazonaws.com"], "kms:EncryptionContext:SecretARN": arns } } },
      { Sid: "ItsOwnSettings", Effect: "Allow", Action: ["kms:Decrypt"], Resource: ["${aws_kms_key.alarm-forwarder_key.arn}"], Condition: { StringEquals: { "kms:ViaService": ["lambda.eu-west-1.amazonaws.com"] } } },
      { Sid: "WriteItsLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: ["arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/test-alarm-forwarder:*"] },
      { Sid: "SendItsDeadLetters", Effect: "Allow", Action: ["sqs:SendMessage"], Resource: ["${aws_sqs_queue.alarm-forwarder_dead-letters.arn}"] },
      { Sid: "EncryptItsDeadLetters", Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: ["${aws_kms_key.alarm-forwarder_key.arn}"], Condition: { StringEquals: { "kms:ViaService": ["sqs.eu-west-1.amazonaws.com"] } } },
      { Sid: "CreateItsNetworkInterface", Effect: "Allow", Action: ["ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets"], Resource: ["*"] },
      { Sid: "ManageItsNetworkInterface", Effect: "Allow", Action: ["ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"], Resource: ["arn:aws:ec2:eu-west-1:123456789012:network-interface/*"] },
    ]);
    const [role] = resourcesOf(json, "aws_iam_role");
    expect(role).toMatchObject({ name: "test-alarm-forwarder", permissions_boundary: props.permissionsBoundaryArn });
    expect(policyStatements(json, role!.assume_role_policy)).toEqual([
      expect.objectContaining({ Principal: { Service: ["lambda.amazonaws.com"] }, Condition: { StringEquals: { "aws:SourceAccount": ["123456789012"] }, ArnLike: { "aws:SourceArn": ["arn:aws:lambda:eu-west-1:123456789012:function:test-alarm-forwarder"] } } }),
    ]);
  });

  it("may send HTTPS out and nothing else", () => {
    expect(resourcesOf(json, "aws_security_group")).toEqual([expect.not.objectContaining({ egress: expect.anything() })]);
    expect(resourcesOf(json, "aws_vpc_security_group_egress_rule")).toEqual([expect.objectContaining({ cidr_ipv4: "0.0.0.0/0", ip_protocol: "tcp", from_port: 443, to_port: 443 })]);
    expect(resourcesOf(json, "aws_vpc_security_group_ingress_rule")).toEqual([]);
  });

  it("is subscribed to the topic for alarm changes only, and the topic alone may invoke it", () => {
    expect(resourcesOf(json, "aws_lambda_permission")).toEqual([
      { statement_id: "AlertTopic", action: "lambda:InvokeFunction", function_name: "${aws_lambda_function.alarm-forwarder.function_name}", principal: "sns.amazonaws.com", source_arn: props.topicArn },
    ]);
    const [subscription] = resourcesOf(json, "aws_sns_topic_subscription");
    expect(subscription).toMatchObject({ topic_arn: props.topicArn, protocol: "lambda", endpoint: "${aws_lambda_function.alarm-forwarder.arn}", filter_policy_scope: "MessageBody", depends_on: ["aws_lambda_permission.alarm-forwarder_from-topic"] });
    expect(JSON.parse(String(subscription?.filter_policy))).toEqual({ AlarmName: [{ exists: true }], NewStateValue: ["ALARM", "OK"] });
  });

  it("alarms on its own Errors, notifying the topic, with a runbook that exists", () => {
    const [alarm] = resourcesOf(json, "aws_cloudwatch_metric_alarm");
    expect(alarm).toMatchObject({ alarm_name: "test-alarm-forwarder-errors", namespace: "AWS/Lambda", metric_name: "Errors", dimensions: { FunctionName: "test-alarm-forwarder" }, threshold: 0, alarm_actions: [props.topicArn], ok_actions: [props.topicArn], treat_missing_data: "notBreaching" });
    const runbook = /Runbook: (\S+)$/.exec(String(alarm?.alarm_description))?.[1] ?? "";
    expect(String(alarm?.alarm_description)).toMatch(/^\[critical\] /);
    expect(existsSync(path.join(ROOT, "docs", "runbooks", runbook.slice(props.runbookBaseUrl.length)))).toBe(true);
  });

  it("bundles the handler alone: the SDK is the runtime's, nothing else is required", () => {
    const code = Buffer.from(unzipSync(readFileSync(alarmForwarderBundle().path))["index.js"] ?? []).toString("utf8");
    expect([...code.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]).filter((m) => !m?.startsWith("node:")).sort()).toEqual(["@aws-sdk/client-secrets-manager"]);
    expect(code).not.toContain(ROOT);
    // It loads on its own, as Lambda loads it (the SDK is required on the first secret read only).
    const dir = mkdtempSync(path.join(os.tmpdir(), "alarm-forwarder-load-"));
    writeFileSync(path.join(dir, "index.js"), code);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the bundle is CommonJS, loaded as Lambda loads it
    const loaded = require(path.join(dir, "index.js")) as { handler?: unknown };
    rmSync(dir, { recursive: true });
    expect(typeof loaded.handler).toBe("function");
  });
});

describe("the fixture's alarm forwarders", () => {
  it("exist where a routed receiver is Slack, PagerDuty or a webhook, in the platform stack beside the secrets they read", () => {
    const forwarder = (stack: string) => resourcesOf(fixtureSynth.stack(stack), "aws_lambda_function").filter((f) => String(f.function_name).endsWith("-alarm-forwarder"));
    expect(forwarder("prod-platform")).toHaveLength(1);
    expect(forwarder("stage-platform")).toHaveLength(1);
    const stacks = Object.keys(fixtureSynth.manifest());
    for (const stack of stacks.filter((s) => s.startsWith("dev-"))) expect(forwarder(stack)).toEqual([]);
    const prod = fixtureSynth.stack("prod-platform");
    const [policy] = resourcesOf(prod, "aws_iam_role_policy").filter((p) => String(p.role).includes("alarm-forwarder"));
    const read = policyStatements(prod, policy?.policy).find((s) => s.Sid === "ReadTheReceiverSecrets");
    // pager and chat are routed; heartbeat (a webhook) is Alertmanager's Watchdog receiver only.
    expect(read?.Resource).toEqual(["${aws_secretsmanager_secret.alerting-secrets_chat.arn}", "${aws_secretsmanager_secret.alerting-secrets_pager.arn}"]);
    const decrypt = policyStatements(prod, policy?.policy).find((s) => s.Sid === "DecryptThemThroughSecretsManager");
    expect(decrypt?.Resource).toEqual(["${data.terraform_remote_state.iam.outputs.app_secrets_kms_key_arn}"]);
    expect(resourcesOf(prod, "aws_lambda_function").find((f) => f.function_name === "prod-alarm-forwarder")?.vpc_config).toEqual({
      subnet_ids: "${data.terraform_remote_state.network.outputs.private_subnet_ids}",
      security_group_ids: ["${aws_security_group.alarm-forwarder_security-group.id}"],
    });
  });
});
