import { stringify } from "yaml";
import { configWarnings, formatProblem, loadEnvironmentFile } from "../../config";
import { TEST_NOW, validEnvironmentInput } from "../helpers";

// A vault lock, which AWS Backup of a production database needs.
const LOCKED = { backup: { vaultLock: { minRetentionDays: 7, maxRetentionDays: 400 } } };
const DATABASE = { engine: "postgres", instanceClass: "db.m7g.large", multiAz: true, ...LOCKED };
const AURORA = { engine: "aurora-postgresql", instanceClass: "db.r7g.large", readers: 1, ...LOCKED };
const STREAMING = { brokers: 3, instanceType: "kafka.m7g.large" };

/** Problems of an environment file with these data sections (and overrides), without the `file:line:` prefix. */
function problems(sections: { database?: object; streaming?: object }, overrides: Record<string, unknown> = {}): string[] {
  const content = validEnvironmentInput({ ...overrides, ...sections } as never);
  return loadEnvironmentFile("config/test.yaml", stringify(content), TEST_NOW).problems.map((p) => formatProblem({ ...p, line: undefined, frame: undefined }).replace(/^config\/test\.yaml: /, ""));
}

describe("database and streaming config: one message per kind of bad input", () => {
  it("accepts both engines, Serverless v2, and Kafka, in production too", () => {
    expect(problems({ database: DATABASE, streaming: STREAMING })).toEqual([]);
    expect(problems({ database: AURORA, streaming: STREAMING }, { production: true })).toEqual([]);
    expect(problems({ database: { engine: "aurora-postgresql", instanceClass: "db.serverless", serverless: { minCapacity: 0.5, maxCapacity: 8 } } })).toEqual([]);
  });

  it("names the line of the bad field", () => {
    const content = stringify(validEnvironmentInput({ database: { ...DATABASE, backupRetentionDays: 3 } } as never));
    const [problem] = loadEnvironmentFile("config/test.yaml", content, TEST_NOW).problems;
    expect(problem?.line).toBe(content.split("\n").findIndex((l) => l.includes("backupRetentionDays")) + 1);
  });

  it("rejects an unsupported engine, PostgreSQL version or Kafka version, listing the supported ones", () => {
    expect(problems({ database: { ...DATABASE, engine: "mysql" } })).toEqual(['[test] database.engine: allowed: "postgres", "aurora-postgresql" (got "mysql")']);
    expect(problems({ database: { ...DATABASE, version: "12" } })).toEqual(['[test] database.version: allowed: "14", "15", "16", "17" (got "12")']);
    expect(problems({ streaming: { ...STREAMING, kafkaVersion: "3.6.0" } })).toEqual([
      '[test] streaming.kafkaVersion: allowed: "3.7.x.kraft", "3.8.x.kraft", "3.9.x.kraft", "4.0.x.kraft", "4.1.x.kraft" (got "3.6.0")',
    ]);
  });

  it("rejects an instance class that does not fit the engine", () => {
    expect(problems({ database: { ...DATABASE, instanceClass: "db.serverless" } })).toEqual([
      '[test] database.instanceClass: db.serverless is Aurora Serverless v2; RDS for PostgreSQL needs a provisioned class such as db.m7g.large, or engine aurora-postgresql (got "db.serverless")',
    ]);
    expect(problems({ database: { ...AURORA, instanceClass: "db.m7g.large" } })).toEqual([
      '[test] database.instanceClass: is not an Aurora PostgreSQL class; allowed: db.serverless (Serverless v2), db.<family>.<size> with family one of r5, r6g, r6gd, r6i, r6id, r7g, r7i, r8g, x2g, or db.t3.medium, db.t4g.medium, db.t4g.large (got "db.m7g.large")',
    ]);
    expect(problems({ database: { ...DATABASE, instanceClass: "db.z1.large" } })).toEqual([
      expect.stringMatching(/^\[test\] database\.instanceClass: is not an RDS for PostgreSQL class; allowed: db\.<family>\.<size> with family one of t3, t4g, .* \(got "db\.z1\.large"\)$/),
    ]);
    expect(problems({ database: { ...DATABASE, instanceClass: "m7g.large" } })).toEqual([
      '[test] database.instanceClass: must be a DB instance class such as db.m7g.large (or db.serverless for Aurora Serverless v2) (got "m7g.large")',
    ]);
  });

  it("rejects Serverless v2 without capacity, with capacity out of range, or capacity on a provisioned class", () => {
    const serverless = { engine: "aurora-postgresql", instanceClass: "db.serverless" };
    expect(problems({ database: serverless })).toEqual(["[test] database.serverless: is required with instanceClass db.serverless: set minCapacity and maxCapacity (ACUs)"]);
    expect(problems({ database: { ...serverless, serverless: { minCapacity: 8, maxCapacity: 4 } } })).toEqual([
      '[test] database.serverless: minCapacity (8) is above maxCapacity (4) (got {"minCapacity":8,"maxCapacity":4})',
    ]);
    expect(problems({ database: { ...serverless, serverless: { minCapacity: 0.3, maxCapacity: 4 } } })).toEqual([
      '[test] database.serverless: capacities must be multiples of 0.5 ACU (got {"minCapacity":0.3,"maxCapacity":4})',
    ]);
    expect(problems({ database: { ...serverless, serverless: { minCapacity: 1, maxCapacity: 512 } } })).toEqual([
      '[test] database.serverless: capacities must be within 0–256 ACU (got {"minCapacity":1,"maxCapacity":512})',
    ]);
    expect(problems({ database: { ...AURORA, serverless: { minCapacity: 1, maxCapacity: 4 } } })).toEqual([
      '[test] database.serverless: applies only to Aurora with instanceClass db.serverless; remove it, or set engine aurora-postgresql and instanceClass db.serverless (got {"minCapacity":1,"maxCapacity":4})',
    ]);
  });

  it("rejects the other engine's availability setting", () => {
    expect(problems({ database: { ...AURORA, multiAz: true } })).toEqual(["[test] database.multiAz: is for RDS; Aurora is highly available through readers in other zones: set database.readers instead (got true)"]);
    expect(problems({ database: { ...DATABASE, readers: 1 } })).toEqual(["[test] database.readers: is for Aurora; RDS for PostgreSQL is made highly available with multiAz: true (got 1)"]);
  });

  it("rejects backup retention outside 7–35 days", () => {
    expect(problems({ database: { ...DATABASE, backupRetentionDays: 3 } })).toEqual([
      "[test] database.backupRetentionDays: must be 7–35 days: shorter leaves nothing good to restore from when corruption is noticed late (got 3)",
    ]);
    expect(problems({ database: { ...DATABASE, backupRetentionDays: 40 } })).toEqual(["[test] database.backupRetentionDays: must be 7–35 days: RDS keeps automated backups for at most 35 days (got 40)"]);
  });

  it("rejects maximum storage below allocated storage, for the database and the brokers", () => {
    expect(problems({ database: { ...DATABASE, allocatedStorageGiB: 200, maxAllocatedStorageGiB: 100 } })).toEqual([
      "[test] database.maxAllocatedStorageGiB: is below allocatedStorageGiB (200); storage autoscaling can only grow the volume: allowed: 200 or more (got 100)",
    ]);
    expect(problems({ streaming: { ...STREAMING, volumeSizeGiB: 500, maxVolumeSizeGiB: 100 } })).toEqual([
      "[test] streaming.maxVolumeSizeGiB: is below volumeSizeGiB (500); storage autoscaling can only grow volumes: allowed: 500 or more (got 100)",
    ]);
  });

  it("tells a file with the old appUser, appTopicPrefix and appGroupPrefix where they went", () => {
    expect(problems({ database: { ...DATABASE, appUser: "app" }, streaming: { ...STREAMING, appTopicPrefix: "app.", appGroupPrefix: "app." } })).toEqual([
      '[test] database.appUser: moved: database.users maps each service to its database user; write database.users: { app: <user> } (docs/how-to.md, "Connect to the database")',
      '[test] streaming.appTopicPrefix: is no longer a setting: each topic is declared in streaming.topics with the services that produce and consume it, and grants name exactly those topics (docs/how-to.md, "Kafka topics")',
      "[test] streaming.appGroupPrefix: moved: streaming.groupPrefixes maps each consuming service to its consumer-group prefix; write streaming.groupPrefixes: { app: <prefix> }",
    ]);
  });

  it("rejects a backup window that overlaps the maintenance window, across midnight too", () => {
    expect(problems({ database: { ...DATABASE, backupWindow: "03:00-04:00" } })).toEqual([
      '[test] database.backupWindow: overlaps the maintenance window sun:03:30-sun:04:30, which RDS refuses; move one of them (got "03:00-04:00")',
    ]);
    expect(problems({ database: { ...DATABASE, backupWindow: "23:30-00:30", maintenanceWindow: "mon:00:00-mon:01:00" } })).toHaveLength(1);
    expect(problems({ database: { ...DATABASE, backupWindow: "23:30-00:30", maintenanceWindow: "sun:23:45-mon:00:15" } })).toHaveLength(1);
    expect(problems({ database: { ...DATABASE, backupWindow: "01:00-02:00", maintenanceWindow: "sat:23:00-sun:00:30" } })).toEqual([]);
  });

  it("refuses production without a standby, a reader or deletion protection, unless a reason is written", () => {
    expect(problems({ database: { ...DATABASE, multiAz: false } }, { production: true })).toEqual([
      "[test] database.multiAz: a production database needs a standby in another zone; allowed: true, or a written database.reasons.multiAz (got false)",
    ]);
    expect(problems({ database: { ...AURORA, readers: 0 } }, { production: true })).toEqual([
      "[test] database.readers: a production Aurora cluster needs a reader in another zone to fail over to; allowed: 1 or more, or a written database.reasons.multiAz (got 0)",
    ]);
    expect(problems({ database: { ...DATABASE, deletionProtection: false } }, { production: true })).toEqual([
      "[test] database.deletionProtection: a production database must have deletion protection; allowed: true, or a written database.reasons.deletionProtection (got false)",
    ]);
    const waived = { ...DATABASE, multiAz: false, deletionProtection: false, reasons: { multiAz: "batch reporting replica, rebuilt nightly", deletionProtection: "rebuilt nightly from the primary" } };
    expect(problems({ database: waived }, { production: true })).toEqual([]);
    expect(problems({ database: { ...waived, reasons: { multiAz: " " } } }, { production: true })).toContain('[test] database.reasons.multiAz: must not be empty (got " ")');
  });

  it("prints each accepted reason at synth, as a warning naming the field", () => {
    const content = stringify(validEnvironmentInput({ production: true, database: { ...DATABASE, multiAz: false, reasons: { multiAz: "reporting copy, rebuilt nightly" } } } as never));
    const { config } = loadEnvironmentFile("config/test.yaml", content, TEST_NOW);
    expect(configWarnings([config!], TEST_NOW).map((w) => formatProblem({ ...w, file: "config/test.yaml", line: undefined }))).toEqual([
      "config/test.yaml: [test] database.reasons.multiAz: production database runs in one zone, accepted because: reporting copy, rebuilt nightly",
    ]);
  });

  it("refuses paid RDS Extended Support without a written reason, and prints the reason at synth when there is one", () => {
    expect(problems({ database: { ...DATABASE, extendedSupport: true } })).toEqual([
      "[test] database.extendedSupport: enrols the database in paid RDS Extended Support once its major version leaves standard support, billed per vCPU-hour; write why in database.reasons.extendedSupport, or leave it off and upgrade the major version in time (got true)",
    ]);
    const content = stringify(validEnvironmentInput({ database: { ...DATABASE, extendedSupport: true, reasons: { extendedSupport: "the vendor's report tool certifies PostgreSQL 14 only until March" } } } as never));
    const { config } = loadEnvironmentFile("config/test.yaml", content, TEST_NOW);
    expect(configWarnings([config!], TEST_NOW).map((w) => formatProblem({ ...w, file: "config/test.yaml", line: undefined }))).toEqual([
      "config/test.yaml: [test] database.reasons.extendedSupport: database enrols in paid RDS Extended Support after its major version's standard support, accepted because: the vendor's report tool certifies PostgreSQL 14 only until March",
    ]);
  });

  it("backs production up with AWS Backup into a locked vault, and refuses a lock the retentions do not fit", () => {
    const { backup: _lock, ...unlocked } = DATABASE;
    expect(problems({ database: unlocked }, { production: true })).toEqual([
      "[test] database.backup.vaultLock: is required in production: Vault Lock in compliance mode keeps recovery points from being deleted early, by anyone; set minRetentionDays and maxRetentionDays (irreversible after changeableForDays, 3 by default)",
    ]);
    // Outside production AWS Backup is off unless asked for, so no lock is needed.
    expect(problems({ database: unlocked })).toEqual([]);
    expect(problems({ database: { ...DATABASE, backup: { enabled: false } } }, { production: true })).toEqual([
      "[test] database.backup.enabled: a production database is backed up with AWS Backup, into a locked vault and another region; allowed: true, or a written database.reasons.backup (got false)",
    ]);
    expect(problems({ database: { ...DATABASE, backup: { enabled: false }, reasons: { backup: "a throwaway copy of public data" } } }, { production: true })).toEqual([]);
    expect(problems({ database: { ...DATABASE, backupRetentionDays: 30, backup: { dailyRetentionDays: 500, vaultLock: { minRetentionDays: 35, maxRetentionDays: 400 }, copyTo: { region: "eu-west-1" } } } }, { production: true })).toEqual([
      "[test] database.backup.dailyRetentionDays: is outside the vault lock's retention (35–400 days), which AWS Backup refuses; allowed: 35–400 (got 500)",
      "[test] database.backupRetentionDays: is outside the vault lock's retention (35–400 days), which AWS Backup refuses; allowed: 35–400 (got 30)",
      "[test] database.backup.copyTo.region: is the environment's own region: a copy there does not survive losing it; allowed: any other region (got \"eu-west-1\")",
    ]);
    expect(problems({ database: { ...DATABASE, backup: { enabled: true, vaultLock: { minRetentionDays: 40, maxRetentionDays: 30 } } } })).toContain(
      "[test] database.backup.vaultLock.maxRetentionDays: is below minRetentionDays (40); allowed: 40 or more (got 30)",
    );
  });

  it("rejects a broker count that is not a multiple of the broker zones", () => {
    expect(problems({ streaming: { ...STREAMING, brokers: 4 } })).toEqual([
      "[test] streaming.brokers: must be a multiple of the 3 broker zones (network.azCount, at most 3), so every zone has the same number of brokers; allowed: 3, 6, 9, … (got 4)",
    ]);
    expect(problems({ streaming: { ...STREAMING, brokers: 4 } }, { network: { vpcCidr: "10.50.0.0/16", azCount: 2, natMode: "single" } })).toEqual([]);
  });

  it("spreads brokers over fewer zones than the VPC has with streaming.zones (reference design 004's dev), and counts brokers against it", () => {
    expect(problems({ streaming: { ...STREAMING, brokers: 2, zones: 2 } })).toEqual([]);
    expect(problems({ streaming: { ...STREAMING, brokers: 3, zones: 2 } })).toEqual([
      "[test] streaming.brokers: must be a multiple of the 2 broker zones (streaming.zones), so every zone has the same number of brokers; allowed: 2, 4, 6, … (got 3)",
    ]);
  });

  it("rejects streaming.zones above network.azCount, naming the file, line, field, value and what is allowed", () => {
    const content = stringify(validEnvironmentInput({ network: { vpcCidr: "10.50.0.0/16", azCount: 2, natMode: "single" }, streaming: { ...STREAMING, zones: 3 } } as never));
    const line = content.split("\n").findIndex((l) => l.includes("zones: 3")) + 1;
    expect(loadEnvironmentFile("config/test.yaml", content, TEST_NOW).problems.map((p) => formatProblem({ ...p, frame: undefined }))).toEqual([
      `config/test.yaml:${line}: [test] streaming.zones: is more than network.azCount (2): brokers go in the data subnets, one zone each, and the VPC has subnets in 2 zones; allowed: 2 (got 3)`,
    ]);
  });

  it("rejects streaming.zones MSK cannot place brokers in", () => {
    const message = "must be 2 or 3: MSK places brokers in two or three client subnets, each in its own zone";
    expect(problems({ streaming: { ...STREAMING, zones: 1 } })).toEqual([`[test] streaming.zones: ${message} (got 1)`]);
    expect(problems({ streaming: { ...STREAMING, zones: 4 } })).toEqual([`[test] streaming.zones: ${message} (got 4)`]);
  });

  it("rejects fewer than 3 brokers in production", () => {
    expect(problems({ streaming: { ...STREAMING, brokers: 2 } }, { production: true, network: { vpcCidr: "10.50.0.0/16", azCount: 2, natMode: "per-az" } })).toEqual([
      "[test] streaming.brokers: a production cluster needs at least 3 brokers, so a topic keeps 3 replicas and survives losing one; allowed: 3 or more (got 2)",
    ]);
  });

  it("rejects a replication factor above the broker count, and min.insync.replicas not below it", () => {
    expect(problems({ streaming: { ...STREAMING, replicationFactor: 4 } })).toEqual([
      "[test] streaming.replicationFactor: is above the broker count (3): a partition cannot have more replicas than there are brokers; allowed: 1–3 (got 4)",
    ]);
    expect(problems({ streaming: { ...STREAMING, minInsyncReplicas: 3 } })).toEqual([
      "[test] streaming.minInsyncReplicas: must be below the replication factor (3), or one broker down stops every acks=all producer; allowed: 1–2 (got 3)",
    ]);
  });

  it("rejects a broker type MSK does not offer, and a certificate authority that is not an ACM PCA ARN", () => {
    expect(problems({ streaming: { ...STREAMING, instanceType: "m7g.large" } })).toEqual([
      '[test] streaming.instanceType: is not an MSK broker type; allowed: kafka.<family>.<size> with family one of m5, m7g (kafka.m7g.large, …), or kafka.t3.small (got "m7g.large")',
    ]);
    expect(problems({ streaming: { ...STREAMING, clientCertificateAuthorityArns: ["arn:aws:acm:eu-west-1:123456789012:certificate/abc"] } })).toEqual([
      '[test] streaming.clientCertificateAuthorityArns.0: must be an ACM Private CA ARN (got "arn:aws:acm:eu-west-1:123456789012:certificate/abc")',
    ]);
  });

  it("rejects an unknown key in either section, naming the allowed ones", () => {
    expect(problems({ streaming: { ...STREAMING, zookeeper: true } })[0]).toMatch(/^\[test\] streaming\.zookeeper: unknown key; allowed keys here: kafkaVersion, brokers, /);
  });
});
