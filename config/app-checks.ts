import { type FieldProblem } from "./checks";
import { PLATFORM_NAMESPACES } from "./naming";
import { didYouMean } from "./near";
import { appArchitectures } from "./platform-checks";
import { type EnvironmentConfig } from "./schema";
import { MIGRATIONS_SUFFIX, RESERVED_SERVICE_NAMES, RESERVED_SERVICE_PREFIX, routedServices, serviceEntries, serviceField, type ServiceConfig, serviceNames } from "./services";

/** Namespaces Kubernetes itself owns. */
const SYSTEM_NAMESPACES = ["default", "kube-public", "kube-node-lease"] as const;

/** Checks of the services (the app section or the services map) that need more than one field. */
export function checkApp(env: EnvironmentConfig): FieldProblem[] {
  const services = serviceEntries(env);
  if (services.length === 0) return [];
  const problems: FieldProblem[] = [];
  if (!env.platform) {
    problems.push({ field: env.servicesSection, message: "needs the platform's add-ons (its ingress controller, secrets and monitoring): add a platform section, even an empty one (platform: {})" });
  }
  for (const [name, service] of services) problems.push(...checkService(env, name, service));
  // Both ALBs and the NAT gateways take addresses of the public subnets (Elastic Load Balancing:
  // a /27 at least, and 8 free addresses per load balancer).
  const exposed = services.some(([, s]) => s.exposure !== "none");
  const publicPrefix = env.network.subnetPrefixLength.public;
  if (exposed && publicPrefix > 27) {
    problems.push({ field: "network.subnetPrefixLength.public", value: publicPrefix, message: "leaves too few addresses for the load balancers of the exposed services, which the public subnets hold beside the NAT gateways: Elastic Load Balancing asks for a /27 at least, with 8 free addresses per load balancer; allowed: 16–27" });
  }
  problems.push(...checkRoutes(env), ...checkNamespaces(env));
  return problems;
}

function checkService(env: EnvironmentConfig, name: string, service: ServiceConfig): FieldProblem[] {
  const at = (field: string) => serviceField(env, name, field);
  const problems: FieldProblem[] = [];
  if (RESERVED_SERVICE_NAMES.includes(name)) {
    problems.push({ field: serviceField(env, name), value: name, message: `is the name of a layer, a platform controller or a resource of the stacks, whose role or address the service's would take; allowed: any other service name (taken: ${RESERVED_SERVICE_NAMES.join(", ")})` });
  } else if (name.startsWith(RESERVED_SERVICE_PREFIX)) {
    problems.push({ field: serviceField(env, name), value: name, message: `starts with ${RESERVED_SERVICE_PREFIX}, the construct ids of the hosts' certificates in <env>-app, whose address the service's release would take; allowed: a name that does not start so` });
  } else if (name.endsWith(MIGRATIONS_SUFFIX)) {
    problems.push({ field: serviceField(env, name), value: name, message: `ends with ${MIGRATIONS_SUFFIX}: <service>${MIGRATIONS_SUFFIX} is the service account of a service's migrations Job, which that service's role trusts, so this service's pods could act as it; allowed: a name without that ending` });
  }
  if (service.image.tag === "latest") {
    problems.push({ field: at("image.tag"), value: "latest", message: "names no particular image, so nobody can tell what runs or roll back to it; allowed: an immutable tag such as 1.4.2 (the ECR repository refuses to overwrite tags)" });
  } else if (env.production && !service.image.digest) {
    problems.push({ field: at("image.digest"), message: `is required in production: a tag can be re-pointed, a digest cannot; set the sha256 digest of ${service.image.tag}` });
  }
  if (service.hpa.min > service.hpa.max) {
    problems.push({ field: at("hpa.min"), value: service.hpa.min, message: `is above ${at("hpa.max")} (${service.hpa.max}); allowed: 1–${service.hpa.max}` });
  }
  const offered = appArchitectures(env);
  for (const arch of service.architectures.filter((a) => !offered.includes(a))) {
    problems.push({
      field: at("architectures"),
      value: arch,
      message: `no node the service may run on is ${arch} (the apps node group and Karpenter's NodePools offer ${offered.join(", ") || "none"}), so the image's ${arch} build would never run, or its pods never schedule: list the architectures the image is built for that the cluster runs${offered.length ? `, such as [${offered.join(", ")}]` : ""}, or add ${arch} nodes`,
    });
  }
  const taken = [...PLATFORM_NAMESPACES, ...SYSTEM_NAMESPACES] as readonly string[];
  if (taken.includes(service.namespace)) {
    problems.push({ field: at("namespace"), value: service.namespace, message: `is a platform or system namespace, whose policies and quotas are not the app's; allowed: any other name (taken: ${taken.join(", ")})` });
  }
  const exposed = service.exposure !== "none";
  if (exposed && service.port === undefined) {
    problems.push({ field: at("port"), message: `is required with exposure ${service.exposure}: the ALB sends requests to the service's port; set port, or exposure: none for a worker that serves no HTTP (a Kafka consumer)` });
  }
  if (exposed && !service.ingress) {
    problems.push({ field: at("ingress"), message: `is required with exposure ${service.exposure}: it names the host (and path) the ${service.exposure === "public" ? "internet-facing" : "internal"} ALB routes to the service; set ingress.host, or exposure: none` });
  }
  if (!exposed && service.ingress) {
    problems.push({ field: at("ingress"), value: service.ingress.host, message: "is set, but exposure is none: no load balancer routes to the service, so the host would get no record and no route; remove ingress, or set exposure: public or internal" });
  }
  if (service.exposure === "internal" && service.ingress?.wafAclArn) {
    problems.push({ field: at("ingress.wafAclArn"), value: service.ingress.wafAclArn, message: "is for the internet-facing ALB: an internal ALB is reachable from the VPC only and gets no web ACL; remove it, or set exposure: public" });
  }
  const names = serviceNames(env);
  service.talksTo.forEach((callee, i) => {
    const field = at(`talksTo.${i}`);
    if (callee === name) problems.push({ field, value: callee, message: "is the service itself: a pod always reaches itself; list only the other services it calls" });
    else if (!names.includes(callee)) problems.push({ field, value: callee, message: `is not a service of this environment${didYouMean(callee, names)}; allowed: ${names.filter((n) => n !== name).join(", ") || "none: it is the only service"}` });
    else if (env.services[callee]?.port === undefined) problems.push({ field, value: callee, message: `has no port: it serves no HTTP, so nothing can call it; give ${callee} a port, or remove it from talksTo` });
    else if (service.chart || env.services[callee]?.chart) {
      // The callers' policy selects pods by app.kubernetes.io/name, which only the shipped chart sets for sure.
      const own = service.chart ? name : callee;
      problems.push({ field, value: callee, message: `involves service ${own}, which deploys a chart of its own: the policy that admits a call selects the pods of both by the shipped chart's labels, which an own chart's may not carry, so the call would be refused; use the shipped chart for both, or leave talksTo out and let the chart of ${own} admit its calls` });
    }
  });
  if (new Set(service.talksTo).size !== service.talksTo.length) {
    problems.push({ field: at("talksTo"), value: service.talksTo, message: "names a service twice; list each callee once" });
  }
  return problems;
}

/** No two services of one ALB on the same host and path; one web ACL per ALB (the controller's `wafv2-acl-arn` is Exclusive in an IngressGroup). */
function checkRoutes(env: EnvironmentConfig): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const routes = new Map<string, string>();
  const hosts = new Map<string, { service: string; exposure: string }>();
  const acls = new Map<string, { service: string; acl: string | undefined }>();
  for (const [name, service] of routedServices(env)) {
    const { host, path } = service.ingress;
    // /orders and /orders/ are one Prefix route.
    const key = `${host}${path.replace(/\/+$/, "") || "/"}`;
    const other = routes.get(key);
    if (other !== undefined) {
      problems.push({ field: serviceField(env, name, "ingress.path"), value: `${host}${path}`, message: `is also the route of service ${other} on the ${service.exposure} ALB: the ALB would send every request to one of them; give each service its own host or path` });
    }
    routes.set(key, name);
    const onHost = hosts.get(host);
    if (onHost && onHost.exposure !== service.exposure) {
      problems.push({ field: serviceField(env, name, "ingress.host"), value: host, message: `is also the host of service ${onHost.service} on the ${onHost.exposure} ALB: one name has one DNS record, which can point at one of the two ALBs only; give the ${service.exposure} service a host of its own` });
    } else if (!onHost) hosts.set(host, { service: name, exposure: service.exposure });
    const acl = acls.get(service.exposure);
    if (acl && acl.acl !== service.ingress.wafAclArn) {
      problems.push({ field: serviceField(env, name, "ingress.wafAclArn"), value: service.ingress.wafAclArn ?? "(none: the edge's web ACL)", message: `differs from service ${acl.service}'s (${acl.acl ?? "none: the edge's web ACL"}): its services share one ALB, and an ALB has one web ACL; give every ${service.exposure} service the same wafAclArn, or none` });
    } else if (!acl) acls.set(service.exposure, { service: name, acl: service.ingress.wafAclArn });
  }
  return problems;
}

/** One namespace for every service: its guard rails (default-deny, quota, limits) and the secret store's conditions are made for one. */
function checkNamespaces(env: EnvironmentConfig): FieldProblem[] {
  const [first, ...rest] = serviceEntries(env);
  if (!first) return [];
  return rest
    .filter(([, service]) => service.namespace !== first[1].namespace)
    .map(([name, service]) => ({
      field: serviceField(env, name, "namespace"),
      value: service.namespace,
      message: `differs from service ${first[0]}'s (${first[1].namespace}): the services of an environment share one namespace, whose policies admit their calls to each other; allowed: ${first[1].namespace}`,
    }));
}
