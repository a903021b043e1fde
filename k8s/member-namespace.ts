import { k8s } from "cdk8s-plus-34";
import { Construct } from "constructs";
import { SecretStore } from "./crds/external-secrets";
import { dataSubnetEgress, type DataSubnetEgressProps } from "./data-egress";

/**
 * One environment's namespace in a cluster, and everything that keeps it apart from the others
 * (docs/topologies.md): default-deny with explicit allows, a quota and default limits, its own
 * PriorityClass, and a SecretStore that reads only its own secrets. The cluster host's platform
 * release makes them, for itself and for each tenant, so no tenant can loosen them: a tenant's
 * people and CI write their services' objects only, through the deployers' Role (stacks/tenant-access.ts).
 */
export interface MemberNamespaceProps {
  /** The environment whose namespace it is. */
  readonly environment: string;
  /** The namespace (config: the services' namespace). */
  readonly namespace: string;
  /**
   * Whether other environments run in the cluster too. Then the namespace's egress is an
   * allow-list (DNS, its own namespace, the VPC endpoints, its data stores' ports, the internet
   * through NAT: never another namespace's pods), and its pods must carry its PriorityClass.
   * Alone, it keeps the egress it has always had (everything but the data subnets' other ports).
   */
  readonly shared: boolean;
  /** The monitoring namespace, whose Prometheus scrapes the services. */
  readonly monitoringNamespace: string;
  /** Where the ALBs' nodes are, internet-facing and internal alike: the public subnets, which hold no pod. */
  readonly loadBalancerCidrs: readonly string[];
  /**
   * The services: a port, who reaches it from outside the namespace, and whether it deploys a
   * chart of its own, whose pods' labels the project does not know (its allows then select every
   * pod of the namespace, on its port, as they always have).
   */
  readonly services: ReadonlyArray<{ readonly name: string; readonly port?: number; readonly exposure: "public" | "internal" | "none"; readonly ownChart?: boolean; readonly callers?: readonly string[] }>;
  /**
   * Whether this release also makes the calls of talksTo (`<service>-from-callers`), which a
   * cluster host's own services' charts make: a tenant's deployers may write no NetworkPolicy,
   * so that none can loosen its namespace's, and its host makes them.
   * @default false
   */
  readonly callerPolicies?: boolean;
  /** The data subnets, and the data stores' ports the services reach there (k8s/data-egress.ts). */
  readonly dataEgress: Omit<DataSubnetEgressProps, "namespace">;
  /** The VPC's block: what a shared namespace's internet egress leaves out. */
  readonly vpcCidr: string;
  /** The subnets of the interface VPC endpoints (STS, ECR, Secrets Manager, …), reached on 443. */
  readonly endpointCidrs: readonly string[];
  /**
   * The OpenTelemetry Collector's namespace and OTLP ports, where tracing is on.
   * @default - no tracing
   */
  readonly tracing?: { readonly namespace: string; readonly ports: readonly number[] };
  /** The environment's SecretStore: its name, region, and the role its service account assumes (`<env>-secret-store`). */
  readonly secretStore: { readonly name: string; readonly serviceAccount: string; readonly region: string; readonly roleArn: string };
  /** Its PriorityClass: production's above the others', and only production's preempts. */
  readonly priorityClass: { readonly name: string; readonly value: number; readonly preempts: boolean };
  /**
   * The Kubernetes group of a tenant's CI and editors (their access entries name it), bound here
   * to the custom resources of its services' releases, which no EKS access policy covers.
   * @default - none: the cluster host's own principals have cluster scope
   */
  readonly deployersGroup?: string;
}

/**
 * What a service's release makes (k8s/app-chart.ts, app-migrations.ts, kafka-lag-scaler.ts), which a
 * tenant's deployers may write in their namespace only, and Helm's release state (Secrets). Not
 * NetworkPolicies, SecretStores, SecurityGroupPolicies, quotas, limits or roles: the host's
 * platform makes those, so no tenant can loosen its namespace's guard rails, name another
 * account or group, or grant itself more.
 */
export const DEPLOYER_RESOURCES: ReadonlyArray<{ readonly apiGroup: string; readonly resources: readonly string[] }> = [
  { apiGroup: "", resources: ["configmaps", "secrets", "serviceaccounts", "services"] },
  { apiGroup: "apps", resources: ["deployments"] },
  { apiGroup: "batch", resources: ["jobs"] },
  { apiGroup: "autoscaling", resources: ["horizontalpodautoscalers"] },
  { apiGroup: "policy", resources: ["poddisruptionbudgets"] },
  { apiGroup: "networking.k8s.io", resources: ["ingresses"] },
  { apiGroup: "external-secrets.io", resources: ["externalsecrets"] },
  { apiGroup: "monitoring.coreos.com", resources: ["servicemonitors", "podmonitors", "prometheusrules"] },
  { apiGroup: "keda.sh", resources: ["scaledobjects", "triggerauthentications"] },
];

/** What Helm waits on and people look at, read only: the pods, their logs and events, and what the controllers make. */
export const DEPLOYER_READS: ReadonlyArray<{ readonly apiGroup: string; readonly resources: readonly string[] }> = [
  { apiGroup: "", resources: ["pods", "pods/log", "events", "endpoints", "resourcequotas", "limitranges"] },
  { apiGroup: "apps", resources: ["replicasets"] },
  { apiGroup: "discovery.k8s.io", resources: ["endpointslices"] },
  { apiGroup: "networking.k8s.io", resources: ["networkpolicies"] },
];

/** The objects of one environment's namespace, under `scope` (the platform objects' chart). */
export class MemberNamespace extends Construct {
  constructor(scope: Construct, id: string, props: MemberNamespaceProps) {
    super(scope, id);
    this.ingress(props);
    if (props.shared) this.egressAllowList(props);
    else dataSubnetEgress(this, { namespace: props.namespace, ...props.dataEgress });
    this.quotas(props);
    this.secretStore(props);
    if (props.deployersGroup) this.deployers(props.namespace, props.deployersGroup);
  }

  /**
   * Default-deny ingress, then per service only its ALB to its port (exposure public or internal)
   * and Prometheus to its port. Each allow selects its service's pods by name, so a worker
   * (exposure none) is reachable from no load balancer, whatever its port. The service charts add
   * the calls between services (talksTo). They stay here, in the release applied first, so that
   * no upgrade ever leaves a service without them for a moment.
   */
  private ingress(props: MemberNamespaceProps): void {
    const { namespace } = props;
    new k8s.KubeNetworkPolicy(this, "default-deny", { metadata: { name: "default-deny-ingress", namespace }, spec: { podSelector: {}, policyTypes: ["Ingress"] } });
    for (const service of props.services) {
      if (service.port === undefined) continue;
      const allow = (id: string, name: string, from: k8s.NetworkPolicyPeer[]) =>
        new k8s.KubeNetworkPolicy(this, id, {
          metadata: { name, namespace },
          spec: {
            podSelector: service.ownChart ? {} : { matchLabels: { "app.kubernetes.io/name": service.name } },
            policyTypes: ["Ingress"],
            ingress: [{ from, ports: [{ protocol: "TCP", port: k8s.IntOrString.fromNumber(service.port as number) }] }],
          },
        });
      // The ALB sends to pod IPs (target type ip) from its nodes in its subnets.
      if (service.exposure !== "none") allow(`${service.name}-from-load-balancer`, `${service.name}-from-load-balancer`, props.loadBalancerCidrs.map((cidr) => ({ ipBlock: { cidr } })));
      allow(`${service.name}-from-monitoring`, `${service.name}-from-prometheus`, [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": props.monitoringNamespace } } }]);
      // The calls of talksTo, as the shipped chart writes them (k8s/app-chart.ts), by the callers' pod label.
      if (props.callerPolicies && service.callers?.length) {
        allow(`${service.name}-from-callers`, `${service.name}-from-callers`, [{ podSelector: { matchExpressions: [{ key: "app.kubernetes.io/name", operator: "In", values: [...service.callers] }] } }]);
      }
    }
  }

  /**
   * A shared cluster's namespace sends only where its services must: CoreDNS, its own pods (the
   * calls of talksTo, which the callee's ingress policy narrows), the VPC endpoints on 443, its
   * data stores on their client ports, the collector where tracing is on, and the internet
   * (through NAT) but nothing else in the VPC: no other namespace's pods, whatever their port.
   * NetworkPolicies add up, so each allow is a policy of its own, named for what it admits.
   */
  private egressAllowList(props: MemberNamespaceProps): void {
    const { namespace } = props;
    const egress = (id: string, rules: k8s.NetworkPolicyEgressRule[]) =>
      new k8s.KubeNetworkPolicy(this, id, { metadata: { name: id, namespace }, spec: { podSelector: {}, policyTypes: ["Egress"], ...(rules.length ? { egress: rules } : {}) } });
    const tcp = (ports: readonly number[]) => ports.map((port) => ({ protocol: "TCP", port: k8s.IntOrString.fromNumber(port) }));
    egress("default-deny-egress", []);
    egress("egress-to-dns", [
      {
        // CoreDNS, the EKS add-on, runs in kube-system with this label (kube-dns is its Service's name).
        to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
        ports: [
          { protocol: "UDP", port: k8s.IntOrString.fromNumber(53) },
          { protocol: "TCP", port: k8s.IntOrString.fromNumber(53) },
        ],
      },
    ]);
    egress("egress-within-namespace", [{ to: [{ podSelector: {} }] }]);
    egress("egress-to-vpc-endpoints", [{ to: props.endpointCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: tcp([443]) }]);
    if (props.dataEgress.ports.length) egress("egress-to-data-stores", [{ to: props.dataEgress.dataCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: tcp(props.dataEgress.ports) }]);
    if (props.tracing) {
      egress("egress-to-tracing", [{ to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": props.tracing.namespace } } }], ports: tcp(props.tracing.ports) }]);
    }
    egress("egress-outside-the-vpc", [{ to: [{ ipBlock: { cidr: "0.0.0.0/0", except: [props.vpcCidr] } }] }]);
  }

  /**
   * A quota and default limits, and the environment's PriorityClass: production's preempts the
   * others' pods when the cluster is full, theirs never preempt. In a shared cluster a second
   * quota admits no pod of any other class (nor of none), so no tenant runs at another's priority:
   * EKS does not let the API server's quota configuration limit classes cluster-wide
   * (aws/containers-roadmap#1822), so each namespace limits its own.
   * @see https://kubernetes.io/docs/concepts/policy/resource-quotas/#limit-priority-class-consumption-by-default
   */
  private quotas(props: MemberNamespaceProps): void {
    const { namespace, priorityClass } = props;
    new k8s.KubeResourceQuota(this, "quota", {
      metadata: { name: "app", namespace },
      spec: { hard: { "requests.cpu": k8s.Quantity.fromString("16"), "requests.memory": k8s.Quantity.fromString("32Gi"), "limits.memory": k8s.Quantity.fromString("64Gi"), pods: k8s.Quantity.fromString("100") } },
    });
    new k8s.KubeLimitRange(this, "limits", {
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
    new k8s.KubePriorityClass(this, "priority", {
      metadata: { name: priorityClass.name, labels: { "platform/environment": props.environment } },
      value: priorityClass.value,
      preemptionPolicy: priorityClass.preempts ? "PreemptLowerPriority" : "Never",
      globalDefault: false,
      description: `The pods of ${props.environment} (namespace ${namespace})`,
    });
    if (props.shared) {
      new k8s.KubeResourceQuota(this, "priority-quota", {
        metadata: { name: "only-its-own-priority-class", namespace },
        spec: { hard: { pods: k8s.Quantity.fromString("0") }, scopeSelector: { matchExpressions: [{ scopeName: "PriorityClass", operator: "NotIn", values: [priorityClass.name] }] } },
      });
    }
  }

  /**
   * The namespace's own SecretStore: the ExternalSecrets of its services read Secrets Manager as
   * its service account, whose role (`<env>-secret-store`) reads only that environment's service
   * secrets and trusts only this account. No pod runs as it (no token is mounted); ESO requests
   * its token. Another namespace can neither use the store nor name the account.
   */
  private secretStore(props: MemberNamespaceProps): void {
    const { namespace, secretStore } = props;
    storeServiceAccount(this, "secret-store-account", { name: secretStore.serviceAccount, namespace, roleArn: secretStore.roleArn });
    new SecretStore(this, "secret-store", {
      metadata: { name: secretStore.name, namespace },
      spec: { provider: { aws: { service: "SecretsManager", region: secretStore.region, auth: { jwt: { serviceAccountRef: { name: secretStore.serviceAccount } } } } } },
    });
  }

  /**
   * A tenant's deployers (its CI apply role and editors, by their access entries' group) may write
   * what their services' releases make in this namespace ({@link DEPLOYER_RESOURCES}), and read
   * what Helm waits on. They hold no EKS access policy that writes (AmazonEKSEditPolicy writes
   * NetworkPolicies: docs.aws.amazon.com/eks, access-policy-permissions), so RBAC is all they have.
   */
  private deployers(namespace: string, group: string): void {
    new k8s.KubeRole(this, "deployers-role", {
      metadata: { name: "environment-deployers", namespace },
      rules: [
        ...DEPLOYER_RESOURCES.map(({ apiGroup, resources }) => ({ apiGroups: [apiGroup], resources: [...resources], verbs: ["get", "list", "watch", "create", "update", "patch", "delete"] })),
        ...DEPLOYER_READS.map(({ apiGroup, resources }) => ({ apiGroups: [apiGroup], resources: [...resources], verbs: ["get", "list", "watch"] })),
      ],
    });
    new k8s.KubeRoleBinding(this, "deployers-binding", {
      metadata: { name: "environment-deployers", namespace },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "environment-deployers" },
      subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: group }],
    });
  }
}

/**
 * The service account a store reads Secrets Manager as: annotated with its role (ESO assumes the
 * account's `eks.amazonaws.com/role-arn` with the token it requests), never mounted by a pod.
 */
export function storeServiceAccount(scope: Construct, id: string, account: { readonly name: string; readonly namespace: string; readonly roleArn: string }): k8s.KubeServiceAccount {
  return new k8s.KubeServiceAccount(scope, id, {
    metadata: { name: account.name, namespace: account.namespace, annotations: { "eks.amazonaws.com/role-arn": account.roleArn } },
    automountServiceAccountToken: false,
  });
}
