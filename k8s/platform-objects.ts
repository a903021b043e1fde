import { Chart, type ChartProps } from "cdk8s";
import { k8s } from "cdk8s-plus-34";
import { type Construct } from "constructs";
import { ClusterSecretStore, ExternalSecret } from "./crds/external-secrets";
import { Ec2NodeClass, NodePool } from "./crds/karpenter";

/** Karpenter's part of the platform objects. */
export interface KarpenterNodes {
  /** Cluster name: subnets carry it in their discovery tag. */
  readonly clusterName: string;
  /** The node role's name (`<env>-eks`). */
  readonly nodeRoleName: string;
  /** The nodes' security group (`<env>-eks`). */
  readonly nodeSecurityGroupId: string;
  /** Capacity types the NodePools may launch. */
  readonly capacityTypes: ReadonlyArray<"spot" | "on-demand">;
  /**
   * Most vCPUs each NodePool may run: a ceiling on what a runaway deployment can cost.
   * @default 200
   */
  readonly cpuLimit?: number;
}

/** Props of {@link PlatformObjects}. */
export interface PlatformObjectsProps extends ChartProps {
  /** The region of Secrets Manager. */
  readonly region: string;
  /** The operator's service account, which the store authenticates as (IRSA); none with Pod Identity. */
  readonly externalSecretsServiceAccount?: { readonly name: string; readonly namespace: string };
  /** Namespaces whose ExternalSecrets may use the store. */
  readonly secretNamespaces: readonly string[];
  /** Grafana's admin Secret: its name and namespace, and its key in Secrets Manager. */
  readonly grafanaAdmin: { readonly secretName: string; readonly namespace: string; readonly secretsManagerKey: string };
  /** The application's namespace and what may reach it. */
  readonly app: { readonly namespace: string; readonly port: number; readonly loadBalancerCidrs: readonly string[]; readonly monitoringNamespace: string };
  /**
   * Karpenter's NodePools and EC2NodeClass.
   * @default - none: Karpenter is off
   */
  readonly karpenter?: KarpenterNodes;
}

/** Names other stacks use (the app stack reads them from `<env>-platform`'s contract). */
export const SECRET_STORE = "aws-secrets-manager";
export const STORAGE_CLASS = "gp3-encrypted";

/**
 * The platform's own Kubernetes objects, typed: the default encrypted gp3 StorageClass, the
 * ClusterSecretStore, Grafana's admin ExternalSecret, the application namespace's guard rails
 * (default-deny ingress with explicit allows, quota, limits) and Karpenter's node pools. Installed
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
    const sa = props.externalSecretsServiceAccount;
    new ClusterSecretStore(this, "secret-store", {
      metadata: { name: SECRET_STORE },
      spec: {
        provider: { aws: { service: "SecretsManager", region: props.region, auth: sa ? { jwt: { serviceAccountRef: sa } } : undefined } },
        conditions: [{ namespaces: [...props.secretNamespaces] }],
      },
    });
    new ExternalSecret(this, "grafana-admin", {
      metadata: { name: props.grafanaAdmin.secretName, namespace: props.grafanaAdmin.namespace },
      spec: {
        refreshInterval: "1h",
        secretStoreRef: { kind: "ClusterSecretStore", name: SECRET_STORE },
        target: { name: props.grafanaAdmin.secretName, creationPolicy: "Owner" },
        dataFrom: [{ extract: { key: props.grafanaAdmin.secretsManagerKey } }],
      },
    });
    this.appGuardRails(props.app);
    if (props.karpenter) this.karpenterNodes(props.karpenter);
  }

  /** Default-deny ingress, then only the load balancer to the app port and Prometheus to the metrics port; a quota and default limits. */
  private appGuardRails(app: PlatformObjectsProps["app"]): void {
    const namespace = app.namespace;
    new k8s.KubeNetworkPolicy(this, "app-default-deny", { metadata: { name: "default-deny-ingress", namespace }, spec: { podSelector: {}, policyTypes: ["Ingress"] } });
    // The ALB sends to pod IPs (target type ip) from its nodes in the public subnets.
    new k8s.KubeNetworkPolicy(this, "app-from-load-balancer", {
      metadata: { name: "allow-load-balancer", namespace },
      spec: { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ from: app.loadBalancerCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: [{ protocol: "TCP", port: k8s.IntOrString.fromNumber(app.port) }] }] },
    });
    new k8s.KubeNetworkPolicy(this, "app-from-monitoring", {
      metadata: { name: "allow-prometheus", namespace },
      spec: {
        podSelector: {},
        policyTypes: ["Ingress"],
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": app.monitoringNamespace } } }], ports: [{ protocol: "TCP", port: k8s.IntOrString.fromNumber(app.port) }] }],
      },
    });
    new k8s.KubeResourceQuota(this, "app-quota", {
      metadata: { name: "app", namespace },
      spec: { hard: { "requests.cpu": k8s.Quantity.fromString("16"), "requests.memory": k8s.Quantity.fromString("32Gi"), "limits.memory": k8s.Quantity.fromString("64Gi"), pods: k8s.Quantity.fromString("100") } },
    });
    new k8s.KubeLimitRange(this, "app-limits", {
      metadata: { name: "app", namespace },
      spec: {
        limits: [
          {
            type: "Container",
            defaultRequest: { cpu: k8s.Quantity.fromString("100m"), memory: k8s.Quantity.fromString("128Mi") },
            default: { memory: k8s.Quantity.fromString("256Mi") },
            max: { memory: k8s.Quantity.fromString("8Gi") },
          },
        ],
      },
    });
  }

  /** One EC2NodeClass, and an amd64 and an arm64 (Graviton) NodePool for applications. */
  private karpenterNodes(nodes: KarpenterNodes): void {
    new Ec2NodeClass(this, "node-class", {
      metadata: { name: "default" },
      spec: {
        role: nodes.nodeRoleName,
        amiSelectorTerms: [{ alias: "al2023@latest" }],
        subnetSelectorTerms: [{ tags: { "karpenter.sh/discovery": nodes.clusterName } }],
        securityGroupSelectorTerms: [{ id: nodes.nodeSecurityGroupId }],
        // As the managed node groups: IMDSv2 only, one hop, so pods never reach node credentials.
        metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
        blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: "50Gi", volumeType: "gp3", encrypted: true, deleteOnTermination: true } }],
      },
    });
    for (const arch of ["amd64", "arm64"] as const) {
      new NodePool(this, `node-pool-${arch}`, {
        metadata: { name: `apps-${arch}` },
        spec: {
          template: {
            // The apps group's label: application pods select it, so they land on these nodes (or the managed apps group), never on system nodes.
            metadata: { labels: { "platform/node-group": "apps" } },
            spec: {
              nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "default" },
              requirements: [
                { key: "kubernetes.io/arch", operator: "In", values: [arch] },
                { key: "karpenter.sh/capacity-type", operator: "In", values: [...nodes.capacityTypes] },
                { key: "karpenter.k8s.aws/instance-category", operator: "In", values: ["c", "m", "r"] },
                { key: "karpenter.k8s.aws/instance-generation", operator: "Gt", values: ["5"] },
              ],
              expireAfter: "720h",
            },
          },
          limits: { cpu: String(nodes.cpuLimit ?? 200) },
          disruption: { consolidationPolicy: "WhenEmptyOrUnderutilized", consolidateAfter: "5m" },
        },
      });
    }
  }
}
