import { type ClusterObjects, isReference, type KubeObject, type PlacedObject } from "./cluster-objects";
import { quantityValue } from "./quantity";

/**
 * What a schema cannot check: that objects which refer to each other by name, label or port
 * agree, so that on the cluster a Service has endpoints, a PodDisruptionBudget protects pods, an
 * HPA scales a Deployment, Prometheus scrapes a port, an ExternalSecret has a store it may use,
 * a NodePool has its node class, an AlertmanagerConfig the Secret keys it reads, and the app's pods fit the namespace's quota at their most.
 * Each problem names the object (`<stack> <release>: <Kind> <namespace>/<name>`) and the fault.
 * A value that is a Terraform reference is known only at apply, and is not judged.
 */

type Json = { readonly [key: string]: unknown };
const obj = (v: unknown): Json => (v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : {});
const list = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : []);

/** What the checks need beyond the objects. */
export interface CrossCheckOptions {
  /**
   * The `alb.ingress.kubernetes.io/` annotations the pinned AWS Load Balancer Controller reads
   * (names, or prefixes ending in `.` for `actions.<name>` and the like).
   * @default - annotations are not checked
   */
  readonly ingressAnnotations?: readonly string[];
}

interface Workload {
  readonly placed: PlacedObject;
  readonly labels: Readonly<Record<string, string>>;
  readonly pod: Json;
}

const where = (p: PlacedObject) => `${p.source}: ${p.object.kind} ${p.namespace ? `${p.namespace}/` : ""}${p.object.metadata.name}`;

/** Whether labels satisfy a label selector (matchLabels and matchExpressions). */
export function selects(selector: Json, labels: Readonly<Record<string, string>>): boolean {
  const matchLabels = obj(selector.matchLabels) as Record<string, string>;
  if (!Object.entries(matchLabels).every(([k, v]) => labels[k] === v)) return false;
  return list(selector.matchExpressions).every((e) => {
    const value = labels[String(e.key)];
    const values = (e.values as string[] | undefined) ?? [];
    switch (e.operator) {
      case "In":
        return value !== undefined && values.includes(value);
      case "NotIn":
        return value === undefined || !values.includes(value);
      case "Exists":
        return value !== undefined;
      case "DoesNotExist":
        return value === undefined;
      default:
        return false;
    }
  });
}

const WORKLOAD_KINDS = ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"];

function workloadsOf(objects: readonly PlacedObject[]): Workload[] {
  return objects
    .filter((p) => WORKLOAD_KINDS.includes(p.object.kind))
    .map((placed) => {
      const template = obj(obj(placed.object.spec).template);
      return { placed, labels: obj(obj(template.metadata).labels) as Record<string, string>, pod: obj(template.spec) };
    });
}

const containersOf = (pod: Json) => [...list(pod.initContainers), ...list(pod.containers)];
const portsOf = (pod: Json) => containersOf(pod).flatMap((c) => list(c.ports));

/** Every cross-object problem of one cluster's objects. */
export function crossCheck(cluster: ClusterObjects, options: CrossCheckOptions = {}): string[] {
  const { objects } = cluster;
  const named = (kind: string, name: string, namespace?: string) => objects.find((p) => p.object.kind === kind && p.object.metadata.name === name && p.namespace === namespace);
  const workloads = workloadsOf(objects);
  const podsSelected = (selector: Json, namespace: string | undefined) => workloads.filter((w) => w.placed.namespace === namespace && selects(selector, w.labels));
  const problems: string[] = [];
  const say = (p: PlacedObject, problem: string) => problems.push(`${where(p)}: ${problem}`);

  for (const p of objects) {
    const { object } = p;
    const spec = obj(object.spec);
    if (p.namespace && !isReference(p.namespace) && !cluster.namespaces.includes(p.namespace)) say(p, `its namespace ${p.namespace} is created by no stack and is not one of Kubernetes' own`);
    switch (object.kind) {
      case "Deployment":
      case "StatefulSet":
      case "DaemonSet": {
        if (!selects(obj(spec.selector), obj(obj(obj(spec.template).metadata).labels) as Record<string, string>)) say(p, "its selector does not select its own pod template's labels, which the API server refuses");
        const pod = obj(obj(spec.template).spec);
        const account = pod.serviceAccountName;
        if (typeof account === "string" && account !== "default" && !named("ServiceAccount", account, p.namespace)) say(p, `runs as service account ${account}, which no object creates in ${p.namespace}`);
        for (const container of containersOf(pod)) {
          for (const from of list(container.envFrom)) {
            const ref = obj(from.secretRef);
            if (typeof ref.name === "string" && ref.optional !== true && !secretExists(objects, ref.name, p.namespace)) {
              say(p, `container ${String(container.name)} needs Secret ${ref.name}, which nothing creates in ${p.namespace}: the pods would never start (CreateContainerConfigError)`);
            }
          }
        }
        break;
      }
      case "Service": {
        const selector = obj(spec.selector) as Record<string, string>;
        if (Object.keys(selector).length === 0) break;
        const matched = podsSelected({ matchLabels: selector }, p.namespace);
        if (!matched.length) say(p, `selects no pods (${JSON.stringify(selector)}): it would have no endpoints`);
        for (const port of list(spec.ports)) {
          const target = port.targetPort ?? port.port;
          if (matched.length && !matched.some((w) => portsOf(w.pod).some((cp) => cp.name === target || cp.containerPort === target))) {
            say(p, `port ${String(port.name ?? port.port)} targets ${JSON.stringify(target)}, which no selected pod's container declares`);
          }
        }
        break;
      }
      case "PodDisruptionBudget":
        if (!podsSelected(obj(spec.selector), p.namespace).length) say(p, "selects no pods: it protects nothing");
        break;
      // KEDA's ScaledObject makes and owns an HPA of the same target (keda.sh/v1alpha1).
      case "ScaledObject":
      case "HorizontalPodAutoscaler": {
        const target: Record<string, unknown> = { kind: "Deployment", ...obj(spec.scaleTargetRef) };
        const scaled = named(String(target.kind), String(target.name), p.namespace);
        if (!scaled) say(p, `scales ${String(target.kind)} ${String(target.name)}, which does not exist in ${p.namespace}`);
        // helm/helm#7090: a replica count in the chart resets the HPA's on every upgrade.
        else if (obj(scaled.object.spec).replicas !== undefined) say(scaled, `sets spec.replicas while HPA ${object.metadata.name} owns the count: every helm upgrade would reset it (helm/helm#7090)`);
        break;
      }
      case "ServiceMonitor": {
        // namespaceSelector: any, or matchNames; without it, the monitor's own namespace (prometheus-operator's ServiceMonitorSpec).
        const scope = obj(spec.namespaceSelector);
        const inScope = (ns: string | undefined) => scope.any === true || (Array.isArray(scope.matchNames) ? (scope.matchNames as string[]).includes(ns as string) : ns === p.namespace);
        const services = objects.filter((s) => s.object.kind === "Service" && inScope(s.namespace) && selects(obj(spec.selector), (s.object.metadata.labels ?? {}) as Record<string, string>));
        if (!services.length) say(p, "selects no Service: Prometheus would scrape nothing");
        for (const endpoint of list(spec.endpoints)) {
          if (endpoint.port !== undefined && services.length && !services.some((s) => list(obj(s.object.spec).ports).some((sp) => sp.name === endpoint.port))) {
            say(p, `scrapes port ${String(endpoint.port)}, which no selected Service names`);
          }
        }
        break;
      }
      case "NetworkPolicy":
        problems.push(...networkPolicyProblems(p, cluster, workloads));
        break;
      case "ExternalSecret":
        problems.push(...externalSecretProblems(p, objects));
        break;
      case "SecretStore": {
        // ESO v2.9.0 requests the token of the store's own namespace's account (auth.go; its
        // webhook refuses another namespace): an account no object makes fails every sync.
        const account = obj(obj(obj(obj(obj(spec.provider).aws).auth).jwt).serviceAccountRef).name;
        if (typeof account === "string" && !objects.some((o) => o.object.kind === "ServiceAccount" && o.namespace === p.namespace && o.object.metadata.name === account)) {
          say(p, `authenticates as service account ${account}, which namespace ${p.namespace} does not have: External Secrets could get no token, and no ExternalSecret of the store would sync`);
        }
        break;
      }
      case "NodePool": {
        const ref = obj(obj(obj(spec.template).spec).nodeClassRef);
        if (!named(String(ref.kind), String(ref.name))) say(p, `uses ${String(ref.kind)} ${String(ref.name)}, which does not exist: Karpenter would launch no node for it`);
        break;
      }
      case "Ingress":
        problems.push(...ingressProblems(p, objects, options));
        break;
      case "AlertmanagerConfig":
        problems.push(...alertmanagerConfigProblems(p, objects));
        break;
      case "SecurityGroupPolicy":
        problems.push(...securityGroupPolicyProblems(p, workloads));
        break;
    }
  }
  problems.push(...quotaProblems(objects, workloads));
  return problems;
}

/** Whether a Secret exists in a namespace, made directly or as the target of an ExternalSecret. */
function secretExists(objects: readonly PlacedObject[], name: string, namespace: string | undefined): boolean {
  return objects.some(
    (p) =>
      p.namespace === namespace &&
      ((p.object.kind === "Secret" && p.object.metadata.name === name) || (p.object.kind === "ExternalSecret" && (obj(obj(p.object.spec).target).name ?? p.object.metadata.name) === name)),
  );
}

function networkPolicyProblems(p: PlacedObject, cluster: ClusterObjects, workloads: readonly Workload[]): string[] {
  const problems: string[] = [];
  const spec = obj(p.object.spec);
  const inNamespace = workloads.filter((w) => w.placed.namespace === p.namespace && selects(obj(spec.podSelector), w.labels));
  // A selector that matches no pod guards nothing: a misspelt service name, a service removed.
  // The empty selector (every pod of the namespace) is the default-deny's, valid with no pods yet.
  if (Object.keys(obj(spec.podSelector)).length && !inNamespace.length) problems.push(`${where(p)}: selects no pod of namespace ${p.namespace}: the policy guards nothing`);
  for (const rule of [...list(spec.ingress), ...list(spec.egress)]) {
    for (const peer of [...list(rule.from), ...list(rule.to)]) {
      const names = obj(obj(peer.namespaceSelector).matchLabels)["kubernetes.io/metadata.name"];
      if (typeof names === "string" && !cluster.namespaces.includes(names)) problems.push(`${where(p)}: admits namespace ${names}, which does not exist: the rule would admit nothing`);
      // A pod peer without a namespace selector is in the policy's own namespace.
      if (peer.podSelector && !peer.namespaceSelector && !workloads.some((w) => w.placed.namespace === p.namespace && selects(obj(peer.podSelector), w.labels))) {
        problems.push(`${where(p)}: admits pods that no workload of namespace ${p.namespace} runs: the rule would admit nothing`);
      }
    }
    for (const port of list(rule.ports)) {
      // Ingress ports are the pods' own: one no selected pod listens on admits nothing useful.
      if (list(spec.ingress).includes(rule) && inNamespace.length && typeof port.port === "number" && !inNamespace.some((w) => portsOf(w.pod).some((cp) => cp.containerPort === port.port))) {
        problems.push(`${where(p)}: admits port ${port.port}, on which no pod it selects listens`);
      }
    }
  }
  return problems;
}

/** Marks a SecurityGroupPolicy whose pods are a chart of its own's, which no object here renders (k8s/security-group-policies.ts). */
export const OWN_CHART_PODS_ANNOTATION = "platform/pods-of-a-chart-of-its-own";

/**
 * A SecurityGroupPolicy the VPC resource controller would act on (aws/amazon-vpc-resource-controller-k8s
 * v1.7.19, pkg/utils/helper.go and README): a selector (it ignores a policy with none), at most 5
 * groups, and pods of its own namespace that it selects, or the group it names guards nothing and
 * the pods it was meant for reach none of the data stores that admit only that group. The
 * empty pod selector (every pod of the namespace) and a service-account selector are not judged.
 */
function securityGroupPolicyProblems(p: PlacedObject, workloads: readonly Workload[]): string[] {
  const spec = obj(p.object.spec);
  const problems: string[] = [];
  if (spec.podSelector === undefined && spec.serviceAccountSelector === undefined) problems.push(`${where(p)}: has neither podSelector nor serviceAccountSelector: the controller ignores it`);
  const groups = list(obj(spec.securityGroups).groupIds);
  if (groups.length > 5) problems.push(`${where(p)}: names ${groups.length} security groups, more than the 5 the VPC resource controller supports per policy`);
  const selector = obj(spec.podSelector);
  const ownChart = p.object.metadata.annotations?.[OWN_CHART_PODS_ANNOTATION] === "true";
  if (!ownChart && spec.podSelector !== undefined && Object.keys(selector).length && !workloads.some((w) => w.placed.namespace === p.namespace && selects(selector, w.labels))) {
    problems.push(`${where(p)}: selects no pod of namespace ${p.namespace}: its security groups would go to no pod`);
  }
  return problems;
}

/**
 * External Secrets v2.9.0: a store the ExternalSecret may use (a ClusterSecretStore whose
 * `conditions` admit its namespace), and a `find` the AWS provider can run: with `name` or
 * `tags`, never `path` alone (providers/v1/aws/secretsmanager/secretsmanager.go, GetAllSecrets:
 * "unexpected find operator").
 */
function externalSecretProblems(p: PlacedObject, objects: readonly PlacedObject[]): string[] {
  const problems: string[] = [];
  const spec = obj(p.object.spec);
  const ref = obj(spec.secretStoreRef);
  if (!isReference(ref.name)) {
    const store = objects.find((s) => s.object.kind === (ref.kind ?? "SecretStore") && s.object.metadata.name === ref.name && (ref.kind === "ClusterSecretStore" || s.namespace === p.namespace));
    if (!store) problems.push(`${where(p)}: uses ${String(ref.kind ?? "SecretStore")} ${String(ref.name)}, which does not exist: the Secret would never be made`);
    else {
      // A condition admits by name (namespaces), by regexp (namespaceRegexes) or by labels
      // (namespaceSelector, which needs the namespaces' labels: taken as admitting).
      const conditions = list(obj(store.object.spec).conditions);
      const admits = (c: Json) =>
        c.namespaceSelector !== undefined ||
        ((c.namespaces as string[] | undefined) ?? []).includes(p.namespace as string) ||
        ((c.namespaceRegexes as string[] | undefined) ?? []).some((re) => new RegExp(re).test(p.namespace as string));
      const admitted = conditions.length === 0 || conditions.some(admits);
      if (!admitted) problems.push(`${where(p)}: ${String(ref.kind)} ${String(ref.name)} admits only the namespaces ${conditions.flatMap((c) => (c.namespaces as string[]) ?? []).join(", ")}, not ${p.namespace}`);
    }
  }
  for (const from of list(spec.dataFrom)) {
    const find = from.find === undefined ? undefined : obj(from.find);
    if (find && find.name === undefined && find.tags === undefined) problems.push(`${where(p)}: dataFrom.find has neither name nor tags: External Secrets' AWS provider fails it with "unexpected find operator"`);
  }
  return problems;
}

/**
 * The credentials an AlertmanagerConfig names (`{ name, key }` of a Secret in its namespace: a
 * receiver's apiURL, routingKey, urlSecret) must be keys some object writes: a Secret's, or an
 * ExternalSecret's `data[].secretKey` (its `dataFrom` keys are known only at sync, and pass).
 * prometheus-operator v0.93.1 fails the whole configuration on a missing key
 * (pkg/alertmanager/operator.go, checkAlertmanagerConfigResource: store.GetSecretKey).
 */
function alertmanagerConfigProblems(p: PlacedObject, objects: readonly PlacedObject[]): string[] {
  const writes = (secret: string, key: string) =>
    objects.some((o) => {
      if (o.namespace !== p.namespace) return false;
      const spec = obj(o.object.spec);
      if (o.object.kind === "Secret") return o.object.metadata.name === secret && (key in obj(o.object.data) || key in obj(o.object.stringData));
      if (o.object.kind !== "ExternalSecret" || (obj(spec.target).name ?? o.object.metadata.name) !== secret) return false;
      return list(spec.dataFrom).length > 0 || list(spec.data).some((d) => d.secretKey === key);
    });
  const problems: string[] = [];
  for (const receiver of list(obj(p.object.spec).receivers)) {
    for (const [field, selectorKey] of [["slackConfigs", "apiURL"], ["pagerdutyConfigs", "routingKey"], ["webhookConfigs", "urlSecret"]] as const) {
      for (const config of list(receiver[field])) {
        const selector = obj(config[selectorKey]);
        if (selector.name === undefined) continue;
        if (!writes(String(selector.name), String(selector.key))) {
          problems.push(`${where(p)}: receiver ${String(receiver.name)} reads key ${String(selector.key)} of Secret ${String(selector.name)}, which nothing writes in ${p.namespace}: the operator would generate no configuration`);
        }
      }
    }
  }
  return problems;
}

function ingressProblems(p: PlacedObject, objects: readonly PlacedObject[], options: CrossCheckOptions): string[] {
  const problems: string[] = [];
  const known = options.ingressAnnotations;
  for (const key of Object.keys(p.object.metadata.annotations ?? {})) {
    if (!key.startsWith("alb.ingress.kubernetes.io/") || !known) continue;
    const name = key.slice("alb.ingress.kubernetes.io/".length);
    if (!known.some((k) => k === name || (k.endsWith(".") && name.startsWith(k)))) problems.push(`${where(p)}: annotation ${key} is not one the pinned AWS Load Balancer Controller reads`);
  }
  const rules = list(obj(p.object.spec).rules);
  for (const path of rules.flatMap((r) => list(obj(r.http).paths))) {
    const service = obj(obj(path.backend).service);
    const target = objects.find((s) => s.object.kind === "Service" && s.object.metadata.name === service.name && s.namespace === p.namespace);
    const port = obj(service.port);
    if (!target) problems.push(`${where(p)}: routes to Service ${String(service.name)}, which does not exist in ${p.namespace}`);
    else if (!list(obj(target.object.spec).ports).some((sp) => (port.name !== undefined ? sp.name === port.name : sp.port === port.number))) problems.push(`${where(p)}: routes to port ${JSON.stringify(port)} of Service ${String(service.name)}, which it does not have`);
  }
  return problems;
}

/** What each container asks for once its namespace's LimitRange defaults apply (as the API server's admission does). */
function effectiveResources(container: Json, limitRanges: readonly PlacedObject[]): { requests: Record<string, unknown>; limits: Record<string, unknown> } {
  const own = obj(container.resources);
  const requests: Record<string, unknown> = { ...obj(own.requests) };
  const limits: Record<string, unknown> = { ...obj(own.limits) };
  for (const range of limitRanges) {
    for (const limit of list(obj(range.object.spec).limits).filter((l) => l.type === "Container")) {
      for (const [resource, value] of Object.entries(obj(limit.default))) limits[resource] ??= value;
      for (const [resource, value] of Object.entries(obj(limit.defaultRequest))) requests[resource] ??= limits[resource] ?? value;
    }
  }
  // A request left unset defaults to the limit.
  for (const [resource, value] of Object.entries(limits)) requests[resource] ??= value;
  return { requests, limits };
}

/** The quota keys of compute resources: `cpu` and `memory` alone mean requests. */
const QUOTA_KEYS: Readonly<Record<string, { readonly of: "requests" | "limits" | "pods"; readonly resource: string }>> = {
  cpu: { of: "requests", resource: "cpu" },
  memory: { of: "requests", resource: "memory" },
  "requests.cpu": { of: "requests", resource: "cpu" },
  "requests.memory": { of: "requests", resource: "memory" },
  "limits.cpu": { of: "limits", resource: "cpu" },
  "limits.memory": { of: "limits", resource: "memory" },
  pods: { of: "pods", resource: "pods" },
};

/**
 * Every workload's pods at their most, against its namespace's LimitRange (per container) and
 * ResourceQuota (all the namespace's workloads together): the HPA's maximum, plus what a rolling
 * update surges on top (maxSurge, a percentage rounded up, as the Deployment controller does).
 */
/**
 * Whether a quota counts a workload's pods: one scoped to priority classes (`scopeSelector`,
 * scopeName PriorityClass) counts the pods whose class it selects, a pod without one as the empty
 * class (kubernetes pkg/quota/v1/evaluator/core/pods.go, podMatchesScopeFunc); other scopes are
 * taken as counting every pod.
 */
function quotaCovers(spec: Json, pod: Json): boolean {
  // pod: the pod spec of a workload template.
  const podClass = String(pod.priorityClassName ?? "");
  return list(obj(spec.scopeSelector).matchExpressions).every((e) => {
    if (e.scopeName !== "PriorityClass") return true;
    const values = (e.values as string[] | undefined) ?? [];
    if (e.operator === "In") return values.includes(podClass);
    if (e.operator === "NotIn") return !values.includes(podClass);
    if (e.operator === "Exists") return podClass !== "";
    if (e.operator === "DoesNotExist") return podClass === "";
    return true;
  });
}

function quotaProblems(objects: readonly PlacedObject[], workloads: readonly Workload[]): string[] {
  const problems: string[] = [];
  const namespaces = [...new Set(workloads.map((w) => w.placed.namespace))];
  for (const namespace of namespaces) {
    const inNamespace = (kind: string) => objects.filter((p) => p.object.kind === kind && p.namespace === namespace);
    const limitRanges = inNamespace("LimitRange");
    // Each workload's most, by quota key, for the quotas whose scopes cover its pods.
    const needs: Array<{ pod: Json; amounts: Map<string, number>; share: string }> = [];
    for (const w of workloads.filter((x) => x.placed.namespace === namespace)) {
      const spec = obj(w.placed.object.spec);
      const hpa = [...inNamespace("HorizontalPodAutoscaler"), ...inNamespace("ScaledObject")].find((p) => obj(obj(p.object.spec).scaleTargetRef).name === w.placed.object.metadata.name);
      // A ScaledObject's maxReplicaCount defaults to 100 (KEDA's ScaledObject spec).
      const most = Number(hpa ? (hpa.object.kind === "ScaledObject" ? (obj(hpa.object.spec).maxReplicaCount ?? 100) : obj(hpa.object.spec).maxReplicas) : (spec.replicas ?? 1));
      const surgeSetting = obj(obj(spec.strategy).rollingUpdate).maxSurge ?? "25%";
      const surge = typeof surgeSetting === "number" ? surgeSetting : Math.ceil((most * Number(String(surgeSetting).replace("%", ""))) / 100);
      const pods = most + surge;
      const amounts = new Map<string, number>();
      needs.push({ pod: w.pod, amounts, share: `${w.placed.object.kind} ${w.placed.object.metadata.name}: ${pods} pods (HPA maximum ${most} and a rolling update's surge of ${surge})` });
      const containers = containersOf(w.pod).map((c) => ({ name: String(c.name), ...effectiveResources(c, limitRanges) }));
      for (const range of limitRanges) {
        for (const limit of list(obj(range.object.spec).limits).filter((l) => l.type === "Container")) {
          for (const [resource, max] of Object.entries(obj(limit.max))) {
            for (const c of containers) {
              const asked = c.limits[resource] ?? c.requests[resource];
              if (asked !== undefined && quantityValue(asked) > quantityValue(max)) problems.push(`${where(w.placed)}: container ${c.name} asks ${String(asked)} ${resource}, above LimitRange ${range.object.metadata.name}'s maximum of ${String(max)}: the API server refuses its pods`);
            }
          }
        }
      }
      for (const [key, { of, resource }] of Object.entries(QUOTA_KEYS)) {
        const perPod = of === "pods" ? 1 : containers.reduce((sum, c) => sum + quantityValue(c[of][resource] ?? 0), 0);
        amounts.set(key, perPod * pods);
      }
    }
    for (const quota of inNamespace("ResourceQuota")) {
      const covered = needs.filter((n) => quotaCovers(obj(quota.object.spec), n.pod));
      const shares = covered.map((n) => n.share);
      for (const [key, hard] of Object.entries(obj(obj(quota.object.spec).hard))) {
        const needed = covered.length ? covered.reduce((sum, n) => sum + (n.amounts.get(key) ?? 0), 0) : undefined;
        if (needed !== undefined && needed > quantityValue(hard)) {
          problems.push(`${where(quota)}: the workloads of ${namespace} at their most need ${key} ${formatAmount(needed, QUOTA_KEYS[key]!.resource)}, above its ${String(hard)} (${shares.join("; ")}): the last pods would be refused`);
        }
      }
    }
  }
  return problems;
}

const formatAmount = (value: number, resource: string) => (resource === "memory" ? `${(value / 2 ** 30).toFixed(2)}Gi` : String(Number(value.toFixed(3))));

/** Objects of a kind, for tests and reports. */
export const ofKind = (cluster: ClusterObjects, kind: string): KubeObject[] => cluster.objects.filter((p) => p.object.kind === kind).map((p) => p.object);
