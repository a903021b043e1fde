import path from "node:path";
import { parse } from "yaml";
import { loadEnvironments, serviceNames } from "../../config";
import { OTLP_ENDPOINT, serviceTracingEnvironment } from "../../modules/addons/otel-collector";
import { EXAMPLE_CONFIG, exampleSynth, fixtureSynth, policyStatements, resourcesOf, ROOT, type SynthesizedStack, TEST_NOW } from "../helpers";

// Traces as the microservices example's dev runs them (observability.tracing on, 100 percent):
// <env>-iam makes the role <env>-otel-collector, which may write to X-Ray and nothing else,
// <env>-network lets the boundary reach X-Ray, <env>-platform installs the collector with it, and
// every service of <env>-app exports to it. Off, as the fixture's environments have it, none of it
// exists. All read the global setup's synths.
const dev = loadEnvironments({ configDir: path.join(ROOT, EXAMPLE_CONFIG), now: TEST_NOW }).find((e) => e.name === "dev")!;
const roleNamed = (json: SynthesizedStack, name: string) => Object.entries(json.resource.aws_iam_role ?? {}).find(([, r]) => r.name === name);
const boundaryActions = (json: SynthesizedStack) =>
  resourcesOf(json, "aws_iam_policy")
    .filter((p) => String(p.name).endsWith("-platform-boundary"))
    .flatMap((p) => policyStatements(json, p.policy))
    .filter((s) => s.Sid === "CeilingPlatformServices")
    .flatMap((s) => s.Action as string[]);

describe("tracing, when observability.tracing is on", () => {
  const iam = exampleSynth.stack("dev-iam");

  it("gives the collector a role of its own, trusted by its service account only, allowed exactly xray:PutTraceSegments and xray:PutTelemetryRecords", () => {
    expect(dev.observability.tracing.enabled).toBe(true);
    const [address, role] = roleNamed(iam, "dev-otel-collector")!;
    const trust = policyStatements(iam, role.assume_role_policy);
    expect((trust[0]!.Condition!.StringEquals as Record<string, string[]>)["${data.terraform_remote_state.eks.outputs.oidc_issuer}:sub"]).toEqual(["system:serviceaccount:opentelemetry:otel-collector"]);
    const policies = resourcesOf(iam, "aws_iam_role_policy").filter((p) => p.role === `\${aws_iam_role.${address}.id}`);
    expect(policies.flatMap((p) => policyStatements(iam, p.policy)).map((s) => [s.Effect, [...(s.Action as string[])].sort(), s.Resource, s.Condition])).toEqual([["Allow", ["xray:PutTelemetryRecords", "xray:PutTraceSegments"], ["*"], undefined]]);
    expect(resourcesOf(iam, "aws_iam_role_policy_attachment").filter((a) => a.role === `\${aws_iam_role.${address}.name}`)).toEqual([]);
    expect(iam.output?.otel_collector_role_arn).toMatchObject({ value: `\${aws_iam_role.${address}.arn}` });
  });

  it("lets the environment's permissions boundary reach X-Ray (every environment's does: a ceiling, not a grant)", () => {
    expect(boundaryActions(exampleSynth.stack("dev-network"))).toContain("xray:*");
  });

  it("installs the collector in <env>-platform, in a namespace under the restricted Pod Security Standard, as its role, admitting the services' namespace", () => {
    const platform = exampleSynth.stack("dev-platform");
    expect(platform.resource.kubernetes_namespace_v1?.["namespace-opentelemetry"]).toMatchObject({ metadata: { name: "opentelemetry", labels: { "pod-security.kubernetes.io/enforce": "restricted" } } });
    const release = platform.resource.helm_release?.["otel-collector_release"];
    expect(release).toMatchObject({ chart: "opentelemetry-collector", namespace: "opentelemetry", depends_on: ["kubernetes_namespace_v1.namespace-opentelemetry"] });
    const values = parse((release!.values as string[])[0]!) as { serviceAccount: { annotations: Record<string, string> }; replicaCount: number; networkPolicy: { allowIngressFrom: unknown[] }; config: { exporters: { awsxray: { region: string } } } };
    expect(values.serviceAccount.annotations).toEqual({ "eks.amazonaws.com/role-arn": "${data.terraform_remote_state.iam.outputs.otel_collector_role_arn}" });
    expect(values.config.exporters.awsxray.region).toBe(dev.account.region);
    // The system group runs up to three nodes: two replicas.
    expect(values.replicaCount).toBe(2);
    expect(values.networkPolicy.allowIngressFrom).toEqual([{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": dev.services.orders!.namespace } } }]);
  });

  it("gives every service the collector's endpoint, its own name, its environment and the configured sampling, as environment variables", () => {
    const releases = exampleSynth.stack("dev-app").resource.helm_release ?? {};
    for (const name of serviceNames(dev)) {
      const { manifests } = parse((releases[`${name}_release`]!.values as string[])[0]!) as { manifests: Array<{ kind: string; spec: { template: { spec: { containers: Array<{ env?: Array<{ name: string; value?: string }> }> } } } }> };
      const [deployment] = manifests.filter((m) => m.kind === "Deployment");
      const env = Object.fromEntries((deployment!.spec.template.spec.containers[0]!.env ?? []).filter((e) => e.name.startsWith("OTEL_")).map((e) => [e.name, e.value]));
      expect(env).toEqual({ ...serviceTracingEnvironment({ name, environment: "dev", samplingPercent: dev.observability.tracing.samplingPercent }) });
      expect(env).toMatchObject({ OTEL_EXPORTER_OTLP_ENDPOINT: OTLP_ENDPOINT, OTEL_SERVICE_NAME: name, OTEL_RESOURCE_ATTRIBUTES: "deployment.environment=dev", OTEL_TRACES_SAMPLER: "parentbased_traceidratio", OTEL_TRACES_SAMPLER_ARG: "1" });
    }
  });
});

describe("tracing, when off", () => {
  it("makes no role, an empty ARN, no collector, and no OTEL variables", () => {
    const offIam = fixtureSynth.stack("stage-iam");
    expect(roleNamed(offIam, "stage-otel-collector")).toBeUndefined();
    expect(offIam.output?.otel_collector_role_arn).toMatchObject({ value: "" });
    expect(fixtureSynth.stack("stage-platform").resource.helm_release?.["otel-collector_release"]).toBeUndefined();
    expect(JSON.stringify(fixtureSynth.stack("stage-app"))).not.toContain("OTEL_");
  });
});

// Grafana's CloudWatch data source, as the example's dev has it (observability.grafana.cloudWatch):
// a role of its own, read-only, trusted by Grafana's service account, and the provisioned data
// source; off in the fixture, where Grafana keeps the chart's service account and no role exists.
describe("Grafana's CloudWatch data source", () => {
  const monitoringValues = (json: SynthesizedStack) => parse((resourcesOf(json, "helm_release").find((r) => r.name === "kube-prometheus-stack")!.values as string[])[0]!) as { grafana: Record<string, unknown> };

  it("reads CloudWatch as <env>-grafana: metrics on *, alarms of its account and region, dimension values, nothing that writes", () => {
    const iam = exampleSynth.stack("dev-iam");
    const [address, role] = roleNamed(iam, "dev-grafana")!;
    expect((policyStatements(iam, role.assume_role_policy)[0]!.Condition!.StringEquals as Record<string, string[]>)["${data.terraform_remote_state.eks.outputs.oidc_issuer}:sub"]).toEqual(["system:serviceaccount:monitoring:grafana"]);
    const statements = resourcesOf(iam, "aws_iam_role_policy").filter((p) => p.role === `\${aws_iam_role.${address}.id}`).flatMap((p) => policyStatements(iam, p.policy));
    expect(statements.map((s) => [s.Sid, [...(s.Action as string[])].sort(), s.Resource])).toEqual([
      ["ReadMetrics", ["cloudwatch:GetInsightRuleReport", "cloudwatch:GetMetricData", "cloudwatch:GetMetricStatistics", "cloudwatch:ListMetrics"], ["*"]],
      ["ReadAlarms", ["cloudwatch:DescribeAlarmHistory", "cloudwatch:DescribeAlarms", "cloudwatch:DescribeAlarmsForMetric"], [`arn:aws:cloudwatch:${dev.account.region}:${dev.account.id}:alarm:*`]],
      ["ReadDimensionValues", ["ec2:DescribeInstances", "ec2:DescribeRegions", "ec2:DescribeTags", "tag:GetResources"], ["*"]],
    ]);
    expect(statements.flatMap((s) => s.Action as string[]).filter((a) => !/^[a-z0-9-]+:(Get|List|Describe)/.test(a))).toEqual([]);
    expect(iam.output?.grafana_role_arn).toMatchObject({ value: `\${aws_iam_role.${address}.arn}` });
  });

  it("provisions the data source with the SDK's default credentials (the service account's role), in the environment's region", () => {
    const grafana = monitoringValues(exampleSynth.stack("dev-platform")).grafana;
    expect(grafana.serviceAccount).toEqual({ create: true, name: "grafana", annotations: { "eks.amazonaws.com/role-arn": "${data.terraform_remote_state.iam.outputs.grafana_role_arn}" } });
    expect(grafana.additionalDataSources).toEqual([{ name: "CloudWatch", uid: "cloudwatch", type: "cloudwatch", access: "proxy", editable: false, jsonData: { authType: "default", defaultRegion: dev.account.region } }]);
  });

  it("is absent where config leaves it off", () => {
    expect(roleNamed(fixtureSynth.stack("prod-iam"), "prod-grafana")).toBeUndefined();
    expect(fixtureSynth.stack("prod-iam").output?.grafana_role_arn).toMatchObject({ value: "" });
    const grafana = monitoringValues(fixtureSynth.stack("prod-platform")).grafana;
    expect([grafana.serviceAccount, grafana.additionalDataSources]).toEqual([undefined, undefined]);
  });
});
