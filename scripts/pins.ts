import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { App, TerraformResource } from "cdktf";
import { environmentOfStack, loadBackendSettings, loadEnvironments, loadProjectSettings } from "../config";
import { STATEFUL_TYPES } from "../review/classify";
import { buildPlatform, networkFacts, type PlatformInputs, STATE_BACKEND_STACK_ID } from "../stacks";

/**
 * The pins: what must never change by accident in the environments of `config/`, committed in
 * `pins/` and compared (scripts/pins-check.ts) by `__tests__/user-config.test.ts`.
 *
 * - `stateful-addresses.json`: the Terraform address of every stateful resource (buckets,
 *   tables, keys, roles; later clusters, databases, brokers) of every stack. A refactor that
 *   would recreate one fails the test until the list changes in the same, reviewed commit.
 * - `subnet-cidrs.json`: every subnet's CIDR in every environment. A changed CIDR replaces the
 *   subnet and everything in it.
 * - `locations.json`: the account and region each environment's pins were recorded for (`shared`
 *   is the state backend's). Pins recorded for another account or region describe nothing that
 *   exists where the environment deploys now (a project just adopted, an environment moved), so
 *   they are not compared (scripts/pins-check.ts).
 *
 * `npm run pins` rewrites them from the current code and config; run it for a deliberate change
 * (and read its diff: docs/architecture.md, "Moving a resource"), and before an environment's
 * first apply.
 */
export interface Pins {
  /** Stack id → sorted addresses of its stateful resources. */
  readonly statefulAddresses: Record<string, string[]>;
  /** Environment → tier → zone → CIDR. */
  readonly subnetCidrs: Record<string, Record<string, Record<string, string>>>;
  /** Environment (`shared`: the state backend) → where its pins were recorded. */
  readonly locations: Record<string, PinLocation>;
}

/** Where an environment deploys: its account and region. */
export interface PinLocation {
  readonly account: string;
  readonly region: string;
}

export const PINS_DIR = "pins";
const FILES = { statefulAddresses: "stateful-addresses.json", subnetCidrs: "subnet-cidrs.json", locations: "locations.json" } as const;

/** The pins of a set of environments, from the construct tree (nothing is written). */
export function computePins(inputs: PlatformInputs): Pins {
  const app = new App({ outdir: path.join(PINS_DIR, ".unused"), stackTraces: false });
  const stacks = buildPlatform(app, inputs);
  const statefulAddresses: Record<string, string[]> = {};
  for (const stack of [stacks.stateBackend, ...Object.values(stacks.environments).flatMap((layers) => Object.values(layers))]) {
    statefulAddresses[stack.node.id] = stack.node
      .findAll()
      .filter(TerraformResource.isTerraformResource)
      .filter((r) => r.terraformResourceType in STATEFUL_TYPES)
      .map((r) => `${r.terraformResourceType}.${stack.getLogicalId(r)}`)
      .sort();
  }
  return { statefulAddresses, ...configPins(inputs) };
}

/**
 * The pins of what a synth wrote (`cdktf.out`): the same as {@link computePins} of its inputs
 * (the JSON's resource keys are the stacks' logical ids), without building the stacks again.
 */
export function pinsOfSynth(outdir: string, inputs: PlatformInputs): Pins {
  const manifest = JSON.parse(readFileSync(path.join(outdir, "manifest.json"), "utf8")) as { stacks: Record<string, unknown> };
  const statefulAddresses: Record<string, string[]> = {};
  for (const stack of Object.keys(manifest.stacks).filter((id) => environmentOfStack(id) !== "bootstrap")) {
    const json = JSON.parse(readFileSync(path.join(outdir, "stacks", stack, "cdk.tf.json"), "utf8")) as { resource?: Record<string, Record<string, unknown>> };
    statefulAddresses[stack] = Object.entries(json.resource ?? {})
      .filter(([type]) => type in STATEFUL_TYPES)
      .flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`))
      .sort();
  }
  return { statefulAddresses, ...configPins(inputs) };
}

/** The pins config decides alone: each environment's subnet CIDRs, and where each deploys. */
function configPins(inputs: PlatformInputs): Pick<Pins, "subnetCidrs" | "locations"> {
  const subnetCidrs = Object.fromEntries(inputs.environments.map((env) => [env.name, networkFacts(env).subnetCidrs]));
  const locations: Record<string, PinLocation> = { [environmentOfStack(STATE_BACKEND_STACK_ID)]: { account: inputs.backend.accountId, region: inputs.backend.region } };
  for (const env of inputs.environments) locations[env.name] = { account: env.account.id, region: env.account.region };
  return { subnetCidrs, locations };
}

/** The committed pins; a file not there yet pins nothing (a project never deployed). */
export function readPins(root: string): Pins {
  const read = (file: string) => {
    const full = path.join(root, PINS_DIR, file);
    return (existsSync(full) ? JSON.parse(readFileSync(full, "utf8")) : {}) as never;
  };
  return { statefulAddresses: read(FILES.statefulAddresses), subnetCidrs: read(FILES.subnetCidrs), locations: read(FILES.locations) };
}

/** Rewrites the committed pins. */
export function writePins(root: string, pins: Pins): void {
  mkdirSync(path.join(root, PINS_DIR), { recursive: true });
  for (const key of Object.keys(FILES) as Array<keyof Pins>) writeFileSync(path.join(root, PINS_DIR, FILES[key]), `${JSON.stringify(pins[key], null, 2)}\n`);
}

/** The shipped project's inputs. */
export function projectInputs(root: string): PlatformInputs {
  // No date: the pins are addresses and CIDRs, whatever the day.
  const environments = loadEnvironments({ configDir: path.join(root, "config"), baseDir: root });
  return { environments, allEnvironments: environments, backend: loadBackendSettings(path.join(root, "backend.config"), root), project: loadProjectSettings(path.join(root, "cdktf.json"), root) };
}

if (require.main === module) {
  const root = process.cwd();
  writePins(root, computePins(projectInputs(root)));
  console.log(`wrote ${Object.values(FILES).map((file) => `${PINS_DIR}/${file}`).join(", ")}: read their diff before committing`);
}
