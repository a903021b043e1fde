import { parse } from "yaml";
import { KARPENTER_CHART, KARPENTER_METRICS_PORT } from "../../modules/addons/karpenter";
import { MSK_EXPORTER_PORTS, MSK_JOBS, mskScrapeJobs, serviceScrapeJob } from "../../modules/addons/scrape-jobs";
import { BROKER_DOMAIN_PATTERN, EXPORTER_PORTS } from "../../modules/streaming/kafka-cluster";
import { fixtureSynth, resourcesOf } from "../helpers";

// Prometheus scrapes each MSK broker's exporters by its DNS name (b-<id>.<domain>), the domain
// read from <env>-streaming's state, the ids 1 to the broker count of config.
describe("the MSK brokers' scrape jobs", () => {
  const jobs = mskScrapeJobs({ brokerDomain: "prod-kafka.abc123.c2.kafka.eu-west-1.amazonaws.com", brokers: 3, clusterName: "prod-kafka" });

  it("scrape every broker's JMX exporter on 11001 and node exporter on 11002, the ports the brokers' security group opens to the nodes", () => {
    expect(MSK_EXPORTER_PORTS).toEqual({ jmx: EXPORTER_PORTS.from, node: EXPORTER_PORTS.to });
    expect(jobs.map((j) => [j.job_name, j.static_configs![0]!.targets])).toEqual([
      [MSK_JOBS.jmx, [1, 2, 3].map((id) => `b-${id}.prod-kafka.abc123.c2.kafka.eu-west-1.amazonaws.com:11001`)],
      [MSK_JOBS.node, [1, 2, 3].map((id) => `b-${id}.prod-kafka.abc123.c2.kafka.eu-west-1.amazonaws.com:11002`)],
    ]);
  });

  it("take the brokers' domain from the bootstrap string, with a pattern Terraform's templates accept (no backslash)", () => {
    const bootstrap = "b-2.prod-kafka.abc123.c2.kafka.eu-west-1.amazonaws.com:9098,b-1.prod-kafka.abc123.c2.kafka.eu-west-1.amazonaws.com:9098";
    expect(new RegExp(BROKER_DOMAIN_PATTERN).exec(bootstrap)?.[1]).toBe("prod-kafka.abc123.c2.kafka.eu-west-1.amazonaws.com");
    expect(BROKER_DOMAIN_PATTERN).not.toContain("\\");
  });

  it("label every series with the cluster and the broker's short name, read from the target's host", () => {
    for (const job of jobs) {
      expect(job.static_configs![0]!.labels).toEqual({ kafka_cluster: "prod-kafka" });
      const [relabel] = job.relabel_configs as [{ regex: string; replacement: string }];
      expect("b-2.prod-kafka.abc123.c2.kafka.eu-west-1.amazonaws.com:11001".replace(new RegExp(`^${relabel.regex}$`), relabel.replacement)).toBe("b-2");
    }
  });

  it("are in the monitoring release of an environment with Kafka, the domain from the streaming stack's state, which is applied first", () => {
    const monitoring = resourcesOf(fixtureSynth.stack("prod-platform"), "helm_release").find((r) => r.name === "kube-prometheus-stack")!;
    const values = parse((monitoring.values as string[])[0]!) as { prometheus: { prometheusSpec: { additionalScrapeConfigs: Array<{ job_name: string; static_configs: Array<{ targets: string[] }> }> } } };
    const scrape = values.prometheus.prometheusSpec.additionalScrapeConfigs;
    expect(scrape.map((j) => j.job_name)).toEqual([MSK_JOBS.jmx, MSK_JOBS.node, "karpenter"]);
    expect(scrape[0]!.static_configs[0]!.targets).toHaveLength(3);
    expect(scrape[0]!.static_configs[0]!.targets[0]).toMatch(/^b-1\.\$\{data\.terraform_remote_state\.[\w-]*streaming[\w-]*\.outputs\.broker_domain\}:11001$/);
    expect(fixtureSynth.manifest()["prod-platform"]!.dependencies).toContain("prod-streaming");
  });

  it("leave a cluster without Kafka or Karpenter with no job of its own", () => {
    const monitoring = resourcesOf(fixtureSynth.stack("dev-platform"), "helm_release").find((r) => r.name === "kube-prometheus-stack")!;
    expect((parse((monitoring.values as string[])[0]!) as { prometheus: { prometheusSpec: { additionalScrapeConfigs: unknown[] } } }).prometheus.prometheusSpec.additionalScrapeConfigs).toEqual([]);
  });
});

// Karpenter's release comes before the ServiceMonitor CRD, so Prometheus finds its Service's
// endpoints itself, keeping only the metrics port of that one Service.
describe("a Service's scrape job", () => {
  const job = serviceScrapeJob({ job: "karpenter", namespace: KARPENTER_CHART.namespace, service: KARPENTER_CHART.chart, port: KARPENTER_METRICS_PORT });

  it("discovers endpoints in the Service's namespace only", () => {
    expect(job.kubernetes_sd_configs).toEqual([{ role: "endpoints", namespaces: { names: ["karpenter"] } }]);
  });

  it("keeps the named Service's named port and nothing else", () => {
    const [keep] = job.relabel_configs as [{ source_labels: string[]; regex: string; action: string }];
    const kept = (service: string, port: string) => new RegExp(`^${keep.regex}$`).test(`${service};${port}`);
    expect(keep.action).toBe("keep");
    expect([kept("karpenter", "http-metrics"), kept("karpenter", "https-webhook"), kept("karpenter-webhook", "http-metrics")]).toEqual([true, false, false]);
  });
});

// EKS runs the control plane: the chart's jobs for it would find no target, and their
// absent(up == 1) rules would page critical forever (prometheus-community/helm-charts#3368).
describe("the monitoring release on EKS", () => {
  const values = () => {
    const monitoring = resourcesOf(fixtureSynth.stack("prod-platform"), "helm_release").find((r) => r.name === "kube-prometheus-stack")!;
    return parse((monitoring.values as string[])[0]!) as Record<string, { enabled?: boolean; rules?: Record<string, boolean> }>;
  };

  it("scrapes no controller manager, scheduler, etcd or kube-proxy, and ships none of their rules", () => {
    const v = values();
    expect([v.kubeControllerManager, v.kubeScheduler, v.kubeEtcd, v.kubeProxy].map((c) => c?.enabled)).toEqual([false, false, false, false]);
    expect(v.defaultRules?.rules).toEqual({ etcd: false, kubeControllerManager: false, kubeProxy: false, kubeSchedulerAlerting: false, kubeSchedulerRecording: false });
  });

  it("runs production's Alertmanager as a cluster of two behind a PDB, and a single one elsewhere, with no PDB to block drains", () => {
    const alertmanager = (stack: string) => {
      const release = resourcesOf(fixtureSynth.stack(stack), "helm_release").find((r) => r.name === "kube-prometheus-stack")!;
      const a = (parse((release.values as string[])[0]!) as { alertmanager: { podDisruptionBudget: unknown; alertmanagerSpec: { replicas: number } } }).alertmanager;
      return [a.alertmanagerSpec.replicas, a.podDisruptionBudget];
    };
    expect(alertmanager("prod-platform")).toEqual([2, { enabled: true, minAvailable: 1 }]);
    expect(alertmanager("dev-platform")).toEqual([1, { enabled: false }]);
  });
});
