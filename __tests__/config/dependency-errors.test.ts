import { stringify } from "yaml";
import { databaseUsers, formatProblem, groupPrefixes, loadEnvironmentFile, resolvedTopics } from "../../config";
import { TEST_NOW, validEnvironment, validEnvironmentInput } from "../helpers";

// The dependencies of the app's service: its Kafka topics, its database user, its host in the
// zone with a certificate, the web ACL, and its migrations. One message per kind of bad input,
// each naming the field, the value and what is allowed.

const APP = { image: { tag: "1.4.2" }, architectures: ["arm64"], ingress: { host: "api.dev.example.com" } };
const DNS = { zone: "dev.example.com" };
const DATABASE = { engine: "postgres", instanceClass: "db.m7g.large" };
const STREAMING = { brokers: 3, instanceType: "kafka.m7g.large" };
const topic = (settings: object = {}) => ({ producers: ["app"], consumers: ["app"], ...settings });

/** Problems of an environment file with these sections (an app, a platform and a zone unless overridden), without the `file:line:` prefix. */
function problems(sections: Record<string, unknown>): string[] {
  const content = validEnvironmentInput({ platform: {}, app: APP, dns: DNS, ...sections } as never);
  return loadEnvironmentFile("config/test.yaml", stringify(content), TEST_NOW).problems.map((p) => formatProblem({ ...p, line: undefined, frame: undefined }).replace(/^config\/test\.yaml: /, ""));
}

describe("Kafka topics", () => {
  it("accept Kafka's topic names, with the cluster's defaults filled in", () => {
    const streaming = { ...STREAMING, topics: { orders: topic({ partitions: 12 }), "user.events-v2_x": topic({ cleanupPolicy: "compact", retentionHours: -1, configs: { "max.message.bytes": 2097152 } }) } };
    expect(problems({ streaming })).toEqual([]);
    const env = validEnvironment({ platform: {}, app: APP, dns: DNS, streaming } as never);
    expect(resolvedTopics(env)).toEqual([
      { name: "orders", partitions: 12, replicationFactor: 3, configs: { "cleanup.policy": "delete", "min.insync.replicas": "2", "retention.bytes": "-1", "retention.ms": "604800000" }, producers: ["app"], consumers: ["app"] },
      { name: "user.events-v2_x", partitions: 6, replicationFactor: 3, configs: { "cleanup.policy": "compact", "max.message.bytes": "2097152", "min.insync.replicas": "2", "retention.bytes": "-1", "retention.ms": "-1" }, producers: ["app"], consumers: ["app"] },
    ]);
    expect(groupPrefixes(env)).toEqual({ app: "app." });
  });

  it("rejects a topic name Kafka refuses, in Kafka's words", () => {
    expect(problems({ streaming: { ...STREAMING, topics: { "orders/eu": topic(), "..": topic(), [`t${"x".repeat(249)}`]: topic(), __internal: topic() } } })).toEqual([
      `[test] streaming.topics.orders/eu: is not a topic name Kafka accepts: contains one or more characters other than ASCII alphanumerics, '.', '_' and '-'; allowed: 1–249 of ASCII letters, digits, '.', '_' and '-' (got "orders/eu")`,
      `[test] streaming.topics...: is not a topic name Kafka accepts: '..' is not allowed; allowed: 1–249 of ASCII letters, digits, '.', '_' and '-' (got "..")`,
      `[test] streaming.topics.t${"x".repeat(249)}: is not a topic name Kafka accepts: is longer than the max allowed length 249; allowed: 1–249 of ASCII letters, digits, '.', '_' and '-' (got "t${"x".repeat(249)}")`,
      `[test] streaming.topics.__internal: is not a topic name Kafka accepts: starts with __, where Kafka and MSK keep their internal topics (__consumer_offsets, __amazon_msk_canary); allowed: 1–249 of ASCII letters, digits, '.', '_' and '-' (got "__internal")`,
    ]);
  });

  it("rejects two topics Kafka's metric names would collide on", () => {
    expect(problems({ streaming: { ...STREAMING, topics: { "orders.eu": topic(), orders_eu: topic() } } })).toEqual([
      `[test] streaming.topics.orders_eu: collides with topic "orders.eu": Kafka's metric names turn '.' into '_', so it refuses both; use either '.' or '_' in topic names, not both (got "orders_eu")`,
    ]);
  });

  it("rejects partitions out of range", () => {
    expect(problems({ streaming: { ...STREAMING, topics: { orders: topic({ partitions: 0 }) } } })).toEqual(["[test] streaming.topics.orders.partitions: must be at least 1 (got 0)"]);
    expect(problems({ streaming: { ...STREAMING, topics: { orders: topic({ partitions: 1001 }) } } })).toEqual(["[test] streaming.topics.orders.partitions: must be at most 1000 (got 1001)"]);
  });

  it("rejects a replication factor above the brokers, below 3 in production, and min.insync.replicas not below it", () => {
    expect(problems({ streaming: { ...STREAMING, topics: { orders: topic({ replicationFactor: 4, minInsyncReplicas: 3 }) } } })).toEqual([
      "[test] streaming.topics.orders.replicationFactor: is above the broker count (3): a partition cannot have more replicas than there are brokers; allowed: 1–3 (got 4)",
    ]);
    expect(problems({ streaming: { ...STREAMING, topics: { orders: topic({ replicationFactor: 2, minInsyncReplicas: 2 }) } } })).toEqual([
      "[test] streaming.topics.orders.minInsyncReplicas: must be below the replication factor (2), or one broker down stops every acks=all producer of the topic; allowed: 1–1 (got 2)",
    ]);
    expect(problems({ production: true, app: { ...APP, image: { tag: "1.4.2", digest: `sha256:${"a".repeat(64)}` } }, streaming: { ...STREAMING, topics: { orders: topic({ replicationFactor: 2, minInsyncReplicas: 1 }) } } })).toEqual([
      "[test] streaming.topics.orders.replicationFactor: a production topic keeps 3 copies, so losing a broker loses no data; allowed: 3–3 (got 2)",
    ]);
  });

  it("rejects an unknown topic config with a suggestion, and a config that has a field of its own", () => {
    const [unknown, ...rest] = problems({ streaming: { ...STREAMING, topics: { orders: topic({ configs: { "max.mesage.bytes": "1", "retention.ms": "1" } }) } } });
    expect(unknown).toMatch(/^\[test\] streaming\.topics\.orders\.configs\.max\.mesage\.bytes: is not a topic config of Kafka 3\.9 \(did you mean "max\.message\.bytes"\?\); allowed: compression\.gzip\.level, /);
    expect(rest).toEqual(["[test] streaming.topics.orders.configs.retention.ms: is set with streaming.topics.orders.retentionHours, not in configs"]);
    // A config Kafka 4 removed is unknown there.
    expect(problems({ streaming: { ...STREAMING, kafkaVersion: "4.1.x.kraft", topics: { orders: topic({ configs: { "message.format.version": "3.0" } }) } } })[0]).toMatch(/message\.format\.version: is not a topic config of Kafka 4\.1;/);
  });

  it("rejects a producer or consumer that is not a service, and a group prefix for one that consumes nothing", () => {
    expect(problems({ streaming: { ...STREAMING, topics: { orders: topic({ producers: ["ap"] }) }, groupPrefixes: { billing: "billing." } } })).toEqual([
      '[test] streaming.topics.orders.producers.0: is not a service of this environment (did you mean "app"?); allowed: app (got "ap")',
      '[test] streaming.groupPrefixes.billing: names no service that consumes a topic, so it grants nothing; allowed: app (got "billing")',
    ]);
  });
});

describe("database users", () => {
  it("default to one per service, named after it", () => {
    expect(databaseUsers(validEnvironment({ platform: {}, app: APP, dns: DNS, database: DATABASE } as never))).toEqual([{ service: "app", name: "app" }]);
    expect(problems({ database: { ...DATABASE, users: { app: "orders_api" } } })).toEqual([]);
  });

  it("rejects the master user, a reserved name, a user two services share, and a service that does not exist", () => {
    expect(problems({ database: { ...DATABASE, users: { app: "platform_admin" } } })).toEqual([
      '[test] database.users.app: is the master user; each service gets a user of its own, so its grants can be narrow (got "platform_admin")',
    ]);
    expect(problems({ database: { ...DATABASE, users: { app: "rds_app" } } })).toEqual([
      '[test] database.users.app: starts with pg_ or rds, or is bootstrap_managed: names PostgreSQL, RDS or the bootstrap reserve; allowed: any other PostgreSQL role name (got "rds_app")',
    ]);
    expect(problems({ database: { ...DATABASE, users: { app: "app", billing: "app" } } })).toEqual([
      '[test] database.users.billing: is not a service of this environment; allowed: app (got "billing")',
      "[test] database.users.billing: is also the user of service app: services never share a user, so each one's grants stay its own (got \"app\")",
    ]);
    expect(problems({ database: { ...DATABASE, users: { app: "App-User" } } })).toEqual([
      '[test] database.users.app: must be a PostgreSQL role name: lowercase letters, digits and _, starting with a letter, at most 63 characters (got "App-User")',
    ]);
  });
});

describe("the zone, the certificate and the web ACL", () => {
  it("accept an existing zone by id, and a certificate or web ACL of the environment's region made elsewhere", () => {
    expect(problems({ dns: { zone: "example.com", zoneId: "Z0123456789ABCDEFGHIJ" } })).toEqual([]);
    expect(problems({ dns: undefined, app: { ...APP, ingress: { host: "api.dev.example.com", certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555", wafAclArn: "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/edge/11111111-2222-3333-4444-555555555555" } } })).toEqual([]);
  });

  it("rejects a zone for no service", () => {
    expect(problems({ app: undefined, platform: undefined })).toEqual([
      '[test] dns: names a zone for no service: the environment has no service with an ingress host, so nothing would get a record or a certificate there; add a service with exposure public or internal, or leave dns out (got "dev.example.com")',
    ]);
  });

  it("rejects a zone id that is not one", () => {
    expect(problems({ dns: { zone: "dev.example.com", zoneId: "/hostedzone/Z0123456789" } })).toEqual([
      '[test] dns.zoneId: must be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ (Z and up to 31 uppercase letters or digits, no /hostedzone/ prefix) (got "/hostedzone/Z0123456789")',
    ]);
  });

  it("rejects a host outside the zone", () => {
    expect(problems({ app: { ...APP, ingress: { host: "api.example.org" } } })).toEqual([
      '[test] app.ingress.host: is outside the environment\'s zone dev.example.com, so external-dns may not write its record nor ACM validate it there; allowed: dev.example.com or a name ending in .dev.example.com (got "api.example.org")',
    ]);
    // A name that only ends with the zone's text is not in it.
    expect(problems({ app: { ...APP, ingress: { host: "apidev.example.com" } } })).toHaveLength(1);
  });

  it("rejects a certificate or web ACL in another region, and a host with no certificate and no zone", () => {
    expect(problems({ app: { ...APP, ingress: { host: "api.dev.example.com", certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555" } } })).toEqual([
      '[test] app.ingress.certificateArn: is in region us-east-1, but an ALB takes certificates of its own account and region only; allowed: a certificate in account 123456789012, region eu-west-1 (got "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555")',
    ]);
    expect(problems({ app: { ...APP, ingress: { host: "api.dev.example.com", wafAclArn: "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/edge/11111111-2222-3333-4444-555555555555" } } })).toEqual([
      '[test] app.ingress.wafAclArn: is in region us-east-1, but an ALB takes a regional web ACL of its own account and region only; allowed: an ACL in account 123456789012, region eu-west-1 (got "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/edge/11111111-2222-3333-4444-555555555555")',
    ]);
    expect(problems({ dns: undefined })).toEqual([
      "[test] app.ingress.certificateArn: is required without a dns section: the project makes and validates a certificate only in a zone it knows; set dns.zone (and dns.zoneId for an existing zone), or give the ARN of a certificate for the host",
    ]);
  });

  it("rejects a count override of a rule the managed group does not have (WAF would ignore it silently), and a rate limit out of range", () => {
    expect(problems({ waf: { countInsteadOfBlock: { AWSManagedRulesCommonRuleSet: ["SizeRestrictions_BODY", "SizeRestriction_BODY"] } } })[0]).toMatch(
      /^\[test\] waf\.countInsteadOfBlock\.AWSManagedRulesCommonRuleSet\.1: is not a rule of AWSManagedRulesCommonRuleSet \(did you mean "SizeRestrictions_BODY"\?\), and WAF silently ignores an override of a rule that does not exist; allowed: NoUserAgent_HEADER, /,
    );
    expect(problems({ waf: { countInsteadOfBlock: { AWSManagedRulesBotControlRuleSet: ["x"] } } })[0]).toMatch(/^\[test\] waf\.countInsteadOfBlock\.AWSManagedRulesBotControlRuleSet: /);
    expect(problems({ waf: { rateLimit: 5 } })).toEqual(["[test] waf.rateLimit: must be 10–2,000,000,000: AWS WAF's range for a rate-based rule (got 5)"]);
  });
});

describe("migrations", () => {
  it("take a command as a list", () => {
    expect(problems({ app: { ...APP, migrations: { command: ["alembic", "upgrade", "head"] } } })).toEqual([]);
  });

  it("reject a command that is not a list, or an empty one", () => {
    expect(problems({ app: { ...APP, migrations: { command: "alembic upgrade head" } } })).toEqual([
      '[test] app.migrations.command: must be a list of the command and its arguments, such as ["alembic", "upgrade", "head"]: a string would be run by no shell (got "alembic upgrade head")',
    ]);
    expect(problems({ app: { ...APP, migrations: { command: [] } } })).toEqual(['[test] app.migrations.command: must name a command, such as ["alembic", "upgrade", "head"]']);
  });
});
