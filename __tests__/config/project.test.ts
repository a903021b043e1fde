import { writeFileSync } from "node:fs";
import path from "node:path";
import { loadProjectSettings } from "../../config";
import { FIXTURE, tempProject } from "../helpers";

describe("project settings (cdktf.json context)", () => {
  it("reads the settings from the context (the fixture's cdktf.json)", () => {
    expect(loadProjectSettings(path.join(FIXTURE, "cdktf.json"))).toEqual({ repository: "github.com/fixture-org/platform-infra", stateBackendStorage: "local", githubRepository: "fixture-org/platform-infra", githubRepositoryId: 424242424 });
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

  describe("githubRepositoryId, which every CI role's trust pins", () => {
    const withId = (githubRepositoryId?: unknown) => {
      const file = path.join(tempProject(), "cdktf.json");
      writeFileSync(file, JSON.stringify({ context: { repository: "r", stateBackendStorage: "local", githubRepository: "o/r", ...(githubRepositoryId === undefined ? {} : { githubRepositoryId }) } }));
      return () => loadProjectSettings(file, path.dirname(file));
    };

    it("is required, and must be a number", () => {
      const message = "cdktf.json: context.githubRepositoryId: must be the repository's numeric id, a positive whole number (gh api repos/<org>/<repo> --jq .id), e.g. 123456789";
      expect(withId()).toThrow(message);
      expect(withId("123")).toThrow(`${message} (got "123")`);
    });

    it("must be a whole number", () => {
      expect(withId(12.5)).toThrow("cdktf.json: context.githubRepositoryId: must be a whole number: the repository's id (gh api repos/<org>/<repo> --jq .id) (got 12.5)");
    });

    it("must be positive", () => {
      expect(withId(0)).toThrow("cdktf.json: context.githubRepositoryId: must be the repository's id, a positive whole number (gh api repos/<org>/<repo> --jq .id) (got 0)");
    });

    it("is read as the number it is", () => {
      expect(withId(987654321)().githubRepositoryId).toBe(987654321);
    });
  });
});
