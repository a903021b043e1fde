import { stringify } from "yaml";
import { formatProblem, loadEnvironmentFile } from "../../config";
import { TEST_NOW, validEnvironmentInput } from "../helpers";

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
