/* eslint-disable @typescript-eslint/no-explicit-any -- synthesized JSON and manifests are read by path here */
import path from "node:path";
import { parse } from "yaml";
import { loadEnvironments, RESERVED_SERVICE_NAMES, serviceNames } from "../../config";
import { EXAMPLE_CONFIG, exampleSynth, fixtureSynth, policyStatements, resourcesOf, ROOT, type SynthesizedStack, TEST_NOW } from "../helpers";

// examples/microservices (reference design 004) as the global setup synthesized it: each service
// gets exactly its own role, database user, topics, repository and network policy, and no grant
// is shared between services.
const environments = loadEnvironments({ configDir: path.join(ROOT, EXAMPLE_CONFIG), now: TEST_NOW });
const SERVICES = ["api-gateway", "auth", "notifications", "orders", "users"];
const stack = (env: string, layer: string) => exampleSynth.stack(`${env}-${layer}`);
const inline = (json: SynthesizedStack) => resourcesOf(json, "aws_iam_role_policy").map((p) => ({ role: String(p.role), statements: policyStatements(json, p.policy) }));
const manifests = (json: SynthesizedStack, release: string): any[] => (parse(String((json.resource.helm_release?.[`${release}_release`]?.values as string[])[0])) as { manifests: any[] }).manifests;

describe.each(["dev", "prod"])("the microservices example, %s", (name) => {
  const env = environments.find((e) => e.name === name)!;

  it("has the five services of reference design 004, each its own release", () => {
    expect(serviceNames(env)).toEqual(SERVICES);
    expect(Object.keys(stack(name, "app").resource.helm_release ?? {}).sort()).toEqual(SERVICES.map((s) => `${s}_release`));
  });

  it("runs the cluster's network interfaces in the control-plane tier, after every other tier's slots, and dev's brokers in two of three zones", () => {
    const subnets = resourcesOf(stack(name, "network"), "aws_subnet").filter((s) => String(s.cidr_block).endsWith("/28")).map((s) => s.cidr_block);
    // Pinned: 004's "Control Plane Subnets", the /28s after the data tier's six /24 slots.
    const prefix = env.network.vpcCidr.split(".").slice(0, 2).join(".");
    expect(subnets).toEqual([`${prefix}.108.0/28`, `${prefix}.108.16/28`, `${prefix}.108.32/28`]);
    const cluster = resourcesOf(stack(name, "eks"), "aws_eks_cluster")[0]!.vpc_config as Record<string, unknown>;
    expect(cluster.subnet_ids).toBe("${data.terraform_remote_state.network.outputs.control_plane_subnet_ids}");
    const kafka = resourcesOf(stack(name, "streaming"), "aws_msk_cluster")[0]!.broker_node_group_info as Record<string, unknown>;
    expect(kafka.client_subnets).toBe(`\${slice(data.terraform_remote_state.network.outputs.data_subnet_ids, 0, ${name === "dev" ? 2 : 3})}`);
  });

  it("gives each service a role of its own, trusted by its own service account only", () => {
    const iam = stack(name, "iam");
    for (const service of SERVICES) {
      const role = resourcesOf(iam, "aws_iam_role").find((r) => r.name === `${name}-${service}`)!;
      const trust = policyStatements(iam, role.assume_role_policy)[0]!.Condition!.StringEquals as Record<string, string[]>;
      expect(Object.entries(trust).find(([key]) => key.endsWith(":sub"))![1]).toEqual([`system:serviceaccount:app:${service}`, ...(service === "orders" ? ["system:serviceaccount:app:orders-migrations"] : [])]);
    }
  });

  it("grants each service's role only its own topics and groups, in policies of that role alone, and KEDA the lag of the one group it scales on", () => {
    const all = inline(stack(name, "streaming"));
    const grants = all.filter((g) => SERVICES.some((s) => g.role === `${name}-${s}`));
    const topicsOf = (service: string, action: string) =>
      grants
        .filter((g) => g.role === `${name}-${service}`)
        .flatMap((g) => g.statements)
        .filter((s) => (s.Action as string[]).includes(action))
        .flatMap((s) => s.Resource as string[])
        .map((arn) => arn.split("/").pop())
        .sort();
    expect(Object.fromEntries(SERVICES.map((s) => [s, { produces: topicsOf(s, "kafka-cluster:WriteData"), consumes: topicsOf(s, "kafka-cluster:ReadData") }]))).toEqual({
      "api-gateway": { produces: ["events"], consumes: [] },
      auth: { produces: ["events"], consumes: [] },
      notifications: { produces: [], consumes: ["events", "notifications", "orders", "users"] },
      orders: { produces: ["events", "notifications", "orders"], consumes: ["users"] },
      users: { produces: ["events", "notifications", "users"], consumes: [] },
    });
    // One inline policy per role, and never a statement naming two services' groups.
    expect(new Set(grants.map((g) => g.role)).size).toBe(grants.length);
    for (const g of grants) expect(JSON.stringify(g.statements).match(/:group\/[^"]*/g)?.every((arn) => arn.endsWith(`/${g.role.replace(`${name}-`, "")}.*`)) ?? true).toBe(true);
    const keda = all.filter((g) => !grants.includes(g));
    expect(keda.map((g) => g.role)).toEqual([`${name}-keda`]);
    // Exactly the group and topic notifications scales on (statement by statement: keda-stacks.test.ts).
    expect(keda[0]!.statements.flatMap((s) => s.Resource as string[]).map((arn) => arn.split("/").pop()).sort()).toEqual(["${aws_msk_cluster.kafka.arn}", "notifications", "notifications.dispatch"].sort());
    expect(JSON.stringify(keda[0]!.statements)).not.toMatch(/WriteData|ReadData|AlterGroup/);
  });

  it("gives the services that keep data a database user each, and each role the login of its own user only", () => {
    const database = stack(name, "database");
    const input = JSON.parse(String(resourcesOf(database, "aws_lambda_invocation")[0]!.input));
    expect(input.users).toEqual([
      { name: "auth", service: "auth" },
      { name: "orders", service: "orders" },
      { name: "users", service: "users" },
    ]);
    const logins = inline(database)
      .filter((g) => g.role.startsWith(`${name}-`))
      .map((g) => [g.role, g.statements.flatMap((s) => s.Resource as string[]).map((arn) => arn.split("/").pop())]);
    expect(logins).toEqual([
      [`${name}-auth`, ["auth"]],
      [`${name}-orders`, ["orders"]],
      [`${name}-users`, ["users"]],
    ]);
  });

  it("makes a certificate of each routed host, and lets external-dns write exactly those records", () => {
    const hosts = ["api-gateway", "users"].map((s) => env.services[s]!.ingress!.host);
    const app = stack(name, "app");
    // Keyed by host: a service added to or removed from a host never replaces its certificate.
    expect(Object.keys(app.resource.aws_acm_certificate ?? {})).toEqual(hosts.map((h) => `certificate-${h.replace(/-/g, "--").replace(/\./g, "-")}`));
    expect(resourcesOf(app, "aws_acm_certificate").map((c) => c.domain_name)).toEqual(hosts);
    const iam = stack(name, "iam");
    const dns = inline(iam).find((g) => g.role === "${aws_iam_role.external-dns.id}")!;
    const names = dns.statements[0]!.Condition!["ForAllValues:StringLike"] as Record<string, string[]>;
    expect(names["route53:ChangeResourceRecordSetsNormalizedRecordNames"]).toEqual([...hosts.map((h) => `*-${h}`), ...hosts].sort());
  });

  it("pulls each service's image from its own repository, which the account stack makes", () => {
    const account = exampleSynth.stack(`account-${env.account.id}`);
    expect(resourcesOf(account, "aws_ecr_repository").map((r) => r.name).sort()).toEqual(SERVICES);
    const app = stack(name, "app");
    for (const service of SERVICES) {
      const deployment = manifests(app, service).find((m) => m.kind === "Deployment");
      expect(deployment.spec.template.spec.containers[0].image).toMatch(new RegExp(`^${env.account.id}\\.dkr\\.ecr\\.eu-west-1\\.amazonaws\\.com/${service}:`));
    }
  });

  it("admits exactly the calls of talksTo, and routes only the exposed services through their ALBs", () => {
    const app = stack(name, "app");
    const callers = (service: string) => manifests(app, service).find((m) => m.kind === "NetworkPolicy")?.spec.ingress[0].from[0].podSelector.matchExpressions[0].values;
    expect(Object.fromEntries(SERVICES.map((s) => [s, callers(s)]))).toEqual({ "api-gateway": undefined, auth: ["api-gateway"], notifications: undefined, orders: ["api-gateway"], users: ["api-gateway", "orders"] });
    const ingress = (service: string) => manifests(app, service).find((m) => m.kind === "Ingress")?.metadata.annotations;
    expect(ingress("api-gateway")).toMatchObject({ "alb.ingress.kubernetes.io/scheme": "internet-facing", "alb.ingress.kubernetes.io/group.name": `${name}-public` });
    expect(ingress("users")).toMatchObject({ "alb.ingress.kubernetes.io/scheme": "internal", "alb.ingress.kubernetes.io/group.name": `${name}-internal` });
    expect(ingress("users")).not.toHaveProperty("alb.ingress.kubernetes.io/wafv2-acl-arn");
    // The internal ALB sits in the public subnets, by name: the private ones hold the pods, and an
    // allow of their CIDRs would admit every pod of the cluster.
    const zones = ["a", "b", "c"].map((z) => `eu-west-1${z}`);
    const publicNames = resourcesOf(stack(name, "network"), "aws_subnet").map((s) => String((s.tags as Record<string, string>).Name)).filter((n) => n.startsWith(`${name}-public-`));
    expect(publicNames).toEqual(zones.map((z) => `${name}-public-${z}`));
    expect(ingress("users")!["alb.ingress.kubernetes.io/subnets"]).toBe(publicNames.join(", "));
    expect(ingress("api-gateway")).not.toHaveProperty("alb.ingress.kubernetes.io/subnets");
    expect([ingress("api-gateway")!["alb.ingress.kubernetes.io/group.order"], ingress("users")!["alb.ingress.kubernetes.io/group.order"]]).toEqual(["999", "999"]);
    expect(["auth", "orders", "notifications"].map(ingress)).toEqual([undefined, undefined, undefined]);
    // The worker serves no HTTP: no Service, no probes, no scrape.
    const worker = manifests(app, "notifications");
    expect(worker.map((m) => m.kind)).not.toEqual(expect.arrayContaining(["Service"]));
    expect(worker.find((m) => m.kind === "Deployment").spec.template.spec.containers[0]).not.toHaveProperty("livenessProbe");
    const platform = parse(String((stack(name, "platform").resource.helm_release?.["platform-objects_release"]?.values as string[])[0])) as { manifests: any[] };
    const fromLoadBalancer = platform.manifests.filter((m) => m.kind === "NetworkPolicy" && m.metadata.name.endsWith("-from-load-balancer")).map((m) => m.spec.podSelector.matchLabels["app.kubernetes.io/name"]);
    expect(fromLoadBalancer).toEqual(["api-gateway", "users"]);
    const publicCidrs = resourcesOf(stack(name, "network"), "aws_subnet").filter((s) => String((s.tags as Record<string, string>).Name).includes("-public-")).map((s) => s.cidr_block);
    const admitted = platform.manifests.find((m) => m.metadata.name === "users-from-load-balancer").spec.ingress[0].from.map((f: any) => f.ipBlock.cidr);
    expect(admitted).toEqual(publicCidrs);
  });
});

describe("the reserved service names", () => {
  // Every role the fixture and the example make is `<env>-<x>` (CI's state roles `state-backend-…`,
  // the account plan role `account-stack-…`): each x is a service of its environment, or reserved,
  // so that no service's role can ever be named as another role.
  it("cover every other role the stacks make", () => {
    const roles: string[] = [];
    const fixture = loadEnvironments({ configDir: path.join(ROOT, "__tests__", "fixtures", "project", "config"), now: TEST_NOW });
    const unreserved = ([[exampleSynth, environments], [fixtureSynth, fixture]] as const).flatMap(([synth, envs]) => {
      const services = new Map(envs.map((e) => [e.name, serviceNames(e)]));
      const names = Object.keys(synth.manifest()).flatMap((id) => resourcesOf(synth.stack(id), "aws_iam_role").map((r) => String(r.name)));
      roles.push(...names);
      return names.filter((role) => {
        const [env, ...rest] = role.split("-");
        return !services.get(env!)?.includes(rest.join("-")) && !RESERVED_SERVICE_NAMES.includes(rest.join("-"));
      });
    });
    expect(roles.length).toBeGreaterThan(40);
    expect(unreserved).toEqual([]);
  });
});
