import { spawnSync } from "node:child_process";
import path from "node:path";
import { type Change, renderComment, semanticDigest, type StackPlan } from "../../review";
import { ROOT } from "../helpers";

// Item 13: the digest changes whenever any value changes, masked or not, and shows none of them.
const KEY = "digest-test-key";

function planWith(change: Partial<Change>, stack = "dev-app"): StackPlan {
  return {
    stack,
    plan: {
      format_version: "1.2",
      resource_changes: [{ address: "kubernetes_deployment_v1.app", type: "kubernetes_deployment_v1", change: { actions: ["update"], before: {}, ...change } }],
    },
  };
}

describe("semantic digest", () => {
  it("is the same for the same plans, whatever the order of stacks", () => {
    const a = planWith({ after: { replicas: 2 } }, "dev-app");
    const b = planWith({ after: { replicas: 3 } }, "dev-eks");
    expect(semanticDigest([a, b], KEY)).toBe(semanticDigest([b, a], KEY));
    expect(semanticDigest([a, b], KEY)).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it("differs for the same values in another key order: apply then stops for a review, the safe mistake", () => {
    expect(semanticDigest([planWith({ after: { a: 1, b: 2 } })], KEY)).not.toBe(semanticDigest([planWith({ after: { b: 2, a: 1 } })], KEY));
  });

  it("differs for plans that differ only in a sensitive value", () => {
    const withPassword = (password: string) => planWith({ after: { password }, after_sensitive: { password: true } });
    expect(semanticDigest([withPassword("hunter2")], KEY)).not.toBe(semanticDigest([withPassword("hunter3")], KEY));
  });

  it("differs for plans that differ only in a value the comment masks by its name", () => {
    const automount = (on: boolean) => planWith({ after: { automountServiceAccountToken: on } });
    expect(semanticDigest([automount(false)], KEY)).not.toBe(semanticDigest([automount(true)], KEY));
  });

  it("differs when a value becomes known only after apply", () => {
    expect(semanticDigest([planWith({ after: { image: "app:1" } })], KEY)).not.toBe(semanticDigest([planWith({ after: {}, after_unknown: { image: true } })], KEY));
  });

  it("differs when the object imported differs", () => {
    const importing = (id: string) => planWith({ actions: ["no-op"], after: {}, importing: { id } });
    expect(semanticDigest([importing("vpc-1")], KEY)).not.toBe(semanticDigest([importing("vpc-2")], KEY));
  });

  it("differs under another key, so that a digest is only compared with one made under the same key", () => {
    const plan = planWith({ after: { replicas: 2 } });
    expect(semanticDigest([plan], KEY)).not.toBe(semanticDigest([plan], Buffer.from("another key")));
  });

  it("contains no value, and the comment's marker carries it without the values", () => {
    const plan = planWith({ after: { password: "hunter2-SECRET", automountServiceAccountToken: true }, after_sensitive: { password: true } });
    const digest = semanticDigest([plan], KEY);
    expect(digest).not.toContain("hunter2");
    const { markdown } = renderComment([plan], { digestKey: KEY, sha: "abc1234" });
    expect(markdown.split("\n")[0]).toBe(`<!-- plan-comment sha=abc1234 digest=${digest} -->`);
    expect(markdown).not.toContain("hunter2-SECRET");
  });

  it("refuses to run without a key, naming PLAN_DIGEST_KEY", () => {
    const plan = planWith({ after: {} });
    expect(() => semanticDigest([plan], undefined as unknown as string)).toThrow("semanticDigest needs a key (PLAN_DIGEST_KEY): the values it hashes must not be guessable from the digest");
    expect(() => semanticDigest([plan], "")).toThrow("semanticDigest needs a key (PLAN_DIGEST_KEY), and it is empty");
  });
});

describe("plan-digest", () => {
  it("refuses to run without PLAN_DIGEST_KEY, naming it (exit 2)", () => {
    const env = { ...process.env };
    delete env.PLAN_DIGEST_KEY;
    const result = spawnSync("node", [path.join(ROOT, "dist", "scripts", "plan-digest.js"), path.join(ROOT, "__tests__", "fixtures", "plans", "basic.json")], { encoding: "utf8", env });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe("error: PLAN_DIGEST_KEY is not set: the digest's hashes need a key (see --help)\n");
  });
});
