import { CUSTOM_FIELDS, METRIC_PRESETS } from "../k8s/metric-presets";
import { type FieldProblem } from "./checks";
import { type EnvironmentConfig } from "./schema";
import { serviceEntries, serviceField } from "./services";

/**
 * `services.<name>.metrics`: a custom preset names all its metrics and labels, and only a custom
 * preset names any. Otherwise the alerts would query names the service never exports, and never
 * fire (the failure this section exists to prevent), or config would hold names nothing uses.
 */
export function checkMetrics(env: EnvironmentConfig): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const presets = METRIC_PRESETS.filter((p) => p !== "custom").join(", ");
  for (const [name, service] of serviceEntries(env)) {
    const { preset, custom } = service.metrics;
    const at = (field: string) => serviceField(env, name, `metrics.${field}`);
    if (preset === "custom" && !custom) {
      problems.push({
        field: at("custom"),
        message: `is required with preset custom: it names the service's metrics and labels (${CUSTOM_FIELDS.join(", ")}); add it, or name the library's preset (allowed: ${presets})`,
      });
    } else if (preset === "custom" && custom) {
      for (const field of CUSTOM_FIELDS.filter((f) => !custom[f])) {
        problems.push({
          field: at(`custom.${field}`),
          message: `is missing: a custom preset names all of ${CUSTOM_FIELDS.join(", ")}, since the alerts and the dashboard query each of them`,
        });
      }
    } else if (custom) {
      problems.push({
        field: at("custom"),
        value: preset,
        message: `is given with preset ${preset}, which names the metrics itself, so these names would be ignored; set preset: custom to use them, or remove custom`,
      });
    }
  }
  return problems;
}
