import { writeFileSync } from "node:fs";
import path from "node:path";
import { loadProjectSettings } from "../../config";
import { FIXTURE, tempProject } from "../helpers";

describe("project settings (cdktf.json context)", () => {
  it("reads the settings from the context (the fixture's cdktf.json)", () => {
    expect(loadProjectSettings(path.join(FIXTURE, "cdktf.json"))).toEqual({ repository: "github.com/fixture-org/platform-infra", stateBackendStorage: "local", githubRepository: "fixture-org/platform-infra" });
  });

  it("rejects an unknown state storage", () => {
    const file = path.join(tempProject(), "cdktf.json");
    writeFileSync(file, JSON.stringify({ context: { repository: "r", stateBackendStorage: "dynamo" } }));
    expect(() => loadProjectSettings(file)).toThrow(/cdktf\.json: context\.stateBackendStorage: Invalid option: expected one of "local"\|"s3"/);
  });

  it("shows the bad value and what is allowed", () => {
    const file = path.join(tempProject(), "cdktf.json");
    writeFileSync(file, JSON.stringify({ context: { repository: "r", stateBackendStorage: "dynamo" } }));
    expect(() => loadProjectSettings(file, path.dirname(file))).toThrow('cdktf.json: context.stateBackendStorage: Invalid option: expected one of "local"|"s3" (got "dynamo")');
  });

  it("rejects a file that is not JSON", () => {
    const file = path.join(tempProject(), "cdktf.json");
    writeFileSync(file, "{");
    expect(() => loadProjectSettings(file)).toThrow(/cdktf\.json: cannot be read as JSON/);
  });
});
