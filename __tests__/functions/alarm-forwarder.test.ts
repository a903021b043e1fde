import { alarmChanges, DESCRIPTION_SEVERITY } from "../../functions/alarm-forwarder/alarm";
import { CONFIG_VARIABLE, type ForwarderConfig, parseForwarderConfig } from "../../functions/alarm-forwarder/config";
import { forward, type ForwarderDependencies, type PostResult } from "../../functions/alarm-forwarder/handler";
import { SEVERITY_PREFIX } from "../../modules/alarms/alarm";

const ARN = "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:prod-nat-eu-west-1a-port-allocation-errors";
const CONFIG: ForwarderConfig = {
  environment: "prod",
  routes: { critical: ["pager", "chat", "ops-email"], warning: ["chat", "hook"] },
  receivers: {
    pager: { type: "pagerduty", secretName: "prod/platform/alerting/pager", secretKey: "routing_key" },
    chat: { type: "slack", channel: "#alerts-prod", secretName: "prod/platform/alerting/chat", secretKey: "url" },
    hook: { type: "webhook", secretName: "prod/platform/alerting/hook", secretKey: "url" },
    "ops-email": { type: "email" },
  },
  ownAlarms: ["prod-alarm-forwarder-errors"],
};
const SECRETS: Record<string, string> = {
  "prod/platform/alerting/pager": JSON.stringify({ routing_key: "0123456789abcdef0123456789abcdef" }),
  "prod/platform/alerting/chat": JSON.stringify({ url: "https://hooks.slack.com/services/T0/B0/XXXX" }),
  "prod/platform/alerting/hook": JSON.stringify({ url: "https://hooks.example.com/cloudwatch" }),
};

/** The SNS event Lambda gives the function for one CloudWatch alarm notification (aws-lambda-go events/testdata/cloudwatch-alarm-sns-payload-single-metric.json's shape). */
function snsEvent(overrides: Record<string, unknown> = {}) {
  const message = {
    AlarmName: "prod-nat-eu-west-1a-port-allocation-errors",
    AlarmDescription: "[critical] The NAT gateway of eu-west-1a could not allocate a source port: connections out of the VPC are failing. Runbook: https://github.com/example-org/platform-infra/blob/main/docs/runbooks/aws-nat-port-allocation.md",
    AWSAccountId: "123456789012",
    NewStateValue: "ALARM",
    NewStateReason: "Threshold Crossed: 1 out of the last 1 datapoints [3.0 (06/03/15 17:43:27)] was greater than the threshold (0.0).",
    StateChangeTime: "2015-06-03T17:43:27.123+0000",
    Region: "EU (Ireland)",
    AlarmArn: ARN,
    OldStateValue: "OK",
    Trigger: { MetricName: "ErrorPortAllocation", Namespace: "AWS/NATGateway", Statistic: "SUM", Dimensions: [{ value: "nat-0abc", name: "NatGatewayId" }], Period: 300, EvaluationPeriods: 1, Threshold: 0.0 },
    ...overrides,
  };
  return { Records: [{ EventSource: "aws:sns", EventVersion: "1.0", Sns: { Type: "Notification", MessageId: "95df01b4-ee98-5cb9-9903-4c221d41eb5e", TopicArn: "arn:aws:sns:eu-west-1:123456789012:prod-alerts", Message: JSON.stringify(message) } }] };
}

/** Dependencies that record every post and log line; secrets and answers as given. */
function fakes(options: { secrets?: Record<string, string>; answer?: (url: string) => PostResult; config?: unknown } = {}) {
  const posts: Array<{ url: string; body: Record<string, unknown> }> = [];
  const logs: Array<{ level: string; record: Record<string, unknown> }> = [];
  const secrets = options.secrets ?? SECRETS;
  const deps: ForwarderDependencies = {
    env: { [CONFIG_VARIABLE]: JSON.stringify(options.config ?? CONFIG) },
    readSecret: async (id) => {
      const value = secrets[id];
      if (value === undefined) throw Object.assign(new Error("Secrets Manager can't find the specified secret value for staging label: AWSCURRENT"), { name: "ResourceNotFoundException" });
      return value;
    },
    post: async (url, body) => {
      posts.push({ url, body: body as Record<string, unknown> });
      return options.answer?.(url) ?? { status: url.includes("pagerduty") ? 202 : 200, body: "ok" };
    },
    log: (level, record) => void logs.push({ level, record }),
  };
  return { deps, posts, logs, postTo: (host: string) => posts.find((p) => p.url.includes(host))?.body };
}

describe("the alarm forwarder", () => {
  it("reads the same severity prefix the alarms are written with", () => {
    expect(DESCRIPTION_SEVERITY.source).toBe(SEVERITY_PREFIX.source);
  });

  it("routes a critical alarm to the critical receivers, leaving email to the topic", async () => {
    const { deps, posts } = fakes();
    const result = await forward(snsEvent(), deps);
    expect(posts.map((p) => p.url).sort()).toEqual(["https://events.pagerduty.com/v2/enqueue", "https://hooks.slack.com/services/T0/B0/XXXX"]);
    expect(result).toEqual({ delivered: [{ alarm: "prod-nat-eu-west-1a-port-allocation-errors", state: "ALARM", receivers: ["pager", "chat"] }] });
  });

  it("routes a warning to the warning receivers only", async () => {
    const { deps, posts } = fakes();
    await forward(snsEvent({ AlarmDescription: "[warning] The NAT gateway of eu-west-1a is dropping packets. Runbook: https://x/aws-nat-packets-dropped.md" }), deps);
    expect(posts.map((p) => p.url).sort()).toEqual(["https://hooks.example.com/cloudwatch", "https://hooks.slack.com/services/T0/B0/XXXX"]);
  });

  it("posts Slack a text and blocks, to config's channel, escaping Slack's control characters", async () => {
    const { deps, postTo } = fakes();
    await forward(snsEvent({ NewStateReason: "a < b & c" }), deps);
    expect(postTo("slack")).toEqual({
      channel: "#alerts-prod",
      text: "[ALARM] critical prod: prod-nat-eu-west-1a-port-allocation-errors: The NAT gateway of eu-west-1a could not allocate a source port: connections out of the VPC are failing.",
      blocks: [
        { type: "header", text: { type: "plain_text", text: "[ALARM] prod-nat-eu-west-1a-port-allocation-errors" } },
        {
          type: "section",
          text: {
            type: "mrkdwn",
            text: [
              ":red_circle: *Firing* (critical, prod): The NAT gateway of eu-west-1a could not allocate a source port: connections out of the VPC are failing.",
              "_a &lt; b &amp; c_",
              "<https://github.com/example-org/platform-infra/blob/main/docs/runbooks/aws-nat-port-allocation.md|Runbook> · <https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#alarmsV2:alarm/prod-nat-eu-west-1a-port-allocation-errors|Alarm>",
            ].join("\n"),
          },
        },
      ],
    });
  });

  it("triggers a PagerDuty event on ALARM, deduplicated by the alarm's ARN", async () => {
    const { deps, postTo } = fakes();
    await forward(snsEvent(), deps);
    expect(postTo("pagerduty")).toEqual({
      routing_key: "0123456789abcdef0123456789abcdef",
      event_action: "trigger",
      dedup_key: ARN,
      payload: {
        summary: "prod: prod-nat-eu-west-1a-port-allocation-errors: The NAT gateway of eu-west-1a could not allocate a source port: connections out of the VPC are failing.",
        source: "AWS/NATGateway NatGatewayId=nat-0abc",
        severity: "critical",
        timestamp: "2015-06-03T17:43:27.123Z",
        group: "prod",
        component: "AWS/NATGateway",
        class: "ErrorPortAllocation",
        custom_details: { alarm: "prod-nat-eu-west-1a-port-allocation-errors", reason: expect.stringMatching(/^Threshold Crossed/), previous_state: "OK", account: "123456789012", region: "eu-west-1" },
      },
      links: [
        { href: "https://github.com/example-org/platform-infra/blob/main/docs/runbooks/aws-nat-port-allocation.md", text: "Runbook" },
        { href: "https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#alarmsV2:alarm/prod-nat-eu-west-1a-port-allocation-errors", text: "CloudWatch alarm" },
      ],
      client: "CloudWatch (alarm-forwarder)",
      client_url: "https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#alarmsV2:alarm/prod-nat-eu-west-1a-port-allocation-errors",
    });
  });

  it("resolves the PagerDuty incident on OK, with the same dedup_key, and takes the receiver's severity when config sets one", async () => {
    const { deps, postTo } = fakes();
    await forward(snsEvent({ NewStateValue: "OK", OldStateValue: "ALARM" }), deps);
    expect(postTo("pagerduty")).toEqual({ routing_key: "0123456789abcdef0123456789abcdef", event_action: "resolve", dedup_key: ARN });
    const withSeverity = fakes({ config: { ...CONFIG, receivers: { ...CONFIG.receivers, pager: { ...CONFIG.receivers.pager, severity: "error" } } } });
    await forward(snsEvent(), withSeverity.deps);
    expect((withSeverity.postTo("pagerduty")?.payload as { severity: string }).severity).toBe("error");
  });

  it("posts a webhook Alertmanager's payload (version 4), firing and resolved", async () => {
    const warning = "[warning] The NAT gateway of eu-west-1a is dropping packets. Runbook: https://x/aws-nat-packets-dropped.md";
    const firing = fakes();
    await forward(snsEvent({ AlarmDescription: warning }), firing.deps);
    const labels = { alertname: "prod-nat-eu-west-1a-port-allocation-errors", severity: "warning", environment: "prod", source: "cloudwatch" };
    const annotations = { summary: "The NAT gateway of eu-west-1a is dropping packets.", description: expect.stringMatching(/^Threshold Crossed/), runbook_url: "https://x/aws-nat-packets-dropped.md" };
    expect(firing.postTo("example.com")).toEqual({
      version: "4",
      groupKey: `cloudwatch:${ARN}`,
      truncatedAlerts: 0,
      status: "firing",
      receiver: "hook",
      groupLabels: { alertname: "prod-nat-eu-west-1a-port-allocation-errors" },
      commonLabels: labels,
      commonAnnotations: annotations,
      externalURL: expect.stringContaining("console.aws.amazon.com"),
      alerts: [{ status: "firing", labels, annotations, startsAt: "2015-06-03T17:43:27.123Z", endsAt: "0001-01-01T00:00:00Z", generatorURL: expect.stringContaining("#alarmsV2:alarm/"), fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/) }],
    });
    const resolved = fakes();
    await forward(snsEvent({ AlarmDescription: warning, NewStateValue: "OK" }), resolved.deps);
    expect(resolved.postTo("example.com")).toMatchObject({ status: "resolved", alerts: [{ status: "resolved", startsAt: "2015-06-03T17:43:27.123Z", endsAt: "2015-06-03T17:43:27.123Z" }] });
  });

  it("fails when a secret has no value, naming it and how to put it, after posting to the others", async () => {
    const { deps, posts, logs } = fakes({ secrets: { ...SECRETS, "prod/platform/alerting/pager": undefined as unknown as string } });
    await expect(forward(snsEvent(), deps)).rejects.toThrow(
      "alarm-forwarder: 1 delivery failed: prod-nat-eu-west-1a-port-allocation-errors (ALARM) to pager: secret prod/platform/alerting/pager has no value (Secrets Manager can't find the specified secret value for staging label: AWSCURRENT): put it with: aws secretsmanager put-secret-value --secret-id prod/platform/alerting/pager --secret-string '{\"routing_key\": \"...\"}'",
    );
    expect(posts.map((p) => p.url)).toEqual(["https://hooks.slack.com/services/T0/B0/XXXX"]);
    expect(logs.filter((l) => l.level === "error").map((l) => l.record.failure)).toEqual([expect.stringMatching(/^pager: secret prod\/platform\/alerting\/pager has no value/)]);
  });

  it("fails when a secret lacks its key, or holds no https URL, never showing the value", async () => {
    const noKey = fakes({ secrets: { ...SECRETS, "prod/platform/alerting/chat": JSON.stringify({ webhook: "https://hooks.slack.com/services/T0/B0/XXXX" }) } });
    await expect(forward(snsEvent(), noKey.deps)).rejects.toThrow('to chat: secret prod/platform/alerting/chat has no "url"');
    const plain = fakes({ secrets: { ...SECRETS, "prod/platform/alerting/chat": JSON.stringify({ url: "http://hooks.slack.com/services/T0/B0/XXXX" }) } });
    const error = await forward(snsEvent(), plain.deps).catch((e: Error) => e);
    expect((error as Error).message).toContain(`secret prod/platform/alerting/chat's "url" is not an https URL`);
    expect((error as Error).message).not.toContain("hooks.slack.com");
  });

  it("fails on an answer that is not 2xx, with its status and body, and logs it as an error", async () => {
    const { deps, logs } = fakes({ answer: (url) => (url.includes("slack") ? { status: 404, body: "no_service" } : { status: 202, body: "" }) });
    await expect(forward(snsEvent(), deps)).rejects.toThrow("prod-nat-eu-west-1a-port-allocation-errors (ALARM) to chat: the slack endpoint answered 404: no_service");
    expect(logs.find((l) => l.level === "error")?.record).toMatchObject({ message: "alarm-forwarder could not deliver", alarm: "prod-nat-eu-west-1a-port-allocation-errors", failure: "chat: the slack endpoint answered 404: no_service" });
  });

  it("delivers its own Errors alarm best-effort: a failure is logged, never thrown", async () => {
    const { deps, logs } = fakes({ answer: () => ({ status: 500, body: "down" }) });
    const result = await forward(snsEvent({ AlarmName: "prod-alarm-forwarder-errors" }), deps);
    expect(result.delivered).toEqual([{ alarm: "prod-alarm-forwarder-errors", state: "ALARM", receivers: [] }]);
    expect(logs.filter((l) => l.level === "error").map((l) => l.record.bestEffort)).toEqual([true, true]);
  });

  it.each([
    ["an event that is not SNS's", { detail: {} }, "the event is not an SNS event (no Records)"],
    ["a record that is not SNS's", { Records: [{ EventSource: "aws:sqs", body: "{}" }] }, "Records[0] is not an SNS record with a Message"],
    ["a message that is not JSON (Alertmanager's email text)", { Records: [{ EventSource: "aws:sns", Sns: { MessageId: "m-1", Message: "[FIRING] prod: KubeAPIDown" } }] }, "Records[0] (SNS message m-1) is not JSON, so not a CloudWatch alarm notification: [FIRING] prod: KubeAPIDown"],
    ["a description without a severity", snsEvent({ AlarmDescription: "CPU high" }), 'AlarmDescription "CPU high" does not start with [critical] or [warning], so it has no route'],
    ["a state it does not deliver", snsEvent({ NewStateValue: "INSUFFICIENT_DATA" }), 'NewStateValue "INSUFFICIENT_DATA" is neither ALARM nor OK'],
  ])("fails on %s, naming what it got", async (_what, event, message) => {
    const { deps, posts, logs } = fakes();
    await expect(forward(event, deps)).rejects.toThrow(message);
    expect(posts).toEqual([]);
    expect(logs).toEqual([{ level: "error", record: { message: "alarm-forwarder cannot read the event", error: expect.stringContaining(message) } }]);
  });

  it("reads CloudWatch's time and the ARN's region, and a query alarm without a metric", () => {
    const [change] = alarmChanges(snsEvent({ Trigger: { Metrics: [{ Id: "q", Expression: "SELECT ..." }] } }));
    expect(change).toMatchObject({ time: "2015-06-03T17:43:27.123Z", region: "eu-west-1", metric: undefined, runbookUrl: expect.stringMatching(/aws-nat-port-allocation\.md$/) });
  });
});

describe("parseForwarderConfig", () => {
  it("accepts what the construct writes", () => {
    expect(parseForwarderConfig(JSON.stringify(CONFIG))).toEqual(CONFIG);
  });
  it.each([
    ["no variable", undefined, "alarm-forwarder is misconfigured: FORWARDER_CONFIG is not set"],
    ["text that is not JSON", "{", "FORWARDER_CONFIG is not JSON"],
    ["a route to an unknown receiver", JSON.stringify({ ...CONFIG, routes: { critical: ["nobody"], warning: [] } }), 'routes.critical: "nobody" is not a receiver'],
    ["an unknown severity", JSON.stringify({ ...CONFIG, routes: { ...CONFIG.routes, info: [] } }), 'routes: unknown severity "info" (allowed: critical, warning)'],
    ["a receiver type it does not know", JSON.stringify({ ...CONFIG, receivers: { ...CONFIG.receivers, pager: { type: "opsgenie" } } }), 'receivers.pager.type: "opsgenie" is not slack, pagerduty, webhook or email'],
    ["a wrong secret key", JSON.stringify({ ...CONFIG, receivers: { ...CONFIG.receivers, pager: { ...CONFIG.receivers.pager, secretKey: "url" } } }), 'receivers.pager.secretKey: must be "routing_key" for pagerduty'],
    ["a Slack receiver without a channel", JSON.stringify({ ...CONFIG, receivers: { ...CONFIG.receivers, chat: { type: "slack", secretName: "s", secretKey: "url" } } }), "receivers.chat.channel: must be a Slack channel"],
    ["a PagerDuty severity it does not know", JSON.stringify({ ...CONFIG, receivers: { ...CONFIG.receivers, pager: { ...CONFIG.receivers.pager, severity: "high" } } }), 'receivers.pager.severity: "high" is not critical, error, warning, info'],
    ["no own alarms", JSON.stringify({ ...CONFIG, ownAlarms: undefined }), "ownAlarms: must be a list of alarm names"],
  ])("refuses %s", (_what, text, message) => {
    expect(() => parseForwarderConfig(text)).toThrow(message);
  });
});
