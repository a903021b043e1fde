import { type Construct } from "constructs";
import { accountPlanRoleArn, accountStateKey, type BackendSettings, ciRoleArn, type EnvironmentConfig, hostsCluster, layerOwner, type ProjectSettings, stateKey } from "../config";
import { type EnvironmentStack } from "./environment-stack";
import { dependenciesOf, hostStateReads, layersOf } from "./registry";
import { AccountStack } from "./account-stack";
import { type StateKeyGrant } from "../modules/state/state-access";
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

/** The stacks of the whole app. */
export interface PlatformStacks {
  /** One per AWS account of the environments, and the state account's: OIDC provider, CI roles, image registry. */
  readonly accounts: readonly AccountStack[];
  readonly stateBackend: StateBackendStack;
  /** Environment name → layer → stack. */
  readonly environments: Readonly<Record<string, Readonly<Record<string, EnvironmentStack>>>>;
}

/** The account stacks: one per account of an environment, and the state account's (which holds CI's state-backend roles). */
export function buildAccountStacks(scope: Construct, inputs: PlatformInputs): AccountStack[] {
  const all = inputs.allEnvironments ?? inputs.environments;
  const accountIds = [...new Set([...all.map((env) => env.account.id), inputs.backend.accountId])];
  return accountIds.map((accountId) => new AccountStack(scope, { accountId, environments: all.filter((env) => env.account.id === accountId), backend: inputs.backend, project: inputs.project }));
}

/**
 * Creates every stack: the state backend once, then each environment's layers from the
 * registry, each depending on the layers it consumes (and the first ones on the state backend,
 * which holds their state).
 */
export function buildPlatform(scope: Construct, inputs: PlatformInputs): PlatformStacks {
  // CI's roles of each environment (created by the account stacks) and the roles config adds.
  const access = (inputs.allEnvironments ?? inputs.environments).map((env) => ({
    prefix: `${env.name}/`,
    readers: [ciRoleArn(env, "plan"), ciRoleArn(env, "drift"), ...env.account.stateReaderArns],
    writers: [ciRoleArn(env, "apply"), ...env.account.stateWriterArns],
  }));
  const all = inputs.allEnvironments ?? inputs.environments;
  const accounts = buildAccountStacks(scope, inputs);
  const accountIds = accounts.map((stack) => stack.accountId);
  // An account stack's state is its operators' to write, once it is in the bucket: the deploy
  // roles of the account's environments (README, "Bootstrap"), on that one key; and its plan
  // role's to read (pull requests plan the account stack; the account stack makes the role).
  const keyAccess: StateKeyGrant[] = accountIds.map((accountId) => ({
    key: accountStateKey(accountId),
    writers: [...new Set(all.filter((env) => env.account.id === accountId).flatMap((env) => env.account.deployRoleArn ?? []))].sort(),
    readers: [accountPlanRoleArn(accountId)],
  }));
  // A tenant's CI roles read the host's layers its stacks consume, and no other key of the host.
  const tenantReads = new Map<string, string[]>();
  for (const env of all) {
    for (const layer of hostStateReads(env)) {
      const key = stateKey({ name: layerOwner(env, layer) }, layer);
      tenantReads.set(key, [...(tenantReads.get(key) ?? []), ...(["plan", "drift", "apply"] as const).map((role) => ciRoleArn(env, role))]);
    }
  }
  keyAccess.push(...[...tenantReads].sort(([a], [b]) => a.localeCompare(b)).map(([key, readers]) => ({ key, writers: [], readers: [...readers].sort() })));
  const stateBackend = new StateBackendStack(scope, { backend: inputs.backend, project: inputs.project, access, keyAccess });
  // The state's policies name CI's roles, which must exist first (AWS refuses unknown principals).
  for (const account of accounts) stateBackend.addDependency(account);
  const environments: Record<string, Record<string, EnvironmentStack>> = {};
  // Hosts first: a tenant's stacks follow its host's cluster layers (when the host is built too).
  for (const env of [...inputs.environments].sort((a, b) => Number(!hostsCluster(a)) - Number(!hostsCluster(b)))) {
    const stacks: Record<string, EnvironmentStack> = {};
    for (const entry of layersOf(env)) {
      const stack = entry.create(scope, { env, backend: inputs.backend, project: inputs.project });
      const upstream = dependenciesOf(entry, env).flatMap((layer) => (layerOwner(env, layer) === env.name ? stacks : (environments[layerOwner(env, layer)] ?? {}))[layer] ?? []);
      for (const dependency of upstream.length ? upstream : [stateBackend]) stack.addDependency(dependency);
      stacks[entry.layer] = stack;
    }
    environments[env.name] = stacks;
  }
  return { accounts, stateBackend, environments };
}
