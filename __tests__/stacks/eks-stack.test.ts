import { EksCluster } from "@cdktf/provider-aws/lib/eks-cluster";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { Testing } from "cdktf";
import { ciRoleArn, clusterAutoscalerEnabled, clusterName, hasSharedNodeGroup, releaseNamespaces, serviceNames } from "../../config";
import { ACCESS_POLICIES } from "../../modules/eks/access";
import { KUBERNETES_VERSIONS } from "../../modules/eks/versions";
import { EKS_CONTRACT } from "../../stacks/contracts/eks";
import { EksStack } from "../../stacks/eks-stack";
import { fixtureInputs, policyStatements, resourcesOf, type SynthesizedStack } from "../helpers";

const inputs = fixtureInputs();

describe.each(inputs.environments.map((env) => [env.name, env] as const))("%s-eks", (_name, env) => {
  const stack = new EksStack(Testing.app(), { env, backend: inputs.backend, project: inputs.project });
  const text = Testing.synth(stack);
  const json = JSON.parse(text) as SynthesizedStack;
  const cluster = Object.values(json.resource.aws_eks_cluster ?? {})[0] as Record<string, unknown>;
  const statementsOf = (type: string, attr: string) => resourcesOf(json, type).flatMap((r) => policyStatements(json, r[attr]));

  it("reads the network from its named outputs", () => {
    expect(Object.keys(json.data?.terraform_remote_state ?? {})).toEqual(["network"]);
    expect((cluster.vpc_config as Record<string, unknown>).subnet_ids).toBe("${data.terraform_remote_state.network.outputs.private_subnet_ids}");
  });

  it("authenticates with access entries only, never admin for its creator, and encrypts secrets with its own key", () => {
    expect(text).toHaveResourceWithProperties(EksCluster, {
      name: clusterName(env),
      version: env.eks.version,
      access_config: { authentication_mode: "API", bootstrap_cluster_creator_admin_permissions: false },
      encryption_config: { resources: ["secrets"], provider: { key_arn: "${aws_kms_key.cluster_secrets-key.arn}" } },
      enabled_cluster_log_types: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
      upgrade_policy: { support_type: env.eks.supportType },
      deletion_protection: env.eks.deletionProtection,
      bootstrap_self_managed_addons: false,
    });
  });

  it("keeps the API endpoint private unless config lists CIDRs", () => {
    expect(cluster.vpc_config).toMatchObject({ endpoint_private_access: true, endpoint_public_access: env.eks.publicAccessCidrs.length > 0 });
  });

  it("creates its log group first, with retention and a KMS key", () => {
    expect(cluster.depends_on).toEqual(["aws_cloudwatch_log_group.cluster_logs"]);
    expect(resourcesOf(json, "aws_cloudwatch_log_group")).toEqual([expect.objectContaining({ name: `/aws/eks/${clusterName(env)}/cluster`, retention_in_days: env.eks.logRetentionDays, kms_key_id: "${aws_kms_key.cluster_logs-key.arn}" })]);
  });

  it("gives every node group a launch template with IMDSv2 at hop limit 1, an encrypted gp3 root volume, and no SSH key", () => {
    const templates = resourcesOf(json, "aws_launch_template");
    expect(templates).toHaveLength(Object.keys(env.eks.nodeGroups).length);
    for (const t of templates) {
      expect(t).toMatchObject({ metadata_options: { http_tokens: "required", http_put_response_hop_limit: 1 }, block_device_mappings: [{ ebs: { volume_type: "gp3", encrypted: "true" } }] });
      expect(t).not.toHaveProperty("key_name");
    }
    expect(text).toHaveResource(LaunchTemplate);
  });

  it("keeps every node group at the cluster's version, so upgrading the cluster upgrades its nodes after it", () => {
    // aws_eks_node_group's version defaults to the cluster's at creation only, with no drift
    // detection unless set (AWS provider docs): unset, an upgrade would leave the nodes behind.
    for (const group of Object.values(json.resource.aws_eks_node_group ?? {})) expect(group.version).toBe("${aws_eks_cluster.cluster.version}");
  });

  it("makes node groups from config: system on-demand and tainted CriticalAddonsOnly (or one shared group, untainted, labelled for both), auto-repair on", () => {
    const groups = json.resource.aws_eks_node_group ?? {};
    expect(Object.keys(groups).sort()).toEqual(Object.keys(env.eks.nodeGroups).map((g) => `node-group-${g}`).sort());
    if (hasSharedNodeGroup(env)) {
      // Application pods select platform/node-group: apps; the add-ons, platform/system-pods.
      expect(groups["node-group-shared"]).toMatchObject({ capacity_type: "ON_DEMAND", labels: { "platform/node-group": "apps", "platform/system-pods": "true" } });
      expect(groups["node-group-shared"]).not.toHaveProperty("taint");
    } else {
      expect(groups["node-group-system"]).toMatchObject({ capacity_type: "ON_DEMAND", labels: { "platform/node-group": "system" }, taint: [{ key: "CriticalAddonsOnly", value: "true", effect: "NO_SCHEDULE" }] });
      expect(groups["node-group-apps"]).toMatchObject({ labels: { "platform/node-group": "apps" } });
    }
    for (const [group, spec] of Object.entries(env.eks.nodeGroups)) {
      expect(groups[`node-group-${group}`]).toMatchObject({
        ami_type: spec.amiType,
        instance_types: spec.instanceTypes,
        scaling_config: { min_size: spec.size.min, desired_size: spec.size.desired, max_size: spec.size.max },
        node_repair_config: { enabled: true },
      });
    }
  });

  it("leaves the desired size to the Cluster Autoscaler where it runs, so that Terraform never fights it; keeps it at config's value where nothing else scales the groups", () => {
    for (const group of Object.values(json.resource.aws_eks_node_group ?? {})) {
      if (clusterAutoscalerEnabled(env)) expect(group.lifecycle).toEqual({ ignore_changes: ["scaling_config[0].desired_size"] });
      else expect(group).not.toHaveProperty("lifecycle");
    }
  });

  it("gives nodes the worker, ECR-pull and SSM policies, and the CNI policy only to vpc-cni's own role", () => {
    const attachments = resourcesOf(json, "aws_iam_role_policy_attachment").map((a) => [a.role, String(a.policy_arn).split("/").pop()]);
    expect(attachments.filter(([role]) => role === "${aws_iam_role.node-role.name}").map(([, p]) => p).sort()).toEqual(["AmazonEC2ContainerRegistryPullOnly", "AmazonEKSWorkerNodePolicy", "AmazonSSMManagedInstanceCore"]);
    expect(attachments.filter(([, p]) => p === "AmazonEKS_CNI_Policy")).toEqual([["${aws_iam_role.addons_vpc-cni-role.name}", "AmazonEKS_CNI_Policy"]]);
  });

  it("pins every add-on, enforces network policy, and creates CoreDNS and the EBS CSI driver after the node groups", () => {
    const addons = json.resource.aws_eks_addon ?? {};
    for (const [addon, version] of Object.entries(KUBERNETES_VERSIONS[env.eks.version].addons)) expect(addons[`addons_${addon}`]).toMatchObject({ addon_name: addon, addon_version: version });
    const groups = Object.keys(env.eks.nodeGroups).map((g) => `aws_eks_node_group.node-group-${g}`);
    for (const addon of ["coredns", "aws-ebs-csi-driver"]) expect(addons[`addons_${addon}`]?.depends_on).toEqual(groups);
  });

  it("turns pod ENIs on in vpc-cni, in standard mode beside network policy, only after the cluster role may make trunk and branch interfaces", () => {
    const addons = json.resource.aws_eks_addon ?? {};
    // Standard: NetworkPolicies still apply to pods with their own groups, and the Pod Identity agent stays reachable (modules/eks/addons.ts).
    expect(JSON.parse(String(addons["addons_vpc-cni"]?.configuration_values))).toEqual({ enableNetworkPolicy: "true", env: { ENABLE_POD_ENI: "true", POD_SECURITY_GROUP_ENFORCING_MODE: "standard" }, init: { env: { DISABLE_TCP_EARLY_DEMUX: "true" } } });
    const attachments = json.resource.aws_iam_role_policy_attachment ?? {};
    expect(attachments["cluster_role_AmazonEKSVPCResourceController"]).toEqual(expect.objectContaining({ role: "${aws_iam_role.cluster_role.name}", policy_arn: "arn:aws:iam::aws:policy/AmazonEKSVPCResourceController" }));
    expect(addons["addons_vpc-cni"]?.depends_on).toEqual(["aws_iam_role_policy_attachment.cluster_role_AmazonEKSVPCResourceController"]);
  });

  it("gives each service of the environment (and of its tenants) a pod security group, published by <env>/<service>", () => {
    const groups = json.resource.aws_security_group ?? {};
    const services = serviceNames(env);
    expect(Object.keys(groups).filter((g) => g.startsWith("pod-security-groups_")).sort()).toEqual(services.map((s) => `pod-security-groups_${env.name}-${s}`).sort());
    expect(json.output?.pod_security_groups).toMatchObject({ value: Object.fromEntries(services.map((s) => [`${env.name}/${s}`, `\${aws_security_group.pod-security-groups_${env.name}-${s}.id}`])), sensitive: false });
    // The node group is still the cluster security group: Karpenter's node class and the platform's pods use it.
    expect(json.output?.node_security_group_id).toMatchObject({ value: "${aws_eks_cluster.cluster.vpc_config[0].cluster_security_group_id}" });
  });

  it("trusts every web identity with exactly one service account subject and the STS audience", () => {
    const trusts = statementsOf("aws_iam_role", "assume_role_policy").filter((s) => (s.Action as string[]).includes("sts:AssumeRoleWithWebIdentity"));
    expect(trusts.length).toBeGreaterThanOrEqual(2);
    for (const s of trusts) {
      const equals = (s.Condition as Record<string, Record<string, string[]>>).StringEquals ?? {};
      expect(Object.keys(equals).sort()).toEqual(["${replace(aws_eks_cluster.cluster.identity[0].oidc[0].issuer, \"https://\", \"\")}:aud", "${replace(aws_eks_cluster.cluster.identity[0].oidc[0].issuer, \"https://\", \"\")}:sub"]);
      expect(Object.values(equals).map((v) => v.length)).toEqual([1, 1]);
    }
  });

  it("has no policy that allows the * action, and no data source that calls AWS", () => {
    for (const s of [...statementsOf("aws_iam_role_policy", "policy"), ...statementsOf("aws_iam_policy", "policy")]) expect(s.Action).not.toContain("*");
    expect(Object.keys(json.data ?? {}).sort()).toEqual(["aws_iam_policy_document", "terraform_remote_state"]);
  });

  it("gives CI's apply role cluster admin, and its plan and drift roles view plus Secrets in the release namespaces only", () => {
    const associations = resourcesOf(json, "aws_eks_access_policy_association").map((a) => [a.principal_arn, a.policy_arn, a.access_scope]);
    const entry = (role: "plan" | "apply" | "drift") => `\${aws_eks_access_entry.access_ci-${role}.principal_arn}`;
    expect(associations).toContainEqual([entry("apply"), ACCESS_POLICIES.admin, { type: "cluster" }]);
    for (const role of ["plan", "drift"] as const) {
      const own = associations.filter(([p]) => p === entry(role));
      expect(own).toHaveLength(2);
      expect(own).toEqual(
        expect.arrayContaining([
          [entry(role), ACCESS_POLICIES.view, { type: "cluster" }],
          [entry(role), ACCESS_POLICIES.adminView, { type: "namespace", namespaces: releaseNamespaces(env) }],
        ]),
      );
    }
    expect(resourcesOf(json, "aws_eks_access_entry").map((e) => e.principal_arn)).toEqual(expect.arrayContaining([ciRoleArn(env, "plan"), ciRoleArn(env, "apply"), ...env.eks.admins, ...env.eks.viewers]));
  });

  it("publishes its contract as named, non-sensitive outputs", () => {
    expect(Object.keys(json.output ?? {}).sort()).toEqual(Object.keys(EKS_CONTRACT.outputs).sort());
  });
});

describe("an environment with a control-plane subnet tier", () => {
  const base = inputs.environments[0]!;
  const env = { ...base, network: { ...base.network, subnetPrefixLength: { ...base.network.subnetPrefixLength, controlPlane: 28 } } };
  const json = JSON.parse(Testing.synth(new EksStack(Testing.app(), { env, backend: inputs.backend, project: inputs.project }))) as SynthesizedStack;

  it("puts the cluster's network interfaces in the control-plane subnets, and keeps every node group in the private ones", () => {
    const [cluster] = resourcesOf(json, "aws_eks_cluster");
    expect((cluster?.vpc_config as Record<string, unknown>).subnet_ids).toBe("${data.terraform_remote_state.network.outputs.control_plane_subnet_ids}");
    const groups = resourcesOf(json, "aws_eks_node_group");
    expect(groups.length).toBeGreaterThan(0);
    for (const group of groups) expect(group.subnet_ids).toBe("${data.terraform_remote_state.network.outputs.private_subnet_ids}");
  });
});
