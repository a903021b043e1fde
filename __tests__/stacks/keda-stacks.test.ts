import path from "node:path";
import { parse } from "yaml";
import { loadEnvironments } from "../../config";
import { EXAMPLE_CONFIG, exampleSynth, fixtureSynth, policyStatements, resourcesOf, ROOT, type SynthesizedStack, TEST_NOW } from "../helpers";

// KEDA as the microservices example runs it (platform.keda on, the notifications consumer scaling
// on its group's lag on notifications): <env>-iam makes the role <env>-keda for KEDA's operator
// only, <env>-streaming grants it exactly that topic and group, <env>-platform installs KEDA with
// it. Off, as the fixture's stage has it, none of the three exists. Both read the global setup's synths.
const dev = loadEnvironments({ configDir: path.join(ROOT, EXAMPLE_CONFIG), now: TEST_NOW }).find((e) => e.name === "dev")!;
const iam = exampleSynth.stack("dev-iam");
const streaming = exampleSynth.stack("dev-streaming");
const roleNamed = (json: SynthesizedStack, name: string) => Object.values(json.resource.aws_iam_role ?? {}).find((r) => r.name === name);

describe("KEDA, when platform.keda is on", () => {
  it("gets a role of its own in <env>-iam, trusted by its operator's service account only, holding nothing there", () => {
    const role = roleNamed(iam, "dev-keda")!;
    const trust = policyStatements(iam, role.assume_role_policy);
    expect((trust[0]!.Condition!.StringEquals as Record<string, string[]>)["${data.terraform_remote_state.eks.outputs.oidc_issuer}:sub"]).toEqual(["system:serviceaccount:keda:keda-operator"]);
    expect(resourcesOf(iam, "aws_iam_role_policy").filter((p) => p.role === "${aws_iam_role.keda.id}")).toEqual([]);
    expect(iam.output?.keda_role_arn).toMatchObject({ value: "${aws_iam_role.keda.arn}" });
  });

  it("may read, in <env>-streaming, the lag of exactly the topic and group services scale on, in a policy of its own", () => {
    const [policy] = resourcesOf(streaming, "aws_iam_role_policy").filter((p) => p.role === "dev-keda");
    expect(policy).toMatchObject({ name: "dev-keda-streaming" });
    const arn = (kind: string, name: string) => `arn:aws:kafka:${dev.account.region}:${dev.account.id}:${kind}/dev-kafka/\${aws_msk_cluster.kafka.cluster_uuid}/${name}`;
    expect(policyStatements(streaming, policy!.policy).map((s) => [s.Action, s.Resource])).toEqual([
      [["kafka-cluster:Connect"], ["${aws_msk_cluster.kafka.arn}"]],
      [["kafka-cluster:DescribeTopic"], [arn("topic", "notifications")]],
      [["kafka-cluster:DescribeGroup"], [arn("group", "notifications.dispatch")]],
    ]);
  });

  it("is installed by <env>-platform in its namespace, its operator annotated with its role", () => {
    const platform = exampleSynth.stack("dev-platform");
    expect(Object.keys(platform.resource.kubernetes_namespace_v1 ?? {})).toContain("namespace-keda");
    const release = Object.entries(platform.resource.helm_release ?? {}).find(([, r]) => r.chart === "keda")!;
    expect(release[0]).toBe("keda_release");
    const values = parse((release[1].values as string[])[0]!) as { serviceAccount: { operator: { annotations: Record<string, string> } }; watchNamespace: string };
    expect(values.serviceAccount.operator.annotations).toEqual({ "eks.amazonaws.com/role-arn": "${data.terraform_remote_state.iam.outputs.keda_role_arn}" });
    expect(values.watchNamespace).toBe(dev.services.notifications!.namespace);
  });

  it("is not there at all while off: no role, no grant, an empty ARN", () => {
    const offIam = fixtureSynth.stack("stage-iam");
    expect(roleNamed(offIam, "stage-keda")).toBeUndefined();
    expect(offIam.output?.keda_role_arn).toMatchObject({ value: "" });
    expect(resourcesOf(fixtureSynth.stack("stage-streaming"), "aws_iam_role_policy").filter((p) => p.role === "stage-keda")).toEqual([]);
  });
});
