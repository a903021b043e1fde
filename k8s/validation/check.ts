import { type ClusterObjects } from "./cluster-objects";
import { type CrossCheckOptions, crossCheck } from "./cross-checks";
import { type CrdVersion, openapiFile } from "./schema-sources";
import { KubeValidator } from "./validator";

/** The schemas to check against. */
export interface CheckSources {
  /** A folder of `kubernetes-<x.y.z>/swagger.json`. */
  readonly openapiDir: string;
  /** The CRDs of the pinned charts, by `apiVersion kind`. */
  readonly crds: ReadonlyMap<string, CrdVersion>;
  /** What the cross-object checks need. */
  readonly crossCheck?: CrossCheckOptions;
}

/** One cluster to check: its objects and its Kubernetes minor version. */
export interface ClusterToCheck {
  readonly cluster: ClusterObjects;
  readonly kubernetesVersion: string;
}

/** What checking found. */
export interface CheckResult {
  /** `<env>: <source>: <Kind> <ns>/<name>: <pointer>: <problem>` lines. */
  readonly problems: readonly string[];
  /** Objects validated. */
  readonly objects: number;
  /** The OpenAPI file each Kubernetes version was checked against. */
  readonly openapi: Readonly<Record<string, string>>;
}

/**
 * Validates every object of every cluster strictly against its Kubernetes version's OpenAPI and
 * the CRDs given (CEL rules included), then runs the cross-object checks. One validator per
 * Kubernetes version, shared by the clusters on it. Throws when a version has no OpenAPI
 * document in the folder: a check that cannot run must not pass.
 */
export function checkClusters(clusters: readonly ClusterToCheck[], sources: CheckSources): CheckResult {
  const validators = new Map<string, KubeValidator>();
  const openapi: Record<string, string> = {};
  const problems: string[] = [];
  let objects = 0;
  for (const { cluster, kubernetesVersion } of clusters) {
    let validator = validators.get(kubernetesVersion);
    if (!validator) {
      const file = openapiFile(sources.openapiDir, kubernetesVersion);
      if (!file) throw new Error(`${sources.openapiDir}: no kubernetes-${kubernetesVersion}.<patch>/swagger.json, so the objects of ${cluster.environment} cannot be checked against Kubernetes ${kubernetesVersion}`);
      validator = new KubeValidator(file, sources.crds);
      validators.set(kubernetesVersion, validator);
      openapi[kubernetesVersion] = file;
    }
    for (const placed of cluster.objects) {
      objects++;
      const { object } = placed;
      for (const problem of validator.validate(object)) problems.push(`${cluster.environment}: ${placed.source}: ${object.kind} ${placed.namespace ? `${placed.namespace}/` : ""}${object.metadata?.name}: ${problem}`);
    }
    problems.push(...crossCheck(cluster, sources.crossCheck).map((p) => `${cluster.environment}: ${p}`));
  }
  return { problems, objects, openapi };
}
