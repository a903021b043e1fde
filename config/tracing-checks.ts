import { type FieldProblem } from "./checks";
import { type EnvironmentConfig } from "./schema";

/**
 * `observability.tracing`: what would otherwise be switched on in config and quietly do nothing.
 * The OpenTelemetry Collector is an add-on of `<env>-platform`, so without a platform section
 * there is no collector, no role for it and no endpoint for the services to export to.
 */
export function checkTracing(env: Pick<EnvironmentConfig, "name" | "observability" | "platform">): FieldProblem[] {
  if (!env.observability.tracing.enabled || env.platform !== undefined) return [];
  return [
    {
      field: "observability.tracing.enabled",
      value: true,
      message: `needs a platform section: the OpenTelemetry Collector that receives the traces runs in ${env.name}-platform; add a platform section, or set it to false`,
    },
  ];
}
