/* eslint-disable @typescript-eslint/no-explicit-any -- manifests are plain JSON here: the tests read and break them by path */
import { Testing } from "cdktf";
import { parse } from "yaml";
import { appNamespace, clusterName, hasSharedNodeGroup } from "../../config";
import { restrictedViolations } from "../../k8s/pod-security";
import { AppStack } from "../../stacks/app-stack";
import { PLATFORM_CONTRACT } from "../../stacks/contracts/platform";
import { fixtureInputs, fixtureSynth, resourcesOf, secretsIn, type SynthesizedStack, synthJson, validEnvironment } from "../helpers";

const inputs = fixtureInputs();
// The fixture's stacks as the global setup synthesized them (the same for every test file).
const json = (env: string, layer: string) => fixtureSynth.stack(`${env}-${layer}`);
const envNames = inputs.environments.map((e) => e.name);
const manifestsOf = (stack: SynthesizedStack, release: string) => (parse(String((stack.resource.helm_release?.[release]?.values as string[])[0])) as { manifests: Array<Record<string, any>> }).manifests;
/** Where the add-ons run: the system group's nodes, or a small cluster's shared group's (selected by the label only it carries). */
const addOnNodes = (env: string) => {
  const tolerations = [{ key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" }];
  return hasSharedNodeGroup(inputs.environments.find((e) => e.name === env)!) ? { nodeSelector: { "platform/system-pods": "true" }, tolerations } : { nodeSelector: { "platform/node-group": "system" }, tolerations };
};
const releaseDeps = (stack: SynthesizedStack, release: string) => (stack.resource.helm_release?.[release]?.depends_on as string[] | undefined) ?? [];

describe.each(envNames)("%s-platform and %s-app", (env) => {
  const platform = json(env, "platform");
  const app = json(env, "app");

  it("point the kubernetes and helm providers at the cluster from the EKS contract, authenticated by exec, never a token, password or kubeconfig", () => {
    // The app stack has only its Helm release: no kubernetes provider to configure.
    expect(app.provider).not.toHaveProperty("kubernetes");
    for (const stack of [platform, app]) {
      const kubernetes = (stack.provider.kubernetes ?? platform.provider.kubernetes)![0]!;
      const helm = (stack.provider.helm![0] as { kubernetes: Record<string, unknown> }).kubernetes;
      for (const connection of [kubernetes, helm]) {
        expect(connection.host).toBe("${data.terraform_remote_state.eks.outputs.cluster_endpoint}");
        expect(connection.cluster_ca_certificate).toBe("${base64decode(data.terraform_remote_state.eks.outputs.cluster_certificate_authority)}");
        for (const key of ["token", "password", "username", "client_key", "client_certificate", "config_path", "config_paths", "config_context"]) expect(connection).not.toHaveProperty(key);
      }
      const exec = [(kubernetes.exec as unknown[])[0], helm.exec] as Array<{ command: string; args: string }>;
      for (const e of exec) {
        expect(e.command).toBe("aws");
        expect(e.args).toContain('"eks", "get-token", "--cluster-name", data.terraform_remote_state.eks.outputs.cluster_name');
        expect(e.args).toContain('var.deploy_role_arn == null ? [] : ["--role-arn", var.deploy_role_arn]');
      }
    }
  });

  it("plan no object whose kind comes from a CRD: no kubernetes_manifest anywhere", () => {
    expect(Object.keys(platform.resource)).not.toContain("kubernetes_manifest");
    expect(Object.keys(app.resource)).not.toContain("kubernetes_manifest");
  });

  it("install the platform's typed objects after the releases that bring their CRDs", () => {
    const kinds = manifestsOf(platform, "platform-objects_release").map((m) => m.kind);
    expect(kinds).toEqual(expect.arrayContaining(["ClusterSecretStore", "ExternalSecret", "StorageClass", "NetworkPolicy", "ResourceQuota", "LimitRange"]));
    const deps = releaseDeps(platform, "platform-objects_release");
    expect(deps).toContain("helm_release.external-secrets_release");
    if (kinds.includes("NodePool")) expect(deps).toContain("helm_release.karpenter_crds");
    // kube-prometheus-stack after the objects: Grafana's admin Secret is synced first.
    expect(releaseDeps(platform, "monitoring_release")).toContain("helm_release.platform-objects_release");
  });

  it("destroy Karpenter's NodePools and EC2NodeClass while its controller still runs, and wait for the nodes to go", () => {
    // Terraform destroys in reverse dependency order: the objects' release depends on the
    // controller's, so it is uninstalled first. Only the running controller terminates the
    // instances (the NodeClaims' karpenter.sh/termination finalizer, kubernetes-sigs/karpenter
    // pkg/controllers/nodeclaim/lifecycle); Helm's uninstall waits (wait, timeout) until every
    // object is gone, and the EC2NodeClass's finalizer holds until no NodeClaim uses it
    // (aws/karpenter-provider-aws pkg/controllers/nodeclass, finalize).
    const objects = platform.resource.helm_release?.["platform-objects_release"] as Record<string, unknown>;
    if (!manifestsOf(platform, "platform-objects_release").some((m) => m.kind === "NodePool")) return;
    expect(releaseDeps(platform, "platform-objects_release")).toEqual(expect.arrayContaining(["helm_release.karpenter_release", "helm_release.karpenter_crds"]));
    expect(objects).toMatchObject({ wait: true, timeout: 1200 });
    const kinds = manifestsOf(platform, "platform-objects_release").map((m) => m.kind);
    expect(kinds).toEqual(expect.arrayContaining(["NodePool", "EC2NodeClass"]));
  });

  it("run monitoring on the system nodes (a small cluster's shared group), which Karpenter never consolidates, with a Prometheus PDB only when a second replica can take over", () => {
    const values = parse(String((platform.resource.helm_release?.monitoring_release?.values as string[])[0])) as Record<string, any>;
    const system = addOnNodes(env);
    for (const component of [values.prometheusOperator, values.prometheusOperator.admissionWebhooks.patch, values.prometheus.prometheusSpec, values.alertmanager.alertmanagerSpec, values.grafana, values["kube-state-metrics"]]) {
      expect(component).toMatchObject(system);
    }
    const replicas = inputs.environments.find((e) => e.name === env)!.platform!.prometheus.replicas;
    expect(values.prometheus.prometheusSpec.replicas).toBe(replicas);
    expect(values.prometheus.podDisruptionBudget).toEqual(replicas > 1 ? { enabled: true, minAvailable: replicas - 1 } : { enabled: false });
  });

  it("run the app's pods only on nodes of the architectures its image is built for", () => {
    const pod = manifestsOf(app, "app_release").find((m) => m.kind === "Deployment")!.spec.template.spec;
    expect(pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([
      { matchExpressions: [{ key: "kubernetes.io/arch", operator: "In", values: inputs.environments.find((e) => e.name === env)!.app!.architectures }] },
    ]);
  });

  it("keep Grafana's password out of config, state and plan: made at apply, written write-only", () => {
    const version = resourcesOf(platform, "aws_secretsmanager_secret_version")[0]!;
    expect(version).not.toHaveProperty("secret_string");
    expect(version.secret_string_wo).toContain("ephemeral.aws_secretsmanager_random_password.grafana-admin.random_password");
    expect(secretsIn(platform)).toEqual([]);
    const values = parse(String((platform.resource.helm_release?.monitoring_release?.values as string[])[0])) as { grafana: { admin: Record<string, string>; podAnnotations: Record<string, string> } };
    expect(values.grafana.admin).toEqual({ existingSecret: "grafana-admin", userKey: "admin-user", passwordKey: "admin-password" });
    // Rotation: a new version is written, synced at once (the ExternalSecret's annotation) and read by restarted pods.
    const rotation = String(inputs.environments.find((e) => e.name === env)!.platform!.grafana.adminPasswordVersion);
    expect(rotation).toBe(String(version.secret_string_wo_version));
    expect(values.grafana.podAnnotations).toEqual({ "platform/secret-version": rotation });
    expect(manifestsOf(platform, "platform-objects_release").find((m) => m.kind === "ExternalSecret" && m.metadata.name === "grafana-admin")!.metadata.annotations).toEqual({ "platform/secret-version": rotation });
  });

  it("make the application's namespace enforce the restricted Pod Security Standard", () => {
    const namespace = Object.values(platform.resource.kubernetes_namespace_v1 ?? {}).find((n) => (n.metadata as { name: string }).name === appNamespace(inputs.environments.find((e) => e.name === env)!));
    expect((namespace?.metadata as { labels: Record<string, string> }).labels).toMatchObject({ "pod-security.kubernetes.io/enforce": "restricted" });
  });

  it("ship the containers' logs into their own encrypted log group with retention", () => {
    // Beside the alarm forwarder's own group (__tests__/modules/alarm-forwarder.test.ts).
    const groups = resourcesOf(platform, "aws_cloudwatch_log_group").filter((g) => !String(g.name).startsWith("/aws/lambda/"));
    expect(groups).toEqual([expect.objectContaining({ name: `/aws/eks/${clusterName({ name: env })}/containers`, kms_key_id: "${aws_kms_key.container-logs-key.arn}" })]);
  });

  it("publish the platform's contract", () => {
    expect(Object.keys(platform.output ?? {}).sort()).toEqual(Object.keys(PLATFORM_CONTRACT.outputs).sort());
  });

  it("deploy an app that passes the restricted standard, wired from the other stacks' outputs", () => {
    const manifests = manifestsOf(app, "app_release");
    expect(restrictedViolations(manifests)).toEqual([]);
    const container = manifests.find((m) => m.kind === "Deployment")!.spec.template.spec.containers[0];
    const vars = Object.fromEntries((container.env as Array<{ name: string; value: string }>).map((e) => [e.name, e.value]));
    expect(vars.DB_HOST).toBe("${data.terraform_remote_state.database.outputs.endpoint}");
    const config = inputs.environments.find((e) => e.name === env)!;
    // Kafka settings only where the environment has Kafka: no special case, the stack reads what exists.
    expect(Object.keys(vars).some((k) => k.startsWith("KAFKA_"))).toBe(config.streaming !== undefined);
    expect(Object.keys(app.data?.terraform_remote_state ?? {}).includes("streaming")).toBe(config.streaming !== undefined);
    expect(manifests.find((m) => m.kind === "ServiceAccount")!.metadata.annotations).toEqual({ "eks.amazonaws.com/role-arn": `arn:aws:iam::${config.account.id}:role/${config.name}-app` });
    expect(manifests.find((m) => m.kind === "Ingress")!.spec.ingressClassName).toBe("${data.terraform_remote_state.platform.outputs.ingress_class}");
  });
});

describe.each(inputs.environments.filter(hasSharedNodeGroup).map((e) => e.name))("%s: a small cluster, on one shared node group", (env) => {
  const platform = json(env, "platform");
  /** Every nodeSelector in a release's values, however deep. */
  const selectors = (value: unknown): Array<Record<string, string>> =>
    Array.isArray(value) ? value.flatMap(selectors) : value && typeof value === "object" ? Object.entries(value).flatMap(([k, v]) => (k === "nodeSelector" ? [v as Record<string, string>] : selectors(v))) : [];

  it("selects the system group, which it does not have, in no add-on: they run on the shared group", () => {
    const releases = Object.values(platform.resource.helm_release ?? {}).filter((r) => r.repository);
    const found = releases.flatMap((r) => (r.values as string[] | undefined ?? []).flatMap((v) => selectors(parse(v))));
    expect(found.length).toBeGreaterThanOrEqual(releases.length - 1);
    expect(found.filter((s) => s["platform/node-group"] !== undefined)).toEqual([]);
    expect(new Set(found.map((s) => JSON.stringify(s)))).toEqual(new Set([JSON.stringify({ "platform/system-pods": "true" })]));
  });
});

describe.each(envNames)("%s: the public edge", (env) => {
  const config = inputs.environments.find((e) => e.name === env)!;
  const platform = json(env, "platform");
  const app = json(env, "app");
  const zoneId = config.dns!.zoneId ?? "${data.terraform_remote_state.dns.outputs.zone_id}";

  it("runs external-dns on the environment's zone only, for ALB Ingresses, owned by the cluster, as its own role", () => {
    const release = platform.resource.helm_release?.["external-dns_release"];
    expect(release).toMatchObject({ chart: "external-dns", version: "1.21.1", namespace: "external-dns" });
    expect(parse(String((release!.values as string[])[0]))).toMatchObject({
      provider: { name: "aws" },
      sources: ["ingress"],
      policy: "sync",
      registry: "txt",
      txtOwnerId: clusterName(config),
      domainFilters: [config.dns!.zone],
      extraArgs: [`--zone-id-filter=${zoneId}`, "--aws-zone-type=public", "--ingress-class=alb"],
      serviceAccount: { name: "external-dns", annotations: { "eks.amazonaws.com/role-arn": "${data.terraform_remote_state.iam.outputs.external_dns_role_arn}" } },
      nodeSelector: addOnNodes(env).nodeSelector,
    });
  });

  it("gives the app's ALB the certificate validated in the zone and the environment's web ACL", () => {
    const ingress = manifestsOf(app, "app_release").find((m) => m.kind === "Ingress")!;
    expect(ingress.metadata.annotations).toMatchObject({
      "alb.ingress.kubernetes.io/certificate-arn": "${aws_acm_certificate_validation.certificate-app_validation.certificate_arn}",
      "alb.ingress.kubernetes.io/wafv2-acl-arn": "${aws_wafv2_web_acl.web-acl.arn}",
    });
    expect(resourcesOf(app, "aws_route53_record")).toEqual([expect.objectContaining({ zone_id: zoneId })]);
    expect(resourcesOf(app, "aws_wafv2_web_acl")).toEqual([expect.objectContaining({ name: `${env}-alb` })]);
  });

  it("tells the app exactly which topics it may produce to and consume, and its consumer-group prefix", () => {
    const container = manifestsOf(app, "app_release").find((m) => m.kind === "Deployment")!.spec.template.spec.containers[0];
    const vars = Object.fromEntries((container.env as Array<{ name: string; value: string }>).map((e) => [e.name, e.value]));
    if (!config.streaming) return expect(Object.keys(vars).filter((k) => k.startsWith("KAFKA_"))).toEqual([]);
    expect({ produces: vars.KAFKA_PRODUCES, consumes: vars.KAFKA_CONSUMES, group: vars.KAFKA_GROUP_PREFIX }).toEqual({ produces: "events,notifications,orders,users", consumes: "events,notifications,orders,users", group: "app." });
  });
});

describe("no object is installed before its CRD", () => {
  /** Which chart brings each CRD API group. */
  const CRD_SOURCES: Record<string, string> = { "external-secrets.io": "external-secrets", "karpenter.sh": "karpenter-crd", "karpenter.k8s.aws": "karpenter-crd", "monitoring.coreos.com": "kube-prometheus-stack" };
  const groupOf = (apiVersion: string) => (apiVersion.includes("/") ? apiVersion.split("/")[0]! : "");
  // SecurityGroupPolicy's CRD comes with the cluster: EKS installs it with the VPC resource controller it runs (k8s/crds/vpc-resources.ts).
  const BUILT_IN = /(^|\.)k8s\.io$|^(apps|batch|policy|autoscaling)$|^vpcresources\.k8s\.aws$|^$/;

  it.each(envNames)("%s: each typed object's CRD comes from a release it waits for, or from an earlier stack", (env) => {
    const platform = json(env, "platform");
    const releases = platform.resource.helm_release ?? {};
    const releaseOfChart = (chart: string) => Object.entries(releases).find(([, r]) => r.chart === chart)?.[0];
    const check = (stack: SynthesizedStack, release: string, earlierStack: boolean) => {
      for (const m of manifestsOf(stack, release)) {
        const group = groupOf(String(m.apiVersion));
        if (BUILT_IN.test(group)) continue;
        const chart = CRD_SOURCES[group];
        expect({ kind: m.kind, chart }).toEqual({ kind: m.kind, chart: expect.any(String) });
        const source = releaseOfChart(chart!);
        expect({ kind: m.kind, source }).toEqual({ kind: m.kind, source: expect.any(String) });
        // In the same stack, the release waits for its CRD's release; the app's stack runs after the platform's.
        if (!earlierStack) expect({ kind: m.kind, waitsFor: releaseDeps(stack, release) }).toEqual({ kind: m.kind, waitsFor: expect.arrayContaining([`helm_release.${source}`]) });
      }
    };
    // kube-prometheus-stack's own CRDs are not needed by the platform's objects (none is monitoring.coreos.com).
    check(platform, "platform-objects_release", false);
    check(json(env, "app"), "app_release", true);
    expect(fixtureSynth.manifest()[`${env}-app`]?.dependencies).toContain(`${env}-platform`);
  });
});

describe("an app with its own OCI chart", () => {
  it("deploys that chart at its exact version, given the same values contract, at the shipped chart's address", () => {
    const env = validEnvironment({
      platform: {},
      app: {
        image: { tag: "3.1.0" },
        ingress: { host: "api.example.com", certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555" },
        chart: { repository: "oci://123456789012.dkr.ecr.eu-west-1.amazonaws.com/charts", name: "orders", version: "2.3.1" },
      },
    } as never);
    const stack = synthJson(new AppStack(Testing.app(), { env, backend: inputs.backend, project: inputs.project }));
    const release = stack.resource.helm_release?.app_release as Record<string, unknown>;
    expect(release).toMatchObject({ chart: "orders", repository: "oci://123456789012.dkr.ecr.eu-west-1.amazonaws.com/charts", version: "2.3.1", atomic: true });
    const values = parse(String((release.values as string[])[0])) as Record<string, unknown>;
    expect(Object.keys(values).sort()).toEqual(["architectures", "callerPolicies", "callers", "dashboardUid", "env", "hpa", "image", "ingress", "metrics", "name", "namespace", "port", "priorityClassName", "probePath", "resources", "runbookBaseUrl", "secrets", "serviceAccount"]);
    expect(values).toMatchObject({ image: { repository: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app", tag: "3.1.0" }, port: 8000 });
  });
});
