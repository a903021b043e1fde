import { type TerraformStack } from "cdktf";
import { ALL_RULES, PolicyPack } from "../policy";
import { EnvironmentStack } from "./environment-stack";

/**
 * The project's policy pack: every rule, with each environment's severity overrides from its
 * config (`policy.severity`). Stacks outside an environment (state-backend) use the defaults.
 */
export function platformPolicyPack(): PolicyPack {
  return new PolicyPack({
    rules: ALL_RULES,
    severityOverrides: (stack: TerraformStack) => (stack instanceof EnvironmentStack ? stack.env.policy.severity : undefined),
  });
}
