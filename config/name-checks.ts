import { type FieldProblem } from "./checks";
import { RESERVED_ENVIRONMENT_NAMES } from "./naming";
import { type EnvironmentConfig } from "./schema";

/**
 * An environment's name is none the flow already uses ({@link RESERVED_ENVIRONMENT_NAMES}): CI
 * finds stacks, plans, artifacts, GitHub Environments and state keys by it, and an environment
 * named `shared` or `bootstrap` would merge with state-backend or the account stacks there. The
 * file is named after the environment (config/load.ts checks that), so this names both.
 */
export function checkEnvironmentName(env: EnvironmentConfig): FieldProblem[] {
  const reason = Object.hasOwn(RESERVED_ENVIRONMENT_NAMES, env.name) ? RESERVED_ENVIRONMENT_NAMES[env.name] : undefined;
  if (reason === undefined) return [];
  const reserved = Object.keys(RESERVED_ENVIRONMENT_NAMES).join(", ");
  return [{ field: "name", value: env.name, message: `is reserved: the flow uses it for ${reason}; reserved names: ${reserved}; choose another name (and name the file after it)` }];
}
