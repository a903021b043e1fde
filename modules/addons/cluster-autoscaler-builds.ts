import { type KubernetesVersion } from "../eks/versions";

/**
 * The autoscaler build for each Kubernetes minor version. Upstream builds one per minor version
 * and asks for the newest of the cluster's (cluster-autoscaler/README.md, "Releases"); the chart
 * follows no Kubernetes version of its own (9.59.0 ships v1.35.0), so the image is set here:
 * the tags cluster-autoscaler-1.35.2 and cluster-autoscaler-1.36.1. A version with no entry is
 * refused by config while the autoscaler runs (config/eks-checks.ts); the add-on is in cluster-autoscaler.ts.
 */
export const CLUSTER_AUTOSCALER_IMAGE_TAGS: Readonly<Partial<Record<KubernetesVersion, string>>> = {
  "1.35": "v1.35.2",
  "1.36": "v1.36.1",
};
