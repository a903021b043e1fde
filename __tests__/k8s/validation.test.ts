/* eslint-disable @typescript-eslint/no-explicit-any -- objects are plain JSON here: the tests break them by path */
import path from "node:path";
import { Testing } from "cdktf";
import { checkClusters, type ClusterToCheck } from "../../k8s/validation/check";
import { clusterObjects, type KubeObject, type PlacedObject, type StackJson } from "../../k8s/validation/cluster-objects";
import { crossCheck } from "../../k8s/validation/cross-checks";
import { loadCrds, loadIngressAnnotations, referenceAnnotationsFile, referenceFolder } from "../../k8s/validation/schema-sources";
import { LOAD_BALANCER_CONTROLLER_VERSION } from "../../modules/addons/load-balancer-controller";
import { KubeValidator } from "../../k8s/validation/validator";
import { openapiFile } from "../../k8s/validation/schema-sources";
import { AddonsStack } from "../../stacks/addons-stack";
import { AppStack } from "../../stacks/app-stack";
import { fixtureInputs, fixtureSynth, ROOT, synthJson } from "../helpers";

// Every Kubernetes object every environment of the fixture project gets, validated as `kubeconform -strict`
// would (unknown fields are errors) against the schemas of the pinned versions, then checked
// against each other. The examples (examples/*: five services with talksTo, a worker and KEDA; a
// shared cluster's tenants) are checked the same way by examples.test.ts.
const inputs = fixtureInputs();
// The fixture's stacks as the global setup synthesized them once.
const manifest = fixtureSynth.manifest();
const clusters: ClusterToCheck[] = inputs.environments.map((env) => {
  const json = Object.fromEntries(["platform", "app"].map((l) => `${env.name}-${l}`).filter((id) => manifest[id]).map((id) => [id, fixtureSynth.stack(id)]));
  return { cluster: clusterObjects(env.name, json as Record<string, StackJson>), kubernetesVersion: env.eks.version };
});
// And stage as a team with schema migrations runs it: their hook Job and service account too
// (only the two layers that hold Kubernetes objects are made).
const stage = inputs.environments.find((e) => e.name === "stage")!;
const app = { ...stage.services.app!, migrations: { command: ["alembic", "upgrade", "head"], deadlineSeconds: 600 } };
const migrating = { ...stage, name: "migrating", services: { app } };
const migratingProps = { env: migrating, backend: inputs.backend, project: inputs.project };
clusters.push({
  cluster: clusterObjects("migrating", { "migrating-platform": synthJson(new AddonsStack(Testing.app(), migratingProps)), "migrating-app": synthJson(new AppStack(Testing.app(), migratingProps)) } as Record<string, StackJson>),
  kubernetesVersion: stage.eks.version,
});

const REFERENCE = referenceFolder(ROOT);
const skipped = "skipped: ../shared/reference is not beside this clone; CI's charts job checks against the pulled charts' CRDs and Kubernetes' own OpenAPI (npm run kube-check)";
const withReference = REFERENCE ? it : it.skip;
const crds = REFERENCE ? loadCrds([path.join(REFERENCE, "crds")]) : new Map();
const annotations = REFERENCE ? loadIngressAnnotations(referenceAnnotationsFile(REFERENCE, LOAD_BALANCER_CONTROLLER_VERSION)) : undefined;
const validatorFor = (() => {
  const cache = new Map<string, KubeValidator>();
  return (version: string) => {
    if (!cache.has(version)) cache.set(version, new KubeValidator(openapiFile(path.join(REFERENCE!, "openapi"), version)!, crds));
    return cache.get(version)!;
  };
})();
const kinds = [...new Map(clusters.flatMap((c) => c.cluster.objects.map((p) => [`${p.object.apiVersion} ${p.object.kind}`, p] as const))).values()];
const clone = <T>(value: T): any => JSON.parse(JSON.stringify(value));

describe("every Kubernetes object of every environment", () => {
  it("exists: each environment's cluster gets the platform's objects and the app's", () => {
    for (const { cluster } of clusters) {
      const present = new Set(cluster.objects.map((p) => p.object.kind));
      for (const kind of ["StorageClass", "ClusterSecretStore", "ExternalSecret", "NetworkPolicy", "ResourceQuota", "LimitRange", "Deployment", "Service", "Ingress", "HorizontalPodAutoscaler", "PodDisruptionBudget", "ServiceMonitor", "PrometheusRule"]) {
        expect({ environment: cluster.environment, kind, present: present.has(kind) }).toEqual({ environment: cluster.environment, kind, present: true });
      }
    }
  });

  withReference(`is valid, strictly, against its cluster's Kubernetes OpenAPI and the pinned CRDs, CEL rules included${REFERENCE ? "" : ` (${skipped})`}`, () => {
    const result = checkClusters(clusters, { openapiDir: path.join(REFERENCE!, "openapi"), crds, crossCheck: { ingressAnnotations: annotations } });
    expect(result.problems).toEqual([]);
    expect(result.objects).toBeGreaterThan(40);
    expect(Object.keys(result.openapi)).toEqual(["1.36"]);
  });

  it(`agrees with the objects it refers to: selectors, ports, stores, node classes, namespaces, quotas${annotations ? ", Ingress annotations" : " (Ingress annotations not checked: ../shared/reference is not beside this clone)"}`, () => {
    for (const { cluster } of clusters) expect({ environment: cluster.environment, problems: crossCheck(cluster, { ingressAnnotations: annotations }) }).toEqual({ environment: cluster.environment, problems: [] });
  });
});

describe("the strict validator is not vacuous", () => {
  /** Adds a misspelt key to the deepest map on the first path into the object's spec (or the object). */
  const misspell = (object: KubeObject): any => {
    const broken = clone(object);
    let node = broken.spec ?? broken;
    for (;;) {
      const next = Object.entries(node).find(([, v]) => v && typeof v === "object" && !(Array.isArray(v) && (v.length === 0 || typeof v[0] !== "object")));
      if (!next) break;
      const value = next[1] as any;
      const child = Array.isArray(value) ? value[0] : value;
      // Stop above free-form maps (labels, selectors' matchLabels, parameters): any key is valid there.
      if (Object.values(child).every((v) => typeof v === "string") && !Array.isArray(value)) break;
      node = child;
    }
    node.misspeltFeild = "x";
    return broken;
  };

  withReference(`refuses, for each kind the project emits, a misspelt field deep in its spec and a wrong type${REFERENCE ? "" : ` (${skipped})`}`, () => {
    const validator = validatorFor("1.36");
    for (const placed of kinds) {
      const { object } = placed;
      expect({ kind: object.kind, valid: validator.validate(object) }).toEqual({ kind: object.kind, valid: [] });
      expect({ kind: object.kind, misspelt: validator.validate(misspell(object)) }).toEqual({ kind: object.kind, misspelt: [expect.stringMatching(/\/misspeltFeild: unknown field$/)] });
      expect({ kind: object.kind, wrongType: validator.validate({ ...clone(object), metadata: { ...object.metadata, name: 5 } }) }).toEqual({ kind: object.kind, wrongType: ["/metadata/name: must be string"] });
    }
    // KEDA's ScaledObject and TriggerAuthentication, which the fixture does not emit, get the same checks in kafka-lag-scaler.test.ts.
    expect(kinds.map((p) => p.object.kind).sort()).toEqual([
      "AlertmanagerConfig", "ClusterSecretStore", "ConfigMap", "Deployment", "EC2NodeClass", "ExternalSecret", "HorizontalPodAutoscaler", "Ingress", "Job", "LimitRange", "NetworkPolicy",
      "NodePool", "PodDisruptionBudget", "PriorityClass", "PrometheusRule", "ResourceQuota", "SecretStore", "SecurityGroupPolicy", "Service", "ServiceAccount", "ServiceMonitor", "StorageClass",
    ]);
  });

  withReference(`evaluates the CRDs' CEL rules where the schema alone passes${REFERENCE ? "" : ` (${skipped})`}`, () => {
    const validator = validatorFor("1.36");
    const pool = clone(kinds.find((p) => p.object.kind === "NodePool")!.object);
    // Karpenter 1.14.1's NodePool CRD: Gt takes one integer; kubernetes.io/hostname is restricted.
    pool.spec.template.spec.requirements.push({ key: "karpenter.k8s.aws/instance-cpu", operator: "Gt", values: ["4", "8"] });
    expect(validator.validate(pool)).toEqual(["/spec/template/spec/requirements: requirements operator 'Gt', 'Lt', 'Gte', or 'Lte' must have a single positive integer value"]);
    const hostname = clone(kinds.find((p) => p.object.kind === "NodePool")!.object);
    hostname.spec.template.spec.requirements.push({ key: "kubernetes.io/hostname", operator: "Exists" });
    expect(validator.validate(hostname)).toEqual([expect.stringContaining('label "kubernetes.io/hostname" is restricted')]);
    const nodeClass = clone(kinds.find((p) => p.object.kind === "EC2NodeClass")!.object);
    nodeClass.spec.amiSelectorTerms = [{ alias: "al2023" }];
    expect(validator.validate(nodeClass)).toEqual([expect.stringContaining("'alias' is improperly formatted, must match the format 'family@version'")]);
  });
});

describe("runtime behaviour the cross-object checks prove, each from the upstream source that defines it", () => {
  const app = clusters.find((c) => c.cluster.environment === "prod")!.cluster;
  const edit = (kind: string, change: (o: any) => void) => ({
    ...app,
    objects: app.objects.map((p): PlacedObject => (p.object.kind === kind ? { ...p, object: ((o) => (change(o), o))(clone(p.object)) } : p)),
  });

  it("an ExternalSecret whose find has only a path: External Secrets v2.9.0's AWS provider fails it (GetAllSecrets, \"unexpected find operator\")", () => {
    const broken = edit("ExternalSecret", (o) => o.spec.dataFrom?.[0]?.find && delete o.spec.dataFrom[0].find.name);
    expect(crossCheck(broken)).toEqual([expect.stringMatching(/ExternalSecret app\/app-secrets: dataFrom\.find has neither name nor tags: External Secrets' AWS provider fails it with "unexpected find operator"$/)]);
  });

  it("a Deployment that sets replicas beside its HPA: every helm upgrade resets the count (helm/helm#7090)", () => {
    expect(crossCheck(edit("Deployment", (o) => (o.spec.replicas = 3)))).toEqual([expect.stringMatching(/Deployment app\/app: sets spec\.replicas while HPA app owns the count: every helm upgrade would reset it \(helm\/helm#7090\)$/)]);
  });

  it("a NodePool without its EC2NodeClass: Karpenter launches nothing for it", () => {
    expect(crossCheck(edit("NodePool", (o) => (o.spec.template.spec.nodeClassRef.name = "gone")))).toEqual([
      expect.stringMatching(/NodePool apps-amd64: uses EC2NodeClass gone, which does not exist/),
      expect.stringMatching(/NodePool apps-arm64: uses EC2NodeClass gone, which does not exist/),
    ]);
  });

  it("a required envFrom Secret that nothing makes: the pods never start (CreateContainerConfigError)", () => {
    const broken = edit("Deployment", (o) => (o.spec.template.spec.containers[0].envFrom = [{ secretRef: { name: "missing" } }]));
    expect(crossCheck(broken)).toEqual([expect.stringMatching(/Deployment app\/app: container app needs Secret missing, which nothing creates in app/)]);
  });

  it("selectors and ports that miss: a Service with no endpoints, a PDB protecting nothing, a ServiceMonitor scraping no port", () => {
    expect(crossCheck(edit("Service", (o) => (o.spec.selector = { "app.kubernetes.io/name": "other" })))).toEqual([expect.stringMatching(/Service app\/app: selects no pods \(\{"app\.kubernetes\.io\/name":"other"\}\): it would have no endpoints$/)]);
    expect(crossCheck(edit("PodDisruptionBudget", (o) => (o.spec.selector.matchLabels = { app: "x" })))).toEqual([expect.stringMatching(/PodDisruptionBudget app\/app: selects no pods: it protects nothing$/)]);
    expect(crossCheck(edit("ServiceMonitor", (o) => (o.spec.endpoints[0].port = "metrics")))).toEqual([expect.stringMatching(/ServiceMonitor app\/app: scrapes port metrics, which no selected Service names$/)]);
    expect(crossCheck(edit("Service", (o) => (o.spec.ports[0].targetPort = "web")))).toEqual([expect.stringMatching(/Service app\/app: port http targets "web", which no selected pod's container declares$/)]);
  });

  it("a NetworkPolicy admitting a namespace that does not exist, or a port no pod listens on, or selecting no pod", () => {
    const policy = (name: string, change: (o: any) => void) => ({ ...app, objects: app.objects.map((p) => (p.object.kind === "NetworkPolicy" && p.object.metadata.name === name ? { ...p, object: ((o) => (change(o), o))(clone(p.object)) } : p)) });
    expect(crossCheck(policy("app-from-prometheus", (o) => (o.spec.ingress[0].from[0].namespaceSelector.matchLabels["kubernetes.io/metadata.name"] = "monitorng")))).toEqual([expect.stringMatching(/NetworkPolicy app\/app-from-prometheus: admits namespace monitorng, which does not exist/)]);
    expect(crossCheck(policy("app-from-load-balancer", (o) => (o.spec.ingress[0].ports[0].port = 8080)))).toEqual([expect.stringMatching(/NetworkPolicy app\/app-from-load-balancer: admits port 8080, on which no pod it selects listens$/)]);
    expect(crossCheck(policy("app-from-load-balancer", (o) => (o.spec.podSelector.matchLabels["app.kubernetes.io/name"] = "ap")))).toEqual([expect.stringMatching(/NetworkPolicy app\/app-from-load-balancer: selects no pod of namespace app: the policy guards nothing$/)]);
    expect(crossCheck(policy("app-from-load-balancer", (o) => (o.spec.ingress[0].from = [{ podSelector: { matchLabels: { "app.kubernetes.io/name": "gateway" } } }])))).toEqual([
      expect.stringMatching(/NetworkPolicy app\/app-from-load-balancer: admits pods that no workload of namespace app runs: the rule would admit nothing$/),
    ]);
  });

  it("an ExternalSecret in a namespace its ClusterSecretStore does not admit, or of a store that does not exist, and a SecretStore whose account is not there", () => {
    expect(crossCheck(edit("ClusterSecretStore", (o) => (o.spec.conditions = [{ namespaces: ["app"] }])))).toEqual(
      expect.arrayContaining([expect.stringMatching(/ExternalSecret monitoring\/grafana-admin: ClusterSecretStore aws-secrets-manager admits only the namespaces app, not monitoring$/)]),
    );
    expect(crossCheck(edit("ExternalSecret", (o) => (o.spec.secretStoreRef.name = "vault")))).toEqual(
      expect.arrayContaining([expect.stringMatching(/ExternalSecret app\/app-secrets: uses SecretStore vault, which does not exist: the Secret would never be made$/)]),
    );
    // A namespace's SecretStore serves that namespace only: one in another namespace is no store of it.
    const moved = { ...app, objects: app.objects.map((p): PlacedObject => (p.object.kind === "SecretStore" ? { ...p, namespace: "monitoring", object: { ...p.object, metadata: { ...p.object.metadata, namespace: "monitoring" } } } : p)) };
    expect(crossCheck(moved)).toEqual(
      expect.arrayContaining([expect.stringMatching(/ExternalSecret app\/app-secrets: uses SecretStore aws-secrets-manager, which does not exist: the Secret would never be made$/)]),
    );
    expect(crossCheck(edit("SecretStore", (o) => (o.spec.provider.aws.auth.jwt.serviceAccountRef.name = "nobody")))).toEqual([
      expect.stringMatching(/SecretStore app\/aws-secrets-manager: authenticates as service account nobody, which namespace app does not have: External Secrets could get no token, and no ExternalSecret of the store would sync$/),
    ]);
  });

  it("pods that do not fit the namespace at the HPA's maximum plus the rollout surge, or above the LimitRange's maximum", () => {
    const quota = crossCheck(edit("HorizontalPodAutoscaler", (o) => (o.spec.maxReplicas = 60)));
    // 60 pods and a 25% surge of 15: 75 × 250m = 18.75 CPUs, over the quota's 16.
    // And 75 × 512Mi = 37.5Gi of memory requests, over its 32Gi (the 64Gi of limits still fit).
    expect(quota).toEqual([
      expect.stringMatching(/ResourceQuota app\/app: the workloads of app at their most need requests\.cpu 18\.75, above its 16 \(Deployment app: 75 pods \(HPA maximum 60 and a rolling update's surge of 15\)\): the last pods would be refused$/),
      expect.stringMatching(/ResourceQuota app\/app: the workloads of app at their most need requests\.memory 37\.50Gi, above its 32Gi/),
    ]);
    // Two workloads share the quota: each fits alone, together they do not.
    const deployment = app.objects.find((p) => p.object.kind === "Deployment")!;
    const hpa = app.objects.find((p) => p.object.kind === "HorizontalPodAutoscaler")!;
    const twin = (p: PlacedObject, name: string): PlacedObject => ({ ...p, object: ((o) => ((o.metadata.name = name), o.spec.scaleTargetRef && (o.spec.scaleTargetRef.name = name), o))(clone(p.object)) });
    const wide = { ...app, objects: [...app.objects, twin(deployment, "worker"), twin(hpa, "worker")].map((p) => (p.object.kind === "HorizontalPodAutoscaler" ? { ...p, object: ((o) => ((o.spec.maxReplicas = 30), o))(clone(p.object)) } : p)) };
    expect(crossCheck(wide)).toEqual([expect.stringMatching(/need requests\.cpu 19, above its 16 \(Deployment app: 38 pods .*; Deployment worker: 38 pods/), expect.stringMatching(/requests\.memory/)]);
    const big = crossCheck(edit("Deployment", (o) => (o.spec.template.spec.containers[0].resources = { requests: { cpu: "250m", memory: "9Gi" }, limits: { memory: "9Gi" } })));
    expect(big).toEqual(expect.arrayContaining([expect.stringMatching(/container app asks 9Gi memory, above LimitRange app's maximum of 8Gi: the API server refuses its pods$/)]));
  });

  it("a SecurityGroupPolicy the VPC resource controller would ignore, or whose group would reach no pod (amazon-vpc-resource-controller-k8s v1.7.19, pkg/utils/helper.go, README)", () => {
    const sgp = (change: (o: any) => void) => edit("SecurityGroupPolicy", change);
    // The service's pods and its migrations Job's: both reach the database as the service.
    expect(app.objects.filter((p) => p.object.kind === "SecurityGroupPolicy").map((p) => [p.namespace, p.object.metadata.name, (p.object.spec as any).podSelector])).toEqual([
      ["app", "app-pods", { matchExpressions: [{ key: "app.kubernetes.io/name", operator: "In", values: ["app", "app-migrations"] }] }],
    ]);
    expect(crossCheck(sgp((o) => (o.spec.podSelector.matchExpressions[0].values = ["ap"])))).toEqual([expect.stringMatching(/SecurityGroupPolicy app\/app-pods: selects no pod of namespace app: its security groups would go to no pod$/)]);
    expect(crossCheck(sgp((o) => delete o.spec.podSelector))).toEqual([expect.stringMatching(/SecurityGroupPolicy app\/app-pods: has neither podSelector nor serviceAccountSelector: the controller ignores it$/)]);
    expect(crossCheck(sgp((o) => (o.spec.securityGroups.groupIds = ["sg-1", "sg-2", "sg-3", "sg-4", "sg-5", "sg-6"])))).toEqual([
      expect.stringMatching(/SecurityGroupPolicy app\/app-pods: names 6 security groups, more than the 5 the VPC resource controller supports per policy$/),
    ]);
    // A chart of its own renders pods these objects do not hold: its policy says so, and is not judged by them.
    expect(crossCheck(sgp((o) => ((o.spec.podSelector.matchExpressions[0].values = ["orders"]), (o.metadata.annotations = { "platform/pods-of-a-chart-of-its-own": "true" }))))).toEqual([]);
  });

  withReference(`an Ingress annotation the pinned AWS Load Balancer Controller does not read${REFERENCE ? "" : ` (${skipped})`}`, () => {
    const broken = edit("Ingress", (o) => (o.metadata.annotations["alb.ingress.kubernetes.io/ssl-polcy"] = "x"));
    expect(crossCheck(broken, { ingressAnnotations: annotations })).toEqual([expect.stringMatching(/Ingress app\/app: annotation alb\.ingress\.kubernetes\.io\/ssl-polcy is not one the pinned AWS Load Balancer Controller reads$/)]);
  });
});
