import { existsSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { Keda, KEDA_CHART, type KedaProps } from "../../modules/addons/keda";
import { checkReleases, type SynthesizedRelease } from "../../scripts/chart-values";
import { resourcesOf, ROOT, synthScope, type SynthesizedStack } from "../helpers";

// The KEDA add-on's release: pinned, its values keys the pinned chart has, its operator as the
// role <env>-keda, every pod on the system nodes, exposed no more than KEDA needs.
const REFERENCE = path.resolve(ROOT, "..", "shared", "reference", "helm-charts");
const hasReference = existsSync(REFERENCE);
const PROPS: KedaProps = { dependsOn: [], roleArn: "arn:aws:iam::123456789012:role/test-keda", identityMode: "irsa", watchNamespaces: ["app"] };
const release = (props: KedaProps = PROPS): SynthesizedRelease => {
  const json = JSON.parse(synthScope((scope) => new Keda(scope, "keda", props))) as SynthesizedStack;
  const [helm] = resourcesOf(json, "helm_release");
  return { stack: "test", name: "keda_release", chart: String(helm!.chart), repository: String(helm!.repository), version: String(helm!.version), values: (helm!.values as string[]).map((v) => parse(v) as Record<string, unknown>) };
};

describe("the KEDA add-on", () => {
  it("installs the pinned chart keda 2.20.2 from kedacore's repository into the keda namespace, CRDs included", () => {
    const keda = release();
    expect([keda.chart, keda.repository, keda.version, KEDA_CHART.namespace]).toEqual(["keda", "https://kedacore.github.io/charts", "2.20.2", "keda"]);
    expect(keda.values[0]).toMatchObject({ crds: { install: true }, watchNamespace: "app" });
    // A shared cluster's: every environment's namespace, comma-separated (the chart's "namespaces to watch").
    expect(release({ ...PROPS, watchNamespaces: ["development", "production"] }).values[0]).toMatchObject({ watchNamespace: "development,production" });
  });

  it("runs its operator as the role <env>-keda (IRSA's annotation; none with Pod Identity, whose association binds it)", () => {
    expect((release().values[0] as { serviceAccount: unknown }).serviceAccount).toEqual({ operator: { create: true, name: "keda-operator", annotations: { "eks.amazonaws.com/role-arn": PROPS.roleArn } } });
    expect((release({ ...PROPS, identityMode: "pod-identity" }).values[0] as { serviceAccount: unknown }).serviceAccount).toEqual({ operator: { create: true, name: "keda-operator", annotations: {} } });
  });

  it("puts the operator, the Metrics API server and the webhooks on the system nodes, two operators behind a PDB", () => {
    const values = release().values[0] as Record<string, Record<string, unknown>>;
    const system = { nodeSelector: { "platform/node-group": "system" }, tolerations: [{ key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" }] };
    expect([values.operator, values.metricsServer, values.webhooks]).toEqual([{ replicaCount: 2, ...system }, { replicaCount: 1, ...system }, { enabled: true, replicaCount: 1, ...system }]);
    expect(values.podDisruptionBudget).toEqual({ operator: { minAvailable: 1 } });
  });

  it("reads no Secret outside its namespace and scales no custom kind: its RBAC is what Deployments need", () => {
    expect(release().values[0]).toMatchObject({ permissions: { operator: { restrict: { secret: true } } }, rbac: { enabledCustomScaledRefKinds: false } });
  });

  (hasReference ? it : it.skip)(`sets only keys the pinned chart has (${hasReference ? "../shared/reference/helm-charts" : "skipped: ../shared/reference is not beside this clone; CI's charts job checks against the real chart"})`, () => {
    expect(checkReleases([release()], REFERENCE)).toEqual([]);
  });
});
