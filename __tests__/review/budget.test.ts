import { GITHUB_COMMENT_LIMIT, renderComment, renderFull } from "../../review";
import { generateLargePlans } from "../../scripts/bench/big-plan";

/** Markdown constructs that must never be cut: fences balance, and so do <details>. */
function assertWellFormed(markdown: string): void {
  const fences = markdown.split("\n").filter((l) => /^`{3,}/.test(l)).length;
  expect(fences % 2).toBe(0);
  expect(markdown.match(/<details>/g)?.length ?? 0).toBe(markdown.match(/<\/details>/g)?.length ?? 0);
}

const digestKey = "budget-test-key";

describe("size budget", () => {
  const plans = generateLargePlans(20, 500);

  it("renders 10,000 changes in 20 stacks within GitHub's limit, saying what was left out", () => {
    const result = renderComment(plans, { sha: "abc", digestKey });
    expect(result.markdown.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(result.level).toBeGreaterThan(0);
    expect(result.markdown).toMatch(/> \[!NOTE\]\n> Trimmed to fit GitHub's 65,536-character comment limit\. Left out: /);
    assertWellFormed(result.markdown);
  });

  it("degrades step by step: creates' details first, then all details, then lists", () => {
    const levels = [200_000, 120_000, 60_000, 20_000].map((budget) => renderComment(generateLargePlans(4, 300), { budget, digestKey }));
    const seen = levels.map((r) => r.level);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    for (const [i, r] of levels.entries()) {
      expect(r.markdown.length).toBeLessThanOrEqual([200_000, 120_000, 60_000, 20_000][i] as number);
      assertWellFormed(r.markdown);
    }
  });

  it("keeps every detail in the full version for the job summary", () => {
    const full = renderFull(plans, { digestKey });
    expect(full.length).toBeGreaterThan(GITHUB_COMMENT_LIMIT);
    expect(full).not.toContain("Trimmed to fit");
    assertWellFormed(full);
  });

  it("never shows the generated passwords", () => {
    expect(renderFull(generateLargePlans(2, 50), { digestKey })).not.toMatch(/secret-\d+-\d+-\d/);
  });
});
