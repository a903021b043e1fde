import { stringify } from "yaml";
import { certificateIdOf, formatProblem, loadEnvironmentFile, RESERVED_SERVICE_NAMES } from "../../config";
import { TEST_NOW, validEnvironmentInput } from "../helpers";

const CERT = "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555";
const image = { tag: "1.0.0" };
const arm = { architectures: ["arm64"] };
/** Reference design 004's shape: a gateway in front, services behind it, a consumer with no port. */
const SERVICES = {
  gateway: { ...arm, image, port: 3000, talksTo: ["orders", "users"], ingress: { host: "api.example.com", certificateArn: CERT } },
  orders: { ...arm, image, port: 3000, exposure: "none" },
  users: { ...arm, image, port: 3000, exposure: "internal", ingress: { host: "users.internal.example.com", certificateArn: CERT } },
  notifications: { ...arm, image, exposure: "none" },
};

/** Problems of an environment file with this services map, without the `file:line:` prefix. */
function problems(services: Record<string, object>, overrides: Record<string, unknown> = {}): string[] {
  const content = validEnvironmentInput({ platform: {}, ...overrides, services } as never);
  return loadEnvironmentFile("config/test.yaml", stringify(content), TEST_NOW).problems.map((p) => formatProblem({ ...p, line: undefined, frame: undefined }).replace(/^config\/test\.yaml: /, ""));
}

describe("services config: one message per kind of bad input", () => {
  it("accepts reference design 004's shape: public, internal, none, and a worker with no port", () => {
    expect(problems(SERVICES)).toEqual([]);
  });

  it("rejects a bad service name", () => {
    expect(problems({ ...SERVICES, Orders_2: SERVICES.orders })).toEqual([
      "[test] services.Orders_2: must be a service name: 1–32 lowercase letters, digits and '-', starting with a letter and not ending with '-' (it names a service account, a role, a repository and a secrets prefix) (got \"Orders_2\")",
    ]);
  });

  it("rejects the name of a layer, a platform controller or another role of the stacks, and a migrations account's", () => {
    expect(problems({ ...SERVICES, keda: SERVICES.orders })).toEqual([
      `[test] services.keda: is the name of a layer, a platform controller or a resource of the stacks, whose role or address the service's would take; allowed: any other service name (taken: ${RESERVED_SERVICE_NAMES.join(", ")}) (got "keda")`,
    ]);
    expect(problems({ ...SERVICES, "orders-migrations": SERVICES.orders })).toEqual([
      '[test] services.orders-migrations: ends with -migrations: <service>-migrations is the service account of a service\'s migrations Job, which that service\'s role trusts, so this service\'s pods could act as it; allowed: a name without that ending (got "orders-migrations")',
    ]);
  });

  it("rejects a name of the certificates' ids, and public subnets too small for the load balancers", () => {
    expect(problems({ ...SERVICES, "certificate-a-io": SERVICES.orders })).toEqual([
      '[test] services.certificate-a-io: starts with certificate-, the construct ids of the hosts\' certificates in <env>-app, whose address the service\'s release would take; allowed: a name that does not start so (got "certificate-a-io")',
    ]);
    const network = { vpcCidr: "10.50.0.0/16", azCount: 3, natMode: "per-az", subnetPrefixLength: { public: 28, private: 20, data: 24 } };
    expect(problems(SERVICES, { network })).toEqual([
      "[test] network.subnetPrefixLength.public: leaves too few addresses for the load balancers of the exposed services, which the public subnets hold beside the NAT gateways: Elastic Load Balancing asks for a /27 at least, with 8 free addresses per load balancer; allowed: 16–27 (got 28)",
    ]);
    const workers = Object.fromEntries(Object.entries(SERVICES).map(([n, svc]) => [n, { ...svc, exposure: "none", ingress: undefined, talksTo: [] }]));
    expect(problems(workers, { network })).toEqual([]);
  });

  it("keys certificates by host so that no two hosts share an id", () => {
    const env = { servicesSection: "services" as const };
    expect([certificateIdOf(env, "api-dev.example.com"), certificateIdOf(env, "api.dev.example.com")]).toEqual(["certificate-api--dev-example-com", "certificate-api-dev-example-com"]);
    expect(certificateIdOf({ servicesSection: "app" }, "api.example.com")).toBe("certificate-app");
  });

  it("rejects app and services together", () => {
    const app = { ...arm, image, ingress: { host: "app.example.com", certificateArn: CERT } };
    expect(problems(SERVICES, { app })).toEqual([
      "[test] services: is given together with app: app is the shorthand for services: { app: ... }; move the app section into services as its entry app, or use app alone",
    ]);
  });

  it("rejects talksTo naming an unknown service, the service itself, a service twice, or a worker with no port", () => {
    expect(problems({ ...SERVICES, gateway: { ...SERVICES.gateway, talksTo: ["order"] } })).toEqual([
      '[test] services.gateway.talksTo.0: is not a service of this environment (did you mean "orders"?); allowed: notifications, orders, users (got "order")',
    ]);
    expect(problems({ ...SERVICES, gateway: { ...SERVICES.gateway, talksTo: ["gateway"] } })).toEqual(['[test] services.gateway.talksTo.0: is the service itself: a pod always reaches itself; list only the other services it calls (got "gateway")']);
    expect(problems({ ...SERVICES, gateway: { ...SERVICES.gateway, talksTo: ["orders", "orders"] } })).toEqual(['[test] services.gateway.talksTo: names a service twice; list each callee once (got ["orders","orders"])']);
    expect(problems({ ...SERVICES, gateway: { ...SERVICES.gateway, talksTo: ["notifications"] } })).toEqual([
      '[test] services.gateway.talksTo.0: has no port: it serves no HTTP, so nothing can call it; give notifications a port, or remove it from talksTo (got "notifications")',
    ]);
  });

  it("rejects talksTo to or from a service that deploys a chart of its own", () => {
    const chart = { repository: "oci://123456789012.dkr.ecr.eu-west-1.amazonaws.com/charts", name: "orders", version: "1.0.0" };
    expect(problems({ ...SERVICES, orders: { ...SERVICES.orders, chart } })).toEqual([
      "[test] services.gateway.talksTo.0: involves service orders, which deploys a chart of its own: the policy that admits a call selects the pods of both by the shipped chart's labels, which an own chart's may not carry, so the call would be refused; use the shipped chart for both, or leave talksTo out and let the chart of orders admit its calls (got \"orders\")",
    ]);
  });

  it("rejects two services on the same host and path of one ALB, and accepts them on different paths or ALBs", () => {
    const orders = { ...SERVICES.orders, exposure: "public", ingress: { host: "api.example.com", certificateArn: CERT } };
    expect(problems({ ...SERVICES, orders })).toEqual([
      '[test] services.orders.ingress.path: is also the route of service gateway on the public ALB: the ALB would send every request to one of them; give each service its own host or path (got "api.example.com/")',
    ]);
    expect(problems({ ...SERVICES, orders: { ...orders, ingress: { ...orders.ingress, path: "/orders" } } })).toEqual([]);
    // A trailing slash is the same Prefix route.
    expect(problems({ ...SERVICES, gateway: { ...SERVICES.gateway, ingress: { ...SERVICES.gateway.ingress, path: "/orders" } }, orders: { ...orders, ingress: { ...orders.ingress, path: "/orders/" } } })).toEqual([
      '[test] services.orders.ingress.path: is also the route of service gateway on the public ALB: the ALB would send every request to one of them; give each service its own host or path (got "api.example.com/orders/")',
    ]);
  });

  it("rejects one host on both ALBs", () => {
    const orders = { ...SERVICES.orders, exposure: "internal", ingress: { host: "api.example.com", path: "/orders", certificateArn: CERT } };
    expect(problems({ ...SERVICES, orders })).toEqual([
      '[test] services.orders.ingress.host: is also the host of service gateway on the public ALB: one name has one DNS record, which can point at one of the two ALBs only; give the internal service a host of its own (got "api.example.com")',
    ]);
  });

  it("rejects an exposed service without a port or an ingress, and an ingress with exposure none", () => {
    expect(problems({ ...SERVICES, notifications: { ...SERVICES.notifications, exposure: "public", ingress: { host: "n.example.com", certificateArn: CERT } } })).toEqual([
      "[test] services.notifications.port: is required with exposure public: the ALB sends requests to the service's port; set port, or exposure: none for a worker that serves no HTTP (a Kafka consumer)",
    ]);
    expect(problems({ ...SERVICES, orders: { ...SERVICES.orders, exposure: "internal" } })).toEqual([
      "[test] services.orders.ingress: is required with exposure internal: it names the host (and path) the internal ALB routes to the service; set ingress.host, or exposure: none",
    ]);
    expect(problems({ ...SERVICES, orders: { ...SERVICES.orders, ingress: { host: "o.example.com", certificateArn: CERT } } })).toEqual([
      '[test] services.orders.ingress: is set, but exposure is none: no load balancer routes to the service, so the host would get no record and no route; remove ingress, or set exposure: public or internal (got "o.example.com")',
    ]);
  });

  it("rejects a web ACL on an internal ALB, and two web ACLs on the public one", () => {
    const acl = (uuid: string) => `arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/edge/${uuid}`;
    const a = acl("11111111-2222-3333-4444-555555555555");
    expect(problems({ ...SERVICES, users: { ...SERVICES.users, ingress: { ...SERVICES.users.ingress, wafAclArn: a } } })).toEqual([
      `[test] services.users.ingress.wafAclArn: is for the internet-facing ALB: an internal ALB is reachable from the VPC only and gets no web ACL; remove it, or set exposure: public (got "${a}")`,
    ]);
    const orders = { ...SERVICES.orders, exposure: "public", ingress: { host: "orders.example.com", certificateArn: CERT, wafAclArn: a } };
    expect(problems({ ...SERVICES, orders })).toEqual([
      `[test] services.orders.ingress.wafAclArn: differs from service gateway's (none: the edge's web ACL): its services share one ALB, and an ALB has one web ACL; give every public service the same wafAclArn, or none (got "${a}")`,
    ]);
  });

  it("rejects services in different namespaces", () => {
    expect(problems({ ...SERVICES, orders: { ...SERVICES.orders, namespace: "orders" } })).toEqual([
      '[test] services.orders.namespace: differs from service gateway\'s (app): the services of an environment share one namespace, whose policies admit their calls to each other; allowed: app (got "orders")',
    ]);
  });

  it("rejects a topic that no service produces", () => {
    const streaming = { brokers: 3, instanceType: "kafka.m7g.large", topics: { events: { consumers: ["notifications"] } } };
    expect(problems(SERVICES, { streaming })).toEqual([
      "[test] streaming.topics.events.producers: lists no service: nothing of this environment may write to the topic, so it would stay empty; allowed: one or more of gateway, notifications, orders, users (got [])",
    ]);
  });

  it("names each service's own fields in the checks every service gets", () => {
    expect(problems({ ...SERVICES, orders: { ...SERVICES.orders, image: { tag: "latest" }, hpa: { min: 4, max: 2 } } })).toEqual([
      '[test] services.orders.image.tag: names no particular image, so nobody can tell what runs or roll back to it; allowed: an immutable tag such as 1.4.2 (the ECR repository refuses to overwrite tags) (got "latest")',
      "[test] services.orders.hpa.min: is above services.orders.hpa.max (2); allowed: 1–2 (got 4)",
    ]);
  });
});
