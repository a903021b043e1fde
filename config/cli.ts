import path from "node:path";
import { parseArgs } from "node:util";

/** What to synthesize, from command-line options or, under the cdktf CLI, environment variables. */
export interface SynthOptions {
  /** Folder of environment files. */
  readonly configDir: string;
  /** Environments to synthesize; all when empty. */
  readonly environments: readonly string[];
  /** Leave out the summary: print only errors, warnings and stack folders removed or kept. */
  readonly quiet: boolean;
}

/** Environment variables that stand in for the options when `cdktf synth` runs the app. */
export const ENV_VARS = { environments: "PLATFORM_ENV", configDir: "PLATFORM_CONFIG_DIR" } as const;

export const USAGE = `Usage: npm run synth -- [--env NAME[,NAME...]] [--config-dir DIR] [--quiet]

  --env NAME         synthesize only these environments (repeatable or comma-separated);
                     default: every environment file in the config folder
  --config-dir DIR   folder of <env>.yaml files; default: config
  --quiet            leave out the summary (stacks, sizes, the policy result, time); what needs
                     attention still prints: errors, config and policy warnings (a warning
                     several environments share, once), and stack folders removed or kept

Environment variables (used when the cdktf CLI runs the app):
  ${ENV_VARS.environments}=prod,stage   same as --env
  ${ENV_VARS.configDir}=DIR   same as --config-dir`;

/** A command line that cannot be understood: shown with the usage, not as a configuration problem. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Parses argv (options win over environment variables). Throws UsageError on bad options. */
export function parseSynthOptions(argv: readonly string[], env: NodeJS.ProcessEnv, projectRoot: string): SynthOptions | "help" {
  let values: { env?: string[]; "config-dir"?: string; help?: boolean; quiet?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { env: { type: "string", multiple: true }, "config-dir": { type: "string" }, quiet: { type: "boolean", short: "q" }, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return "help";
  const listed = values.env ?? (env[ENV_VARS.environments] ? [env[ENV_VARS.environments] as string] : []);
  const configDir = values["config-dir"] ?? env[ENV_VARS.configDir] ?? "config";
  return {
    configDir: path.resolve(projectRoot, configDir),
    environments: listed.flatMap((item) => item.split(",")).map((name) => name.trim()).filter(Boolean),
    quiet: values.quiet ?? false,
  };
}
