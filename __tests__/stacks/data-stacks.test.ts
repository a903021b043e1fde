import { Testing } from "cdktf";
import { DATABASE_CONTRACT, DatabaseStack, STREAMING_CONTRACT, StreamingStack } from "../../stacks";
import { policyStatements, resourcesOf, secretsIn, shippedInputs, type SynthesizedStack, validEnvironment } from "../helpers";

const { backend, project } = shippedInputs();
const env = validEnvironment({
  name: "data",
  database: { engine: "postgres", instanceClass: "db.m7g.large", multiAz: true, appUser: "orders" },
  streaming: { brokers: 3, instanceType: "kafka.m7g.large", appTopicPrefix: "orders.", appGroupPrefix: "orders-svc." },
} as never);
const synth = (stack: DatabaseStack | StreamingStack) => JSON.parse(Testing.synth(stack)) as SynthesizedStack;
const database = synth(new DatabaseStack(Testing.app(), { env, backend, project }));
const streaming = synth(new StreamingStack(Testing.app(), { env, backend, project }));

describe.each([
  ["data-database", database, ["network", "eks", "iam"]],
  ["data-streaming", streaming, ["network", "eks", "iam"]],
])("%s", (_name, json, reads) => {
  it("reads the network, the cluster and the app role from their named outputs", () => {
    expect(Object.keys(json.data?.terraform_remote_state ?? {}).sort()).toEqual([...reads].sort());
  });

  it("admits clients from the cluster's node security group only", () => {
    for (const rule of resourcesOf(json, "aws_vpc_security_group_ingress_rule")) {
      expect(rule.referenced_security_group_id).toBe("${data.terraform_remote_state.eks.outputs.node_security_group_id}");
      expect(Object.keys(rule).filter((k) => k.includes("cidr"))).toEqual([]);
    }
  });

  it("holds no password or secret value anywhere", () => {
    expect(secretsIn(json)).toEqual([]);
    // What the scan would catch: a password attribute, or credentials inside a URL.
    expect(secretsIn({ resource: { master_password: "hunter2", url: "postgres://app:hunter2@db" } })).toEqual([".resource.master_password", ".resource.url = postgres://app:hunter2@db"]);
  });
});

describe("data-database", () => {
  it("puts the database on the data subnets", () => {
    expect(resourcesOf(database, "aws_db_subnet_group")[0]?.subnet_ids).toBe("${data.terraform_remote_state.network.outputs.data_subnet_ids}");
  });

  it("grants the app role, by the name iam publishes, connect as its own user, in an inline policy of this stack", () => {
    const [policy] = resourcesOf(database, "aws_iam_role_policy");
    expect(policy).toMatchObject({ name: "data-app-database", role: "${data.terraform_remote_state.iam.outputs.app_role_name}" });
    expect(policyStatements(database, policy!.policy)).toEqual([
      expect.objectContaining({ Action: ["rds-db:connect"], Resource: ["arn:aws:rds-db:eu-west-1:123456789012:dbuser:${aws_db_instance.postgres_instance.resource_id}/orders"] }),
    ]);
  });

  it("publishes its contract, named and never sensitive", () => {
    expect(Object.keys(database.output ?? {}).sort()).toEqual(Object.keys(DATABASE_CONTRACT.outputs).sort());
    expect(database.output?.app_user).toMatchObject({ value: "orders", sensitive: false });
    expect(database.output?.endpoint).toMatchObject({ value: "${aws_db_instance.postgres_instance.address}" });
    expect(database.output?.master_secret_arn).toMatchObject({ value: "${aws_db_instance.postgres_instance.master_user_secret[0].secret_arn}" });
  });
});

describe("data-streaming", () => {
  it("spreads brokers over the data subnets of up to three zones", () => {
    expect(resourcesOf(streaming, "aws_msk_cluster")[0]).toMatchObject({ broker_node_group_info: { client_subnets: "${slice(data.terraform_remote_state.network.outputs.data_subnet_ids, 0, 3)}" } });
  });

  it("grants the app role produce and consume on its prefixes only", () => {
    const [policy] = resourcesOf(streaming, "aws_iam_role_policy");
    expect(policy).toMatchObject({ name: "data-app-streaming", role: "${data.terraform_remote_state.iam.outputs.app_role_name}" });
    const resources = policyStatements(streaming, policy!.policy).flatMap((s) => s.Resource as string[]);
    expect([...new Set(resources)]).toEqual([
      "${aws_msk_cluster.kafka.arn}",
      "arn:aws:kafka:eu-west-1:123456789012:topic/data-kafka/${aws_msk_cluster.kafka.cluster_uuid}/orders.*",
      "arn:aws:kafka:eu-west-1:123456789012:group/data-kafka/${aws_msk_cluster.kafka.cluster_uuid}/orders-svc.*",
    ]);
  });

  it("publishes its contract, with the IAM bootstrap brokers", () => {
    expect(Object.keys(streaming.output ?? {}).sort()).toEqual(Object.keys(STREAMING_CONTRACT.outputs).sort());
    expect(streaming.output?.bootstrap_brokers).toMatchObject({ value: "${aws_msk_cluster.kafka.bootstrap_brokers_sasl_iam}", sensitive: false });
    expect(streaming.output?.bootstrap_brokers_tls).toMatchObject({ value: "" });
  });
});
