import { type TerraformStack } from "cdktf";
import { severityOf } from "../config";
import { ALL_RULES, PolicyPack, type Severity } from "../policy";
import { EnvironmentStack } from "./environment-stack";

/**
 * The project's policy pack: every rule, with each environment's severity overrides from its
 * config (`policy.severity`). Stacks outside an environment (state-backend) use the defaults.
 */
export function platformPolicyPack(): PolicyPack {
  return new PolicyPack({
    rules: ALL_RULES,
    severityOverrides: (stack: TerraformStack) => {
      if (!(stack instanceof EnvironmentStack)) return undefined;
      const env = stack.env;
      return Object.fromEntries(Object.keys(env.policy.severity).map((ruleId) => [ruleId, severityOf(env, ruleId) as Severity]));
    },
  });
}
