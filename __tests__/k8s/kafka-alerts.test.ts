import { kafkaAlerts } from "../../k8s/kafka-alerts";
import { MSK_JOBS } from "../../modules/addons/scrape-jobs";

// The brokers' alerts read the series the msk-jmx job scrapes, of this environment's cluster only.
describe("the Kafka alerts", () => {
  const rules = kafkaAlerts({ clusterName: "prod-kafka", runbookBaseUrl: "https://github.com/o/r/blob/main/docs/runbooks/" });

  it("select the JMX exporter's job and this cluster's label in every expression", () => {
    for (const rule of rules) expect(rule.expr).toContain(`job="${MSK_JOBS.jmx}",kafka_cluster="prod-kafka"`);
  });

  it("page for an unreachable broker and for offline partitions, and warn of under-replicated ones", () => {
    expect(Object.fromEntries(rules.map((r) => [r.alert, r.labels.severity]))).toEqual({ KafkaBrokerUnreachable: "critical", KafkaUnderReplicatedPartitions: "warning", KafkaOfflinePartitions: "critical" });
  });

  it("link each to its runbook page, named after the alert", () => {
    for (const rule of rules) expect(rule.annotations.runbook_url).toBe(`https://github.com/o/r/blob/main/docs/runbooks/${rule.alert.replace(/([a-z])([A-Z])/g, "$1-$2").toLowerCase()}.md`);
  });
});
