import { stringify } from "yaml";
import { configWarnings, formatProblem, loadEnvironmentFile } from "../../config";
import { TEST_NOW, validEnvironmentInput } from "../helpers";

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
    expect(problems(ALERTING, { production: true })).toEqual([]);
    expect(warnings(ALERTING, { production: true })).toEqual([]);
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
