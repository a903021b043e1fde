import path from "node:path";
import { ENV_VARS, parseSynthOptions } from "../../config";

const root = "/project";

describe("synth options", () => {
  it("defaults to every environment in ./config", () => {
    expect(parseSynthOptions([], {}, root)).toEqual({ configDir: path.resolve(root, "config"), environments: [] });
  });

  it("takes --env (repeatable, comma-separated) and --config-dir", () => {
    expect(parseSynthOptions(["--env", "prod,stage", "--env", "dev", "--config-dir", "envs"], {}, root)).toEqual({
      configDir: path.resolve(root, "envs"),
      environments: ["prod", "stage", "dev"],
    });
  });

  it("reads the same settings from environment variables, for the cdktf CLI", () => {
    expect(parseSynthOptions([], { [ENV_VARS.environments]: "prod", [ENV_VARS.configDir]: "/elsewhere" }, root)).toEqual({
      configDir: "/elsewhere",
      environments: ["prod"],
    });
  });

  it("prefers options to environment variables", () => {
    expect(parseSynthOptions(["--env", "dev"], { [ENV_VARS.environments]: "prod" }, root)).toMatchObject({ environments: ["dev"] });
  });

  it("answers --help", () => {
    expect(parseSynthOptions(["--help"], {}, root)).toBe("help");
  });

  it("rejects an unknown option with the usage", () => {
    expect(() => parseSynthOptions(["--environment", "prod"], {}, root)).toThrow(/command line: Unknown option '--environment'[\s\S]*Usage: npm run synth/);
  });
});
