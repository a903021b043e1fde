import { Chart, type ChartProps } from "cdk8s";
import { k8s } from "cdk8s-plus-34";
import { type Construct } from "constructs";
import { ClusterSecretStore, ExternalSecret } from "./crds/external-secrets";
import { MemberNamespace, type MemberNamespaceProps, storeServiceAccount } from "./member-namespace";
import { type ServicePods, ServiceSecurityGroupPolicies } from "./security-group-policies";
import { addDashboardConfigMaps, type DashboardsProps } from "./dashboards/config-maps";
import { Ec2NodeClass, type NodePoolProps, NodePool, type NodeSelectorRequirement } from "./crds/karpenter";

/** One NodePool for application pods: what it may launch, how much, and how its nodes are replaced. */
export interface KarpenterPool {
  /** CPU architectures (kubernetes.io/arch). */
  readonly architectures: ReadonlyArray<"amd64" | "arm64">;
  /** Capacity types (karpenter.sh/capacity-type). */
  readonly capacityTypes: ReadonlyArray<"spot" | "on-demand">;
  /**
   * Instance families.
   * @default - any family of the categories
   */
  readonly families?: readonly string[];
  /**
   * Instance categories.
   * @default ["c", "m", "r"] when no families are given
   */
  readonly categories?: readonly string[];
  /**
   * Oldest instance generation.
   * @default 6 when no families are given
   */
  readonly minGeneration?: number;
  /**
   * Instance sizes.
   * @default - any
   */
  readonly sizes?: readonly string[];
  /** Further requirements on well-known labels (checked against Karpenter's in config). */
  readonly requirements: readonly NodeSelectorRequirement[];
  /** Most vCPUs (and memory, GiB) of the pool's nodes in all: a ceiling on what a runaway deployment can cost. */
  readonly limits: { readonly cpu: number; readonly memoryGiB?: number };
  /** Age at which nodes are replaced. */
  readonly expireAfter: string;
  /** Consolidation and disruption budgets. */
  readonly disruption: NodePoolProps["spec"]["disruption"];
  /**
   * Priority among pools.
   * @default - none
   */
  readonly weight?: number;
}

/** Karpenter's part of the platform objects. */
export interface KarpenterNodes {
  /** Cluster name: subnets carry it in their discovery tag. */
  readonly clusterName: string;
  /** The node role's name (`<env>-eks`). */
  readonly nodeRoleName: string;
  /** The nodes' security group (`<env>-eks`). */
  readonly nodeSecurityGroupId: string;
  /** The EC2NodeClass's AMI alias, pinned to a release (`al2023@v20261012`). */
  readonly amiAlias: string;
  /** The NodePools by name. */
  readonly pools: Readonly<Record<string, KarpenterPool>>;
}

/** Props of {@link PlatformObjects}. */
export interface PlatformObjectsProps extends ChartProps {
  /** The region of Secrets Manager. */
  readonly region: string;
  /**
   * The service account the ClusterSecretStore authenticates as, and its role (`<env>-external-secrets`,
   * the platform's own secrets only). The operator's pods hold no AWS credentials of their own:
   * a store without auth, which falls back to them, reads nothing.
   */
  readonly platformSecrets: { readonly serviceAccount: { readonly name: string; readonly namespace: string }; readonly roleArn: string };
  /** Namespaces whose ExternalSecrets may use the ClusterSecretStore: the platform's, never an environment's (each has its own SecretStore). */
  readonly secretNamespaces: readonly string[];
  /** Grafana's admin Secret: its name and namespace, its key in Secrets Manager, and the version of its value (bumped to rotate). */
  readonly grafanaAdmin: { readonly secretName: string; readonly namespace: string; readonly secretsManagerKey: string; readonly version: number };
  /** The namespace of each environment whose services run in the cluster: the host's own, and each tenant's (k8s/member-namespace.ts). */
  readonly members: readonly MemberNamespaceProps[];
  /**
   * Each service's pods and their own security group (security groups for pods), of every
   * environment in the cluster: a SecurityGroupPolicy each (k8s/security-group-policies.ts).
   * @default - none
   */
  readonly servicePods?: readonly ServicePods[];
  /**
   * Karpenter's NodePools and EC2NodeClass.
   * @default - none: Karpenter is off
   */
  readonly karpenter?: KarpenterNodes;
  /**
   * Grafana's dashboards, as ConfigMaps its sidecar loads (k8s/dashboards/).
   * @default - none
   */
  readonly dashboards?: DashboardsProps;
}

/** Names other stacks use (the app stack reads them from `<env>-platform`'s contract): the platform's ClusterSecretStore, and each environment's SecretStore in its namespace. */
export const SECRET_STORE = "aws-secrets-manager";
/** The annotation that carries a rotated secret's version onto the objects that must follow it. */
export const SECRET_VERSION_ANNOTATION = "platform/secret-version";
export const STORAGE_CLASS = "gp3-encrypted";

/**
 * The platform's own Kubernetes objects, typed: the default encrypted gp3 StorageClass, the
 * platform's ClusterSecretStore, Grafana's admin ExternalSecret, each environment's namespace
 * (its guard rails, PriorityClass and SecretStore: k8s/member-namespace.ts), Karpenter's node
 * pools and Grafana's dashboards. Installed
 * by one Helm release after the releases that bring their CRDs.
 */
export class PlatformObjects extends Chart {
  constructor(scope: Construct, id: string, props: PlatformObjectsProps) {
    super(scope, id, props);
    new k8s.KubeStorageClass(this, "gp3", {
      metadata: { name: STORAGE_CLASS, annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
      provisioner: "ebs.csi.aws.com",
      parameters: { type: "gp3", encrypted: "true" },
      volumeBindingMode: "WaitForFirstConsumer",
      allowVolumeExpansion: true,
      reclaimPolicy: "Delete",
    });
    const sa = props.platformSecrets.serviceAccount;
    // ESO requests the account's token itself, in both identity modes (JWT auth needs only the
    // cluster's OIDC provider): no pod runs as it, none mounts its token.
    storeServiceAccount(this, "platform-secrets-account", { ...sa, roleArn: props.platformSecrets.roleArn });
    new ClusterSecretStore(this, "secret-store", {
      metadata: { name: SECRET_STORE },
      spec: {
        provider: { aws: { service: "SecretsManager", region: props.region, auth: { jwt: { serviceAccountRef: sa } } } },
        conditions: [{ namespaces: [...props.secretNamespaces] }],
      },
    });
    new ExternalSecret(this, "grafana-admin", {
      // A changed annotation makes External Secrets reconcile now, not at the next refresh: a
      // rotated password reaches the Secret in seconds.
      metadata: { name: props.grafanaAdmin.secretName, namespace: props.grafanaAdmin.namespace, annotations: { [SECRET_VERSION_ANNOTATION]: String(props.grafanaAdmin.version) } },
      spec: {
        refreshInterval: "1h",
        secretStoreRef: { kind: "ClusterSecretStore", name: SECRET_STORE },
        target: { name: props.grafanaAdmin.secretName, creationPolicy: "Owner" },
        dataFrom: [{ extract: { key: props.grafanaAdmin.secretsManagerKey } }],
      },
    });
    for (const member of props.members) new MemberNamespace(this, member.environment, member);
    if (props.servicePods?.length) new ServiceSecurityGroupPolicies(this, "security-group-policies", props.servicePods);
    if (props.karpenter) this.karpenterNodes(props.karpenter);
    if (props.dashboards) addDashboardConfigMaps(this, props.dashboards);
  }

  /** One EC2NodeClass, and the NodePools for applications. */
  private karpenterNodes(nodes: KarpenterNodes): void {
    new Ec2NodeClass(this, "node-class", {
      metadata: { name: NODE_CLASS },
      spec: {
        role: nodes.nodeRoleName,
        // A pinned release: an AMI release replaces nodes only when config promotes it.
        amiSelectorTerms: [{ alias: nodes.amiAlias }],
        subnetSelectorTerms: [{ tags: { "karpenter.sh/discovery": nodes.clusterName } }],
        securityGroupSelectorTerms: [{ id: nodes.nodeSecurityGroupId }],
        // As the managed node groups: IMDSv2 only, one hop, so pods never reach node credentials.
        metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
        blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: "50Gi", volumeType: "gp3", encrypted: true, deleteOnTermination: true } }],
      },
    });
    for (const [name, pool] of Object.entries(nodes.pools)) {
      new NodePool(this, `node-pool-${name}`, {
        metadata: { name },
        spec: {
          template: {
            // The apps group's label: application pods select it, so they land on these nodes (or the managed apps group), never on system nodes.
            metadata: { labels: { "platform/node-group": "apps" } },
            spec: {
              nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: NODE_CLASS },
              requirements: poolRequirements(pool),
              expireAfter: pool.expireAfter,
            },
          },
          limits: { cpu: String(pool.limits.cpu), ...(pool.limits.memoryGiB ? { memory: `${pool.limits.memoryGiB}Gi` } : {}) },
          disruption: pool.disruption,
          ...(pool.weight ? { weight: pool.weight } : {}),
        },
      });
    }
  }
}

/** The EC2NodeClass every NodePool uses. */
export const NODE_CLASS = "default";

/** A pool's requirements: its fields first, in a fixed order, then its own requirements. */
export function poolRequirements(pool: KarpenterPool): NodeSelectorRequirement[] {
  const byFamily = (pool.families?.length ?? 0) > 0;
  const categories = pool.categories ?? (byFamily ? undefined : ["c", "m", "r"]);
  const minGeneration = pool.minGeneration ?? (byFamily ? undefined : 6);
  const In = (key: string, values: readonly string[] | undefined): NodeSelectorRequirement[] => (values?.length ? [{ key, operator: "In", values: [...values] }] : []);
  return [
    ...In("kubernetes.io/arch", pool.architectures),
    ...In("karpenter.sh/capacity-type", pool.capacityTypes),
    ...In("karpenter.k8s.aws/instance-family", pool.families),
    ...In("karpenter.k8s.aws/instance-category", categories),
    // Gt is strict: generation 6 and newer is "Gt 5".
    ...(minGeneration !== undefined ? [{ key: "karpenter.k8s.aws/instance-generation", operator: "Gt" as const, values: [String(minGeneration - 1)] }] : []),
    ...In("karpenter.k8s.aws/instance-size", pool.sizes),
    ...pool.requirements,
  ];
}
