import { EC2_FAMILIES_BY_NAME, EC2_INSTANCE_TYPES, familyCategory, familyGeneration, type InstanceShape, lookupInstanceType } from "../modules/instance-types/ec2";
import { type FieldProblem } from "./checks";
import { nodeGroupRole } from "./node-groups";
import { APPS_NODE_LABEL } from "./platform-checks";
import { type Architecture, karpenterSettings, type NodePoolConfig } from "./platform-schema";
import { type EnvironmentConfig } from "./schema";
import { serviceEntries } from "./services";

/**
 * Quantities that no node could hold: a pod that requests more CPU or memory than the largest
 * node it may run on is never scheduled, and the release waits for it until it times out. The
 * node sizes come from the instance-type table (modules/instance-types/ec2.ts).
 */

/** The largest node a pod may land on, for one resource, and where it comes from. */
interface Largest {
  readonly shape: InstanceShape;
  /** "node group apps", "Karpenter NodePool apps-arm64". */
  readonly source: string;
}

/** A CPU quantity in vCPUs ("250m" is 0.25, "2" is 2). */
export function cpuCores(quantity: string): number {
  return quantity.endsWith("m") ? Number(quantity.slice(0, -1)) / 1000 : Number(quantity);
}

/** A memory quantity in GiB ("512Mi" is 0.5). */
export function memoryGiB(quantity: string): number {
  const units: Record<string, number> = { Ki: 1 / 1024 ** 2, Mi: 1 / 1024, Gi: 1 };
  const [, amount, unit] = /^(\d+)(Ki|Mi|Gi)$/.exec(quantity) ?? [];
  return Number(amount) * (units[unit ?? ""] ?? Number.NaN);
}

const toEc2Arch = (arch: Architecture) => (arch === "arm64" ? "arm64" : "x86_64");

/**
 * The instance types a NodePool may launch that the table knows, within its limits (Karpenter
 * launches no node that would take the pool past them), or undefined when it may launch only
 * families the table knows by name (their sizes are unknown). Raw requirements are not applied:
 * they can only narrow the choice, so the bound stays an upper one and never refuses a pod that fits.
 */
function poolShapes(pool: NodePoolConfig, archs: readonly Architecture[]): InstanceShape[] | undefined {
  const byFamily = (pool.families?.length ?? 0) > 0;
  // The pool's defaults, as k8s/platform-objects.ts writes its requirements.
  const categories = pool.categories ?? (byFamily ? undefined : ["c", "m", "r"]);
  const minGeneration = pool.minGeneration ?? (byFamily ? undefined : 6);
  const launchable = (family: string, arch: string) =>
    archs.some((a) => toEc2Arch(a) === arch) &&
    (!pool.families || pool.families.includes(family)) &&
    (!categories || categories.includes(familyCategory(family))) &&
    (minGeneration === undefined || familyGeneration(family) >= minGeneration);
  const shapes = EC2_INSTANCE_TYPES.filter(
    (t) => launchable(t.family, t.arch) && (!pool.sizes || pool.sizes.includes(t.name.slice(t.family.length + 1))) && t.vcpus <= pool.limits.cpu && (pool.limits.memoryGiB === undefined || t.memoryGiB <= pool.limits.memoryGiB),
  );
  if (shapes.length) return shapes;
  // Only families known by name (GPU, storage): their largest node is not known here.
  return Object.entries(EC2_FAMILIES_BY_NAME).some(([family, arch]) => launchable(family, arch)) ? undefined : [];
}

/**
 * The largest node, by vCPUs and by memory, that a service's pods may run on: the types of the
 * node groups labelled as the apps group, and of the Karpenter NodePools (whose nodes carry that
 * label), of the service's architectures. Undefined when a type that may be chosen is not in the
 * table, so nothing is refused on a guess.
 */
export function largestAppNodes(env: EnvironmentConfig, archs: readonly Architecture[]): { cpu: Largest; memory: Largest } | undefined {
  const candidates: Largest[] = [];
  for (const [name, group] of Object.entries(env.eks.nodeGroups)) {
    if (nodeGroupRole(name, group) !== APPS_NODE_LABEL.value) continue;
    for (const instanceType of group.instanceTypes) {
      const found = lookupInstanceType(instanceType);
      if (found.kind !== "known") return undefined;
      if (archs.some((a) => toEc2Arch(a) === found.shape.arch)) candidates.push({ shape: found.shape, source: `node group ${name}` });
    }
  }
  if (env.eks.karpenter && env.platform) {
    for (const [name, pool] of Object.entries(karpenterSettings(env.platform).nodePools)) {
      const shapes = poolShapes(pool, pool.architectures.filter((a) => archs.includes(a)));
      if (!shapes) return undefined;
      candidates.push(...shapes.map((shape) => ({ shape, source: `Karpenter NodePool ${name}` })));
    }
  }
  const largest = (by: (s: InstanceShape) => number) => candidates.reduce<Largest | undefined>((best, c) => (!best || by(c.shape) > by(best.shape) ? c : best), undefined);
  const cpu = largest((s) => s.vcpus);
  const memory = largest((s) => s.memoryGiB);
  return cpu && memory ? { cpu, memory } : undefined;
}

const describe = ({ shape, source }: Largest) => `${shape.name} (${shape.vcpus} vCPUs, ${shape.memoryGiB} GiB) of ${source}`;

/** Each service's CPU and memory requests against the largest node its pods may run on. */
export function checkQuantities(env: EnvironmentConfig): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const [service, config] of serviceEntries(env)) {
    const at = service === "app" ? "app.resources" : `services.${service}.resources`;
    const largest = largestAppNodes(env, config.architectures);
    if (!largest) continue;
    const { cpu, memory } = config.resources;
    if (cpuCores(cpu) > largest.cpu.shape.vcpus) {
      const millicores = cpu.endsWith("m") ? "" : `; for ${cpu} thousandths of a vCPU, write "${cpu}m"`;
      problems.push({
        field: `${at}.cpu`,
        value: cpu,
        message: `requests ${cpuCores(cpu)} vCPUs per pod, more than the largest node its pods may run on has: ${describe(largest.cpu)}; such a pod is never scheduled${millicores}`,
      });
    }
    if (memoryGiB(memory) > largest.memory.shape.memoryGiB) {
      problems.push({
        field: `${at}.memory`,
        value: memory,
        message: `requests ${memoryGiB(memory)} GiB per pod, more than the largest node its pods may run on has: ${describe(largest.memory)}; such a pod is never scheduled`,
      });
    }
  }
  return problems;
}
