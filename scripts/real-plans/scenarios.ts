import { readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { type StackJson } from "../verify/prepare";

// The changes `npm run real-plans` plans against deployed infrastructure (scripts/real-plans.ts),
// each a change someone could make in a pull request, and the orphaning changes whose fixture is
// the state keys a deployment holds against the manifest the change synthesizes.

/** A change to plan against deployed infrastructure. */
export interface Scenario {
  /** Fixture folder name. */
  readonly name: string;
  /** The stack whose plan is kept. */
  readonly stack: string;
  /** Edits the copy of the project (config files, backend.config). */
  readonly change: (project: string) => void;
  /**
   * Edits both copies first: what is deployed differs from the fixture project (prod with six
   * brokers, so that a change can take it back to three).
   * @default - the fixture project as it is
   */
  readonly deployed?: (project: string) => void;
  /**
   * Edits the changed stack's synthesized JSON: a change to the code (a module's hard-coded
   * setting), which no config value makes.
   * @default - none
   */
  readonly codeChange?: (json: StackJson) => void;
  /** Lifts prevent_destroy on these addresses in the changed copy (a deliberate removal). */
  readonly liftPreventDestroy?: readonly string[];
  /**
   * Keeps the changed copy's config folder in the fixture (`config/`): the change's own
   * `protect` lists, which the guard reads beside the base branch's.
   * @default false
   */
  readonly keepConfig?: boolean;
}

/** A change after which stacks leave the synth: their state keys stay, with their resources. */
export interface OrphanScenario {
  /** Fixture folder name. */
  readonly name: string;
  /** Edits the copy of the project. */
  readonly change: (project: string) => void;
}

const edit = (file: string, from: string | RegExp, to: string) => {
  const text = readFileSync(file, "utf8");
  const next = text.replace(from, to);
  if (next === text) throw new Error(`${file}: ${String(from)} not found`);
  writeFileSync(file, next);
};

const prod = (p: string) => path.join(p, "config", "prod.yaml");

/** prod in two zones: brokers must then be a multiple of two (config/data-checks.ts). */
const twoZones = (p: string) => {
  edit(prod(p), "azCount: 3", "azCount: 2");
  edit(prod(p), "brokers: 3", "brokers: 4");
};

/** stage with the control-plane tier: /28s after the data tier's slots. */
const addControlPlaneTier = (p: string) => edit(path.join(p, "config", "stage.yaml"), "    data: 24\n", "    data: 24\n    controlPlane: 28\n");

/** Removes prod's `protect` list, and the comment above it. */
const removeProtect = (p: string) => edit(prod(p), /\n# Partners allow-list[^\n]*\nprotect:\n(?: {2}- [^\n]+\n)+/, "\n");

/** Sets one resource's attribute in a synthesized stack; throws when the resource is not there. */
const setAttribute = (type: string, name: string, attribute: string, value: unknown) => (json: StackJson) => {
  const block = json.resource?.[type]?.[name];
  if (!block) throw new Error(`${type}.${name}: not in the synthesized stack`);
  block[attribute] = value;
};

export const SCENARIOS: readonly Scenario[] = [
  // Aurora instead of RDS: a new database at a new address, and the old one deleted.
  { name: "database-engine-change", stack: "dev-database", change: (p) => edit(path.join(p, "config", "dev.yaml"), "engine: postgres", "engine: aurora-postgresql") },
  // A Kafka upgrade: a configuration for the new version is created before the old one is deleted.
  { name: "kafka-version-upgrade", stack: "stage-streaming", change: (p) => edit(path.join(p, "config", "stage.yaml"), "kafkaVersion: 3.9.x.kraft", "kafkaVersion: 4.0.x.kraft") },
  { name: "vpc-cidr-change", stack: "dev-network", change: (p) => edit(path.join(p, "config", "dev.yaml"), "vpcCidr: 10.10.0.0/16", "vpcCidr: 10.11.0.0/16") },
  { name: "az-count-reduction", stack: "prod-network", change: twoZones },
  {
    name: "state-bucket-replacement",
    stack: "state-backend",
    change: (p) => edit(path.join(p, "backend.config"), /bucket\s*=\s*"([^"]+)"/, 'bucket = "$1-v2"'),
    liftPreventDestroy: ["aws_s3_bucket.bucket"],
  },
  // Item 4 of issue 21: the change removes the protect entry and, in the same pull request, the
  // third zone. Judged by the change's config alone, the NAT deletion would pass.
  {
    name: "protect-removal-az-count",
    stack: "prod-network",
    change: (p) => {
      removeProtect(p);
      twoZones(p);
    },
    keepConfig: true,
  },
  // Item 9: in-place updates that destroy data.
  { name: "backup-retention-cut", stack: "prod-database", change: (p) => edit(prod(p), "backupRetentionDays: 35", "backupRetentionDays: 7") },
  { name: "log-retention-cut", stack: "prod-database", change: (p) => edit(prod(p), /(database:[\s\S]*?)logRetentionDays: 365/, "$1logRetentionDays: 1") },
  { name: "flow-log-retention-cut", stack: "prod-network", change: (p) => edit(prod(p), "flowLogRetentionDays: 365", "flowLogRetentionDays: 7") },
  { name: "performance-insights-retention-cut", stack: "prod-database", change: (p) => edit(prod(p), "performanceInsightsRetentionDays: 31", "performanceInsightsRetentionDays: 7") },
  {
    name: "kafka-broker-reduction",
    stack: "prod-streaming",
    deployed: (p) => edit(prod(p), "brokers: 3", "brokers: 6"),
    change: (p) => edit(prod(p), "brokers: 6", "brokers: 3"),
  },
  // The config needs a reason, and the policy pack's error rule a reasoned warning: both in the change.
  {
    name: "deletion-protection-off",
    stack: "prod-database",
    change: (p) => {
      edit(prod(p), "  deletionProtection: true\n  masterPasswordRotationDays", "  deletionProtection: false\n  reasons:\n    deletionProtection: a migration to a new cluster\n  masterPasswordRotationDays");
      edit(prod(p), "    PI-RDS-008: error\n", '    PI-RDS-008: error\n    PI-RDS-004: { severity: warning, reason: "a migration to a new cluster" }\n');
    },
  },
  // Issue 23: the control-plane subnet tier added to a running environment. Its subnets come
  // after every other tier's slots, so the network only gains subnets, and the cluster moves its
  // network interfaces to them in place (vpc_config.subnet_ids is updated, not ForceNew).
  { name: "control-plane-tier-network", stack: "stage-network", change: addControlPlaneTier },
  { name: "control-plane-tier-eks", stack: "stage-eks", change: addControlPlaneTier },
  // The modules hard-code skip_final_snapshot = false: only a change to the code turns it on.
  { name: "final-snapshot-skipped", stack: "prod-database", change: () => undefined, codeChange: setAttribute("aws_rds_cluster", "postgres_cluster", "skip_final_snapshot", true) },
];

/** Item 8 of issue 21: stacks that leave the synth, their state left behind. */
export const ORPHAN_SCENARIOS: readonly OrphanScenario[] = [
  // prod's database section removed: prod-database leaves the manifest.
  { name: "layer-removed", change: (p) => edit(prod(p), /\n# Aurora in production[^\n]*\ndatabase:\n(?:(?: {2}|\n)[^\n]*\n)+?(?=streaming:)/, "\n") },
  // prod renamed to prd: every prod stack leaves the manifest, and prd's are new.
  {
    name: "environment-renamed",
    change: (p) => {
      edit(prod(p), /^name: prod$/m, "name: prd");
      edit(prod(p), "  - prod-network/network/nat", "  - prd-network/network/nat");
      renameSync(prod(p), path.join(p, "config", "prd.yaml"));
    },
  },
];
