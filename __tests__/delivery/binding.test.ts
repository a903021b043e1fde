import { allowLine, bindingFields, markerDigest, type PlanBinding, readAllows, readBinding, signBinding, verifyBinding } from "../../review";

const sha = (c: string) => c.repeat(64);
const binding: PlanBinding = { run: "4242", pr: 17, base: "a".repeat(40), head: "b".repeat(40), plans: { "dev-network": sha("1"), "dev-eks": sha("2") }, changed: ["dev-network"] };
const DIGEST = "sha256:" + "d".repeat(64);
const comment = (b: PlanBinding, digest = DIGEST) => `<!-- plan-comment sha=${b.head} digest=${digest}${bindingFields(b)} -->\n**Plan:** …`;

describe("the plan comment's binding", () => {
  it("reads back what it writes, plans in stack order", () => {
    const signed = signBinding(binding, DIGEST, "key");
    expect(bindingFields(signed)).toMatch(/ plans=dev-eks:2{64},dev-network:1{64} changed=dev-network mac=[0-9a-f]{64}$/);
    expect(readBinding(comment(signed))).toEqual(signed);
    expect(markerDigest(comment(signed))).toBe(DIGEST);
  });

  it("verifies with the key it was signed with, and with no other", () => {
    const signed = signBinding(binding, DIGEST, "key");
    expect(() => verifyBinding(readBinding(comment(signed)), DIGEST, "key")).not.toThrow();
    expect(() => verifyBinding(signed, DIGEST, "another key")).toThrow(/does not verify: it was changed after the trusted review job signed it, or signed by another workflow/);
  });

  it("refuses a binding whose plans, head or digest changed after signing", () => {
    const signed = signBinding(binding, DIGEST, "key");
    expect(() => verifyBinding({ ...signed, plans: { ...signed.plans, "dev-eks": sha("3") } }, DIGEST, "key")).toThrow(/does not verify/);
    expect(() => verifyBinding({ ...signed, head: "c".repeat(40) }, DIGEST, "key")).toThrow(/does not verify/);
    expect(() => verifyBinding({ ...signed, changed: [] }, DIGEST, "key")).toThrow(/does not verify/);
    expect(() => verifyBinding(signed, "sha256:" + "e".repeat(64), "key")).toThrow(/does not verify/);
  });

  it("refuses an unsigned binding, and signs nothing without a key", () => {
    expect(() => verifyBinding(binding, DIGEST, "key")).toThrow("the plan comment's binding is not signed: it was not rendered by the trusted review job (plan-review.yml)");
    expect(() => signBinding(binding, DIGEST, "")).toThrow(/no review key: set PLAN_DIGEST_KEY/);
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
