/* eslint-disable @typescript-eslint/no-explicit-any -- manifests are plain JSON here: the tests read and break them by path */
import { App } from "cdk8s";
import { AppChart, groupOrder, ingressAnnotations } from "../../k8s/app-chart";
import { type AppValues, imageRef, TLS13_POLICY } from "../../k8s/app-values";
import { resolveMetrics } from "../../k8s/metric-presets";
import { restrictedViolations } from "../../k8s/pod-security";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { manifestObjects, type StackJson } from "../../k8s/validation/cluster-objects";
import { exampleSynth, fixtureSynth, ROOT, secretsIn } from "../helpers";

export const VALUES: AppValues = {
  name: "app",
  namespace: "app",
  image: { repository: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app", tag: "1.4.2", digest: `sha256:${"a".repeat(64)}` },
  port: 8000,
  architectures: ["amd64", "arm64"],
  resources: { cpu: "250m", memory: "256Mi" },
  hpa: { min: 2, max: 6, cpuTargetPercent: 70 },
  serviceAccount: { name: "app", annotations: { "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/test-app" } },
  ingress: { className: "alb", host: "api.example.com", certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555", sslPolicy: TLS13_POLICY },
  env: { AWS_REGION: "eu-west-1", DB_HOST: "db.example.internal", DB_PORT: "5432" },
  secrets: { store: "aws-secrets-manager", prefix: "test/app/" },
  priorityClassName: "environment-test",
  dashboardUid: "service-app",
  metrics: resolveMetrics({ preset: "prometheus-fastapi-instrumentator" }),
  runbookBaseUrl: "https://github.com/example-org/platform-infra/blob/main/docs/runbooks/",
};
const manifests = (values: AppValues = VALUES) => new AppChart(new App(), "app", values).toJson() as Array<Record<string, any>>;
const byKind = (kind: string, values?: AppValues) => manifests(values).find((m) => m.kind === kind)!;

describe("a service of several", () => {
  it("a worker with no port: no Service, probes, scrape, Ingress or HTTP alerts; still restricted, scaled and protected", () => {
    const worker = manifests({ ...VALUES, name: "notifications", port: undefined, ingress: undefined });
    expect(worker.map((m) => m.kind).sort()).toEqual(["Deployment", "ExternalSecret", "HorizontalPodAutoscaler", "PodDisruptionBudget", "PrometheusRule", "ServiceAccount"]);
    const container = worker.find((m) => m.kind === "Deployment")!.spec.template.spec.containers[0];
    expect([container.ports, container.readinessProbe, container.livenessProbe, container.startupProbe]).toEqual([undefined, undefined, undefined, undefined]);
    expect(worker.find((m) => m.kind === "PrometheusRule")!.spec.groups[0].rules.map((r: any) => r.alert)).toEqual(["AppSaturated"]);
    expect(restrictedViolations(worker)).toEqual([]);
  });

  it("an internal route in an IngressGroup, on a path, probed on its own path", () => {
    const values: AppValues = { ...VALUES, name: "users", probePath: "/healthz", ingress: { ...VALUES.ingress!, scheme: "internal", group: "dev-internal", path: "/users" } };
    const ingress = byKind("Ingress", values);
    expect(ingress.metadata.annotations).toMatchObject({ "alb.ingress.kubernetes.io/scheme": "internal", "alb.ingress.kubernetes.io/group.name": "dev-internal", "alb.ingress.kubernetes.io/healthcheck-path": "/healthz" });
    expect(ingress.spec.rules[0].http.paths[0].path).toBe("/users");
    expect(byKind("Deployment", values).spec.template.spec.containers[0].readinessProbe.httpGet.path).toBe("/healthz");
    // The longer path first in its group: the controller orders by group.order, never by path.
    expect(ingress.metadata.annotations["alb.ingress.kubernetes.io/group.order"]).toBe("994");
    expect([groupOrder("/"), groupOrder("/orders/"), groupOrder("/orders/v2")]).toEqual([999, 993, 990]);
    // The app keeps its own ALB: no group.
    expect(byKind("Ingress").metadata.annotations).not.toHaveProperty("alb.ingress.kubernetes.io/group.name");
  });

  it("admits exactly its callers' pods, on its port, and makes no such policy without callers", () => {
    const policy = byKind("NetworkPolicy", { ...VALUES, name: "orders", callers: ["api-gateway", "billing"] });
    expect(policy.metadata.name).toBe("orders-from-callers");
    expect(policy.spec).toEqual({
      podSelector: { matchLabels: { "app.kubernetes.io/name": "orders" } },
      policyTypes: ["Ingress"],
      ingress: [{ from: [{ podSelector: { matchExpressions: [{ key: "app.kubernetes.io/name", operator: "In", values: ["api-gateway", "billing"] }] } }], ports: [{ protocol: "TCP", port: 8000 }] }],
    });
    expect(manifests().some((m) => m.kind === "NetworkPolicy")).toBe(false);
  });
});

describe("the app chart", () => {
  it("passes the restricted Pod Security Standard", () => {
    expect(restrictedViolations(manifests())).toEqual([]);
  });

  it("renders the same objects for the same values (snapshot)", () => {
    expect(manifests()).toMatchSnapshot();
  });

  it("runs the image by digest, non-root, read-only, on the apps nodes, spread over zones, probed on /health", () => {
    const pod = byKind("Deployment").spec.template.spec;
    expect(pod.containers[0].image).toBe(`123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1.4.2@sha256:${"a".repeat(64)}`);
    expect(pod.containers[0].securityContext).toEqual({ runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] }, seccompProfile: { type: "RuntimeDefault" } });
    expect(pod.nodeSelector).toEqual({ "platform/node-group": "apps" });
    expect(pod.topologySpreadConstraints[0]).toMatchObject({ topologyKey: "topology.kubernetes.io/zone" });
    for (const probe of ["readinessProbe", "livenessProbe", "startupProbe"]) expect(pod.containers[0][probe].httpGet).toEqual({ path: "/health", port: "http" });
    // Optional: a new environment may have no secret under the prefix yet, and ESO then makes no Secret.
    expect(pod.containers[0].envFrom).toEqual([{ secretRef: { name: "app-secrets", optional: true } }]);
    expect(imageRef({ repository: "r", tag: "1.0.0" })).toBe("r:1.0.0");
  });

  it("serves HTTPS only through an internet-facing ALB with TLS 1.3, pod targets and /health checks; WAF when given", () => {
    const ingress = byKind("Ingress");
    expect(ingress.spec.ingressClassName).toBe("alb");
    expect(ingress.metadata.annotations).toMatchObject({
      "alb.ingress.kubernetes.io/scheme": "internet-facing",
      "alb.ingress.kubernetes.io/target-type": "ip",
      "alb.ingress.kubernetes.io/ssl-redirect": "443",
      "alb.ingress.kubernetes.io/ssl-policy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
      "alb.ingress.kubernetes.io/healthcheck-path": "/health",
    });
    expect(ingress.metadata.annotations).not.toHaveProperty("alb.ingress.kubernetes.io/wafv2-acl-arn");
    const waf = "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/edge/11111111-2222-3333-4444-555555555555";
    expect(ingressAnnotations(VALUES, { ...VALUES.ingress!, wafAclArn: waf })["alb.ingress.kubernetes.io/wafv2-acl-arn"]).toBe(waf);
  });

  it("scales with an HPA, keeps one pod at most unavailable, syncs its secrets, and is scraped on /metrics", () => {
    expect(byKind("HorizontalPodAutoscaler").spec).toMatchObject({ minReplicas: 2, maxReplicas: 6, metrics: [{ resource: { name: "cpu", target: { averageUtilization: 70 } } }] });
    expect(byKind("PodDisruptionBudget").spec.maxUnavailable).toBe(1);
    expect(byKind("ExternalSecret").spec).toMatchObject({ secretStoreRef: { kind: "SecretStore", name: "aws-secrets-manager" }, dataFrom: [{ find: { path: "test/app/" } }] });
    expect(byKind("ServiceMonitor").spec.endpoints).toEqual([{ port: "http", path: "/metrics", interval: "30s" }]);
  });

  it("alerts on errors, latency and saturation, labelled by service, each with its runbook and the service's dashboard", () => {
    const rules = byKind("PrometheusRule").spec.groups[0].rules as Array<{ alert: string; labels: Record<string, string>; annotations: Record<string, string> }>;
    expect(rules.map((r) => r.alert)).toEqual(["AppHighErrorRate", "AppHighLatency", "AppSaturated"]);
    for (const rule of rules) {
      expect(rule.labels.service).toBe("app");
      expect(rule.annotations.dashboard_uid).toBe("service-app");
      expect(rule.annotations.runbook_url).toMatch(/^https:\/\/github\.com\/example-org\/platform-infra\/blob\/main\/docs\/runbooks\/app-[a-z-]+\.md$/);
    }
  });

  it.each([
    ["prometheus-fastapi-instrumentator", 'sum(rate(http_requests_total{job="app",namespace="app",status=~"5.."}[5m]))', "http_request_duration_highr_seconds_bucket{"],
    ["starlette-exporter", 'sum(rate(starlette_requests_total{job="app",namespace="app",status_code=~"5.."}[5m]))', "starlette_request_duration_seconds_bucket{"],
    ["nestjs-prom", 'sum(rate(http_requests_count{job="app",namespace="app",status=~"5.."}[5m]))', "http_requests_bucket{"],
  ] as const)("queries the names of preset %s", (preset, errors, latency) => {
    const rules = byKind("PrometheusRule", { ...VALUES, metrics: resolveMetrics({ preset }) }).spec.groups[0].rules as Array<{ expr: string }>;
    expect(rules[0]!.expr.startsWith(errors)).toBe(true);
    expect(rules[1]!.expr).toContain(latency);
  });

  it("queries a custom preset's names and labels", () => {
    const custom = { requestsTotal: "orders_requests_total", requestDuration: "orders_latency_seconds", saturationGauge: "orders_in_flight", statusLabel: "code", routeLabel: "route" };
    const rules = byKind("PrometheusRule", { ...VALUES, metrics: resolveMetrics({ preset: "custom", custom }) }).spec.groups[0].rules as Array<{ expr: string }>;
    expect(rules[0]!.expr).toBe('sum(rate(orders_requests_total{job="app",namespace="app",code=~"5.."}[5m])) / sum(rate(orders_requests_total{job="app",namespace="app"}[5m])) > 0.05');
    expect(rules[1]!.expr).toBe('histogram_quantile(0.95, sum by (le) (rate(orders_latency_seconds_bucket{job="app",namespace="app"}[5m]))) > 1');
  });

  it("holds settings, never secrets", () => {
    expect(secretsIn(manifests())).toEqual([]);
  });
});

/** Every alert of every PrometheusRule a synthesized project installs (all stacks, every manifest release), with the dashboards of its environment. */
function shippedAlerts(synth: typeof fixtureSynth): Array<{ where: string; dashboards: string[]; rule: { alert: string; labels: Record<string, string>; annotations: Record<string, string> } }> {
  // Each stack's objects parsed once: the manifests' YAML is most of this test's time.
  const objectsOf = new Map(Object.keys(synth.manifest()).map((id) => [id, manifestObjects(id, synth.stack(id) as StackJson).map((p) => p.object)]));
  const dashboardsOf = (env: string) =>
    [...objectsOf].filter(([s]) => s.startsWith(`${env}-`)).flatMap(([, objects]) => objects).filter((o) => o.kind === "ConfigMap" && o.metadata.labels?.grafana_dashboard === "1").flatMap((o) => Object.values(o.data as Record<string, string>).map((json) => (JSON.parse(json) as { uid: string }).uid));
  return [...objectsOf].flatMap(([id, objects]) => {
    const rules = objects.filter((o) => o.kind === "PrometheusRule");
    const dashboards = rules.length ? dashboardsOf(id.split("-")[0]!) : [];
    return rules.flatMap((o) => (o.spec as { groups: Array<{ rules: any[] }> }).groups.flatMap((g) => g.rules.map((rule) => ({ where: `${id} ${o.metadata.name}`, dashboards, rule }))));
  });
}

describe("every alert the project ships, the platform's too (the fixture's and the example's synthesized stacks)", () => {
  const alerts = [...shippedAlerts(fixtureSynth), ...shippedAlerts(exampleSynth)];

  it("exist: the services' alerts, for every service of both projects", () => {
    expect(alerts.filter((a) => a.rule.alert === "AppSaturated").map((a) => a.rule.labels.service).sort()).toEqual(["api-gateway", "api-gateway", "app", "app", "app", "auth", "auth", "notifications", "notifications", "orders", "orders", "users", "users"]);
  });

  it("each links a runbook in docs/runbooks that names it and says what to check and what to do", () => {
    for (const { where, rule } of alerts) {
      const url = rule.annotations.runbook_url ?? "";
      expect({ where, alert: rule.alert, url }).toEqual({ where, alert: rule.alert, url: expect.stringMatching(/^https:\/\/github\.com\/[\w.-]+\/[\w.-]+\/blob\/main\/docs\/runbooks\/[a-z0-9-]+\.md$/) });
      const file = path.join(ROOT, "docs", "runbooks", path.basename(url));
      const page = existsSync(file) ? readFileSync(file, "utf8") : "";
      expect({ where, alert: rule.alert, page: new RegExp(`^# ${rule.alert}\n[\\s\\S]*## What to check[\\s\\S]*## What to do`).test(page) }).toEqual({ where, alert: rule.alert, page: true });
    }
  });

  it("each that names a dashboard names one its environment has, and its runbook leads there by uid", () => {
    const linked = alerts.filter((a) => a.rule.annotations.dashboard_uid);
    expect(linked.length).toBeGreaterThan(0);
    for (const { where, dashboards, rule } of linked) {
      const uid = rule.annotations.dashboard_uid!;
      expect({ where, uid, exists: dashboards.includes(uid) }).toEqual({ where, uid, exists: true });
      const page = readFileSync(path.join(ROOT, "docs", "runbooks", path.basename(rule.annotations.runbook_url!)), "utf8");
      // A service's runbook is the same page for every service: it names the uid's form.
      const named = uid.startsWith("service-") ? page.includes("/d/service-<service>") && page.includes("dashboard_uid") : page.includes(`/d/${uid}`);
      expect({ where, uid, named }).toEqual({ where, uid, named: true });
    }
  });
});

describe("the restricted Pod Security check", () => {
  const deployment = () => JSON.parse(JSON.stringify(byKind("Deployment"))) as Record<string, any>;
  it.each([
    ["a privileged container", (d: any) => (d.spec.template.spec.containers[0].securityContext.privileged = true), "container app is privileged"],
    ["privilege escalation", (d: any) => delete d.spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation, "container app does not set allowPrivilegeEscalation: false"],
    ["root", (d: any) => { delete d.spec.template.spec.containers[0].securityContext.runAsNonRoot; delete d.spec.template.spec.securityContext.runAsNonRoot; }, "container app does not set runAsNonRoot: true"],
    ["no seccomp profile", (d: any) => { delete d.spec.template.spec.containers[0].securityContext.seccompProfile; delete d.spec.template.spec.securityContext.seccompProfile; }, "container app has no RuntimeDefault or Localhost seccomp profile"],
    ["capabilities kept", (d: any) => delete d.spec.template.spec.containers[0].securityContext.capabilities, "container app does not drop ALL capabilities"],
    ["a hostPath volume", (d: any) => d.spec.template.spec.volumes.push({ name: "host", hostPath: { path: "/" } }), "volume host is of type hostPath"],
    ["the host network", (d: any) => (d.spec.template.spec.hostNetwork = true), "hostNetwork is true"],
    ["a host port", (d: any) => (d.spec.template.spec.containers[0].ports[0].hostPort = 8000), "container app uses hostPort 8000"],
  ])("refuses %s", (_what, breakIt, problem) => {
    const d = deployment();
    breakIt(d);
    expect(restrictedViolations([d])).toEqual([`Deployment/app: ${problem}`]);
  });
});

describe("the app's migrations", () => {
  const values: AppValues = { ...VALUES, migrations: { command: ["alembic", "upgrade", "head"], deadlineSeconds: 900 } };
  const all = manifests(values);
  const job = all.find((m) => m.kind === "Job")!;
  const account = all.find((m) => m.kind === "ServiceAccount" && m.metadata.name === "app-migrations")!;

  it("are none without config", () => {
    expect(manifests().filter((m) => m.kind === "Job" || m.metadata.name === "app-migrations")).toEqual([]);
  });

  it("run as a pre-install and pre-upgrade hook, deleted once they succeed, kept for their logs when they fail until the next attempt", () => {
    expect(job.metadata.annotations).toEqual({ "helm.sh/hook": "pre-install,pre-upgrade", "helm.sh/hook-weight": "0", "helm.sh/hook-delete-policy": "before-hook-creation,hook-succeeded" });
    // Its service account is a hook too, made first: a pre-install hook runs before the release's own objects exist.
    expect(account.metadata.annotations).toEqual({ ...VALUES.serviceAccount.annotations, "helm.sh/hook": "pre-install,pre-upgrade", "helm.sh/hook-weight": "-10", "helm.sh/hook-delete-policy": "before-hook-creation,hook-succeeded" });
  });

  it("run the app's image with the app's role and settings, the command as a list, once, within the deadline", () => {
    expect(job.spec).toMatchObject({ backoffLimit: 0, activeDeadlineSeconds: 900 });
    const pod = job.spec.template.spec;
    expect(pod).toMatchObject({ serviceAccountName: "app-migrations", restartPolicy: "Never", automountServiceAccountToken: false, nodeSelector: { "platform/node-group": "apps" } });
    const [container] = pod.containers;
    expect(container.image).toBe(imageRef(VALUES.image));
    expect(container.command).toEqual(["alembic", "upgrade", "head"]);
    expect(container.env).toEqual(Object.entries(VALUES.env).map(([name, value]) => ({ name, value })));
    expect(container.envFrom).toEqual([{ secretRef: { name: "app-secrets", optional: true } }]);
  });

  it("have limits, and pass the restricted Pod Security Standard", () => {
    expect(job.spec.template.spec.containers[0].resources).toEqual({ requests: { cpu: "250m", memory: "256Mi" }, limits: { cpu: "250m", memory: "256Mi" } });
    expect(restrictedViolations(all)).toEqual([]);
  });

  it("are not selected by the app's Service, PDB or ServiceMonitor", () => {
    expect(job.spec.template.metadata.labels).toEqual({ "app.kubernetes.io/name": "app-migrations", "app.kubernetes.io/part-of": "app" });
  });
});
