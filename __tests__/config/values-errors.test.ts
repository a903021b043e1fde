import path from "node:path";
import { stringify } from "yaml";
import { ConfigError, configWarnings, formatProblem, formatWarnings, loadEnvironmentFile, loadEnvironments, USAGE } from "../../config";
import { tempProject, TEST_NOW, validEnvironmentInput } from "../helpers";

// Values valid in shape but wrong: instance types that do not exist, ARNs of another account or
// region, what a copied environment keeps of the one it was copied from, YAML numbers where a
// string is meant, and quantities no node can hold. One test per message.

// The runner's connection, which every environment with a private endpoint needs.
const CI = { connectionArn: "arn:aws:codeconnections:eu-west-1:123456789012:connection/00000000-0000-0000-0000-000000000000" };
const CERTIFICATE = "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555";
const WAF_ACL = "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/edge/11111111-2222-3333-4444-555555555555";
const APP = { image: { tag: "1.4.2" }, architectures: ["arm64"], ingress: { host: "api.test.example.com", certificateArn: CERTIFICATE } };

type Sections = Record<string, unknown>;

/** An environment's content: the baseline with these sections. */
function input(sections: Sections = {}): Record<string, unknown> {
  return validEnvironmentInput({ ci: CI, ...sections } as never) as unknown as Record<string, unknown>;
}

/** Problems of one environment file, without the `file:line:` prefix. */
function problems(sections: Sections = {}): string[] {
  return loadEnvironmentFile("config/test.yaml", stringify(input(sections)), TEST_NOW).problems.map((p) => formatProblem({ ...p, line: undefined, frame: undefined }).replace(/^config\/test\.yaml: /, ""));
}

/** Problems of one environment file given as YAML text, with their lines. */
function problemsOfText(text: string): string[] {
  return loadEnvironmentFile("config/test.yaml", text, TEST_NOW).problems.map((p) => formatProblem({ ...p, frame: undefined }));
}

/** The eks section with the apps node group changed. */
function withApps(apps: Record<string, unknown>, eks: Record<string, unknown> = {}): Sections {
  const base = input().eks as { nodeGroups: Record<string, Record<string, unknown>> };
  return { eks: { ...base, ...eks, nodeGroups: { ...base.nodeGroups, apps: { ...base.nodeGroups.apps, ...apps } } } };
}

/** Two environment files loaded together: the error lines, or the warnings as the synth prints them. */
function loadBoth(files: Record<string, unknown>): { errors: string[]; warnings: string[] } {
  const dir = tempProject(files);
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    const envs = loadEnvironments({ configDir: path.join(dir, "config"), now: TEST_NOW });
    return { errors: [], warnings: formatWarnings(configWarnings(envs, TEST_NOW)) };
  } catch (error) {
    if (error instanceof ConfigError) return { errors: error.message.split("\n"), warnings: [] };
    throw error;
  } finally {
    process.chdir(cwd);
  }
}

/** The runner's connection of an environment's account. */
function connectionOf(sections: Sections): typeof CI {
  const account = (sections.account as { id?: string } | undefined)?.id ?? "210987654321";
  return { connectionArn: CI.connectionArn.replace("123456789012", account) };
}

/** Two environments, `one` and `two`, in accounts 123456789012 and 210987654321 unless overridden. */
function pair(one: Sections, two: Sections): Record<string, unknown> {
  return {
    "one.yaml": input({ name: "one", ...one }),
    "two.yaml": input({ name: "two", network: { vpcCidr: "10.60.0.0/16", azCount: 3, natMode: "per-az" }, account: { id: "210987654321", region: "eu-west-1" }, ...two, ci: connectionOf(two) }),
  };
}

describe("instance types, checked against the table of real ones", () => {
  it("accepts the baseline", () => {
    expect(problems()).toEqual([]);
  });

  it("refuses a misspelt EC2 size, with the near match", () => {
    expect(problems(withApps({ instanceTypes: ["m7g.xlarg"] }))).toEqual([
      '[test] eks.nodeGroups.apps.instanceTypes.0: is not an EC2 instance type: m7g comes in medium, large, xlarge, 2xlarge, 4xlarge, 8xlarge, 12xlarge, 16xlarge, metal (did you mean "m7g.xlarge"?) (got "m7g.xlarg")',
    ]);
  });

  it("says a made-up family is unknown, not of the wrong architecture", () => {
    expect(problems(withApps({ instanceTypes: ["zz9.large"] }))).toEqual([
      '[test] eks.nodeGroups.apps.instanceTypes.0: names an unknown instance family, zz9 (did you mean "z1d.large"?); if AWS offers it, add it to modules/instance-types/ec2.ts (got "zz9.large")',
    ]);
  });

  it("refuses a misspelt DB instance class, with the near match", () => {
    expect(problems({ database: { instanceClass: "db.t4g.mediun" } })).toEqual([
      '[test] database.instanceClass: is not an RDS for PostgreSQL class: db.t4g comes in micro, small, medium, large, xlarge, 2xlarge (did you mean "db.t4g.medium"?) (got "db.t4g.mediun")',
    ]);
  });

  it("refuses a misspelt MSK broker type, with the near match", () => {
    expect(problems({ streaming: { instanceType: "kafka.m7g.larg" } })).toEqual([
      '[test] streaming.instanceType: is not an MSK broker type: kafka.m7g comes in large, xlarge, 2xlarge, 4xlarge, 8xlarge, 12xlarge, 16xlarge (did you mean "kafka.m7g.large"?) (got "kafka.m7g.larg")',
    ]);
  });

  it("refuses an Express broker, whose storage the streaming layer cannot size", () => {
    expect(problems({ streaming: { instanceType: "express.m7g.large" } })).toEqual([
      "[test] streaming.instanceType: is an Express broker, whose storage MSK manages; the streaming layer sizes and autoscales each broker's EBS volume (volumeSizeGiB, maxVolumeSizeGiB), which Express brokers do not have: use a standard broker such as kafka.m7g.large (got \"express.m7g.large\")",
    ]);
  });

  describe("Karpenter's NodePools", () => {
    const pool = (settings: Record<string, unknown>) => ({ ...withApps({}, { karpenter: true }), platform: { karpenter: { nodePools: { apps: { architectures: ["arm64"], ...settings } } } } });

    it("accepts real families, categories and sizes", () => {
      expect(problems(pool({ families: ["c7g", "m8g"], sizes: ["large", "2xlarge", "metal-24xl"] }))).toEqual([]);
      expect(problems(pool({ categories: ["c", "m", "r"], minGeneration: 7 }))).toEqual([]);
    });

    it("refuses an unknown family, with the near match", () => {
      expect(problems(pool({ families: ["c7gg"] }))).toEqual([
        '[test] platform.karpenter.nodePools.apps.families.0: names an unknown instance family (did you mean "c7g" or "c7gd" or "c7gn"?); if AWS offers it, add it to modules/instance-types/ec2.ts (got "c7gg")',
      ]);
    });

    it("refuses a category EC2 does not have", () => {
      expect(problems(pool({ categories: ["mm"] }))[0]).toMatch(/^\[test\] platform\.karpenter\.nodePools\.apps\.categories\.0: is not an EC2 instance category \(did you mean "im" or "m"\?\); allowed: a, c, d, .* \(got "mm"\)$/);
    });

    it("refuses a misspelt size, with the near match", () => {
      expect(problems(pool({ sizes: ["2xlarg"] }))).toEqual([
        '[test] platform.karpenter.nodePools.apps.sizes.0: is not an EC2 instance size (did you mean "2xlarge"?), such as medium, large, 2xlarge or metal-24xl (got "2xlarg")',
      ]);
    });
  });
});

describe("ARNs in another account or region than the environment's", () => {
  it("refuses an ALB certificate of another account, naming the account and region allowed", () => {
    const certificateArn = CERTIFICATE.replace("123456789012", "111111111111");
    expect(problems({ platform: {}, app: { ...APP, ingress: { ...APP.ingress, certificateArn } } })).toEqual([
      `[test] app.ingress.certificateArn: is in account 111111111111, but an ALB takes certificates of its own account and region only; allowed: a certificate in account 123456789012, region eu-west-1 (got "${certificateArn}")`,
    ]);
  });

  it("refuses a web ACL of another account and region", () => {
    const wafAclArn = WAF_ACL.replace("123456789012", "111111111111").replace("eu-west-1", "us-east-1");
    expect(problems({ platform: {}, app: { ...APP, ingress: { ...APP.ingress, wafAclArn } } })).toEqual([
      `[test] app.ingress.wafAclArn: is in account 111111111111 and region us-east-1, but an ALB takes a regional web ACL of its own account and region only; allowed: an ACL in account 123456789012, region eu-west-1 (got "${wafAclArn}")`,
    ]);
  });

  it("refuses a cross-account backup vault in the environment's own account", () => {
    const accountVaultArn = "arn:aws:backup:eu-central-1:123456789012:backup-vault:dr";
    const database = { instanceClass: "db.m7g.large", backup: { enabled: true, copyTo: { region: "eu-central-1", accountVaultArn } } };
    expect(problems({ database })).toEqual([
      `[test] database.backup.copyTo.accountVaultArn: is in this environment's own account 123456789012: a copy there does not survive losing the account, which is what this copy is for; allowed: a vault of another account (a recovery or security account) (got "${accountVaultArn}")`,
    ]);
  });
});

describe("what a copied environment keeps of the one it was copied from", () => {
  const zoned = (host: string, zone: string, zoneId?: string) => ({ platform: {}, app: { ...APP, ingress: { host } }, dns: { zone, ...(zoneId ? { zoneId } : {}) } });

  it("accepts environments that share nothing", () => {
    expect(loadBoth(pair(zoned("api.one.example.com", "one.example.com"), zoned("api.two.example.com", "two.example.com")))).toEqual({ errors: [], warnings: [] });
  });

  it("refuses a host both environments write the record of, naming both", () => {
    // The same existing zone, shared on purpose; the host is the mistake.
    const { errors } = loadBoth(pair(zoned("api.example.com", "example.com", "Z0123456789SHAREDZONE"), zoned("api.example.com", "example.com", "Z0123456789SHAREDZONE")));
    expect(errors).toEqual([
      'config/two.yaml:22: [two] app.ingress.host: is also a host of one (config/one.yaml): external-dns of both environments would claim its record, and only one can own it, so one environment\'s ALB would never be reached; give each environment its own host (got "api.example.com")',
    ]);
  });

  it("refuses a zone both environments would make", () => {
    const { errors } = loadBoth(pair(zoned("api.one.example.com", "one.example.com"), zoned("api2.one.example.com", "one.example.com")));
    expect(errors).toEqual([
      'config/two.yaml:24: [two] dns.zone: is also the zone of one (config/one.yaml), and not the same hosted zone (dns.zoneId): only one zone of a name can be delegated from its parent, so the other\'s certificates would never validate; give this environment a zone of its own, or set both dns.zoneId to the one zone to share it (got "one.example.com")',
    ]);
  });

  it("warns of a host whose record is managed elsewhere, in both environments", () => {
    const app = { platform: {}, app: APP };
    const { warnings } = loadBoth(pair(app, { ...app, account: { id: "123456789012", region: "eu-west-1" } }));
    expect(warnings).toContain(
      'config/one.yaml:22: [one] app.ingress.host: is also a host of two (config/two.yaml): its record can point at one of the two ALBs only, which is right during a cut-over and wrong otherwise; give each environment its own host (got "api.test.example.com")',
    );
  });

  it("warns of a certificate two environments share", () => {
    const app = (host: string) => ({ platform: {}, app: { ...APP, ingress: { ...APP.ingress, host } } });
    const { warnings } = loadBoth(pair(app("api.one.example.com"), { ...app("api.two.example.com"), account: { id: "123456789012", region: "eu-west-1" } }));
    expect(warnings).toEqual([
      `config/one.yaml:23: [one] app.ingress.certificateArn: is also the certificate of two (config/two.yaml): renewing, replacing or deleting it changes both environments; give each its own, or leave it out to have one made and validated in dns.zone (got "${CERTIFICATE}")`,
      `config/two.yaml:23: [two] app.ingress.certificateArn: is also the certificate of one (config/one.yaml): renewing, replacing or deleting it changes both environments; give each its own, or leave it out to have one made and validated in dns.zone (got "${CERTIFICATE}")`,
    ]);
  });

  it("warns of an admin or state role of another environment's account", () => {
    const kept = "arn:aws:iam::123456789012:role/platform-admin";
    const eks = { ...(input().eks as object), admins: [kept] };
    const { warnings } = loadBoth(pair({}, { eks, account: { id: "210987654321", region: "eu-west-1", stateWriterArns: [kept] } }));
    expect(warnings).toEqual([
      `config/two.yaml:35: [two] eks.admins.0: is in account 123456789012, the account of one (config/one.yaml): AWS accepts it, but it gives a role of one access to two's cluster; if this file was copied from one, use a role of 210987654321 (got "${kept}")`,
      `config/two.yaml:7: [two] account.stateWriterArns.0: is in account 123456789012, the account of one (config/one.yaml): AWS accepts it, but it gives a role of one access to two's Terraform state; if this file was copied from one, use a role of 210987654321 (got "${kept}")`,
    ]);
  });
});

describe("YAML numbers where a string is meant", () => {
  const version = (written: string) => stringify(input()).replace(/^eks:\n/m, `eks:\n  version: ${written}\n`);

  it("explains an unquoted version YAML read as a number", () => {
    expect(problemsOfText(version("1.35"))).toEqual(['config/test.yaml:16: [test] eks.version: YAML read 1.35 as a number; quote it: version: "1.35" (got 1.35)']);
  });

  it("shows the digits YAML dropped, and what is allowed when the quoted value is not", () => {
    expect(problemsOfText(version("1.30"))).toEqual(['config/test.yaml:16: [test] eks.version: YAML read 1.30 as the number 1.3; quote it: version: "1.30"; allowed: "1.34", "1.35", "1.36" (got 1.3)']);
  });

  it("says what an unquoted CPU count means either way", () => {
    const text = stringify(input({ platform: {}, app: { ...APP, resources: { cpu: 250, memory: "256Mi" } } }));
    expect(problemsOfText(text)[0]).toMatch(/\[test\] app\.resources\.cpu: is a number, but must be a string: quote it: cpu: "250" \("250" is 250 vCPUs; "250m" is 250 thousandths of one\) \(got 250\)$/);
  });
});

describe("quantities no node can hold", () => {
  const app = (resources: Record<string, string>) => ({ platform: {}, app: { ...APP, resources: { cpu: "250m", memory: "256Mi", ...resources } } });

  it("refuses a CPU request above the largest node the app may run on, naming it", () => {
    expect(problems(app({ cpu: "250" }))).toEqual([
      '[test] app.resources.cpu: requests 250 vCPUs per pod, more than the largest node its pods may run on has: m7g.xlarge (4 vCPUs, 16 GiB) of node group apps; such a pod is never scheduled; for 250 thousandths of a vCPU, write "250m" (got "250")',
    ]);
  });

  it("refuses a memory request above it, and bounds Karpenter's nodes by its pools' limits", () => {
    const karpenter = { ...withApps({}, { karpenter: true }), platform: { karpenter: { nodePools: { apps: { architectures: ["arm64"], limits: { cpu: 64 } } } } } };
    expect(problems({ ...karpenter, app: { ...APP, resources: { cpu: "250m", memory: "1024Gi" } } })).toEqual([
      '[test] app.resources.memory: requests 1024 GiB per pod, more than the largest node its pods may run on has: r6g.16xlarge (64 vCPUs, 512 GiB) of Karpenter NodePool apps; such a pod is never scheduled (got "1024Gi")',
    ]);
  });
});

describe("warnings as the synth prints them", () => {
  it("says a warning several environments share once, naming each file and environment", () => {
    const day = new Date("2027-05-01T00:00:00Z");
    const dir = tempProject({ "one.yaml": input({ name: "one" }), "two.yaml": input({ name: "two", network: { vpcCidr: "10.60.0.0/16", azCount: 3, natMode: "per-az" } }) });
    const envs = loadEnvironments({ configDir: path.join(dir, "config"), baseDir: dir, now: day });
    expect(formatWarnings(configWarnings(envs, day))).toEqual([
      'config/one.yaml:15, config/two.yaml:15: [one, two] eks.version: leaves EKS standard support on 2027-08-02 (in 93 days), when EKS upgrades the cluster by itself; upgrade to the next version once modules/eks/versions.ts lists it before then, or set eks.supportType: EXTENDED, which costs more (got "1.36")',
    ]);
  });

  it("says in --help what --quiet keeps and drops", () => {
    expect(USAGE).toMatch(/--quiet +leave out the summary \(stacks, sizes, the policy result, time\); what needs\s+attention still prints: errors, config and policy warnings/);
  });
});
