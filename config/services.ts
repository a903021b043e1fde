import { type AppConfig } from "./app-schema";

/**
 * The services of an environment: what its dependencies (Kafka topics and groups, database
 * users, host names and certificates, workload roles) are keyed by. Today the `app` section is
 * the one service, named `app`; the environment's `services` map lists each (the schema derives it
 * from `app`), so every consumer iterates services and a second one needs no code change.
 */

/** The name of the service an `app` section describes. */
export const APP_SERVICE = "app";

/** A service name: a DNS label (it names a service account, a role suffix and a secrets prefix). */
export const SERVICE_NAME = /^[a-z]([a-z0-9-]{0,30}[a-z0-9])?$/;

/** One service's settings. */
export type ServiceConfig = AppConfig;

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

/** The Secrets Manager prefix of a service's own secrets (`<env>/<service>/`). */
export function serviceSecretsPrefix(env: { readonly name: string }, service: string): string {
  return `${env.name}/${service}/`;
}

/** The service account a service's pods run as: the service's name. */
export function serviceAccountOf(service: string): string {
  return service;
}
