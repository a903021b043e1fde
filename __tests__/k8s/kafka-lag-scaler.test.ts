/* eslint-disable @typescript-eslint/no-explicit-any -- manifests are plain JSON here: the tests read and break them by path */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { App, Chart } from "cdk8s";
import { KafkaLagScaler, type KafkaLagScalerProps, kafkaLagScaling } from "../../k8s/kafka-lag-scaler";
import { loadCrds, openapiFile, referenceFolder } from "../../k8s/validation/schema-sources";
import { KubeValidator } from "../../k8s/validation/validator";
import { ROOT } from "../helpers";

// The ScaledObject and TriggerAuthentication a Kafka consumer scales with, built in a cdk8s chart
// and validated strictly (unknown fields are errors, CEL rules included) against KEDA 2.20.2's
// CRDs as the cluster serves them: base and scaledobject_patch.yaml.
const PROPS: KafkaLagScalerProps = {
  name: "orders-worker",
  namespace: "app",
  min: 2,
  max: 12,
  cpuTargetPercent: 70,
  topic: "orders",
  group: "orders-worker.orders",
  lagThreshold: 100,
  bootstrapServers: "b-1.test-kafka.abc123.c2.kafka.eu-west-1.amazonaws.com:9098,b-2.test-kafka.abc123.c2.kafka.eu-west-1.amazonaws.com:9098",
  region: "eu-west-1",
  labels: { "app.kubernetes.io/name": "orders-worker" },
};
const manifests = (props: KafkaLagScalerProps = PROPS) => {
  const chart = new Chart(new App(), "test");
  new KafkaLagScaler(chart, "orders-worker", props);
  return chart.toJson() as any[];
};
const byKind = (kind: string) => manifests().find((m) => m.kind === kind);

const REFERENCE = referenceFolder(ROOT);
const withReference = REFERENCE ? it : it.skip;
const skipped = REFERENCE ? "" : " (skipped: ../shared/reference is not beside this clone; CI's charts job checks against the pulled KEDA chart's CRDs)";
const validator = REFERENCE ? new KubeValidator(openapiFile(path.join(REFERENCE, "openapi"), "1.36")!, loadCrds([path.join(REFERENCE, "crds", "keda-2.20.2")])) : undefined;

describe("kafka lag scaling", () => {
  it("scales the Deployment between min and max, on CPU as the HPA did and on the group's lag, as KEDA's own role over MSK IAM", () => {
    expect(byKind("ScaledObject")).toEqual({
      apiVersion: "keda.sh/v1alpha1",
      kind: "ScaledObject",
      metadata: { name: "orders-worker", namespace: "app", labels: { "app.kubernetes.io/name": "orders-worker" } },
      spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "orders-worker" },
        minReplicaCount: 2,
        maxReplicaCount: 12,
        triggers: [
          { type: "cpu", metricType: "Utilization", metadata: { value: "70" } },
          {
            type: "kafka",
            metadata: {
              bootstrapServers: PROPS.bootstrapServers,
              consumerGroup: "orders-worker.orders",
              topic: "orders",
              lagThreshold: "100",
              sasl: "oauthbearer",
              saslTokenProvider: "aws_msk_iam",
              tls: "enable",
              awsRegion: "eu-west-1",
            },
            authenticationRef: { name: "orders-worker-kafka", kind: "TriggerAuthentication" },
          },
        ],
      },
    });
    expect(byKind("TriggerAuthentication")).toEqual({
      apiVersion: "keda.sh/v1alpha1",
      kind: "TriggerAuthentication",
      metadata: { name: "orders-worker-kafka", namespace: "app", labels: { "app.kubernetes.io/name": "orders-worker" } },
      spec: { podIdentity: { provider: "aws", identityOwner: "keda" } },
    });
  });

  it("returns the same two objects as props, for a chart that builds its own", () => {
    const [scaledObject, triggerAuthentication] = kafkaLagScaling(PROPS);
    expect([scaledObject.spec, triggerAuthentication.spec]).toEqual([byKind("ScaledObject").spec, byKind("TriggerAuthentication").spec]);
  });

  it.each([
    [{ min: 0 }, "min must be an integer of at least 1 (got 0): a consumer scaled to 0 waits a poll and a pod start for each first message"],
    [{ max: 1 }, "max (1) is below min (2)"],
    [{ lagThreshold: 0 }, "lagThreshold must be a positive integer (got 0)"],
  ])("refuses %j, saying why", (change, message) => {
    expect(() => kafkaLagScaling({ ...PROPS, ...change })).toThrow(`kafka lag scaling of app/orders-worker: ${message}`);
  });

  withReference(`is valid, strictly, against KEDA 2.20.2's CRDs${skipped}`, () => {
    for (const object of manifests()) expect({ kind: object.kind, problems: validator!.validate(object) }).toEqual({ kind: object.kind, problems: [] });
  });

  withReference(`is checked for real: a misspelt field, a trigger value that is no string, min above max (CEL)${skipped}`, () => {
    const scaledObject = byKind("ScaledObject");
    expect(validator!.validate({ ...scaledObject, spec: { ...scaledObject.spec, minReplicas: 2 } })).toEqual(["/spec/minReplicas: unknown field"]);
    const numeric = structuredClone(scaledObject);
    numeric.spec.triggers[1].metadata.lagThreshold = 100;
    expect(validator!.validate(numeric)).toEqual(["/spec/triggers/1/metadata/lagThreshold: must be string"]);
    expect(validator!.validate({ ...scaledObject, spec: { ...scaledObject.spec, minReplicaCount: 13 } })).toEqual(["/spec: minReplicaCount must be less than or equal to maxReplicaCount"]);
    const auth = byKind("TriggerAuthentication");
    expect(validator!.validate({ ...auth, spec: { podIdentity: { provider: "aws", identityOwner: "operator" } } })).toEqual(['/spec/podIdentity/identityOwner: must be one of ["keda","workload"]']);
  });

  withReference(`knows ScaledObject as the cluster serves it: with kedacore/keda's scaledobject_patch.yaml applied${skipped}`, () => {
    const behaviour = (seconds: number) => {
      const object = structuredClone(byKind("ScaledObject"));
      object.spec.advanced = { horizontalPodAutoscalerConfig: { behavior: { scaleDown: { stabilizationWindowSeconds: seconds } } } };
      return validator!.validate(object);
    };
    expect(behaviour(3600)).toEqual([]);
    expect(behaviour(3601)).toEqual(["/spec/advanced/horizontalPodAutoscalerConfig/behavior/scaleDown/stabilizationWindowSeconds: must be <= 3600"]);
  });
});

describe("CRD patches beside a CRD (loadCrds)", () => {
  const crd = (singular: string) =>
    [
      "apiVersion: apiextensions.k8s.io/v1",
      "kind: CustomResourceDefinition",
      `metadata: { name: ${singular}s.example.com }`,
      "spec:",
      "  group: example.com",
      `  names: { kind: Thing, singular: ${singular} }`,
      "  versions:",
      "  - name: v1",
      "    served: true",
      "    schema: { openAPIV3Schema: { type: object, properties: { spec: { type: object, properties: { size: { type: integer } } } } } }",
    ].join("\n");
  const folder = (files: Record<string, string>) => {
    const dir = mkdtempSync(path.join(tmpdir(), "crds-"));
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
    return dir;
  };
  const sizeOf = (dir: string) => (loadCrds([dir]).get("example.com/v1 Thing")!.schema as any).properties.spec.properties.size;

  it("applies <singular>_patch.yaml to the CRD of that singular name in the same folder", () => {
    expect(sizeOf(folder({ "thing.yaml": crd("thing"), "thing_patch.yaml": "---\n- op: add\n  path: /spec/versions/0/schema/openAPIV3Schema/properties/spec/properties/size/maximum\n  value: 3\n" }))).toEqual({ type: "integer", maximum: 3 });
  });

  it("refuses a patch that no longer fits its CRD, an operation it does not apply, and a patch of no CRD", () => {
    const missing = folder({ "thing.yaml": crd("thing"), "thing_patch.yaml": "- op: add\n  path: /spec/versions/0/schema/nothing/here\n  value: 1\n" });
    expect(() => loadCrds([missing])).toThrow(`${path.join(missing, "thing_patch.yaml")}: patch path /spec/versions/0/schema/nothing/here is not in the CRD it patches`);
    const remove = folder({ "thing.yaml": crd("thing"), "thing_patch.yaml": "- op: remove\n  path: /spec\n" });
    expect(() => loadCrds([remove])).toThrow('thing_patch.yaml: patch operation "remove" at /spec is not supported (only add and replace)');
    const orphan = folder({ "thing.yaml": crd("thing"), "widget_patch.yaml": "- op: add\n  path: /spec/x\n  value: 1\n" });
    expect(() => loadCrds([orphan])).toThrow(`widget_patch.yaml: patches the CRD whose singular name is widget, but no CRD of that name is in ${orphan}`);
  });
});
