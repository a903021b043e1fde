import { type Construct } from "constructs";
import { type BackendSettings, type EnvironmentConfig, type ProjectSettings } from "../config";
import { NetworkStack } from "./network-stack";
import { StateBackendStack } from "./state-backend-stack";

/** Everything the app is built from: validated config only. */
export interface PlatformInputs {
  /** The environments to build stacks for. */
  readonly environments: readonly EnvironmentConfig[];
  /**
   * Every environment of the config folder, selected or not: the state backend serves them all.
   * @default environments
   */
  readonly allEnvironments?: readonly EnvironmentConfig[];
  /** Remote-state settings from backend.config. */
  readonly backend: BackendSettings;
  /** Project-wide settings from cdktf.json. */
  readonly project: ProjectSettings;
}

/** The stacks of one environment, for wiring and tests. */
export interface EnvironmentStacks {
  readonly network: NetworkStack;
}

/** The stacks of the whole app. */
export interface PlatformStacks {
  readonly stateBackend: StateBackendStack;
  readonly environments: Readonly<Record<string, EnvironmentStacks>>;
}

/** Creates every stack: the state backend once, then each environment's layers in order. */
export function buildPlatform(scope: Construct, inputs: PlatformInputs): PlatformStacks {
  const access = (inputs.allEnvironments ?? inputs.environments).map((env) => ({ prefix: `${env.name}/`, principals: env.account.stateRoleArns }));
  const stateBackend = new StateBackendStack(scope, { backend: inputs.backend, project: inputs.project, access });
  const environments: Record<string, EnvironmentStacks> = {};
  for (const env of inputs.environments) {
    const common = { env, backend: inputs.backend, project: inputs.project };
    const network = new NetworkStack(scope, common);
    environments[env.name] = { network };
  }
  return { stateBackend, environments };
}

/** Ids of every stack built, in creation order. */
export function platformStackIds(stacks: PlatformStacks): string[] {
  return [stacks.stateBackend, ...Object.values(stacks.environments).flatMap((env) => Object.values(env))].map((stack) => stack.node.id);
}
