/* eslint-disable @typescript-eslint/no-explicit-any -- values are plain JSON here */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { clusterAutoscalerEnabled, clusterName } from "../../config";
import { autoDiscoveryTags, clusterAutoscalerStatements } from "../../modules/iam/policies/cluster-autoscaler";
import { evaluate, type IamRequest } from "../../policy/iam-evaluation";
import { parse } from "yaml";
import { ON_SHARED_NODES } from "../../modules/addons/addon";
import { ClusterAutoscaler } from "../../modules/addons/cluster-autoscaler";
import { CLUSTER_AUTOSCALER_IMAGE_TAGS } from "../../modules/addons/cluster-autoscaler-builds";
import { KUBERNETES_VERSIONS, type KubernetesVersion } from "../../modules/eks/versions";
import { fixtureInputs, fixtureSynth, policyStatements, ROOT, synthScope } from "../helpers";

// The policy as the fixture's synthesized <env>-iam stack has it (an environment without
// Karpenter runs the autoscaler), and the permissions boundary its <env>-network stack made.
const env = fixtureInputs().environments.find(clusterAutoscalerEnabled)!;
const iam = fixtureSynth.stack(`${env.name}-iam`);
const network = fixtureSynth.stack(`${env.name}-network`);
const ours = policyStatements(iam, iam.resource.aws_iam_role_policy?.["cluster-autoscaler_policy"]?.policy);
const boundary = policyStatements(network, network.resource.aws_iam_policy?.["permissions-boundary"]?.policy);
const scope = { region: env.account.region, accountId: env.account.id, clusterName: clusterName(env) };
/** A statement with every value a list, as IAM reads a single value: for comparing by content. */
const normal = (s: { readonly Action?: unknown; readonly Resource?: unknown; readonly Condition?: Readonly<Record<string, Readonly<Record<string, unknown>>>> }) => ({
  ...s,
  Action: [s.Action].flat(),
  Resource: [s.Resource].flat(),
  Condition: Object.fromEntries(Object.entries(s.Condition ?? {}).map(([test, vars]) => [test, Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, [v].flat()]))])),
});
const actionsOf = (statements: ReadonlyArray<{ readonly Action?: unknown }>) => statements.flatMap((s) => [s.Action].flat().map(String)).sort();

/** A call on an Auto Scaling group of this account and region, carrying these tags. */
const onGroup = (action: string, tags: readonly string[], region = env.account.region): IamRequest => ({
  action,
  resource: `arn:aws:autoscaling:${region}:${env.account.id}:autoScalingGroup:0f5e7c1a-1111-2222-3333-444455556666:autoScalingGroupName/eks-shared-12345`,
  context: Object.fromEntries(tags.map((tag) => [`aws:ResourceTag/${tag}`, tag.endsWith("/enabled") ? "true" : "owned"])),
});
const decision = (request: IamRequest) => evaluate(request, { autoscaler: ours }, { boundary }).decision;

describe("the Cluster Autoscaler's policy", () => {
  const upstreamFile = path.join(ROOT, "..", "shared", "reference", "iam", "cluster-autoscaler-1.35.2-policy-full.json");
  const check = existsSync(upstreamFile) ? it : it.skip;

  it("is the role of kube-system/cluster-autoscaler alone, published in the IAM contract; an environment with Karpenter has none", () => {
    const role = iam.resource.aws_iam_role?.["cluster-autoscaler"];
    expect(role).toMatchObject({ name: `${env.name}-cluster-autoscaler` });
    const trust = policyStatements(iam, role!.assume_role_policy);
    expect(trust).toHaveLength(1);
    expect(trust[0]!.Condition!.StringEquals).toMatchObject({ "${data.terraform_remote_state.eks.outputs.oidc_issuer}:sub": ["system:serviceaccount:kube-system:cluster-autoscaler"] });
    expect(iam.output?.cluster_autoscaler_role_arn).toMatchObject({ value: "${aws_iam_role.cluster-autoscaler.arn}" });
    for (const other of fixtureInputs().environments.filter((e) => e.eks.karpenter)) {
      const stack = fixtureSynth.stack(`${other.name}-iam`);
      expect(stack.resource.aws_iam_role?.["cluster-autoscaler"]).toBeUndefined();
      expect(stack.output?.cluster_autoscaler_role_arn).toMatchObject({ value: "" });
    }
  });

  it("is what the synthesized stack holds", () => {
    expect(ours.length).toBeGreaterThan(0);
    expect(ours.map(normal)).toEqual(clusterAutoscalerStatements(scope).map(normal));
  });

  check(`has every action of upstream's full policy for 1.35.2, and no other${existsSync(upstreamFile) ? "" : " (skipped: ../shared/reference is not beside this clone)"}`, () => {
    const upstream = (JSON.parse(readFileSync(upstreamFile, "utf8")) as { Statement: Array<{ Action: string[] }> }).Statement;
    expect(actionsOf(ours)).toEqual(actionsOf(upstream));
    // Upstream's reads are on "*" (Describe calls take no resource): so are ours.
    const reads = upstream[0]!.Action;
    expect(ours.filter((s) => (s.Resource as string[]).includes("*")).flatMap((s) => s.Action as string[]).sort()).toEqual([...reads].sort());
  });

  it("lets it scale and shrink this cluster's node groups, which EKS tags for auto-discovery", () => {
    for (const action of ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"]) {
      expect(decision(onGroup(action, autoDiscoveryTags(clusterName(env))))).toBe("Allow");
    }
    expect(decision({ action: "autoscaling:DescribeAutoScalingGroups", resource: "*" })).toBe("Allow");
    expect(decision({ action: "eks:DescribeNodegroup", resource: `arn:aws:eks:${env.account.region}:${env.account.id}:nodegroup/${clusterName(env)}/shared/x` })).toBe("Allow");
  });

  it("never reaches another cluster's groups, an untagged group, or another region's", () => {
    expect(decision(onGroup("autoscaling:SetDesiredCapacity", autoDiscoveryTags("other-platform")))).toBe("ImplicitDeny");
    expect(decision(onGroup("autoscaling:SetDesiredCapacity", ["k8s.io/cluster-autoscaler/enabled"]))).toBe("ImplicitDeny");
    expect(decision(onGroup("autoscaling:TerminateInstanceInAutoScalingGroup", []))).toBe("ImplicitDeny");
    expect(decision(onGroup("autoscaling:SetDesiredCapacity", autoDiscoveryTags(clusterName(env)), "us-east-1"))).toBe("ImplicitDeny");
    // Nor does it change a group's size limits or anything else of it.
    expect(decision(onGroup("autoscaling:UpdateAutoScalingGroup", autoDiscoveryTags(clusterName(env))))).toBe("ImplicitDeny");
  });
});

describe("the Cluster Autoscaler add-on", () => {
  const props = { dependsOn: [], clusterName: "c-platform", region: "eu-west-1", roleArn: "arn:aws:iam::123456789012:role/c-cluster-autoscaler", identityMode: "pod-identity" as const };

  it("has a build for every Kubernetes version from 1.35 on: a version added without one would switch the autoscaler off, and Terraform would take the groups back to size.desired", () => {
    const unbuilt = (Object.keys(KUBERNETES_VERSIONS) as KubernetesVersion[]).filter((v) => Number(v.split(".")[1]) >= 35 && !CLUSTER_AUTOSCALER_IMAGE_TAGS[v]);
    expect(unbuilt).toEqual([]);
  });

  it("refuses a Kubernetes version it has no build pinned for, naming the ones it has", () => {
    expect(() => synthScope((scope) => new ClusterAutoscaler(scope, "autoscaler", { ...props, kubernetesVersion: "1.34" }))).toThrow("test/autoscaler: no Cluster Autoscaler build is pinned for Kubernetes 1.34 (pinned: 1.35, 1.36)");
  });

  it("runs the build of the cluster's version, with no role annotation under Pod Identity (its association is in <env>-iam)", () => {
    const json = JSON.parse(synthScope((scope) => new ClusterAutoscaler(scope, "autoscaler", { ...props, kubernetesVersion: "1.35", placement: ON_SHARED_NODES }))) as { resource: { helm_release: Record<string, { values: string[] }> } };
    const values = parse(json.resource.helm_release["autoscaler_release"]!.values[0]!) as Record<string, any>;
    expect(values.image).toEqual({ tag: "v1.35.2" });
    expect(values.rbac.serviceAccount).toEqual({ create: true, name: "cluster-autoscaler", annotations: {} });
    expect(values.nodeSelector).toEqual({ "platform/system-pods": "true" });
  });
});
