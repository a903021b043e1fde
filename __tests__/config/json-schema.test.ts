import { readFileSync } from "node:fs";
import path from "node:path";
import { environmentJsonSchema } from "../../config/json-schema";
import { ROOT } from "../helpers";

describe("committed JSON Schema of environment files", () => {
  it("matches the zod schema (run `npm run schema` when this fails)", () => {
    expect(readFileSync(path.join(ROOT, "config", "environment.schema.json"), "utf8")).toBe(environmentJsonSchema());
  });

  it("is referenced by every shipped environment file, for editor completion", () => {
    for (const env of ["dev", "stage", "prod"]) {
      expect(readFileSync(path.join(ROOT, "config", `${env}.yaml`), "utf8")).toMatch(/^# yaml-language-server: \$schema=\.\/environment\.schema\.json$/m);
    }
  });
});
