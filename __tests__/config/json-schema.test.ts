import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { environmentJsonSchema } from "../../config/json-schema";
import { ROOT } from "../helpers";

describe("committed JSON Schema of environment files", () => {
  it("carries a description for every field, for editors' hover help", () => {
    const missing: string[] = [];
    const walk = (node: Record<string, unknown>, at: string) => {
      for (const [key, child] of Object.entries((node.properties ?? {}) as Record<string, Record<string, unknown>>)) {
        if (typeof child.description !== "string" || child.description.length < 10) missing.push(`${at}${key}`);
        walk(child, `${at}${key}.`);
      }
    };
    walk(JSON.parse(environmentJsonSchema()) as Record<string, unknown>, "");
    expect(missing).toEqual([]);
  });

  it("matches the zod schema (run `npm run schema` when this fails)", () => {
    expect(readFileSync(path.join(ROOT, "config", "environment.schema.json"), "utf8")).toBe(environmentJsonSchema());
  });

  // The user's own environment files, whatever they hold: the line is what editors need.
  it("is referenced by every environment file in config/, for editor completion", () => {
    for (const file of readdirSync(path.join(ROOT, "config")).filter((f) => /\.ya?ml$/.test(f))) {
      expect([file, readFileSync(path.join(ROOT, "config", file), "utf8")]).toEqual([file, expect.stringMatching(/^# yaml-language-server: \$schema=\.\/environment\.schema\.json$/m)]);
    }
  });
});
