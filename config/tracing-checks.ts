import { type FieldProblem } from "./checks";
import { type EnvironmentConfig } from "./schema";

/**
 * `observability.tracing` and `observability.grafana`: what would otherwise be switched on in
 * config and quietly do nothing. The OpenTelemetry Collector and Grafana are add-ons of
 * `<env>-platform`, so without a platform section there is no collector, no role for it and no
 * endpoint for the services to export to, and no Grafana for a CloudWatch data source.
 */
export function checkTracing(env: Pick<EnvironmentConfig, "name" | "observability" | "platform">): FieldProblem[] {
  if (env.platform !== undefined) return [];
  return [
    ...(env.observability.tracing.enabled
      ? [{ field: "observability.tracing.enabled", value: true, message: `needs a platform section: the OpenTelemetry Collector that receives the traces runs in ${env.name}-platform; add a platform section, or set it to false` }]
      : []),
    // Grafana too is a release of <env>-platform: without it the data source has no Grafana.
    ...(env.observability.grafana.cloudWatch
      ? [{ field: "observability.grafana.cloudWatch", value: true, message: `needs a platform section: Grafana, whose data source it is, runs in ${env.name}-platform; add a platform section, or set it to false` }]
      : []),
  ];
}
