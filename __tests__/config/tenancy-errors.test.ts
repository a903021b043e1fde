/* eslint-disable @typescript-eslint/no-explicit-any -- the test reads a nested input by path */
import path from "node:path";
import { stringify } from "yaml";
import { ConfigError, formatProblem, loadEnvironmentFile, loadEnvironments, tenantsOf, type EnvironmentInput } from "../../config";
import { tempProject, TEST_NOW, validEnvironmentInput } from "../helpers";

// An environment that runs in another's cluster (config/tenancy.ts): its file, and its host's.
const HOST = validEnvironmentInput({ name: "host", production: true, platform: {} });
const APP = { image: { tag: "1.0.0", digest: `sha256:${"a".repeat(64)}` }, architectures: ["arm64"], resources: { cpu: "100m", memory: "128Mi" }, exposure: "none" };

/** A tenant's file: no network, eks, platform or dns of its own. */
function tenantInput(name: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { name, production: false, cluster: { environment: "host" }, account: HOST.account, tags: HOST.tags, app: APP, ...overrides };
}

/** The folder's environments, or the lines of the ConfigError its load throws (without line numbers). */
function load(files: Record<string, unknown>): { envs?: ReturnType<typeof loadEnvironments>; errors: string[] } {
  const dir = tempProject(files);
  try {
    return { envs: loadEnvironments({ configDir: path.join(dir, "config"), baseDir: dir, now: TEST_NOW }), errors: [] };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return { errors: error.problems.map((p) => formatProblem({ ...p, line: undefined, frame: undefined })) };
  }
}

describe("a tenant of another environment's cluster", () => {
  it("takes its host's network, eks, platform, dns, ci and access, keeps its own alarms, and is listed as its host's tenant", () => {
    const { envs, errors } = load({ "host.yaml": HOST, "dev.yaml": tenantInput("dev") });
    expect(errors).toEqual([]);
    const host = envs!.find((e) => e.name === "host")!;
    const dev = envs!.find((e) => e.name === "dev")!;
    expect({ network: dev.network, eks: dev.eks, platform: dev.platform, ci: dev.ci, access: dev.access, alerting: dev.observability.alerting }).toEqual({
      network: host.network,
      eks: host.eks,
      platform: host.platform,
      ci: host.ci,
      access: host.access,
      alerting: host.observability.alerting,
    });
    expect(tenantsOf(host).map((t) => t.name)).toEqual(["dev"]);
    // Its services' namespace is named after it: tenants share the cluster.
    expect(dev.services.app!.namespace).toBe("dev");
    expect(host.services).toEqual({});
  });

  it.each([
    ["network", HOST.network],
    ["eks", HOST.eks],
    ["platform", {}],
    ["dns", { zone: "example.com" }],
  ])("refuses a %s section of its own (the section is the bad value: no single one to show)", (section, value) => {
    expect(load({ "host.yaml": HOST, "dev.yaml": tenantInput("dev", { [section]: value }) }).errors).toEqual([
      `config/dev.yaml: [dev] ${section}: is the cluster host's: this environment runs in host's cluster (cluster.environment), whose ${section} it uses; remove the section, or remove cluster to host a cluster of its own`,
    ]);
  });

  it.each([
    ["ci", { ci: { runner: "hosted" } }],
    ["access", { access: { host: true } }],
    ["observability.alerting", { observability: { alerting: { receivers: {} } } }],
    ["observability.tracing", { observability: { tracing: { enabled: true } } }],
  ])("refuses a %s of its own, which would be ignored", (field, overrides) => {
    const given = field.split(".").reduce((v: any, k) => v[k], overrides as any);
    expect(load({ "host.yaml": HOST, "dev.yaml": tenantInput("dev", overrides) }).errors).toEqual([
      `config/dev.yaml: [dev] ${field}: is the cluster host's: this environment runs in host's cluster (cluster.environment), whose ${field} it uses; remove the section, or remove cluster to host a cluster of its own (got ${JSON.stringify(Object.keys(given))})`,
    ]);
  });

  it("requires network and eks of an environment that hosts its cluster", () => {
    const { network: _n, eks: _e, ...bare } = HOST;
    expect(load({ "host.yaml": bare }).errors).toEqual([
      "config/host.yaml: [host] network: is required: an environment hosts its own cluster unless cluster.environment names the environment whose cluster it runs in",
      "config/host.yaml: [host] eks: is required: an environment hosts its own cluster unless cluster.environment names the environment whose cluster it runs in",
    ]);
  });

  it("refuses a tenant that names itself", () => {
    expect(load({ "host.yaml": HOST, "dev.yaml": tenantInput("dev", { cluster: { environment: "dev" } }) }).errors).toEqual([
      `config/dev.yaml: [dev] cluster.environment: names this environment itself: a tenant runs in another environment's cluster; remove cluster to host a cluster of its own (got "dev")`,
    ]);
  });

  it("refuses a chain: a tenant of a tenant", () => {
    expect(load({ "host.yaml": HOST, "dev.yaml": tenantInput("dev"), "qa.yaml": tenantInput("qa", { cluster: { environment: "dev" } }) }).errors).toEqual([
      `config/qa.yaml: [qa] cluster.environment: names an environment that is itself a tenant (of host): a host must run its own cluster, so there are no chains; name host instead (got "dev")`,
    ]);
  });

  it("refuses a host that is not in the folder, naming those that are", () => {
    expect(load({ "host.yaml": HOST, "dev.yaml": tenantInput("dev", { cluster: { environment: "platfrm" } }) }).errors).toEqual([
      `config/dev.yaml: [dev] cluster.environment: names no environment of the config folder; allowed: an environment that hosts its cluster (host) (got "platfrm")`,
    ]);
  });

  it("says a tenant waits for its host's own problems instead of calling the host unknown", () => {
    const errors = load({ "host.yaml": { ...HOST, network: { ...HOST.network, natMode: "single" } }, "dev.yaml": tenantInput("dev") }).errors;
    expect(errors).toContain(`config/dev.yaml: [dev] cluster.environment: names an environment whose own file has problems (reported with it): this tenant is checked against its host once the host's file is valid (got "host")`);
    expect(errors.filter((e) => e.includes("natMode"))).toHaveLength(1);
  });

  it("is checked with its host's file only: alone, it says so", () => {
    const problems = loadEnvironmentFile("config/dev.yaml", stringify(tenantInput("dev")), TEST_NOW).problems.map((p) => formatProblem({ ...p, line: undefined }));
    expect(problems).toEqual([
      `config/dev.yaml: [dev] cluster.environment: needs its host's file: a tenant is loaded with the other environments of its config folder (loadEnvironments), which hold its host (got "host")`,
    ]);
  });

  it.each([
    ["account.id", { account: { ...HOST.account, id: "210987654321" } }, `differs from host's (123456789012), whose cluster this environment runs in: a cluster's roles, subnets and endpoints are its own account's; allowed: "123456789012", or a cluster of its own (got "210987654321")`],
    ["account.region", { account: { ...HOST.account, region: "eu-central-1" } }, `differs from host's (eu-west-1), whose cluster this environment runs in: a cluster reaches its own region's databases, brokers and secrets only; allowed: eu-west-1, or a cluster of its own (got "eu-central-1")`],
  ])("refuses a tenant in another %s than its host", (field, overrides, message) => {
    expect(load({ "host.yaml": HOST, "dev.yaml": tenantInput("dev", overrides) }).errors).toEqual([`config/dev.yaml: [dev] ${field}: ${message}`]);
  });

  it("refuses a production tenant on a host that is not production", () => {
    expect(load({ "host.yaml": { ...HOST, production: false, eks: { ...HOST.eks } }, "prod.yaml": tenantInput("prod", { production: true }) }).errors).toContain(
      "config/prod.yaml: [prod] production: is true, but host, whose cluster this environment runs in, is not production: a production environment's cluster gets every production check (NAT per zone, deletion protection, paging); set production: true on host, or run this one in a production host (got true)",
    );
  });

  it("refuses two environments of one cluster in one namespace: the host's own, or another tenant's", () => {
    const withApp = { ...HOST, app: { ...APP, namespace: "shop" } } as EnvironmentInput;
    expect(load({ "host.yaml": withApp, "dev.yaml": tenantInput("dev", { app: { ...APP, namespace: "shop" } }) }).errors).toEqual([
      `config/dev.yaml: [dev] app.namespace: is also host's namespace in host's cluster: each environment of a cluster has a namespace of its own, whose quota, policies, secret store and access are its own; give this one another (the default is the environment's name) (got "shop")`,
    ]);
    expect(load({ "host.yaml": HOST, "dev.yaml": tenantInput("dev", { app: { ...APP, namespace: "shop" } }), "qa.yaml": tenantInput("qa", { app: { ...APP, namespace: "shop" } }) }).errors).toEqual([
      `config/qa.yaml: [qa] app.namespace: is also dev's namespace in host's cluster: each environment of a cluster has a namespace of its own, whose quota, policies, secret store and access are its own; give this one another (the default is the environment's name) (got "shop")`,
    ]);
  });

  it("refuses a tenant's person who already has another access entry in the cluster", () => {
    const admin = HOST.eks.admins?.[0] ?? "arn:aws:iam::123456789012:role/platform-admin";
    const host = { ...HOST, eks: { ...HOST.eks, admins: [admin] } };
    expect(load({ "host.yaml": host, "dev.yaml": tenantInput("dev", { cluster: { environment: "host", editors: [admin] } }) }).errors).toEqual([
      `config/dev.yaml: [dev] cluster.editors.0: is also in host's eks.admins: EKS keeps one access entry per principal in host's cluster, so it could not have both; give each environment's people roles of their own (got "${admin}")`,
    ]);
  });

  it("lets a host's zone serve only its tenants' hosts, and refuses it when no environment of the cluster has one", () => {
    const host = { ...HOST, dns: { zone: "example.com" } };
    const routed = { ...APP, exposure: "public", ingress: { host: "dev.example.com" } };
    expect(load({ "host.yaml": host, "dev.yaml": tenantInput("dev", { app: routed }) }).errors).toEqual([]);
    expect(load({ "host.yaml": host, "dev.yaml": tenantInput("dev") }).errors).toEqual([
      `config/host.yaml: [host] dns: names a zone for no service: the environment has no service with an ingress host, so nothing would get a record or a certificate there; add a service with exposure public or internal, or leave dns out (got "example.com")`,
    ]);
  });

  it("refuses a tenant's service that scales on Kafka lag: its host's KEDA role is not the tenant's to grant", () => {
    const host = { ...HOST, platform: { keda: { enabled: true } } };
    const streaming = { kafkaVersion: "3.9.x.kraft", brokers: 3, instanceType: "kafka.m7g.large", topics: { orders: { producers: ["app"], consumers: ["app"] } }, groupPrefixes: { app: "app" } };
    const app = { ...APP, port: 8000, scaling: { kafkaLag: { topic: "orders", group: "app.orders", lagThreshold: 100 } } };
    const errors = load({ "host.yaml": host, "dev.yaml": tenantInput("dev", { streaming, app }) }).errors;
    expect(errors).toContain(
      `config/dev.yaml: [dev] app.scaling.kafkaLag: scales on Kafka lag, which KEDA reads as its host's role (host-keda): a tenant's apply role may change no role of its host, so it cannot grant it the lag of its topics; scale this service on CPU (hpa), or run the environment in a cluster of its own (got "orders")`,
    );
  });

  it("has no VPC of its own, so its host's block overlaps nothing", () => {
    expect(load({ "host.yaml": HOST, "dev.yaml": tenantInput("dev"), "qa.yaml": tenantInput("qa") }).errors).toEqual([]);
  });
});
