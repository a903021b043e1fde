import { allowLine, bindingFields, type PlanBinding, readAllows, readBinding, signComment, verifyComment } from "../../review";

const sha = (c: string) => c.repeat(64);
const binding: PlanBinding = { run: "4242", pr: 17, base: "a".repeat(40), head: "b".repeat(40), plans: { "dev-network": sha("1"), "dev-eks": sha("2") }, changed: ["dev-network"] };
const DIGEST = "sha256:" + "d".repeat(64);
const comment = (b: PlanBinding, digest = DIGEST) => `<!-- plan-comment sha=${b.head} digest=${digest}${bindingFields(b)} -->\n**Plan:** …`;

describe("the plan comment's binding", () => {
  it("reads back what it writes, plans in stack order", () => {
    const signed = signComment(comment(binding), "key");
    expect(signed.split("\n")[0]).toMatch(/ plans=dev-eks:2{64},dev-network:1{64} changed=dev-network mac=[0-9a-f]{64} -->$/);
    expect(readBinding(signed)).toEqual({ ...binding, mac: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(signed.split("\n")[0]).toContain(` digest=${DIGEST} `);
  });

  it("verifies a comment signed with the key, and with no other", () => {
    const signed = signComment(comment(binding), "key");
    expect(verifyComment(signed, "key")).toMatchObject({ run: "4242", plans: binding.plans });
    expect(() => verifyComment(signed, "another key")).toThrow(/does not verify: its binding or its text was changed after the trusted review job signed it, or another workflow signed it/);
  });

  it("refuses a comment whose plans, head, digest or text changed after signing (any writer can edit a bot's comment)", () => {
    const signed = signComment(comment(binding), "key");
    const tampered = [
      signed.replace(`dev-eks:${sha("2")}`, `dev-eks:${sha("3")}`),
      signed.replace(`head=${binding.head}`, `head=${"c".repeat(40)}`),
      signed.replace(DIGEST, `sha256:${"e".repeat(64)}`),
      signed.replace("**Plan:** …", "**Plan:** nothing to see here"),
    ];
    for (const t of tampered) expect(() => verifyComment(t, "key")).toThrow(/does not verify/);
  });

  it("refuses an unsigned comment, and signs nothing without a key", () => {
    expect(() => verifyComment(comment(binding), "key")).toThrow("the plan comment's binding is not signed: it was not rendered by the trusted review job (plan-review.yml)");
    expect(() => signComment(comment(binding), "")).toThrow(/no review key: set PLAN_DIGEST_KEY/);
  });

  it("says what a marker without a binding lacks: such a comment vouches for no plan", () => {
    expect(() => readBinding(`<!-- plan-comment sha=${"b".repeat(40)} digest=${DIGEST} -->`)).toThrow("the plan comment's marker has no run, pr, base, head, plans: it was not rendered by the trusted review job, and vouches for no plan");
    expect(() => readBinding("**Plan:** nothing")).toThrow("not a plan comment: its first line is not the plan-comment marker");
  });

  it("refuses malformed fields, naming each", () => {
    expect(() => bindingFields({ ...binding, run: "abc", plans: { "dev-eks": "123" } })).toThrow('binding: run "abc" is not a run id; the sha256 of dev-eks, "123", is not 64 hex digits');
    expect(() => bindingFields({ ...binding, changed: ["dev-iam"] })).toThrow('changed stack "dev-iam" has no plan');
    expect(() => readBinding(comment(binding).replace("pr=17", "pr=0"))).toThrow(/pr 0 is not a pull request number/);
  });
});

describe("allow lines", () => {
  it("reads the allows of a review body and reports malformed ones", () => {
    const body = [`Looks right.`, allowLine("prod-network", "aws_nat_gateway.network_nat_c_1", sha("a")), "/allow prod-database aws_rds_cluster.x", `  ${allowLine("prod-database", "orphaned-state", sha("b"))}  `].join("\n");
    expect(readAllows(body)).toEqual({
      allows: [
        { stack: "prod-network", address: "aws_nat_gateway.network_nat_c_1", sha256: sha("a") },
        { stack: "prod-database", address: "orphaned-state", sha256: sha("b") },
      ],
      malformed: ["/allow prod-database aws_rds_cluster.x"],
    });
  });
});
