import { readFileSync } from "node:fs";
import path from "node:path";
import { ALL_RULES } from "../policy";
import { ROOT } from "./helpers";

const read = (file: string) => readFileSync(path.join(ROOT, file), "utf8");

describe("docs match the code", () => {
  it("README and docs state the number of policy rules there are", () => {
    for (const file of ["README.md", "docs/policy-rules.md"]) {
      for (const [, count] of read(file).matchAll(/(\d+) (?:policy )?rules/g)) expect([file, Number(count)]).toEqual([file, ALL_RULES.length]);
    }
  });

  it("README documents every npm script", () => {
    const scripts = Object.keys((JSON.parse(read("package.json")) as { scripts: Record<string, string> }).scripts);
    const readme = read("README.md");
    const undocumented = scripts.filter((s) => !["postinstall", "build", "test", "lint:workflows"].includes(s) && !readme.includes(`npm run ${s}`) && !readme.includes(`npm run -s ${s}`));
    expect(undocumented).toEqual([]);
  });

  it("every doc the README links to exists", () => {
    for (const [, link] of read("README.md").matchAll(/\]\(((?:docs\/)?[\w./-]+\.(?:md|svg))\)/g)) expect(() => read(link as string)).not.toThrow();
  });
});
