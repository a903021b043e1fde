/**
 * The `restricted` Pod Security Standard, checked on rendered manifests: what the admission
 * controller of a namespace labelled `pod-security.kubernetes.io/enforce: restricted` would
 * refuse. Tests run it on the app chart, so a refusal is found here, not at deploy time.
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
 */

/** The pod-level security context of the project's workloads: non-root, its own uid and gid, RuntimeDefault seccomp. */
export const RESTRICTED_POD_CONTEXT = { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: "RuntimeDefault" } };

/** The container-level security context the restricted profile asks for, and a read-only root filesystem. */
export const RESTRICTED_CONTAINER_CONTEXT = {
  runAsNonRoot: true,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ["ALL"] },
  seccompProfile: { type: "RuntimeDefault" },
};

type Obj = Record<string, unknown>;
const obj = (value: unknown): Obj => (value && typeof value === "object" ? (value as Obj) : {});
const list = (value: unknown): Obj[] => (Array.isArray(value) ? (value as Obj[]) : []);

/** Volume types `restricted` allows. */
const ALLOWED_VOLUMES = ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"];

/** The pod spec of a workload manifest, if it has one. */
function podSpecOf(manifest: Obj): Obj | undefined {
  const kind = manifest.kind;
  if (kind === "Pod") return obj(manifest.spec);
  if (["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"].includes(String(kind))) return obj(obj(obj(manifest.spec).template).spec);
  if (kind === "CronJob") return obj(obj(obj(obj(obj(manifest.spec).jobTemplate).spec).template).spec);
  return undefined;
}

/** What in the manifests the restricted profile refuses: `<kind>/<name>: <problem>` each. */
export function restrictedViolations(manifests: readonly unknown[]): string[] {
  const problems: string[] = [];
  for (const manifest of manifests.map(obj)) {
    const spec = podSpecOf(manifest);
    if (!spec) continue;
    const where = `${String(manifest.kind)}/${String(obj(manifest.metadata).name)}`;
    const say = (problem: string) => problems.push(`${where}: ${problem}`);
    const podContext = obj(spec.securityContext);
    for (const field of ["hostNetwork", "hostPID", "hostIPC"]) if (spec[field] === true) say(`${field} is true`);
    for (const volume of list(spec.volumes)) {
      const type = Object.keys(volume).find((k) => k !== "name");
      if (!type || !ALLOWED_VOLUMES.includes(type)) say(`volume ${String(volume.name)} is of type ${type}`);
    }
    for (const container of [...list(spec.initContainers), ...list(spec.containers)]) {
      const c = `container ${String(container.name)}`;
      const context = obj(container.securityContext);
      const setting = (key: string) => context[key] ?? podContext[key];
      if (context.privileged === true) say(`${c} is privileged`);
      if (context.allowPrivilegeEscalation !== false) say(`${c} does not set allowPrivilegeEscalation: false`);
      if (setting("runAsNonRoot") !== true) say(`${c} does not set runAsNonRoot: true`);
      if (setting("runAsUser") === 0) say(`${c} runs as user 0`);
      const seccomp = obj(setting("seccompProfile")).type;
      if (seccomp !== "RuntimeDefault" && seccomp !== "Localhost") say(`${c} has no RuntimeDefault or Localhost seccomp profile`);
      const capabilities = obj(context.capabilities);
      if (!(Array.isArray(capabilities.drop) && capabilities.drop.includes("ALL"))) say(`${c} does not drop ALL capabilities`);
      for (const added of Array.isArray(capabilities.add) ? capabilities.add : []) if (added !== "NET_BIND_SERVICE") say(`${c} adds capability ${String(added)}`);
      for (const port of list(container.ports)) if (port.hostPort !== undefined && port.hostPort !== 0) say(`${c} uses hostPort ${String(port.hostPort)}`);
    }
  }
  return problems;
}
