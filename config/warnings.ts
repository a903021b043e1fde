import { type ConfigProblem, formatProblem } from "./problems";

/**
 * Config warnings as the synth prints them: one line per warning, and a warning several
 * environments share (the same field, message and value, such as a Kubernetes version leaving
 * support in every file) once, naming each file and line and every environment:
 * `config/dev.yaml:28, config/stage.yaml:28: [dev, stage] eks.version: leaves … (got "1.36")`.
 */
export function formatWarnings(warnings: readonly ConfigProblem[]): string[] {
  const groups = new Map<string, ConfigProblem[]>();
  for (const warning of warnings) {
    const key = JSON.stringify([warning.field, warning.message, warning.value]);
    const group = groups.get(key);
    if (group) group.push(warning);
    else groups.set(key, [warning]);
  }
  return [...groups.values()].map((group) => {
    const [first] = group as [ConfigProblem, ...ConfigProblem[]];
    if (group.length === 1) return formatProblem(first);
    const where = group.map((w) => (w.line === undefined ? w.file : `${w.file}:${w.line}`)).join(", ");
    const environments = group.flatMap((w) => (w.environment ? [w.environment] : [])).join(", ");
    return formatProblem({ ...first, file: where, line: undefined, environment: environments });
  });
}
