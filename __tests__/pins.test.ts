import { computePins, projectInputs, readPins } from "../scripts/pins";
import { ROOT } from "./helpers";

// What must never change by accident: the address of every stateful resource (a changed address
// recreates it) and every subnet's CIDR (a changed CIDR replaces the subnet and all in it).
// A deliberate change runs `npm run pins` and commits the diff with the code that causes it. A new
// environment has nothing deployed yet, so it is not compared until `npm run pins` records it.
const committed = readPins(ROOT);
const current = computePins(projectInputs(ROOT));
const HOW = "If this change is deliberate, run `npm run pins`, commit the diff with it, and add a moved block (docs/architecture.md, 'Moving a resource').";

describe("stateful addresses", () => {
  it.each(Object.keys(committed.statefulAddresses))("of %s are unchanged", (stack) => {
    expect({ stack, addresses: current.statefulAddresses[stack], how: HOW }).toEqual({ stack, addresses: committed.statefulAddresses[stack], how: HOW });
  });
});

describe("subnet CIDRs", () => {
  it.each(Object.keys(committed.subnetCidrs))("of %s are unchanged", (env) => {
    expect({ env, cidrs: current.subnetCidrs[env], how: HOW }).toEqual({ env, cidrs: committed.subnetCidrs[env], how: HOW });
  });
});

describe("a database replaced by a config change", () => {
  it("is caught by the pins: a new engine is a new resource at a new address", () => {
    const inputs = projectInputs(ROOT);
    const stage = inputs.environments.find((e) => e.name === "stage")!;
    const aurora = { ...stage, database: { ...stage.database!, engine: "aurora-postgresql" as const, instanceClass: "db.r7g.large", multiAz: false, readers: 1 } };
    const pins = computePins({ ...inputs, environments: inputs.environments.map((e) => (e === stage ? aurora : e)) });
    expect(committed.statefulAddresses["stage-database"]).toContain("aws_db_instance.postgres_instance");
    expect(pins.statefulAddresses["stage-database"]).not.toContain("aws_db_instance.postgres_instance");
    expect(pins.statefulAddresses["stage-database"]).toContain("aws_rds_cluster.postgres_cluster");
  });
});

describe("the pins themselves", () => {
  it("cover the whole state backend and at least one stateful resource per network stack", () => {
    expect(committed.statefulAddresses["state-backend"]).toEqual(expect.arrayContaining(["aws_s3_bucket.bucket", "aws_kms_key.key"]));
    for (const [stack, addresses] of Object.entries(committed.statefulAddresses)) if (stack.endsWith("-network")) expect(addresses.length).toBeGreaterThan(0);
  });
});
