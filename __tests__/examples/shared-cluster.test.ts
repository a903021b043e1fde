/* eslint-disable @typescript-eslint/no-explicit-any -- synthesized JSON and manifests are read by path here */
import path from "node:path";
import { parse } from "yaml";
import { appNamespace, ciRoleArn, loadEnvironments, tenantsOf } from "../../config";
import { layersOf } from "../../stacks/registry";
import { examplesSynth, policyStatements, resourcesOf, ROOT, type SynthesizedStack, TEST_NOW } from "../helpers";

// examples/shared-cluster (reference designs 000 and 002): the host saas, no app of its own, and
// the tenants dev, stage and prod in the namespaces development, staging and production. Every
// isolation property docs/topologies.md claims, on the synthesized output.
const synth = examplesSynth("shared-cluster");
const environments = loadEnvironments({ configDir: path.join(ROOT, "examples", "shared-cluster", "config"), now: TEST_NOW });
const host = environments.find((e) => e.name === "saas")!;
const tenants = tenantsOf(host);
const stack = (id: string): SynthesizedStack => synth.stack(id);
const platformObjects = (): any[] => (parse(String((stack("saas-platform").resource.helm_release?.["platform-objects_release"]?.values as string[])[0])) as { manifests: any[] }).manifests;
const namespaceOf = (name: string) => appNamespace(environments.find((e) => e.name === name)!);

describe("the shared-cluster example", () => {
  it("has three tenants of one host, each in its own namespace, with its own layers only", () => {
    expect(tenants.map((t) => [t.name, appNamespace(t)])).toEqual([
      ["dev", "development"],
      ["prod", "production"],
      ["stage", "staging"],
    ]);
    expect(layersOf(host).map((e) => e.layer)).toEqual(["network", "dns", "eks", "iam", "access", "platform"]);
    for (const tenant of tenants) {
      expect(layersOf(tenant).map((e) => e.layer)).toEqual(["iam", "database", "app"]);
      // Its stacks read the cluster's layers from the host's state, and its own from its own.
      const remote = stack(`${tenant.name}-app`).data?.terraform_remote_state ?? {};
      expect(Object.fromEntries(Object.entries(remote).map(([layer, r]) => [layer, (r as any).config.key]))).toEqual({
        eks: "saas/eks.tfstate",
        dns: "saas/dns.tfstate",
        platform: "saas/platform.tfstate",
        database: `${tenant.name}/database.tfstate`,
      });
    }
  });

  it("trusts each tenant's roles from its own namespace only, on the host cluster's OIDC provider", () => {
    for (const tenant of tenants) {
      const iam = stack(`${tenant.name}-iam`);
      const roles = resourcesOf(iam, "aws_iam_role");
      expect(roles.map((r) => r.name).sort()).toEqual([`${tenant.name}-app`, `${tenant.name}-secret-store`]);
      for (const role of roles) {
        const [trust] = policyStatements(iam, role.assume_role_policy);
        const subjects = Object.entries(trust!.Condition!.StringEquals as Record<string, string[]>).filter(([key]) => key.endsWith(":sub"));
        expect(subjects).toHaveLength(1);
        expect(subjects[0]![0]).toBe("${data.terraform_remote_state.eks.outputs.oidc_issuer}:sub");
        for (const subject of subjects[0]![1]) expect(subject).toMatch(new RegExp(`^system:serviceaccount:${appNamespace(tenant)}:`));
      }
      expect((iam.data?.terraform_remote_state as any).eks.config.key).toBe("saas/eks.tfstate");
    }
  });

  it("lets each tenant's SecretStore read its own services' secrets only, and the platform's store the platform's secrets from monitoring only", () => {
    for (const tenant of tenants) {
      const iam = stack(`${tenant.name}-iam`);
      const policy = resourcesOf(iam, "aws_iam_role_policy").find((p) => String(p.name).startsWith(`${tenant.name}-secret-store`) || String(p.role).includes("secret-store"))!;
      const reads = policyStatements(iam, policy.policy).filter((s) => (s.Action as string[]).includes("secretsmanager:GetSecretValue"));
      expect(reads.flatMap((s) => s.Resource as string[])).toEqual([`arn:aws:secretsmanager:ap-south-1:555555555555:secret:${tenant.name}/app/*`]);
    }
    const objects = platformObjects();
    const stores = objects.filter((o) => o.kind === "SecretStore");
    expect(stores.map((s) => [s.metadata.namespace, s.spec.provider.aws.auth.jwt.serviceAccountRef.name])).toEqual(tenants.map((t) => [appNamespace(t), "secret-store"]));
    for (const tenant of tenants) {
      const account = objects.find((o) => o.kind === "ServiceAccount" && o.metadata.namespace === appNamespace(tenant) && o.metadata.name === "secret-store");
      expect(account.metadata.annotations["eks.amazonaws.com/role-arn"]).toBe(`arn:aws:iam::555555555555:role/${tenant.name}-secret-store`);
    }
    const cluster = objects.find((o) => o.kind === "ClusterSecretStore");
    expect(cluster.spec.conditions).toEqual([{ namespaces: ["monitoring"] }]);
    const hostIam = stack("saas-iam");
    const esoPolicy = resourcesOf(hostIam, "aws_iam_role_policy").find((p) => String(p.role).includes("external-secrets"))!;
    expect(policyStatements(hostIam, esoPolicy.policy).filter((s) => (s.Action as string[]).includes("secretsmanager:GetSecretValue")).flatMap((s) => s.Resource as string[])).toEqual([
      "arn:aws:secretsmanager:ap-south-1:555555555555:secret:saas/platform/*",
    ]);
  });

  it("denies traffic between the tenants' namespaces, both ways, and to the rest of the VPC", () => {
    const policies = platformObjects().filter((o) => o.kind === "NetworkPolicy");
    const namespaces = tenants.map(appNamespace);
    for (const namespace of namespaces) {
      const own = policies.filter((p) => p.metadata.namespace === namespace);
      expect(own.find((p) => p.metadata.name === "default-deny-ingress")?.spec).toEqual({ podSelector: {}, policyTypes: ["Ingress"] });
      expect(own.find((p) => p.metadata.name === "default-deny-egress")?.spec).toEqual({ podSelector: {}, policyTypes: ["Egress"] });
      const peers = own.flatMap((p) => [...(p.spec.ingress ?? []).flatMap((r: any) => r.from ?? []), ...(p.spec.egress ?? []).flatMap((r: any) => r.to ?? [])]);
      // No peer names another tenant's namespace, and no pod peer reaches outside its own.
      for (const peer of peers) {
        const named = peer.namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"];
        if (named !== undefined) expect(["kube-system", "monitoring"]).toContain(named);
        expect(peer.namespaceSelector === undefined || Object.keys(peer.namespaceSelector).length > 0).toBe(true);
      }
      // The only way out to addresses: the internet without the VPC, and the endpoints' and data subnets on their ports.
      const wide = own.flatMap((p) => (p.spec.egress ?? []).filter((r: any) => r.to?.some((t: any) => t.ipBlock?.cidr === "0.0.0.0/0")));
      expect(wide).toEqual([{ to: [{ ipBlock: { cidr: "0.0.0.0/0", except: [host.network.vpcCidr] } }] }]);
      for (const rule of own.flatMap((p) => p.spec.egress ?? []).filter((r: any) => r.to?.some((t: any) => t.ipBlock && t.ipBlock.cidr !== "0.0.0.0/0"))) {
        expect(rule.ports?.length).toBeGreaterThan(0);
      }
    }
  });

  it("gives each tenant a PriorityClass below production's, and admits no pod of another class in its namespace", () => {
    const objects = platformObjects();
    const classes = Object.fromEntries(objects.filter((o) => o.kind === "PriorityClass").map((o) => [o.metadata.name, [o.value, o.preemptionPolicy]]));
    expect(classes).toEqual({ "environment-dev": [1000, "Never"], "environment-prod": [1000000, "PreemptLowerPriority"], "environment-stage": [1000, "Never"] });
    for (const tenant of tenants) {
      const quota = objects.find((o) => o.kind === "ResourceQuota" && o.metadata.namespace === appNamespace(tenant) && o.spec.scopeSelector);
      expect(quota.spec).toEqual({ hard: { pods: "0" }, scopeSelector: { matchExpressions: [{ scopeName: "PriorityClass", operator: "NotIn", values: [`environment-${tenant.name}`] }] } });
    }
  });

  it("scopes each tenant's CI and people to its namespace in the host's access entries", () => {
    const eks = stack("saas-eks");
    const associations = resourcesOf(eks, "aws_eks_access_policy_association");
    const entryOf = (arn: string) => Object.entries(eks.resource.aws_eks_access_entry ?? {}).find(([, e]) => e.principal_arn === arn)!;
    for (const tenant of tenants) {
      // Each association hangs off its entry (`${aws_eks_access_entry.<name>.principal_arn}`).
      const policiesOf = (role: "plan" | "drift" | "apply") => associations.filter((a) => a.principal_arn === `\${aws_eks_access_entry.${entryOf(ciRoleArn(tenant, role))[0]}.principal_arn}`);
      for (const role of ["plan", "drift"] as const) {
        expect(policiesOf(role).map((a) => [String(a.policy_arn).split("/").pop(), a.access_scope])).toEqual([["AmazonEKSAdminViewPolicy", { type: "namespace", namespaces: [namespaceOf(tenant.name)] }]]);
      }
      // The apply role writes through its group's Role alone: no EKS policy (Edit would write NetworkPolicies).
      expect(policiesOf("apply")).toEqual([]);
      expect(entryOf(ciRoleArn(tenant, "apply"))[1].kubernetes_groups).toEqual([`environment:${tenant.name}:deployers`]);
    }
    // The deployers' Role: what a release makes, never NetworkPolicies, stores, security group policies, quotas or roles.
    const role = platformObjects().find((o) => o.kind === "Role" && o.metadata.namespace === namespaceOf(tenants[0]!.name));
    const writable = role.rules.filter((r: any) => r.verbs.includes("create")).flatMap((r: any) => r.resources);
    expect(writable).toEqual(["configmaps", "secrets", "serviceaccounts", "services", "deployments", "jobs", "horizontalpodautoscalers", "poddisruptionbudgets", "ingresses", "externalsecrets", "servicemonitors", "podmonitors", "prometheusrules", "scaledobjects", "triggerauthentications"]);
    for (const kind of ["networkpolicies", "secretstores", "securitygrouppolicies", "resourcequotas", "limitranges", "roles", "rolebindings"]) expect(writable).not.toContain(kind);
  });

  it("lets each tenant's CI read exactly the host's state it consumes, and change nothing of another environment", () => {
    const backend = stack("state-backend");
    const bucketPolicy = resourcesOf(backend, "aws_s3_bucket_policy").find((p) => p.bucket === "${aws_s3_bucket.bucket.id}")!;
    const statements = policyStatements(backend, bucketPolicy.policy);
    for (const tenant of tenants) {
      const plan = ciRoleArn(tenant, "plan");
      const readable = statements.filter((s) => s.Effect === "Allow" && JSON.stringify(s.Principal ?? "").includes(plan) && (([] as string[]).concat(s.Action as string[])).includes("s3:GetObject")).flatMap((s) => ([] as string[]).concat(s.Resource as string[]));
      expect(readable.filter((r) => r.includes("/saas/")).map((r) => r.replace(/^.*\/saas\//, "saas/")).sort()).toEqual(["saas/dns.tfstate", "saas/eks.tfstate", "saas/network.tfstate", "saas/platform.tfstate"]);
      expect(readable.some((r) => r.includes(`/${tenant.name}/`))).toBe(true);
    }
    // What the load balancer controller makes carries the host's tag too, so the same deny covers the ALBs.
    const lbc = parse(String((stack("saas-platform").resource.helm_release?.["load-balancer-controller_release"]?.values as string[])[0])) as { defaultTags?: Record<string, string> };
    expect(lbc.defaultTags).toEqual({ environment: "saas" });
    const account = stack("account-555555555555");
    for (const tenant of tenants) {
      const role = resourcesOf(account, "aws_iam_role").find((r) => r.name === `${tenant.name}-github-apply`)!;
      const inline = resourcesOf(account, "aws_iam_role_policy").filter((p) => String(p.role).includes(`${tenant.name}-apply`) || String(p.role).includes(`${tenant.name}-github-apply`));
      const all = [...inline.flatMap((p) => policyStatements(account, p.policy)), ...(role.inline_policy ? ([] as any[]).concat(role.inline_policy).flatMap((p: any) => policyStatements(account, p.policy)) : [])];
      const deny = all.find((s) => s.Sid === "DenyChangingOtherEnvironments");
      expect(deny?.Condition).toEqual({ StringEquals: { "aws:ResourceTag/environment": environments.filter((e) => e.name !== tenant.name).map((e) => e.name).sort() } });
    }
  });
});
