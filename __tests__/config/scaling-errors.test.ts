import { checkKafkaLag, type EnvironmentConfig, kafkaLagField, kafkaLagScalings, kedaEnabled } from "../../config";
import { validEnvironment } from "../helpers";

// services.<name>.scaling.kafkaLag: one message per kind of bad input, each naming the field, the
// value and what is allowed. The environment is built as the schema leaves it, with the service's
// scaling added by spread (as __tests__/stacks/services.test.ts adds a second service).
const topic = (producers: string[], consumers: string[]) => ({ producers, consumers });
const parsed = validEnvironment({
  name: "lag",
  platform: { keda: { enabled: true } },
  dns: { zone: "lag.example.com" },
  app: { image: { tag: "1.0.0" }, architectures: ["arm64"], ingress: { host: "api.lag.example.com" } },
  streaming: { brokers: 3, instanceType: "kafka.m7g.large", topics: { orders: topic(["app"], ["app"]), users: topic(["app"], []) } },
} as never);
const good = { topic: "orders", group: "app.orders-worker", lagThreshold: 100 };
/** The environment with service app scaling on this lag; `services` writes its fields as `services.app.…`, as a services section would. */
function withLag(lag: object, change: Partial<EnvironmentConfig> = {}, section: "app" | "services" = "app"): EnvironmentConfig {
  const app = { ...parsed.services.app!, scaling: { kafkaLag: lag } } as never;
  return { ...parsed, services: { app }, servicesSection: section, ...change } as EnvironmentConfig;
}

describe("scaling.kafkaLag config: one message per kind of bad input", () => {
  it("accepts a consumed topic and a group under the service's prefix, and lists it for KEDA's grant", () => {
    const env = withLag(good);
    expect(checkKafkaLag(env)).toEqual([]);
    expect(kedaEnabled(env)).toBe(true);
    expect(kafkaLagScalings(env)).toEqual([{ service: "app", ...good }]);
    expect(kafkaLagScalings(parsed)).toEqual([]);
  });

  it("names the field as the file has it: app.… for the shorthand, services.<name>.… for a services section", () => {
    expect(kafkaLagField(parsed, "app", "group")).toBe("app.scaling.kafkaLag.group");
    expect(kafkaLagField({ servicesSection: "services" }, "worker")).toBe("services.worker.scaling.kafkaLag");
  });

  it("refuses lag scaling while KEDA is off", () => {
    expect(checkKafkaLag(withLag(good, { platform: { ...parsed.platform!, keda: undefined } }, "services"))).toEqual([
      {
        field: "services.app.scaling.kafkaLag",
        message: "scales on Kafka lag, which KEDA does, but KEDA is off: set platform.keda.enabled: true (its add-on and the role that reads the lag), or remove this section to scale on CPU alone",
      },
    ]);
  });

  it("refuses lag scaling in an environment without Kafka", () => {
    expect(checkKafkaLag(withLag(good, { streaming: undefined }))).toEqual([
      { field: "app.scaling.kafkaLag", message: "scales on Kafka lag, but the environment has no streaming section: there is no Kafka to read the lag of; add streaming, or remove this section" },
    ]);
  });

  it("refuses a topic the service does not consume, with the near match and the topics it does", () => {
    expect(checkKafkaLag(withLag({ ...good, topic: "order" }))).toEqual([
      {
        field: "app.scaling.kafkaLag.topic",
        value: "order",
        message: 'is not a topic service app consumes (streaming.topics.<topic>.consumers) (did you mean "orders"?): its lag is no work of this service\'s; allowed: orders',
      },
    ]);
    expect(checkKafkaLag(withLag({ ...good, topic: "users" }))[0]?.message).toMatch(/^is not a topic service app consumes .*; allowed: orders$/);
  });

  it("refuses a group outside the service's consumer-group prefix", () => {
    expect(checkKafkaLag(withLag({ ...good, group: "billing.orders" }))).toEqual([
      {
        field: "app.scaling.kafkaLag.group",
        value: "billing.orders",
        message: 'is not under the consumer-group prefix of service app, "app." (streaming.groupPrefixes): the service may join only those groups, and KEDA\'s role may read only those; allowed: a group id starting with "app."',
      },
    ]);
  });

  it("refuses a group id no IAM policy can name", () => {
    expect(checkKafkaLag(withLag({ ...good, group: "app.orders worker" }))).toEqual([
      { field: "app.scaling.kafkaLag.group", value: "app.orders worker", message: "is not a group id an IAM policy can name (MSK's group ARNs); allowed: 1–249 of ASCII letters, digits, '.', '_' and '-'" },
    ]);
  });
});
