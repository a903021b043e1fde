import path from "node:path";
import { ENV_VARS, parseSynthOptions, UsageError } from "../../config";

const root = "/project";

describe("synth options", () => {
  it("defaults to every environment in ./config", () => {
    expect(parseSynthOptions([], {}, root)).toEqual({ configDir: path.resolve(root, "config"), environments: [], quiet: false });
  });

  it("takes --env (repeatable, comma-separated) and --config-dir", () => {
    expect(parseSynthOptions(["--env", "prod,stage", "--env", "dev", "--config-dir", "envs"], {}, root)).toEqual({
      configDir: path.resolve(root, "envs"),
      environments: ["prod", "stage", "dev"],
      quiet: false,
    });
  });

  it("reads the same settings from environment variables, for the cdktf CLI", () => {
    expect(parseSynthOptions([], { [ENV_VARS.environments]: "prod", [ENV_VARS.configDir]: "/elsewhere" }, root)).toEqual({
      configDir: "/elsewhere",
      environments: ["prod"],
      quiet: false,
    });
  });

  it("prefers options to environment variables", () => {
    expect(parseSynthOptions(["--env", "dev"], { [ENV_VARS.environments]: "prod" }, root)).toMatchObject({ environments: ["dev"] });
  });

  it("answers --help", () => {
    expect(parseSynthOptions(["--help"], {}, root)).toBe("help");
  });

  it("takes --quiet", () => {
    expect(parseSynthOptions(["--quiet"], {}, root)).toMatchObject({ quiet: true });
  });

  it("rejects an unknown option as a usage error, not a configuration problem", () => {
    expect(() => parseSynthOptions(["--environment", "prod"], {}, root)).toThrow(new UsageError("Unknown option '--environment'"));
  });
});
