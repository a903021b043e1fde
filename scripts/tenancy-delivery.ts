import { appNamespace, clusterEnvironment } from "../config/naming";
import type { ClusterMember, ClusterMembers } from "../review/tenancy";
import { environmentDocsIn } from "./review-cli";

/**
 * The delivery flow's view of shared clusters (config `cluster.environment`, docs/topologies.md):
 * the order environments are applied in, and which environment's services each cluster's
 * namespaces hold, for the plan comment and the guard.
 */

// The order itself is config's (config/naming.ts), which the GitHub settings' checklist lists too.
export { promotionOrder, type Promoted } from "../config/naming";

const FULL_CHECK = "run npm run synth for the full check";

interface Placement {
  readonly environment: string;
  readonly host: string;
  readonly namespace: string;
  readonly production: boolean;
}

/**
 * Where an environment file's services run: its host's cluster (its own name, or
 * `cluster.environment`) and its namespace, by the config's own rule (config/naming.ts
 * appNamespace: `app.namespace` or the services' namespace, else `app`, or the environment's name
 * for a tenant). Undefined for a file without services. Read from the YAML as data, as the
 * protect lists are: the files may be a change's, which the base branch's schema has not judged.
 */
function placementOf(file: string, doc: unknown): Placement | undefined {
  const env = (doc ?? {}) as Record<string, unknown>;
  const services = servicesOf(file, env);
  if (env.cluster !== undefined && typeof (env.cluster as { environment?: unknown } | null)?.environment !== "string") {
    throw new Error(`${file}: cluster.environment must name the environment whose cluster this one runs in; ${FULL_CHECK}`);
  }
  if (Object.keys(services).length === 0) return undefined;
  if (typeof env.name !== "string") throw new Error(`${file}: name must be the environment's name, which its services' namespace belongs to; ${FULL_CHECK}`);
  const placed = { name: env.name, cluster: env.cluster as { environment: string } | undefined };
  return { environment: env.name, host: clusterEnvironment(placed), namespace: appNamespace({ ...placed, services: services as never }), production: env.production === true };
}

/**
 * The environment whose cluster (VPC, runner, add-ons) an environment runs in: its host's name
 * for a tenant, its own otherwise. Read from the YAML, as {@link clusterMembersIn} does: CI's
 * scripts ask it once per environment, and the synth has validated the same files.
 */
export function clusterHostIn(configDir: string, environment: string): string {
  const found = environmentDocsIn(configDir).find(({ doc }) => (doc as { name?: unknown } | null)?.name === environment);
  if (!found) return environment;
  const cluster = (found.doc as { cluster?: unknown }).cluster;
  if (cluster === undefined) return environment;
  const host = (cluster as { environment?: unknown } | null)?.environment;
  if (typeof host !== "string") throw new Error(`${found.file}: cluster.environment must name the environment whose cluster this one runs in; ${FULL_CHECK}`);
  return host;
}

/** A file's services by name (an `app` section is the one service `app`), each checked to hold a namespace name or none. */
function servicesOf(file: string, env: Record<string, unknown>): Record<string, { readonly namespace?: string }> {
  const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
  if (env.app !== undefined && !isMap(env.app)) throw new Error(`${file}: app must be the settings of the environment's one service; ${FULL_CHECK}`);
  if (env.services !== undefined && (!isMap(env.services) || !Object.values(env.services).every(isMap))) throw new Error(`${file}: services must be a map of services by name; ${FULL_CHECK}`);
  const services = (env.app !== undefined ? { app: env.app } : (env.services ?? {})) as Record<string, Record<string, unknown>>;
  for (const [name, service] of Object.entries(services)) {
    if (service.namespace !== undefined && typeof service.namespace !== "string") throw new Error(`${file}: ${env.app !== undefined ? "app" : `services.${name}`}.namespace must be a namespace name; ${FULL_CHECK}`);
  }
  return services as Record<string, { readonly namespace?: string }>;
}

/**
 * Every cluster of the config folders and the environments whose services run in it, read from
 * the files as data (review-cli.ts environmentDocsIn). Given the base branch's folder and the
 * change's, an environment is in a cluster, in a namespace, if either says so: a tenant the change
 * removes, or a namespace it renames, still names its environment until the change is applied.
 * Each cluster lists its host first (when it has services), then its tenants in promotion order
 * (non-production first, each group in file order).
 */
export function clusterMembersIn(configDirs: string | readonly string[]): ClusterMembers[] {
  const dirs = typeof configDirs === "string" ? [configDirs] : configDirs;
  const byHost = new Map<string, Map<string, { namespaces: string[]; production: boolean }>>();
  for (const dir of dirs) {
    for (const { file, doc } of environmentDocsIn(dir)) {
      const placed = placementOf(file, doc);
      if (!placed) continue;
      const members = byHost.get(placed.host) ?? new Map<string, { namespaces: string[]; production: boolean }>();
      byHost.set(placed.host, members);
      const member = members.get(placed.environment) ?? { namespaces: [], production: false };
      members.set(placed.environment, { namespaces: member.namespaces.includes(placed.namespace) ? member.namespaces : [...member.namespaces, placed.namespace], production: member.production || placed.production });
    }
  }
  return [...byHost].map(([host, members]) => {
    const list: ClusterMember[] = [...members].map(([environment, m]) => ({ environment, ...m }));
    const tenants = list.filter((m) => m.environment !== host);
    return { host, members: [...list.filter((m) => m.environment === host), ...tenants.filter((m) => !m.production), ...tenants.filter((m) => m.production)] };
  });
}
