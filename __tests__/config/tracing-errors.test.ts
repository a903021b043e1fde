import { stringify } from "yaml";
import { formatProblem, loadEnvironmentFile, tracingEnabled } from "../../config";
import { TEST_NOW, validEnvironmentInput } from "../helpers";

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
