/* eslint-disable @typescript-eslint/no-explicit-any -- objects are plain JSON here: the tests read and break them by path */
import { App } from "cdk8s";
import { parse } from "yaml";
import { type ReceiverConfig } from "../../config";
import { CLUSTER_OUTAGE_ALERTS, HEARTBEAT_RECEIVER, NULL_RECEIVER } from "../../k8s/alerting";
import { MonitoringObjects, RECEIVERS_SECRET } from "../../k8s/monitoring-objects";
import { clusterObjects, type StackJson } from "../../k8s/validation/cluster-objects";
import { crossCheck } from "../../k8s/validation/cross-checks";
import { fixtureInputs, fixtureSynth, secretsIn } from "../helpers";

const RECEIVERS: Array<[string, ReceiverConfig]> = [
  ["chat", { type: "slack", channel: "#alerts-prod" }],
  ["heartbeat", { type: "webhook" }],
  ["ops-email", { type: "email", addresses: ["ops@example.com"] }],
  ["pager", { type: "pagerduty" }],
];
const KEYS: Record<string, string | undefined> = { chat: "url", heartbeat: "url", pager: "routing_key" };
const TOPIC = { arn: "arn:aws:sns:eu-west-1:123456789012:prod-alerts", region: "eu-west-1" };

function objects(routes = { critical: ["pager", "chat", "ops-email"], warning: ["chat"] }, heartbeat: string | null = "heartbeat"): any[] {
  const chart = new MonitoringObjects(new App(), "monitoring-objects", {
    namespace: "monitoring",
    secretStore: "aws-secrets-manager",
    environment: "prod",
    receivers: RECEIVERS.map(([name, receiver]) => ({ name, receiver, secret: KEYS[name] ? { name: `prod/platform/alerting/${name}`, key: KEYS[name]! } : undefined })),
    alerting: { routes, heartbeat: heartbeat ?? undefined, repeatHours: 4, topic: TOPIC },
    runbookBaseUrl: "https://github.com/example/platform-infra/blob/main/docs/runbooks/",
  });
  return chart.toJson();
}
const ofKind = (all: any[], kind: string) => all.filter((o) => o.kind === kind);
const configOf = (all: any[]) => ofKind(all, "AlertmanagerConfig")[0].spec;

/** Alertmanager's routing (prometheus/alertmanager dispatch/route.go, Match): the receivers an alert with these labels reaches. */
function receiversOf(route: any, labels: Record<string, string>): string[] {
  const matches = (m: any) => {
    const value = labels[m.name] ?? "";
    const re = new RegExp(`^(?:${m.value})$`);
    return { "=": value === m.value, "!=": value !== m.value, "=~": re.test(value), "!~": !re.test(value) }[m.matchType as "="];
  };
  const walk = (node: any): string[] | undefined => {
    if (!(node.matchers ?? []).every(matches)) return undefined;
    const found: string[] = [];
    for (const child of node.routes ?? []) {
      const got = walk(child);
      if (got) {
        found.push(...got);
        if (!child.continue) break;
      }
    }
    return found.length ? found : [node.receiver];
  };
  return (walk(route) ?? []).filter((r) => r !== NULL_RECEIVER);
}

describe("Alertmanager's configuration, from observability.alerting", () => {
  const all = objects();
  const spec = configOf(all);

  it("routes by severity: critical to the critical receivers, warnings and unlabelled alerts to the warning ones, info and InfoInhibitor nowhere", () => {
    expect(receiversOf(spec.route, { alertname: "AppHighErrorRate", severity: "critical", service: "app" })).toEqual(["pager", "chat", "ops-email"]);
    expect(receiversOf(spec.route, { alertname: "AppHighLatency", severity: "warning", service: "app" })).toEqual(["chat"]);
    expect(receiversOf(spec.route, { alertname: "SomethingNew" })).toEqual(["chat"]);
    expect(receiversOf(spec.route, { alertname: "InfoInhibitor", severity: "none" })).toEqual([]);
    expect(receiversOf(spec.route, { alertname: "KubeQuotaAlmostFull", severity: "info" })).toEqual([]);
    // An empty route drops explicitly rather than falling to another severity's receivers.
    expect(receiversOf(configOf(objects({ critical: ["pager"], warning: [] })).route, { severity: "warning" })).toEqual([]);
  });

  it("sends the Watchdog only to the heartbeat, a ping a minute, never to chat, and without resolved notifications", () => {
    expect(receiversOf(spec.route, { alertname: "Watchdog", severity: "none" })).toEqual([HEARTBEAT_RECEIVER]);
    const watchdog = spec.route.routes.find((r: any) => r.matchers?.some((m: any) => m.value === "Watchdog"));
    expect(watchdog).toMatchObject({ groupWait: "0s", groupInterval: "1m", repeatInterval: "1m" });
    expect(spec.receivers.find((r: any) => r.name === HEARTBEAT_RECEIVER)).toEqual({ name: HEARTBEAT_RECEIVER, webhookConfigs: [{ urlSecret: { name: RECEIVERS_SECRET, key: "heartbeat.url" }, sendResolved: false }] });
    expect(receiversOf(configOf(objects(undefined, null)).route, { alertname: "Watchdog", severity: "none" })).toEqual([]);
    // The heartbeat's receiver, in no route, is not a receiver of its own besides the Watchdog's.
    expect(spec.receivers.map((r: any) => r.name)).not.toContain("heartbeat");
  });

  it("groups by environment (Prometheus's external label, so each message names it), alert, namespace and service, and repeats after repeatHours", () => {
    expect(spec.route).toMatchObject({ receiver: NULL_RECEIVER, groupBy: ["environment", "alertname", "namespace", "service"], groupWait: "30s", groupInterval: "5m", repeatInterval: "4h" });
  });

  it("reads each credential from the one synced Secret, the key its ExternalSecret writes, and publishes mail to the alert topic", () => {
    const byName = Object.fromEntries(spec.receivers.map((r: any) => [r.name, r]));
    expect(byName.chat.slackConfigs).toEqual([{ apiURL: { name: RECEIVERS_SECRET, key: "chat.url" }, channel: "#alerts-prod", sendResolved: true }]);
    expect(byName.pager.pagerdutyConfigs[0]).toMatchObject({ routingKey: { name: RECEIVERS_SECRET, key: "pager.routing_key" }, sendResolved: true });
    expect(byName["ops-email"].snsConfigs).toEqual([{ topicARN: TOPIC.arn, sigv4: { region: "eu-west-1" }, subject: "[{{ .Status | toUpper }}] prod: {{ .CommonLabels.alertname }}", sendResolved: true }]);
    const [externalSecret] = ofKind(all, "ExternalSecret");
    expect(externalSecret.spec).toMatchObject({ target: { name: RECEIVERS_SECRET, creationPolicy: "Owner" }, secretStoreRef: { kind: "ClusterSecretStore", name: "aws-secrets-manager" } });
    expect(externalSecret.spec.data).toEqual([
      { secretKey: "chat.url", remoteRef: { key: "prod/platform/alerting/chat", property: "url" } },
      { secretKey: "heartbeat.url", remoteRef: { key: "prod/platform/alerting/heartbeat", property: "url" } },
      { secretKey: "pager.routing_key", remoteRef: { key: "prod/platform/alerting/pager", property: "routing_key" } },
    ]);
  });

  it("inhibits a warning by the critical alert of the same name and place, and every service's alert during a cluster-wide outage", () => {
    expect(spec.inhibitRules).toEqual([
      { sourceMatch: [{ name: "severity", value: "critical", matchType: "=" }], targetMatch: [{ name: "severity", value: "warning", matchType: "=" }], equal: ["alertname", "namespace", "service"] },
      { sourceMatch: [{ name: "alertname", value: "KubeAPIDown|PlatformNodesNotReady", matchType: "=~" }], targetMatch: [{ name: "scope", value: "service", matchType: "=" }] },
    ]);
    // Every source of the outage rule is a shipped alert: the chart's KubeAPIDown, or the platform's own rule here.
    const platformAlerts = ofKind(all, "PrometheusRule").flatMap((r) => r.spec.groups.flatMap((g: any) => g.rules.map((x: any) => x.alert)));
    expect(CLUSTER_OUTAGE_ALERTS.filter((a) => !platformAlerts.includes(a))).toEqual(["KubeAPIDown"]);
  });
});

describe("the fixture's monitoring objects, synthesized", () => {
  const inputs = fixtureInputs();
  const withPlatform = inputs.environments.filter((e) => e.platform);
  // Their strict validation against the pinned CRDs is validation.test.ts's, with every object of the fixture.

  it("name only Secret keys the ExternalSecret writes: the cross-check finds a key nothing writes", () => {
    const env = withPlatform.find((e) => e.production)!;
    const stack = fixtureSynth.stack(`${env.name}-platform`) as StackJson;
    const cluster = clusterObjects(env.name, { [`${env.name}-platform`]: stack });
    expect(crossCheck(cluster).filter((p) => p.includes("AlertmanagerConfig"))).toEqual([]);
    const broken = { ...cluster, objects: cluster.objects.map((p) => (p.object.kind === "ExternalSecret" && p.object.metadata.name === RECEIVERS_SECRET ? { ...p, object: { ...p.object, spec: { ...(p.object.spec as any), data: (p.object.spec as any).data.slice(1) } } } : p)) };
    expect(crossCheck(broken).filter((p) => p.includes("AlertmanagerConfig"))).toEqual([expect.stringMatching(/receiver \S+ reads key \S+ of Secret alertmanager-receivers, which nothing writes in monitoring/)]);
  });

  it("put no credential in any Helm value or Terraform attribute: no Slack or PagerDuty URL, routing key or webhook secret", () => {
    for (const id of Object.keys(fixtureSynth.manifest())) {
      const stack = fixtureSynth.stack(id);
      const text = JSON.stringify(stack);
      expect({ id, slack: /hooks\.slack\.com|xox[abp]-/.test(text), pagerduty: /events\.pagerduty\.com|"routing_key"\s*:\s*"[0-9a-f]{32}"/.test(text) }).toEqual({ id, slack: false, pagerduty: false });
      const values = Object.values(stack.resource?.helm_release ?? {}).flatMap((r: any) => ((r.values as string[] | undefined) ?? []).map((v) => parse(v)));
      expect({ id, secrets: secretsIn(values) }).toEqual({ id, secrets: [] });
    }
  });

  it("make one secret per receiver with a credential, with no value, encrypted with the application secrets' key, before the objects that sync it", () => {
    const env = withPlatform.find((e) => e.production)!;
    const stack = fixtureSynth.stack(`${env.name}-platform`);
    const secrets = Object.values(stack.resource.aws_secretsmanager_secret ?? {}).filter((s: any) => String(s.name).includes("/platform/alerting/"));
    expect(secrets.map((s: any) => s.name).sort()).toEqual(["chat", "heartbeat", "pager"].map((n) => `${env.name}/platform/alerting/${n}`));
    for (const s of secrets) expect(s).toMatchObject({ kms_key_id: "${data.terraform_remote_state.iam.outputs.app_secrets_kms_key_arn}" });
    expect(Object.values(stack.resource.aws_secretsmanager_secret_version ?? {}).some((v: any) => String(v.secret_id).includes("alerting"))).toBe(false);
    const release = stack.resource.helm_release?.["monitoring-objects_release"] as any;
    expect(release.depends_on).toEqual(expect.arrayContaining(["helm_release.monitoring_release", "aws_secretsmanager_secret.alerting-secrets_pager"]));
    const monitoring = parse(String((stack.resource.helm_release?.monitoring_release?.values as string[])[0])) as any;
    expect(monitoring.alertmanager.alertmanagerSpec.alertmanagerConfiguration).toEqual({ name: "platform-alerting" });
    expect(monitoring.alertmanager.serviceAccount).toEqual({ create: true, name: "alertmanager", annotations: { "eks.amazonaws.com/role-arn": "${data.terraform_remote_state.iam.outputs.alertmanager_role_arn}" } });
    expect(monitoring.prometheus.prometheusSpec.externalLabels).toEqual({ environment: env.name });
  });
});
