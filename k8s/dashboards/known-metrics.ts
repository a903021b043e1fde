/**
 * The metric names the dashboards query besides the services' own (k8s/metric-presets.ts), by
 * exporter, each as its upstream documents it. A test checks that every query uses only these
 * and the preset's names, so a typo or a metric nothing exports fails before a dashboard ships
 * a panel that stays empty.
 */

/** kube-state-metrics (kube-prometheus-stack 88.5.3's subchart): docs/metrics/{cluster/node,workload/pod,workload/deployment,workload/daemonset,workload/horizontalpodautoscaler}-metrics.md. */
export const KUBE_STATE_METRICS = [
  "kube_node_info",
  "kube_node_status_condition",
  "kube_pod_status_phase",
  "kube_pod_container_status_restarts_total",
  "kube_pod_container_resource_requests",
  "kube_deployment_spec_replicas",
  "kube_deployment_status_replicas_available",
  "kube_daemonset_status_desired_number_scheduled",
  "kube_daemonset_status_number_ready",
  "kube_horizontalpodautoscaler_status_current_replicas",
  "kube_horizontalpodautoscaler_status_desired_replicas",
  "kube_horizontalpodautoscaler_spec_min_replicas",
  "kube_horizontalpodautoscaler_spec_max_replicas",
] as const;

/** cAdvisor, through the kubelet's /metrics/cadvisor (the chart's `kubelet` job): google/cadvisor docs/storage/prometheus.md. */
export const CADVISOR_METRICS = ["container_cpu_usage_seconds_total", "container_memory_working_set_bytes"] as const;

/** node-exporter (the chart's `node-exporter` job, and MSK's on 11002): prometheus/node_exporter's cpu, meminfo and filesystem collectors. */
export const NODE_EXPORTER_METRICS = ["node_cpu_seconds_total", "node_memory_MemAvailable_bytes", "node_memory_MemTotal_bytes", "node_filesystem_avail_bytes", "node_filesystem_size_bytes"] as const;

/**
 * Karpenter 1.14 (karpenter.sh/v1.14/reference/metrics; kubernetes-sigs/karpenter
 * pkg/controllers/metrics/nodepool/controller.go: `karpenter_nodepools_{usage,limit}` by
 * nodepool and resource_type; the nodeclaims' counters by nodepool, and reason).
 */
export const KARPENTER_METRICS = ["karpenter_nodepools_usage", "karpenter_nodepools_limit", "karpenter_nodeclaims_created_total", "karpenter_nodeclaims_terminated_total", "karpenter_nodeclaims_disrupted_total"] as const;

/**
 * MSK's JMX exporter on 11001 (MSK developer guide, "Use Prometheus metrics": every Kafka MBean,
 * and `kafka.consumer.group:type=ConsumerLagMetrics`), named `<domain>_<type>_<attribute>`.
 */
export const KAFKA_JMX_METRICS = ["kafka_server_BrokerTopicMetrics_Count", "kafka_server_ReplicaManager_Value", "kafka_controller_KafkaController_Value", "kafka_consumer_group_ConsumerLagMetrics_Value"] as const;

/** Prometheus's own series per target (prometheus.io/docs/concepts/jobs_instances). */
export const PROMETHEUS_METRICS = ["up"] as const;

/** Every name above. */
export const KNOWN_METRICS: readonly string[] = [...KUBE_STATE_METRICS, ...CADVISOR_METRICS, ...NODE_EXPORTER_METRICS, ...KARPENTER_METRICS, ...KAFKA_JMX_METRICS, ...PROMETHEUS_METRICS];
