import { stringify } from "yaml";
import { environmentSchema, formatProblem, loadEnvironmentFile } from "../../config";
import { TEST_NOW, validEnvironmentInput } from "../helpers";

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
