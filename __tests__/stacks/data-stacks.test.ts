import { Testing } from "cdktf";
import { DATABASE_CONTRACT } from "../../stacks/contracts/database";
import { STREAMING_CONTRACT } from "../../stacks/contracts/streaming";
import { DatabaseStack } from "../../stacks/database-stack";
import { StreamingStack, TOPICS_PROVIDER_VERSION } from "../../stacks/streaming-stack";
import { examplesSynth, fixtureInputs, policyStatements, resourcesOf, secretsIn, type SynthesizedStack, validEnvironment } from "../helpers";

const { backend, project } = fixtureInputs();
const topic = (settings: object = {}) => ({ producers: ["app"], consumers: ["app"], ...settings });
const env = validEnvironment({
  name: "data",
  platform: {},
  dns: { zone: "data.example.com" },
  app: { image: { tag: "1.0.0" }, architectures: ["arm64"], ingress: { host: "api.data.example.com" } },
  database: { engine: "postgres", instanceClass: "db.m7g.large", multiAz: true, users: { app: "orders" } },
  streaming: { brokers: 3, instanceType: "kafka.m7g.large", topics: { orders: topic({ partitions: 12 }), "orders.dlq": topic({ consumers: [], retentionHours: 720 }), users: topic({ producers: [], cleanupPolicy: "compact" }) }, groupPrefixes: { app: "orders-svc." } },
} as never);
const synth = (stack: DatabaseStack | StreamingStack) => JSON.parse(Testing.synth(stack)) as SynthesizedStack;
const database = synth(new DatabaseStack(Testing.app(), { env, backend, project }));
const streaming = synth(new StreamingStack(Testing.app(), { env, backend, project }));

describe.each([
  ["data-database", database],
  ["data-streaming", streaming],
])("%s", (_name, json) => {
  it("reads the network and the cluster from their named outputs (the roles it grants to are named by config)", () => {
    expect(Object.keys(json.data?.terraform_remote_state ?? {}).sort()).toEqual(["eks", "network"]);
  });

  it("admits its clients' pods by their own security group, read by key from the cluster's state, and the nodes' group only for Prometheus's exporter ports", () => {
    const rules = resourcesOf(json, "aws_vpc_security_group_ingress_rule").filter((r) => !String(r.description).includes("bootstrap"));
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) {
      expect(Object.keys(rule).filter((k) => k.includes("cidr"))).toEqual([]);
      if (rule.from_port === 11001) expect(rule.referenced_security_group_id).toBe("${data.terraform_remote_state.eks.outputs.node_security_group_id}");
      else expect(rule.referenced_security_group_id).toBe("${local.eks_pod_security_groups__data__app}");
    }
    // An index, which fails the plan when the cluster's state has no group for the service.
    expect((json as { locals?: unknown }).locals).toEqual({ eks_pod_security_groups__data__app: '${data.terraform_remote_state.eks.outputs.pod_security_groups["data/app"]}' });
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

  it("grants each service's role, named <env>-<service>, connect as its own user only, in an inline policy of this stack", () => {
    const [policy] = resourcesOf(database, "aws_iam_role_policy");
    expect(policy).toMatchObject({ name: "data-app-database", role: "data-app" });
    expect(policyStatements(database, policy!.policy)).toEqual([
      expect.objectContaining({ Action: ["rds-db:connect"], Resource: ["arn:aws:rds-db:eu-west-1:123456789012:dbuser:${aws_db_instance.postgres_instance.resource_id}/orders"] }),
    ]);
  });

  it("publishes its contract, named and never sensitive", () => {
    expect(Object.keys(database.output ?? {}).sort()).toEqual(Object.keys(DATABASE_CONTRACT.outputs).sort());
    expect(database.output?.endpoint).toMatchObject({ value: "${aws_db_instance.postgres_instance.address}", sensitive: false });
    expect(database.output?.master_secret_arn).toMatchObject({ value: "${aws_db_instance.postgres_instance.master_user_secret[0].secret_arn}" });
  });
});

describe("data-streaming", () => {
  it("requires the first AWS provider with aws_msk_topic, in this stack only", () => {
    expect((streaming as unknown as { terraform: { required_providers: { aws: { version: string } } } }).terraform.required_providers.aws.version).toBe(TOPICS_PROVIDER_VERSION);
    expect((database as unknown as { terraform: { required_providers: { aws: { version: string } } } }).terraform.required_providers.aws.version).toBe("6.25.0");
  });

  it("spreads brokers over the data subnets of up to three zones", () => {
    expect(resourcesOf(streaming, "aws_msk_cluster")[0]).toMatchObject({ broker_node_group_info: { client_subnets: "${slice(data.terraform_remote_state.network.outputs.data_subnet_ids, 0, 3)}" } });
  });

  it("puts brokers in the first streaming.zones zones only, when fewer than the VPC has (reference design 004's dev)", () => {
    const twoZones = { ...env, streaming: { ...env.streaming!, brokers: 2, zones: 2 } };
    const json = synth(new StreamingStack(Testing.app(), { env: twoZones, backend, project }));
    expect(resourcesOf(json, "aws_msk_cluster")[0]).toMatchObject({
      number_of_broker_nodes: 2,
      broker_node_group_info: { client_subnets: "${slice(data.terraform_remote_state.network.outputs.data_subnet_ids, 0, 2)}" },
    });
  });

  it("makes each topic as a resource of its own, at an address named after it, with its settings as Kafka names them", () => {
    expect(Object.keys(streaming.resource.aws_msk_topic ?? {})).toEqual(["topics_orders", "topics_orders_dlq", "topics_users"]);
    expect(streaming.resource.aws_msk_topic?.topics_orders).toMatchObject({
      cluster_arn: "${aws_msk_cluster.kafka.arn}",
      name: "orders",
      partition_count: 12,
      replication_factor: 3,
      configs: JSON.stringify({ "cleanup.policy": "delete", "min.insync.replicas": "2", "retention.bytes": "-1", "retention.ms": "604800000" }),
    });
    expect(JSON.parse(String(streaming.resource.aws_msk_topic?.topics_users?.configs))).toMatchObject({ "cleanup.policy": "compact" });
    expect(JSON.parse(String(streaming.resource.aws_msk_topic?.["topics_orders_dlq"]?.configs))).toMatchObject({ "retention.ms": String(720 * 3_600_000) });
  });

  it("grants the app's role produce on the topics it produces and consume on those it consumes, by exact ARN, and its own groups", () => {
    const [policy] = resourcesOf(streaming, "aws_iam_role_policy");
    expect(policy).toMatchObject({ name: "data-app-streaming", role: "data-app" });
    const topicArn = (name: string) => `arn:aws:kafka:eu-west-1:123456789012:topic/data-kafka/\${aws_msk_cluster.kafka.cluster_uuid}/${name}`;
    expect(policyStatements(streaming, policy!.policy)).toEqual([
      { Sid: "KafkaConnectToDataKafka", Effect: "Allow", Action: ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"], Resource: ["${aws_msk_cluster.kafka.arn}"] },
      { Sid: "KafkaIdempotentWritesToDataKafka", Effect: "Allow", Action: ["kafka-cluster:WriteDataIdempotently"], Resource: ["${aws_msk_cluster.kafka.arn}"] },
      { Sid: "KafkaProduceToItsTopics", Effect: "Allow", Action: ["kafka-cluster:WriteData", "kafka-cluster:DescribeTopic"], Resource: [topicArn("orders"), topicArn("orders.dlq")] },
      { Sid: "KafkaConsumeItsTopics", Effect: "Allow", Action: ["kafka-cluster:ReadData", "kafka-cluster:DescribeTopic"], Resource: [topicArn("orders"), topicArn("users")] },
      { Sid: "KafkaGroupsOrdersSvc", Effect: "Allow", Action: ["kafka-cluster:AlterGroup", "kafka-cluster:DescribeGroup"], Resource: ["arn:aws:kafka:eu-west-1:123456789012:group/data-kafka/${aws_msk_cluster.kafka.cluster_uuid}/orders-svc.*"] },
    ]);
  });

  it("publishes its contract, with the IAM bootstrap brokers", () => {
    expect(Object.keys(streaming.output ?? {}).sort()).toEqual(Object.keys(STREAMING_CONTRACT.outputs).sort());
    expect(streaming.output?.bootstrap_brokers).toMatchObject({ value: "${aws_msk_cluster.kafka.bootstrap_brokers_sasl_iam}", sensitive: false });
    expect(streaming.output?.bootstrap_brokers_tls).toMatchObject({ value: "" });
  });
});

describe("a shared cluster's databases (examples/shared-cluster: saas hosts dev, stage and prod)", () => {
  const synth = examplesSynth("shared-cluster");
  const tenants = ["dev", "stage", "prod"];
  /** What each security-group reference of a stack reads: the local's expression, or the reference itself. */
  const sources = (json: SynthesizedStack, rules: Array<Record<string, unknown>>) => {
    const locals = (json as { locals?: Record<string, string> }).locals ?? {};
    return rules.map((r) => String(r.referenced_security_group_id).replace(/^\$\{local\.([\w-]+)\}$/, (_m, name: string) => locals[name] ?? name));
  };

  it.each(tenants)("%s-database admits PostgreSQL only from its own pods' group, never another tenant's nor the nodes'", (tenant) => {
    const json = synth.stack(`${tenant}-database`);
    const rules = resourcesOf(json, "aws_vpc_security_group_ingress_rule").filter((r) => r.security_group_id === "${aws_security_group.postgres_security-group.id}");
    expect(sources(json, rules).sort()).toEqual([`\${data.terraform_remote_state.eks.outputs.pod_security_groups["${tenant}/app"]}`, "${aws_security_group.bootstrap_security-group.id}"].sort());
    // The cluster's state is the host's: its eks layer holds every tenant's groups.
    expect(json.data?.terraform_remote_state?.eks?.config).toMatchObject({ key: "saas/eks.tfstate" });
  });

  it("has each tenant's group made by the host, in the host's VPC, one per environment and service", () => {
    const eks = synth.stack("saas-eks");
    expect(eks.output?.pod_security_groups).toMatchObject({ value: Object.fromEntries(tenants.map((t) => [`${t}/app`, `\${aws_security_group.pod-security-groups_${t}-app.id}`])) });
    for (const t of tenants) expect(eks.resource.aws_security_group?.[`pod-security-groups_${t}-app`]).toMatchObject({ name: `${t}-app-pods`, vpc_id: "${data.terraform_remote_state.network.outputs.vpc_id}" });
  });
});
