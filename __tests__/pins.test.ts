import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { comparePins } from "../scripts/pins-check";
import { computePins, pinsOfSynth, projectInputs, type Pins, readPins, writePins } from "../scripts/pins";
import { type EnvironmentConfig } from "../config";
import { networkFacts } from "../stacks/contracts/network";
import { FIXTURE } from "./helpers";

// The pins and their comparison, on the fixture project. What must never change by accident is
// the address of every stateful resource (a changed address recreates it) and every subnet's CIDR
// (a changed CIDR replaces the subnet and all in it). The user's own pins/ are compared with the
// user's config/ by user-config.test.ts.
const inputs = projectInputs(FIXTURE);
const pins = computePins(inputs);
const dev = inputs.environments.find((e) => e.name === "dev")!;
/** An IPv4 CIDR's first address, as a number. */
const ipv4 = (cidr: string) => cidr.split("/")[0]!.split(".").reduce((n, octet) => n * 256 + Number(octet), 0);
const without = <T>(record: Record<string, T>, drop: (key: string) => boolean): Record<string, T> => Object.fromEntries(Object.entries(record).filter(([key]) => !drop(key)));
/** The fixture's pins with one environment changed: that environment's computed alone, a third of the work. */
const pinsWith = (changed: EnvironmentConfig): Pins => {
  const mine = computePins({ ...inputs, environments: [changed], allEnvironments: [changed] });
  const ofIt = (stack: string) => stack.startsWith(`${changed.name}-`);
  return {
    statefulAddresses: { ...without(pins.statefulAddresses, ofIt), ...without(mine.statefulAddresses, (s) => !ofIt(s)) },
    subnetCidrs: { ...pins.subnetCidrs, ...mine.subnetCidrs },
    locations: { ...pins.locations, [changed.name]: mine.locations[changed.name]! },
  };
};

describe("comparing the committed pins with the code's", () => {
  it("finds nothing when nothing changed", () => {
    expect(comparePins(pins, pins)).toEqual({ problems: [], notes: [] });
  });

  it("only notes an environment never deployed (not in the pins): run `npm run pins`, and no moved block", () => {
    const committed: Pins = { statefulAddresses: without(pins.statefulAddresses, (s) => s.startsWith("stage-")), subnetCidrs: without(pins.subnetCidrs, (e) => e === "stage"), locations: without(pins.locations, (e) => e === "stage") };
    const { problems, notes } = comparePins(committed, pins);
    expect(problems).toEqual([]);
    expect(notes).toEqual([expect.stringMatching(/^stage: not pinned yet, so never deployed as far as pins\/ knows: nothing to compare\. Before its first apply, run `npm run pins` and commit pins\/, /)]);
    expect(notes.join("\n")).not.toMatch(/moved/);
  });

  it("only notes a new stack of a deployed environment", () => {
    const { problems, notes } = comparePins({ ...pins, statefulAddresses: without(pins.statefulAddresses, (s) => s === "dev-database") }, pins);
    expect(problems).toEqual([]);
    expect(notes).toEqual(["dev-database: a stack not pinned yet, so never deployed as far as pins/ knows: nothing to compare. Before its first apply, run `npm run pins` and commit pins/"]);
  });

  it("only notes an environment pinned for another account and region, as a project just adopted is: nothing of it exists where it deploys now", () => {
    const moved = { ...dev, account: { ...dev.account, id: "210987654321", region: "us-east-2" as const } };
    const adopted = pinsWith(moved);
    // Every subnet moved to us-east-2's zones, which the pins would otherwise call changed CIDRs.
    expect(Object.keys(adopted.subnetCidrs.dev!.private!)).toEqual(["us-east-2a", "us-east-2b"]);
    const { problems, notes } = comparePins(pins, adopted);
    expect(problems).toEqual([]);
    expect(notes).toEqual([
      "dev: pinned in account 101010101010, eu-west-1, but it deploys to account 210987654321, us-east-2 now: nothing pinned exists there, so nothing is compared. Before its first apply there, run `npm run pins` and commit pins/",
    ]);
  });

  it("asks for a moved block where a stateful address changed in a deployed environment", () => {
    const renamed = pins.statefulAddresses["dev-network"]!.map((a) => (a === "aws_kms_key.network_flow-logs_key" ? "aws_kms_key.network_flow-logs_cmk" : a)).sort();
    const { problems, notes } = comparePins(pins, { ...pins, statefulAddresses: { ...pins.statefulAddresses, "dev-network": renamed } });
    expect(notes).toEqual([]);
    expect(problems).toEqual([
      'dev-network: stateful addresses changed (gone aws_kms_key.network_flow-logs_key; new aws_kms_key.network_flow-logs_cmk). Terraform destroys what is gone and creates what is new. For a construct renamed or moved, add a moved block from its old address to its new one (docs/architecture.md, "Moving a resource"); then, or if the change is deliberate, run `npm run pins` and commit pins/ with it',
    ]);
  });

  it("catches a database replaced by a config change: a new engine is a new resource at a new address", () => {
    const stage = inputs.environments.find((e) => e.name === "stage")!;
    const aurora = { ...stage, database: { ...stage.database!, engine: "aurora-postgresql" as const, instanceClass: "db.r7g.large", multiAz: false, readers: 1 } };
    const { problems } = comparePins(pins, pinsWith(aurora));
    expect(problems).toEqual([expect.stringMatching(/^stage-database: stateful addresses changed \(gone [^;]*aws_db_instance\.postgres_instance[^;]*; new [^)]*aws_rds_cluster\.postgres_cluster/)]);
  });

  it("says a changed subnet CIDR replaces the subnet, which no moved block prevents", () => {
    const wider = { ...dev, network: { ...dev.network, vpcCidr: "10.11.0.0/16" } };
    const { problems } = comparePins(pins, { ...pins, subnetCidrs: { ...pins.subnetCidrs, dev: networkFacts(wider).subnetCidrs } });
    expect(problems).toEqual([expect.stringMatching(/^dev: subnet CIDRs changed \(public eu-west-1a: 10\.10\.96\.0\/24 → 10\.11\.96\.0\/24; .*\)\. A changed CIDR replaces the subnet and everything in it, which no moved block can prevent\. If that is deliberate, run `npm run pins` and commit pins\/ with the change$/)]);
  });

  it("finds only new subnets, after every pinned one, when an environment gains the control-plane tier: nothing moves", () => {
    const tiered = { ...dev, network: { ...dev.network, subnetPrefixLength: { ...dev.network.subnetPrefixLength, controlPlane: 28 } } };
    // Subnets are no stateful type: only the CIDRs can change, so config's are enough (no build).
    const after: Pins = { ...pins, subnetCidrs: { ...pins.subnetCidrs, dev: networkFacts(tiered).subnetCidrs } };
    const { controlPlane, ...others } = after.subnetCidrs.dev!;
    expect(others).toEqual(pins.subnetCidrs.dev);
    expect(comparePins(pins, after)).toEqual({
      problems: [`dev: new subnets (${Object.entries(controlPlane!).map(([zone, cidr]) => `controlPlane ${zone}: ${cidr}`).join("; ")}): no pinned subnet moves, nothing is replaced; run \`npm run pins\` and commit pins/ with the change`],
      notes: [],
    });
    // Every new subnet lies after the last address of every pinned one (the tier's slots come last).
    const end = (cidr: string) => ipv4(cidr) + 2 ** (32 - Number(cidr.split("/")[1]));
    const pinnedEnd = Math.max(...Object.values(pins.subnetCidrs.dev!).flatMap((zones) => Object.values(zones)).map(end));
    for (const cidr of Object.values(controlPlane!)) expect(ipv4(cidr)).toBeGreaterThanOrEqual(pinnedEnd);
  });

  it("refuses a pinned stack, or environment, that is no longer synthesized", () => {
    const { problems } = comparePins(pins, { ...pins, statefulAddresses: without(pins.statefulAddresses, (s) => s === "dev-database") });
    expect(problems).toEqual(["dev-database: pinned, but no longer synthesized: it is no longer planned or applied, and nothing of it is destroyed. If that is deliberate (destroy it first, if it was deployed), run `npm run pins` and commit pins/"]);
    const gone: Pins = { statefulAddresses: without(pins.statefulAddresses, (s) => s.startsWith("prod-")), subnetCidrs: without(pins.subnetCidrs, (e) => e === "prod"), locations: without(pins.locations, (e) => e === "prod") };
    expect(comparePins(pins, gone).problems).toEqual([expect.stringMatching(/^prod: pinned, but config\/ has no such environment any more/)]);
  });
});

describe("the pins files", () => {
  it("cover the whole state backend, at least one stateful resource per network stack, and where each environment deploys", () => {
    expect(pins.statefulAddresses["state-backend"]).toEqual(expect.arrayContaining(["aws_s3_bucket.bucket", "aws_kms_key.key"]));
    for (const [stack, addresses] of Object.entries(pins.statefulAddresses)) if (stack.endsWith("-network")) expect(addresses.length).toBeGreaterThan(0);
    expect(pins.locations).toEqual({
      shared: { account: inputs.backend.accountId, region: inputs.backend.region },
      ...Object.fromEntries(inputs.environments.map((e) => [e.name, { account: e.account.id, region: e.account.region }])),
    });
  });

  it("read back as written; a project with no pins/ yet pins nothing, so every environment is only noted", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "pins-"));
    const empty = readPins(dir);
    expect(empty).toEqual({ statefulAddresses: {}, subnetCidrs: {}, locations: {} });
    expect(comparePins(empty, pins)).toMatchObject({ problems: [], notes: ["shared", "dev", "prod", "stage"].map((env) => expect.stringMatching(new RegExp(`^${env}: not pinned yet`))) });
    writePins(dir, pins);
    expect(readPins(dir)).toEqual(pins);
  });
});

describe("pins of a synth's output (what the check of your config reads, instead of building again)", () => {
  it("are the stateful resources of each stack's JSON by their keys, the account stacks left out, with config's CIDRs and locations", () => {
    const out = mkdtempSync(path.join(tmpdir(), "pins-synth-"));
    const stack = (id: string, resource: object) => {
      mkdirSync(path.join(out, "stacks", id), { recursive: true });
      writeFileSync(path.join(out, "stacks", id, "cdk.tf.json"), JSON.stringify({ resource }));
    };
    writeFileSync(path.join(out, "manifest.json"), JSON.stringify({ stacks: { "account-101010101010": {}, "dev-network": {} } }));
    stack("account-101010101010", { aws_iam_role: { r: {} } });
    // dev-network as computePins finds it by building the stacks, plus a resource that is not stateful.
    const stateful = pins.statefulAddresses["dev-network"]!;
    expect(stateful.length).toBeGreaterThan(0);
    const resource: Record<string, Record<string, object>> = { aws_route: { network_route: {} } };
    for (const address of stateful) {
      const [type, name] = address.split(".") as [string, string];
      resource[type] = { ...resource[type], [name]: {} };
    }
    stack("dev-network", resource);
    const synthPins = pinsOfSynth(out, inputs);
    expect(synthPins.statefulAddresses).toEqual({ "dev-network": stateful });
    expect({ subnetCidrs: synthPins.subnetCidrs, locations: synthPins.locations }).toEqual({ subnetCidrs: pins.subnetCidrs, locations: pins.locations });
  });
});
