import { createHash } from "node:crypto";
import { type ServiceSettings } from "./app-schema";
import { APP_IMAGE_REPOSITORY, LAYERS } from "./naming";

/**
 * The services of an environment: what its dependencies (Kafka topics and groups, database
 * users, host names and certificates, workload roles, image repositories, releases) are keyed
 * by. An environment file has either a `services` map or an `app` section, the shorthand for the
 * one service `app`; the schema makes `services` of either, so every consumer iterates services.
 */

/** The name of the service an `app` section describes. */
export const APP_SERVICE = "app";

/** A service name: a DNS label (it names a service account, a role suffix and a secrets prefix). */
export const SERVICE_NAME = /^[a-z]([a-z0-9-]{0,30}[a-z0-9])?$/;

/**
 * Names no service may have: a service's name is its role's (`<env>-<name>`, beside every other
 * role the stacks make: the controllers', the cluster's, the database's, CI's) and its release's
 * construct id in `<env>-app`, beside the stacks' remote states (one per layer), providers and
 * edge resources. A test collects every role the fixture and the example make and checks that
 * each is a service's or named here. `<name>-migrations` is a service's migrations Job's account.
 */
export const RESERVED_SERVICE_NAMES: readonly string[] = [
  ...LAYERS.filter((layer) => layer !== "app"),
  ...["secret-store", "load-balancer-controller", "external-secrets", "log-shipping", "karpenter", "karpenter-interruption-queue", "external-dns", "keda", "cluster-autoscaler", "app-secrets-key", "otel-collector", "alertmanager", "alarm-forwarder", "grafana"],
  ...["access-host", "github-runner", "github-plan", "github-apply", "github-drift", "vpc-cni", "ebs-csi", "vpc-flow-logs", "platform-cluster", "platform-nodes"],
  ...["postgres-bootstrap", "postgres-monitoring", "postgres-backup", "backend-github-plan", "backend-github-apply", "stack-github-plan"],
  ...["aws", "backend", "helm", "kubernetes", "web-acl"],
];

/** The prefix of `<env>-app`'s certificates' construct ids ({@link certificateIdOf}), which no service name may take. */
export const RESERVED_SERVICE_PREFIX = "certificate-";

/** The suffix of a service's migrations Job's service account (`<service>-migrations`), which the service's role trusts too. */
export const MIGRATIONS_SUFFIX = "-migrations";

/** One service's settings, its namespace resolved (config/schema.ts). */
export type ServiceConfig = Omit<ServiceSettings, "namespace"> & { readonly namespace: string };

/** What the helpers below read of an environment. */
interface WithServices {
  readonly services: Readonly<Record<string, ServiceConfig>>;
  readonly servicesSection: "app" | "services";
}

/** The services of an environment, by name, in a stable order (sorted by name). */
export function serviceEntries(env: { readonly services: Readonly<Record<string, ServiceConfig>> }): Array<[string, ServiceConfig]> {
  return Object.entries(env.services).sort(([a], [b]) => a.localeCompare(b));
}

/** Names of an environment's services, sorted. */
export function serviceNames(env: { readonly services: Readonly<Record<string, ServiceConfig>> }): string[] {
  return serviceEntries(env).map(([name]) => name);
}

/** The IAM role of a service (`<env>-<service>`); `<env>-iam` makes it, the data stacks grant to it. */
export function serviceRoleName(env: { readonly name: string }, service: string): string {
  return `${env.name}-${service}`;
}

/**
 * A service's Grafana dashboard uid (at most 40 characters, Grafana's limit): `service-<name>` for
 * a cluster host's services, as it always was; `<env>-<name>` for a tenant's, whose services
 * share the host's Grafana (two tenants may each have an `app`), hashed where that is too long.
 */
export function serviceDashboardUid(env: { readonly name: string; readonly cluster?: unknown }, service: string): string {
  if (env.cluster === undefined) return `service-${service}`;
  const uid = `${env.name}-${service}`;
  return uid.length <= 40 ? uid : `${env.name}-${createHash("sha256").update(service).digest("hex").slice(0, 16)}`;
}

/** The ARN pattern of every secret whose name starts with a prefix, in an environment's account and region. */
export function secretArnsUnder(env: { readonly account: { readonly id: string; readonly region: string } }, prefix: string): string {
  return `arn:aws:secretsmanager:${env.account.region}:${env.account.id}:secret:${prefix}*`;
}

/** The Secrets Manager prefix of a service's own secrets (`<env>/<service>/`). */
export function serviceSecretsPrefix(env: { readonly name: string }, service: string): string {
  return `${env.name}/${service}/`;
}

/** The service account a service's pods run as: the service's name. */
export function serviceAccountOf(service: string): string {
  return service;
}

/**
 * The config path of a service's field, as the environment file has it: `app.<field>` for the
 * shorthand, `services.<name>.<field>` otherwise (errors point at the line the file has).
 */
export function serviceField(env: Pick<WithServices, "servicesSection">, service: string, field?: string): string {
  const at = env.servicesSection === "app" ? "app" : `services.${service}`;
  return field ? `${at}.${field}` : at;
}

/** The ECR repository of a service's image: as config says, or the service's name. */
export function serviceImageRepository(service: string, config: Pick<ServiceConfig, "image">): string {
  return config.image.repository ?? service;
}

/** The URL of a service's image repository in the environment's account registry (`account-<id>` makes it). */
export function serviceImageRepositoryUrl(env: { readonly account: { readonly id: string; readonly region: string } }, service: string, config: Pick<ServiceConfig, "image">): string {
  return `${env.account.id}.dkr.ecr.${env.account.region}.amazonaws.com/${serviceImageRepository(service, config)}`;
}

/** The ECR repositories of an account (`account-<id>` makes them): every one its environments' services name, sorted; `app` where they name none. */
export function accountImageRepositories(environments: ReadonlyArray<Pick<WithServices, "services">>): string[] {
  if (environments.length === 0) return [];
  const names = new Set(environments.flatMap((env) => serviceEntries(env).map(([name, service]) => serviceImageRepository(name, service))));
  return names.size ? [...names].sort() : [APP_IMAGE_REPOSITORY];
}

/** ARN of a service's role, known before `<env>-iam` makes it (its name is config's; no path). */
export function serviceRoleArn(env: { readonly name: string; readonly account: { readonly id: string } }, service: string): string {
  return `arn:aws:iam::${env.account.id}:role/${serviceRoleName(env, service)}`;
}

/** The services an ALB serves, by exposure. */
export type AlbExposure = "public" | "internal";

/** A service with a route on an ALB: exposure public or internal, and its ingress. */
export type RoutedService = ServiceConfig & { readonly exposure: AlbExposure; readonly ingress: NonNullable<ServiceConfig["ingress"]> };

/** The services with a route on an ALB, sorted by name (config refuses exposure without ingress, and an ingress with none). */
export function routedServices(env: Pick<WithServices, "services">): Array<[string, RoutedService]> {
  return serviceEntries(env).filter((entry): entry is [string, RoutedService] => entry[1].exposure !== "none" && entry[1].ingress !== undefined);
}

/**
 * The IngressGroup of an environment's services of one exposure (`<env>-public`, `<env>-internal`):
 * each group is one ALB, shared by the services' Ingresses (AWS Load Balancer Controller,
 * docs/guide/ingress/annotations.md, "IngressGroup"). The `app` shorthand keeps its own implicit
 * group, which it always had: an explicit group would be a new ALB (the controller finds a group's
 * ALB by its `ingress.k8s.aws/stack` tag, `namespace/ingress` for an implicit one), and the old one
 * would be deleted with its DNS name.
 */
export function ingressGroupOf(env: Pick<WithServices, "servicesSection"> & { readonly name: string }, exposure: AlbExposure): string | undefined {
  return env.servicesSection === "app" ? undefined : `${env.name}-${exposure}`;
}

/** The services that have an HTTP port, sorted. */
export function servicesWithPorts(env: Pick<WithServices, "services">): Array<[string, ServiceConfig & { readonly port: number }]> {
  return serviceEntries(env).filter((entry): entry is [string, ServiceConfig & { readonly port: number }] => entry[1].port !== undefined);
}

/**
 * The construct id of the certificate `<env>-app` makes for a host: by host (`certificate-api-example-com`),
 * so that adding or removing a service on the host never replaces a certificate an ALB uses; the
 * `app` shorthand's stays `certificate-app`, the address it always had.
 */
export function certificateIdOf(env: Pick<WithServices, "servicesSection">, host: string): string {
  // '-' doubled, then '.' as '-': api-dev.example.com and api.dev.example.com stay apart.
  return env.servicesSection === "app" ? `certificate-${APP_SERVICE}` : `certificate-${host.replace(/-/g, "--").replace(/\./g, "-")}`;
}
