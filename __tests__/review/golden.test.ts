import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { environmentOfStack } from "../../config";
import { asPlan, loadSynthContext, renderComment, type StackPlan } from "../../review";

const FIXTURES = path.join(__dirname, "..", "fixtures");
/** A fixed key, so that the golden files' digests are stable. */
export const DIGEST_KEY = "golden-test-digest-key";
const context = loadSynthContext(path.join(FIXTURES, "cdktf.out", "manifest.json"));

/** Fixture name → stack it is a plan of. */
const CASES: Record<string, string> = {
  basic: "dev-network",
  replace: "dev-database",
  "moved-import-forget": "dev-network",
  drift: "dev-network",
  sensitive: "dev-network",
  unknown: "dev-network",
  "json-in-string": "dev-network",
  incomplete: "dev-network",
  "helm-values": "dev-network",
};

/** Every secret value planted in the fixtures; none may ever appear in a comment. */
const SECRETS = ["hunter2", "TOPSECRET", "NOT-MARKED-BUT-NAMED", "NAMED-TOKEN-VALUE", "OUTPUT-SECRET", "GRAFANA-PASSWORD"];

export function fixturePlan(name: string, stack = CASES[name] as string): StackPlan {
  const file = path.join(FIXTURES, "plans", `${name}.json`);
  return { stack, plan: asPlan(file, JSON.parse(readFileSync(file, "utf8"))) };
}

describe.each(Object.keys(CASES))("plan-comment golden output: %s", (name) => {
  const markdown = renderComment([fixturePlan(name)], { sha: "0123abc", context, environmentOf: environmentOfStack, digestKey: DIGEST_KEY }).markdown;
  const golden = path.join(FIXTURES, "plans", `${name}.md`);

  it("matches the committed Markdown (UPDATE_GOLDEN=1 npx jest rewrites it)", () => {
    if (process.env.UPDATE_GOLDEN === "1" || !existsSync(golden)) writeFileSync(golden, markdown);
    expect(markdown).toBe(readFileSync(golden, "utf8"));
  });

  it("never shows a secret", () => {
    for (const secret of SECRETS) expect(markdown).not.toContain(secret);
  });
});

describe("all fixtures in one comment", () => {
  const plans = Object.keys(CASES).map((name, i) => fixturePlan(name, i % 2 ? "dev-network" : "dev-database"));
  const { markdown } = renderComment(plans, { sha: "0123abc", context, environmentOf: environmentOfStack, digestKey: DIGEST_KEY });

  it("starts with the marker, then the summary line", () => {
    const [marker, summary] = markdown.split("\n");
    expect(marker).toMatch(/^<!-- plan-comment sha=0123abc digest=sha256:[0-9a-f]{64} -->$/);
    expect(summary).toMatch(/^\*\*Plan:\*\* \d+ to create · \d+ to update · \d+ to replace · \d+ to delete · \d+ to move · \d+ to import · \d+ to forget$/);
  });

  it("orders stacks by dependency (network before database)", () => {
    expect(markdown.indexOf("<b>dev-network</b>")).toBeLessThan(markdown.indexOf("<b>dev-database</b>"));
  });

  it("collapses stacks without changes into one line", () => {
    const quiet = renderComment([fixturePlan("basic"), { stack: "state-backend", plan: { format_version: "1.2", resource_changes: [] } }], { context, digestKey: DIGEST_KEY }).markdown;
    expect(quiet).toContain("No changes: `state-backend`");
    expect(quiet).not.toContain("| `state-backend` |");
  });
});

describe("drift", () => {
  it("details only drift the plan depends on, and counts the rest", () => {
    const { markdown } = renderComment([fixturePlan("drift")], { context, digestKey: DIGEST_KEY });
    expect(markdown).toContain("1 other resource(s) drifted in attributes this plan does not depend on.");
    expect(markdown).not.toContain("tags_all");
  });

  it("details all drift with allDrift (the drift report)", () => {
    const { markdown } = renderComment([fixturePlan("drift")], { context, allDrift: true, digestKey: DIGEST_KEY });
    expect(markdown).toContain('~ tags_all.a: "1" → "2"');
    expect(markdown).not.toContain("other resource(s) drifted");
  });
});

describe("plan format", () => {
  it("rejects an unknown major version with a clear error", () => {
    const file = path.join(FIXTURES, "plans", "unsupported-format.json");
    expect(() => asPlan(file, JSON.parse(readFileSync(file, "utf8")))).toThrow(/unsupported-format\.json: plan format_version 2\.0 is not supported; this tool reads format 1\.x/);
  });

  it("rejects JSON that is not a plan", () => {
    expect(() => asPlan("x.json", { resource_changes: [] })).toThrow("x.json: not a Terraform JSON plan (no format_version)");
  });
});
