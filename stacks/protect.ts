import { type ConfigProblem, didYouMean, type EnvironmentConfig, sourceOf } from "../config";
import { type PlatformStacks } from "./platform-app";

/**
 * Checks every `protect` entry against the construct tree it is meant for: an entry that matches
 * no construct would protect nothing, silently, so it is a configuration error naming the near
 * matches. Runs after the stacks are built and before anything is written.
 */
export function checkProtectPaths(stacks: PlatformStacks, environments: readonly EnvironmentConfig[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const env of environments) {
    if (env.protect.length === 0) continue;
    const paths = Object.values(stacks.environments[env.name] ?? {}).flatMap((stack) => stack.node.findAll().map((node) => node.node.path));
    env.protect.forEach((prefix, i) => {
      if (paths.some((p) => p === prefix || p.startsWith(`${prefix}/`))) return;
      const source = sourceOf(env);
      problems.push({
        file: source?.file ?? `${env.name}.yaml`,
        line: source?.lineOf?.(`protect.${i}`),
        environment: env.name,
        field: `protect.${i}`,
        value: prefix,
        message: `matches no construct of ${env.name}'s stacks, so it would protect nothing${didYouMean(prefix, paths)}`,
      });
    });
  }
  return problems;
}
