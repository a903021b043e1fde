import path from "node:path";
import { parseArgs } from "node:util";
import { ConfigError } from "./problems";

/** What to synthesize, from command-line options or, under the cdktf CLI, environment variables. */
export interface SynthOptions {
  /** Folder of environment files. */
  readonly configDir: string;
  /** Environments to synthesize; all when empty. */
  readonly environments: readonly string[];
}

/** Environment variables that stand in for the options when `cdktf synth` runs the app. */
export const ENV_VARS = { environments: "PLATFORM_ENV", configDir: "PLATFORM_CONFIG_DIR" } as const;

export const USAGE = `Usage: npm run synth -- [--env NAME[,NAME...]] [--config-dir DIR]

  --env NAME         synthesize only these environments (repeatable or comma-separated);
                     default: every environment file in the config folder
  --config-dir DIR   folder of <env>.yaml files; default: config

Environment variables (used when the cdktf CLI runs the app):
  ${ENV_VARS.environments}=prod,stage   same as --env
  ${ENV_VARS.configDir}=DIR   same as --config-dir`;

/** Parses argv (options win over environment variables). Throws ConfigError on bad options. */
export function parseSynthOptions(argv: readonly string[], env: NodeJS.ProcessEnv, projectRoot: string): SynthOptions | "help" {
  let values: { env?: string[]; "config-dir"?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { env: { type: "string", multiple: true }, "config-dir": { type: "string" }, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new ConfigError([{ file: "command line", field: "", message: `${(error as Error).message}\n${USAGE}` }]);
  }
  if (values.help) return "help";
  const listed = values.env ?? (env[ENV_VARS.environments] ? [env[ENV_VARS.environments] as string] : []);
  const configDir = values["config-dir"] ?? env[ENV_VARS.configDir] ?? "config";
  return {
    configDir: path.resolve(projectRoot, configDir),
    environments: listed.flatMap((item) => item.split(",")).map((name) => name.trim()).filter(Boolean),
  };
}
