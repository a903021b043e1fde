import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { run } from "../main";
import { ALL_RULES } from "../policy";
import { ROOT, tempProject, TEST_NOW } from "./helpers";

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

describe("README's example of bad input", () => {
  it("is what the app prints for it", () => {
    const project = tempProject({}, { copyFixtureConfig: true });
    const edit = (file: string, from: string, to: string) => writeFileSync(path.join(project, "config", file), readFileSync(path.join(project, "config", file), "utf8").replace(from, to));
    edit("prod.yaml", "natMode: per-az", "natMode: single");
    edit("stage.yaml", "vpcCidr: 10.20.0.0/16", "vpcCidr: 10.10.0.0/16");
    const errors: string[] = [];
    const spy = jest.spyOn(console, "error").mockImplementation((text: string) => void errors.push(text));
    const code = run([], { CDKTF_OUTDIR: path.join(project, "out") }, project, TEST_NOW);
    spy.mockRestore();
    expect(code).toBe(1);
    const block = /```text\n(Configuration is invalid[\s\S]*?)\n```/.exec(read("README.md"))?.[1];
    expect(errors.join("\n")).toBe(block);
  });
});
