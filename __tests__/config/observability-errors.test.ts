import { stringify } from "yaml";
import { configWarnings, environmentSchema, formatProblem, loadEnvironmentFile, tracingEnabled } from "../../config";
import { TEST_NOW, validEnvironmentInput } from "../helpers";

// The observability section's config errors, one test per message: receivers and routes, the
// metrics presets, the alarms' thresholds, tracing. One file, so the config loads once.
// alert delivery (alerting-errors):
describe("observability config: alert delivery", () => {
  /** Production's shape: a pager, chat, mail, and a heartbeat service. */
  const RECEIVERS = {
    pager: { type: "pagerduty" },
    chat: { type: "slack", channel: "#alerts-prod" },
    "ops-email": { type: "email", addresses: ["ops@example.com"] },
    heartbeat: { type: "webhook" },
  };
  const ALERTING = { receivers: RECEIVERS, routes: { critical: ["pager", "chat"], warning: ["chat"] }, heartbeat: "heartbeat" };

  /** The environment file with this alerting section (and overrides): with a platform section unless told. */
  function content(alerting: object, overrides: Record<string, unknown> = {}): string {
    return stringify(validEnvironmentInput({ platform: {}, ...overrides, observability: { alerting } } as never));
  }

  /** Problems of that file, without the `file:line:` prefix. */
  function problems(alerting: object, overrides: Record<string, unknown> = {}): string[] {
    return loadEnvironmentFile("config/test.yaml", content(alerting, overrides), TEST_NOW).problems.map((p) => formatProblem({ ...p, line: undefined, frame: undefined }).replace(/^config\/test\.yaml: /, ""));
  }

  /** Warnings of that file, as the synth prints them, without the file. */
  function warnings(alerting: object, overrides: Record<string, unknown> = {}): string[] {
    const { config } = loadEnvironmentFile("config/test.yaml", content(alerting, overrides), TEST_NOW);
    return configWarnings([config!], TEST_NOW).map((w) => formatProblem({ ...w, file: "config/test.yaml", line: undefined }).replace(/^config\/test\.yaml: /, ""));
  }

  describe("alerting config: one message per kind of bad input", () => {
    it("accepts production's shape, with or without a platform section, and warns of nothing", () => {
      const production = { production: true, platform: { alertmanager: { replicas: 2 } } };
      expect(problems(ALERTING, production)).toEqual([]);
      expect(warnings(ALERTING, production)).toEqual([]);
      expect(problems({ receivers: { mail: RECEIVERS["ops-email"] }, routes: { critical: ["mail"] } }, { production: true, platform: undefined })).toEqual([]);
    });

    it("rejects a receiver type with missing fields (the schema's)", () => {
      expect(problems({ ...ALERTING, receivers: { ...RECEIVERS, chat: { type: "slack" } } })).toEqual(["[test] observability.alerting.receivers.chat.channel: is required (string)"]);
      expect(problems({ ...ALERTING, receivers: { ...RECEIVERS, "ops-email": { type: "email", addresses: [] } } })).toEqual(["[test] observability.alerting.receivers.ops-email.addresses: must list at least one address"]);
    });

    it("rejects an unknown receiver type (the schema's)", () => {
      expect(problems({ ...ALERTING, receivers: { ...RECEIVERS, pager: { type: "opsgenie" } } })).toEqual(['[test] observability.alerting.receivers.pager.type: must have a type: "slack", "pagerduty", "email" or "webhook"']);
    });

    it("rejects a bad receiver name (the schema's)", () => {
      expect(problems({ ...ALERTING, receivers: { ...RECEIVERS, Ops_Email: RECEIVERS["ops-email"] } })).toEqual([
        "[test] observability.alerting.receivers.Ops_Email: must be a receiver name: 1–32 lowercase letters, digits and '-', starting with a letter (got \"Ops_Email\")",
      ]);
    });

    it("rejects a route naming an unknown receiver, with the near names", () => {
      expect(problems({ ...ALERTING, routes: { critical: ["pagr"], warning: ["chat"] } })).toEqual([
        '[test] observability.alerting.routes.critical.0: is not a receiver of this environment (did you mean "pager"?); allowed: chat, heartbeat, ops-email, pager (got "pagr")',
      ]);
    });

    it("rejects a route naming a receiver twice", () => {
      expect(problems({ ...ALERTING, routes: { critical: ["pager"], warning: ["chat", "chat"] } })).toEqual(['[test] observability.alerting.routes.warning: names a receiver twice; list each once (it would get every alert twice) (got ["chat","chat"])']);
    });

    it("rejects a heartbeat naming an unknown receiver", () => {
      expect(problems({ ...ALERTING, heartbeat: "hearbeat" })).toEqual(['[test] observability.alerting.heartbeat: is not a receiver of this environment (did you mean "heartbeat"?); allowed: chat, heartbeat, ops-email, pager (got "hearbeat")']);
    });

    it("rejects a heartbeat of type slack, email or pagerduty: it gets a ping a minute, and only a ping URL notices when they stop", () => {
      expect(problems({ ...ALERTING, heartbeat: "pager" })).toEqual([
        `[test] observability.alerting.heartbeat: is a pagerduty receiver: the heartbeat gets the always-firing Watchdog alert every minute, which PagerDuty's Events API folds into one open alert, and nothing happens when the pings stop; ${"allowed: a webhook receiver, a heartbeat service's ping URL (healthchecks.io, Dead Man's Snitch, a PagerDuty heartbeat monitor's URL)"} (got "pager")`,
      ]);
      expect(problems({ ...ALERTING, heartbeat: "chat" })).toEqual([
        "[test] observability.alerting.heartbeat: is a slack receiver: the heartbeat gets the always-firing Watchdog alert every minute, which would post to the channel every minute, and nothing would notice the pings stop; allowed: a webhook receiver, a heartbeat service's ping URL (healthchecks.io, Dead Man's Snitch, a PagerDuty heartbeat monitor's URL) (got \"chat\")",
      ]);
      expect(problems({ ...ALERTING, heartbeat: "ops-email" })).toEqual([
        "[test] observability.alerting.heartbeat: is an email receiver: the heartbeat gets the always-firing Watchdog alert every minute, which would mail the addresses every minute, and nothing would notice the pings stop; allowed: a webhook receiver, a heartbeat service's ping URL (healthchecks.io, Dead Man's Snitch, a PagerDuty heartbeat monitor's URL) (got \"ops-email\")",
      ]);
    });

    it("rejects a production environment with no critical receiver", () => {
      expect(problems({ ...ALERTING, routes: { critical: [], warning: ["chat"] } }, { production: true })).toEqual([
        "[test] observability.alerting.routes.critical: a production environment must tell someone of critical alerts (the service is down or losing data): list at least one receiver, the one that pages (receivers: chat, heartbeat, ops-email, pager) (got [])",
      ]);
      expect(problems({}, { production: true, platform: undefined })).toEqual([
        "[test] observability.alerting.routes.critical: a production environment must tell someone of critical alerts; without a platform section there is no Alertmanager, so only email receivers get them (the CloudWatch alarms, through the SNS topic): list an email receiver, or add a platform section (receivers: none: add one under observability.alerting.receivers) (got [])",
      ]);
    });

    it("rejects a production environment with no heartbeat where Prometheus runs", () => {
      expect(problems({ ...ALERTING, heartbeat: undefined }, { production: true })).toEqual([
        `[test] observability.alerting.heartbeat: is required in a production environment: name a webhook receiver, a heartbeat service's ping URL (healthchecks.io, Dead Man's Snitch, a PagerDuty heartbeat monitor's URL) whose service pages when the Watchdog's pings stop, so that a dead Prometheus or Alertmanager reaches someone (docs/observability.md, "Heartbeat"); webhook receivers here: heartbeat`,
      ]);
    });

    it("warns of a production Alertmanager without a second replica", () => {
      expect(warnings(ALERTING, { production: true })).toEqual([
        "[test] platform.alertmanager.replicas: is 1 in a production environment: while a node drain moves its pod no alert is sent, and the heartbeat may page for a dead Alertmanager; 2 replicas form a cluster that deduplicates, with a PodDisruptionBudget (got 1)",
      ]);
    });

    it("warns when a non-production environment's alerts go nowhere", () => {
      expect(problems({})).toEqual([]);
      expect(warnings({})).toEqual([
        "[test] observability.alerting.receivers: routes no alert to any receiver: this environment's alerts (the services', the platform's, the CloudWatch alarms') reach no one; add a chat receiver and list it in routes.critical and routes.warning",
      ]);
      expect(warnings({ receivers: { chat: RECEIVERS.chat } })).toEqual([
        "[test] observability.alerting.routes: routes no alert to any receiver: this environment's alerts (the services', the platform's, the CloudWatch alarms') reach no one; add a chat receiver and list it in routes.critical and routes.warning",
      ]);
    });

    it("warns of receivers and a heartbeat that only Alertmanager serves, without a platform section", () => {
      expect(problems(ALERTING, { platform: undefined })).toEqual([]);
      expect(warnings(ALERTING, { platform: undefined })).toEqual([
        "[test] observability.alerting.receivers.chat: is a slack receiver, which Alertmanager (in test-platform) sends to: this environment has no platform section, so nothing reaches it; only email receivers get the CloudWatch alarms, through the SNS topic test-alerts",
        "[test] observability.alerting.receivers.heartbeat: is a webhook receiver, which Alertmanager (in test-platform) sends to: this environment has no platform section, so nothing reaches it; only email receivers get the CloudWatch alarms, through the SNS topic test-alerts",
        "[test] observability.alerting.receivers.pager: is a pagerduty receiver, which Alertmanager (in test-platform) sends to: this environment has no platform section, so nothing reaches it; only email receivers get the CloudWatch alarms, through the SNS topic test-alerts",
        "[test] observability.alerting.heartbeat: gets no ping: the Watchdog alert comes from Prometheus, which runs in test-platform, and this environment has no platform section",
      ]);
    });
  });
});

// metrics presets (metrics-errors):
describe("observability config: metrics presets", () => {
  const CERT = "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555";
  const orders = { image: { tag: "1.0.0" }, architectures: ["arm64"], port: 3000, exposure: "none" };
  const CUSTOM = { requestsTotal: "orders_requests_total", requestDuration: "orders_request_duration_seconds", saturationGauge: "orders_requests_in_flight", statusLabel: "code", routeLabel: "route" };

  /** An environment file whose service orders has this metrics section. */
  function fileWith(metrics: unknown): string {
    const services = { gateway: { image: { tag: "1.0.0" }, architectures: ["arm64"], port: 3000, talksTo: ["orders"], ingress: { host: "api.example.com", certificateArn: CERT } }, orders: { ...orders, metrics } };
    return stringify(validEnvironmentInput({ platform: {}, services } as never));
  }

  /** Its problems, each as `file:line: [env] field: message`. */
  function problems(metrics: unknown): string[] {
    return loadEnvironmentFile("config/test.yaml", fileWith(metrics), TEST_NOW).problems.map((p) => formatProblem({ ...p, frame: undefined }));
  }

  describe("services.<name>.metrics: one message per kind of bad input, naming the file and line", () => {
    it("accepts each library's preset, a custom one with all its names, and none (the default)", () => {
      for (const preset of ["prometheus-fastapi-instrumentator", "starlette-exporter", "nestjs-prom"]) expect(problems({ preset })).toEqual([]);
      expect(problems({ preset: "custom", custom: CUSTOM })).toEqual([]);
      expect(problems(undefined)).toEqual([]);
    });

    it("rejects an unknown preset, naming those there are", () => {
      expect(problems({ preset: "fastapi" })).toEqual([expect.stringMatching(/^config\/test\.yaml:\d+: \[test\] services\.orders\.metrics\.preset: .*"prometheus-fastapi-instrumentator".*"starlette-exporter".*"nestjs-prom".*"custom".* \(got "fastapi"\)$/)]);
    });

    it("rejects preset custom without its names", () => {
      expect(problems({ preset: "custom" })).toEqual([
        expect.stringMatching(/^config\/test\.yaml:\d+: \[test\] services\.orders\.metrics\.custom: is required with preset custom: it names the service's metrics and labels \(requestsTotal, requestDuration, saturationGauge, statusLabel, routeLabel\); add it, or name the library's preset \(allowed: prometheus-fastapi-instrumentator, starlette-exporter, nestjs-prom\)$/),
      ]);
    });

    it("rejects a custom preset missing a metric, and one missing a label, at the line of custom", () => {
      const { saturationGauge: _gauge, routeLabel: _route, ...partial } = CUSTOM;
      expect(problems({ preset: "custom", custom: partial })).toEqual([
        expect.stringMatching(/^config\/test\.yaml:\d+: \[test\] services\.orders\.metrics\.custom\.saturationGauge: is missing: a custom preset names all of requestsTotal, requestDuration, saturationGauge, statusLabel, routeLabel, since the alerts and the dashboard query each of them$/),
        expect.stringMatching(/^config\/test\.yaml:\d+: \[test\] services\.orders\.metrics\.custom\.routeLabel: is missing: /),
      ]);
    });

    it("rejects custom names given with a library's preset", () => {
      expect(problems({ preset: "starlette-exporter", custom: CUSTOM })).toEqual([
        expect.stringMatching(/^config\/test\.yaml:\d+: \[test\] services\.orders\.metrics\.custom: is given with preset starlette-exporter, which names the metrics itself, so these names would be ignored; set preset: custom to use them, or remove custom \(got "starlette-exporter"\)$/),
      ]);
    });

    it("rejects a name Prometheus cannot hold, a label likewise, and a histogram named by one of its series", () => {
      expect(problems({ preset: "custom", custom: { ...CUSTOM, requestsTotal: "orders-requests" } })).toEqual([
        expect.stringMatching(/services\.orders\.metrics\.custom\.requestsTotal: must be a Prometheus metric name such as http_requests_total: letters, digits, '_' and ':', not starting with a digit \(got "orders-requests"\)$/),
      ]);
      expect(problems({ preset: "custom", custom: { ...CUSTOM, statusLabel: "__status" } })).toEqual([
        expect.stringMatching(/services\.orders\.metrics\.custom\.statusLabel: must be a Prometheus label name such as status: letters, digits and '_', not starting with a digit or '__' \(got "__status"\)$/),
      ]);
      expect(problems({ preset: "custom", custom: { ...CUSTOM, requestDuration: "orders_request_duration_seconds_bucket" } })).toEqual([
        expect.stringMatching(/services\.orders\.metrics\.custom\.requestDuration: must be the histogram's base name, without _bucket, _sum or _count: the queries add _bucket \(got "orders_request_duration_seconds_bucket"\)$/),
      ]);
    });

    it("points at the line of the service's metrics in the file", () => {
      const [line] = problems({ preset: "custom" });
      const file = fileWith({ preset: "custom" }).split("\n");
      const at = Number(/^config\/test\.yaml:(\d+):/.exec(line!)![1]);
      expect(file[at - 1]).toMatch(/^\s+metrics:|^\s+preset: custom/);
    });
  });
});

// alarm thresholds (alarms-errors):
describe("observability config: alarm thresholds", () => {
  /** Problems of an environment file with these alarm thresholds, without the `file:line:` prefix. */
  function problems(alarms: object): string[] {
    const content = validEnvironmentInput({ observability: { alarms } } as never);
    return loadEnvironmentFile("config/test.yaml", stringify(content), TEST_NOW).problems.map((p) => formatProblem({ ...p, line: undefined, frame: undefined }).replace(/^config\/test\.yaml: /, ""));
  }

  describe("observability.alarms: thresholds have defaults, and one message per range", () => {
    it("fills every threshold's default", () => {
      expect(environmentSchema.parse(validEnvironmentInput()).observability.alarms).toEqual({
        database: { cpuPercent: 80, freeStorageGiB: 10, replicaLagSeconds: 60, connectionsPercent: 80 },
        streaming: { diskUsedPercent: 80, underReplicatedPartitions: 0 },
        nat: { portAllocationErrors: 0, packetsDropped: 1000 },
        loadBalancer: { elb5xxCount: 10 },
      });
    });

    it("keeps a threshold given in range, the others at their defaults", () => {
      const alarms = environmentSchema.parse(validEnvironmentInput({ observability: { alarms: { database: { cpuPercent: 90 } } } } as never)).observability.alarms;
      expect(alarms.database).toEqual({ cpuPercent: 90, freeStorageGiB: 10, replicaLagSeconds: 60, connectionsPercent: 80 });
      expect(problems({ nat: { portAllocationErrors: 0, packetsDropped: 0 }, streaming: { underReplicatedPartitions: 0 } })).toEqual([]);
    });

    it("refuses a percentage outside 1–100, below and above", () => {
      expect(problems({ database: { cpuPercent: 0 } })).toEqual(["[test] observability.alarms.database.cpuPercent: must be 1–100 percent (got 0)"]);
      expect(problems({ database: { connectionsPercent: 120 } })).toEqual(["[test] observability.alarms.database.connectionsPercent: must be 1–100 percent (got 120)"]);
      expect(problems({ streaming: { diskUsedPercent: 101 } })).toEqual(["[test] observability.alarms.streaming.diskUsedPercent: must be 1–100 percent (got 101)"]);
    });

    it("refuses free storage outside 1–1024 GiB", () => {
      expect(problems({ database: { freeStorageGiB: 2048 } })).toEqual(["[test] observability.alarms.database.freeStorageGiB: must be 1–1024 GiB (got 2048)"]);
    });

    it("refuses a replica lag outside 1–3600 seconds", () => {
      expect(problems({ database: { replicaLagSeconds: 0.5 } })).toEqual(["[test] observability.alarms.database.replicaLagSeconds: must be 1–3600 seconds (got 0.5)"]);
    });

    it("refuses a negative count of under-replicated partitions", () => {
      expect(problems({ streaming: { underReplicatedPartitions: -1 } })).toEqual(["[test] observability.alarms.streaming.underReplicatedPartitions: must be 0–10000 partitions (got -1)"]);
    });

    it("refuses NAT thresholds outside their ranges", () => {
      expect(problems({ nat: { portAllocationErrors: -1 } })).toEqual(["[test] observability.alarms.nat.portAllocationErrors: must be 0–1000000 errors (got -1)"]);
      expect(problems({ nat: { packetsDropped: 200000000 } })).toEqual(["[test] observability.alarms.nat.packetsDropped: must be 0–100000000 packets (got 200000000)"]);
    });

    it("refuses an ALB 5xx count below 1 (every ALB would be in alarm at its first error)", () => {
      expect(problems({ loadBalancer: { elb5xxCount: 0 } })).toEqual(["[test] observability.alarms.loadBalancer.elb5xxCount: must be 1–1000000 responses (got 0)"]);
    });

    it("refuses a threshold that is not a number, and an unknown threshold", () => {
      expect(problems({ database: { cpuPercent: "80%" } })).toEqual(['[test] observability.alarms.database.cpuPercent: must be a number (got "80%")']);
      expect(problems({ loadBalancer: { errorPercent: 5 } })).toEqual(["[test] observability.alarms.loadBalancer.errorPercent: unknown key; allowed keys here: elb5xxCount"]);
    });
  });
});

// tracing (tracing-errors):
describe("observability config: tracing", () => {
  // observability.tracing: one message per kind of bad input, each naming the file, line, field,
  // value and what to do, as the loader prints it.
  const TRACING = { tracing: { enabled: true, samplingPercent: 5 } };
  const load = (overrides: Record<string, unknown>) => loadEnvironmentFile("config/test.yaml", stringify(validEnvironmentInput(overrides as never)), TEST_NOW);

  describe("observability.tracing config", () => {
    it("accepts tracing with a platform section, which runs the collector", () => {
      const loaded = load({ platform: {}, observability: TRACING });
      expect(loaded.problems).toEqual([]);
      expect(tracingEnabled(loaded.config!)).toBe(true);
    });

    it("refuses tracing without a platform section: no collector would receive the traces", () => {
      const { problems } = load({ observability: TRACING });
      expect(problems.map((p) => formatProblem({ ...p, frame: undefined }))).toEqual([
        expect.stringMatching(/^config\/test\.yaml:\d+: \[test\] observability\.tracing\.enabled: needs a platform section: the OpenTelemetry Collector that receives the traces runs in test-platform; add a platform section, or set it to false \(got true\)$/),
      ]);
    });
  });

  describe("observability.grafana config", () => {
    it("refuses Grafana's CloudWatch data source without a platform section: there is no Grafana", () => {
      const { problems } = load({ observability: { grafana: { cloudWatch: true } } });
      expect(problems.map((p) => formatProblem({ ...p, frame: undefined }))).toEqual([
        expect.stringMatching(/^config\/test\.yaml:\d+: \[test\] observability\.grafana\.cloudWatch: needs a platform section: Grafana, whose data source it is, runs in test-platform; add a platform section, or set it to false \(got true\)$/),
      ]);
    });
  });
});
