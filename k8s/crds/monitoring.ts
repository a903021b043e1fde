import { type ApiObjectMetadata } from "cdk8s";
import { crdKind } from "./crd-kind";

/**
 * Typed Prometheus Operator objects (monitoring.coreos.com/v1, from kube-prometheus-stack 88.5.3):
 * the fields this project sets.
 * @see https://prometheus-operator.dev/docs/api-reference/api/
 */

export interface ServiceMonitorProps {
  readonly metadata: ApiObjectMetadata;
  readonly spec: {
    readonly selector: { readonly matchLabels: Readonly<Record<string, string>> };
    readonly endpoints: ReadonlyArray<{ readonly port: string; readonly path: string; readonly interval: string }>;
  };
}

/** Tells Prometheus to scrape a Service's endpoints. */
export class ServiceMonitor extends crdKind<ServiceMonitorProps["spec"]>({ apiVersion: "monitoring.coreos.com/v1", kind: "ServiceMonitor" }) {}

/** One alerting rule. */
export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  /** Its severity (which routes it: observability.alerting.routes), and labels that scope it (`service`, for inhibition). */
  readonly labels: { readonly severity: "warning" | "critical" } & Readonly<Record<string, string>>;
  /** What a person reads: the runbook that says what to do, and (for a service's alerts) the uid of the Grafana dashboard to look at. */
  readonly annotations: { readonly summary: string; readonly description: string; readonly runbook_url: string; readonly dashboard_uid?: string };
}

export interface PrometheusRuleProps {
  readonly metadata: ApiObjectMetadata;
  readonly spec: { readonly groups: ReadonlyArray<{ readonly name: string; readonly rules: readonly AlertRule[] }> };
}

/** Alerting rules Prometheus loads. */
export class PrometheusRule extends crdKind<PrometheusRuleProps["spec"]>({ apiVersion: "monitoring.coreos.com/v1", kind: "PrometheusRule" }) {}
