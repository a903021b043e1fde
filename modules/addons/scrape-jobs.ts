import { EXPORTER_PORTS } from "../streaming/kafka-cluster";

/**
 * Prometheus's jobs for an MSK cluster's open-monitoring exporters: each broker serves the JMX
 * exporter on 11001 and the node exporter on 11002, plain HTTP on its own DNS name (MSK developer
 * guide, "Open monitoring with Prometheus" and "Set up a Prometheus host": "Amazon MSK uses port
 * 11001 for the JMX Exporter and port 11002 for the Node Exporter", one target per broker DNS
 * name). The brokers' security group admits both ports from the nodes only
 * (modules/streaming/kafka-cluster.ts).
 */

/** The jobs' names: the Kafka dashboard and alerts select on them. */
export const MSK_JOBS = { jmx: "msk-jmx", node: "msk-node" } as const;

/** The exporters' ports on every broker. */
export const MSK_EXPORTER_PORTS = { jmx: EXPORTER_PORTS.from, node: EXPORTER_PORTS.to } as const;

/** One job of Prometheus's `scrape_configs`, as kube-prometheus-stack's `additionalScrapeConfigs` takes it (Prometheus's configuration reference, `scrape_config`). */
export interface ScrapeJob {
  readonly job_name: string;
  readonly scrape_interval: string;
  /** Fixed targets, outside the cluster. */
  readonly static_configs?: ReadonlyArray<{ readonly targets: readonly string[]; readonly labels: Readonly<Record<string, string>> }>;
  /** Targets found through the Kubernetes API. */
  readonly kubernetes_sd_configs?: ReadonlyArray<{ readonly role: "endpoints"; readonly namespaces: { readonly names: readonly string[] } }>;
  readonly relabel_configs: ReadonlyArray<Readonly<Record<string, unknown>>>;
}

/** Props of {@link mskScrapeJobs}. */
export interface MskScrapeProps {
  /** The brokers' DNS domain (`<env>-streaming`'s `broker_domain`): broker N is `b-N.<domain>`. */
  readonly brokerDomain: string;
  /** How many brokers the cluster has: their ids are 1 to this. */
  readonly brokers: number;
  /** The MSK cluster's name, a label on every series (several clusters can share a Prometheus). */
  readonly clusterName: string;
}

/**
 * A job per exporter, a target per broker. Each series gets a `broker` label (`b-1`, …), from the
 * target's host, so panels and alerts name the broker, not its long DNS name. Every minute: the
 * JMX exporter answers in seconds on a busy broker, and AWS's guide scrapes at 60 s.
 */
export function mskScrapeJobs(props: MskScrapeProps): ScrapeJob[] {
  const ids = Array.from({ length: props.brokers }, (_, i) => i + 1);
  const job = (name: string, port: number): ScrapeJob => ({
    job_name: name,
    scrape_interval: "60s",
    static_configs: [{ targets: ids.map((id) => `b-${id}.${props.brokerDomain}:${port}`), labels: { kafka_cluster: props.clusterName } }],
    relabel_configs: [{ source_labels: ["__address__"], regex: "(b-[0-9]+)\\..*", target_label: "broker", replacement: "$1" }],
  });
  return [job(MSK_JOBS.jmx, MSK_EXPORTER_PORTS.jmx), job(MSK_JOBS.node, MSK_EXPORTER_PORTS.node)];
}

/** Props of {@link serviceScrapeJob}. */
export interface ServiceScrapeProps {
  /** The job's name (`job` label). */
  readonly job: string;
  /** The Service's namespace and name, and the name of its port that serves /metrics. */
  readonly namespace: string;
  readonly service: string;
  readonly port: string;
}

/**
 * A job for one Service of a chart whose ServiceMonitor cannot be used: Karpenter's release is
 * applied before the monitoring release that brings the ServiceMonitor CRD (its chart's own
 * `serviceMonitor.enabled` would fail the first install). The job finds the Service's endpoints
 * through the API, which Prometheus's ClusterRole may list (services, endpoints, pods), and keeps
 * only the named port of the named Service.
 */
export function serviceScrapeJob(props: ServiceScrapeProps): ScrapeJob {
  return {
    job_name: props.job,
    scrape_interval: "30s",
    kubernetes_sd_configs: [{ role: "endpoints", namespaces: { names: [props.namespace] } }],
    relabel_configs: [
      { source_labels: ["__meta_kubernetes_service_name", "__meta_kubernetes_endpoint_port_name"], regex: `${props.service};${props.port}`, action: "keep" },
      { source_labels: ["__meta_kubernetes_pod_name"], target_label: "pod" },
    ],
  };
}
