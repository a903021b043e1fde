/* eslint-disable @typescript-eslint/no-explicit-any -- synthesized JSON is read by path here */
import { Testing } from "cdktf";
import { parse } from "yaml";
import { type EnvironmentConfig } from "../../config";
import { buildPlatform } from "../../stacks";
import { fixtureInputs, policyStatements, resourcesOf, type SynthesizedStack, synthJson, validEnvironment } from "../helpers";

// Everything the app's dependencies are made of is keyed by service. A second service, added to
// a config with no code change, gets its own role, topics, database user, host, certificate and
// record, and none of the first one's.
const inputs = fixtureInputs();
const topic = (producers: string[], consumers: string[]) => ({ producers, consumers });
const parsed = validEnvironment({
  name: "multi",
  platform: {},
  dns: { zone: "multi.example.com" },
  app: { image: { tag: "1.0.0" }, architectures: ["arm64"], ingress: { host: "api.multi.example.com" } },
  database: { engine: "postgres", instanceClass: "db.m7g.large" },
  streaming: { brokers: 3, instanceType: "kafka.m7g.large", topics: { orders: topic(["app"], ["app"]) } },
} as never);
// The second service: what a `services` entry of config becomes (the schema's normalized form).
const billing = { ...parsed.app!, ingress: { host: "billing.multi.example.com" } };
const env: EnvironmentConfig = {
  ...parsed,
  services: { ...parsed.services, billing },
  streaming: { ...parsed.streaming!, topics: { ...parsed.streaming!.topics, invoices: { ...parsed.streaming!.topics.orders!, producers: ["billing"], consumers: ["app"] }, payments: { ...parsed.streaming!.topics.orders!, producers: ["billing"], consumers: ["billing"] } } },
};
const stacks = buildPlatform(Testing.app(), { ...inputs, environments: [env] }).environments.multi!;
const json = (layer: string) => synthJson(stacks[layer]!);
const inlinePolicy = (stack: SynthesizedStack, role: string) => resourcesOf(stack, "aws_iam_role_policy").filter((p) => p.role === role).flatMap((p) => policyStatements(stack, p.policy));

describe("a second service, with no code change", () => {
  it("gets a role of its own, trusted only by its own service account", () => {
    const iam = json("iam");
    const roles = Object.values(iam.resource.aws_iam_role ?? {}).filter((r) => ["multi-app", "multi-billing"].includes(String(r.name)));
    expect(roles.map((r) => r.name)).toEqual(["multi-app", "multi-billing"]);
    const subject = (role: Record<string, unknown>) => (policyStatements(iam, role.assume_role_policy)[0]!.Condition!.StringEquals as Record<string, string[]>)["${data.terraform_remote_state.eks.outputs.oidc_issuer}:sub"];
    expect(roles.map(subject)).toEqual([["system:serviceaccount:app:app"], ["system:serviceaccount:app:billing"]]);
    expect(inlinePolicy(iam, "${aws_iam_role.billing.id}").find((s) => s.Sid === "ReadItsOwnSecrets")?.Resource).toEqual(["arn:aws:secretsmanager:eu-west-1:123456789012:secret:multi/billing/*"]);
  });

  it("gets a database user of its own, made by the bootstrap, and a grant to connect as it only", () => {
    const database = json("database");
    const input = JSON.parse(String(resourcesOf(database, "aws_lambda_invocation")[0]!.input));
    expect(input.users).toEqual([{ name: "app", service: "app" }, { name: "billing", service: "billing" }]);
    const connect = (role: string) => inlinePolicy(database, role).flatMap((s) => s.Resource as string[]);
    expect(connect("multi-billing")).toEqual(["arn:aws:rds-db:eu-west-1:123456789012:dbuser:${aws_db_instance.postgres_instance.resource_id}/billing"]);
    expect(connect("multi-app")).toEqual(["arn:aws:rds-db:eu-west-1:123456789012:dbuser:${aws_db_instance.postgres_instance.resource_id}/app"]);
  });

  it("gets exactly its own topics and groups, and none of the other's", () => {
    const streaming = json("streaming");
    expect(Object.keys(streaming.resource.aws_msk_topic ?? {})).toEqual(["topics_invoices", "topics_orders", "topics_payments"]);
    const topicsOf = (role: string, action: string) => inlinePolicy(streaming, role).filter((s) => (s.Action as string[]).includes(action)).flatMap((s) => s.Resource as string[]).map((arn) => arn.split("/").pop());
    expect([topicsOf("multi-billing", "kafka-cluster:WriteData"), topicsOf("multi-billing", "kafka-cluster:ReadData"), topicsOf("multi-billing", "kafka-cluster:AlterGroup")]).toEqual([["invoices", "payments"], ["payments"], ["billing.*"]]);
    expect([topicsOf("multi-app", "kafka-cluster:WriteData"), topicsOf("multi-app", "kafka-cluster:ReadData"), topicsOf("multi-app", "kafka-cluster:AlterGroup")]).toEqual([["orders"], ["invoices", "orders"], ["app.*"]]);
  });

  it("gets a certificate of its host, and external-dns may write its record", () => {
    const app = json("app");
    expect(resourcesOf(app, "aws_acm_certificate").map((c) => c.domain_name)).toEqual(["api.multi.example.com", "billing.multi.example.com"]);
    const iam = json("iam");
    const names = inlinePolicy(iam, "${aws_iam_role.external-dns.id}")[0]!.Condition!["ForAllValues:StringLike"] as Record<string, string[]>;
    expect(names["route53:ChangeResourceRecordSetsNormalizedRecordNames"]).toEqual(["*-api.multi.example.com", "*-billing.multi.example.com", "api.multi.example.com", "billing.multi.example.com"]);
  });

  it("changes nothing of the first service's names or addresses", () => {
    const app = json("app");
    expect(Object.keys(app.resource.aws_acm_certificate ?? {})).toEqual(["certificate-app", "certificate-billing"]);
    const manifests = (parse(String((app.resource.helm_release?.app_release?.values as string[])[0])) as { manifests: any[] }).manifests;
    const ingress = manifests.find((m) => m.kind === "Ingress");
    expect(ingress.metadata.annotations["alb.ingress.kubernetes.io/certificate-arn"]).toBe("${aws_acm_certificate_validation.certificate-app_validation.certificate_arn}");
    expect(ingress.metadata.annotations["alb.ingress.kubernetes.io/wafv2-acl-arn"]).toBe("${aws_wafv2_web_acl.web-acl.arn}");
  });
});
