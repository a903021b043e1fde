import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { appNamespace, clusterEnvironment, clusterMembers, type EnvironmentConfig, hostsCluster, loadBackendSettings, loadEnvironments } from "../../config";
import { expectedStackIds } from "../../stacks/registry";
import { clusterHostIn, clusterMembersIn, promotionOrder } from "../../scripts/tenancy-delivery";
import { FIXTURE, fixtureInputs, ROOT, TEST_NOW } from "../helpers";

// The delivery flow with shared clusters: the promotion order (a host before its first tenant),
// where a tenant's cluster jobs run (its host's runner), and which environment's services each
// namespace holds, read from the config files as data for the comment and the guard.
const EXAMPLE = path.join(ROOT, "examples", "shared-cluster", "config");
const example = loadEnvironments({ configDir: EXAMPLE, now: TEST_NOW });
const fixture = fixtureInputs().environments;
const folder = (files: Record<string, string>) => {
  const dir = mkdtempSync(path.join(tmpdir(), "tenancy-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
};
/** A copy of the example's config folder, with some files replaced or left out. */
const exampleWith = (files: Record<string, string | null>) => {
  const dir = folder({});
  for (const name of readdirSync(EXAMPLE)) if (!(name in files)) copyFileSync(path.join(EXAMPLE, name), path.join(dir, name));
  for (const [name, text] of Object.entries(files)) if (text !== null) writeFileSync(path.join(dir, name), text);
  return dir;
};

describe("promotionOrder", () => {
  it("keeps non-production first, then production, exactly, without tenants", () => {
    const envs = fixture;
    expect(promotionOrder(envs)).toEqual([...envs.filter((e) => !e.production), ...envs.filter((e) => e.production)].map((e) => e.name));
  });

  it("puts a production host before its first, non-production, tenant: the shared-cluster example", () => {
    expect(example.find((e) => e.name === "saas")?.production).toBe(true);
    expect(promotionOrder(example)).toEqual(["saas", "dev", "stage", "prod"]);
  });

  it("moves a non-production host whose file sorts after a tenant's, and keeps every host before its tenants", () => {
    const order = promotionOrder([
      { name: "alpha", production: false, cluster: { environment: "zulu" } },
      { name: "beta", production: false },
      { name: "gamma", production: true, cluster: { environment: "yank" } },
      { name: "yank", production: true },
      { name: "zulu", production: false },
      { name: "delta", production: false, cluster: { environment: "beta" } },
    ]);
    expect(order).toEqual(["zulu", "alpha", "beta", "delta", "yank", "gamma"]);
  });
});

describe("clusterHostIn", () => {
  it("is a tenant's host, and an environment's own name otherwise, as the config loader resolves it", () => {
    for (const env of example) expect([env.name, clusterHostIn(EXAMPLE, env.name)]).toEqual([env.name, clusterEnvironment(env)]);
    expect(clusterHostIn(EXAMPLE, "shared")).toBe("shared");
  });
});

describe("clusterMembersIn", () => {
  /** What the config loader says of the same files: each host's cluster, and the namespace of every environment with services in it. */
  const expected = (envs: readonly EnvironmentConfig[]) =>
    envs.filter(hostsCluster).map((host) => ({
      host: host.name,
      members: clusterMembers(host).filter((m) => Object.keys(m.services).length > 0).sort((a, b) => (a === host ? -1 : b === host ? 1 : Number(a.production) - Number(b.production))).map((m) => ({ environment: m.name, namespaces: [appNamespace(m)], production: m.production })),
    }));

  it("is, from the files read as data, what the config loader resolves: the shared-cluster example", () => {
    expect(clusterMembersIn(EXAMPLE)).toEqual(expected(example));
    expect(clusterMembersIn(EXAMPLE)[0]?.members.find((m) => m.environment === "dev")?.namespaces).toEqual(["development"]);
  });

  it("is each environment in its own cluster in the per-environment topology", () => {
    expect(clusterMembersIn(path.join(FIXTURE, "config"))).toEqual(expected(fixture));
  });

  it("takes a tenant's name as its namespace by default, and the services section's namespace", () => {
    const dir = folder({ "host.yaml": "name: host\n", "one.yaml": "name: one\ncluster: { environment: host }\napp: { port: 80 }\n", "two.yaml": "name: two\ncluster: { environment: host }\nservices: { api: { namespace: apis } }\n" });
    expect(clusterMembersIn(dir)).toEqual([{ host: "host", members: [{ environment: "one", namespaces: ["one"], production: false }, { environment: "two", namespaces: ["apis"], production: false }] }]);
  });

  it("keeps what the base branch's config says beside the change's: a tenant removed, a namespace renamed", () => {
    const renamed = exampleWith({ "dev.yaml": "name: dev\ncluster: { environment: saas }\napp: { namespace: dev2 }\n", "stage.yaml": null });
    const members = clusterMembersIn([EXAMPLE, renamed])[0]?.members ?? [];
    expect(members.find((m) => m.environment === "dev")?.namespaces).toEqual(["development", "dev2"]);
    expect(members.map((m) => m.environment)).toContain("stage");
  });

  it("fails closed on a cluster.environment that names no environment", () => {
    const dir = folder({ "dev.yaml": "name: dev\ncluster: saas\n" });
    expect(() => clusterMembersIn(dir)).toThrow(/dev\.yaml: cluster\.environment must name the environment whose cluster this one runs in; run npm run synth for the full check$/);
    expect(() => clusterHostIn(dir, "dev")).toThrow(/dev\.yaml: cluster\.environment must name the environment whose cluster this one runs in; run npm run synth for the full check$/);
  });

  it("fails closed on services without the environment's name", () => {
    expect(() => clusterMembersIn(folder({ "dev.yaml": "app: { port: 80 }\n" }))).toThrow(/dev\.yaml: name must be the environment's name, which its services' namespace belongs to; run npm run synth for the full check$/);
  });

  it("fails closed on an app section that is not a map", () => {
    expect(() => clusterMembersIn(folder({ "dev.yaml": "name: dev\napp: [x]\n" }))).toThrow(/dev\.yaml: app must be the settings of the environment's one service; run npm run synth for the full check$/);
  });

  it("fails closed on services that are not a map of services", () => {
    expect(() => clusterMembersIn(folder({ "dev.yaml": "name: dev\nservices: { api: 1 }\n" }))).toThrow(/dev\.yaml: services must be a map of services by name; run npm run synth for the full check$/);
  });

  it("fails closed on a namespace that is not a name, naming the field", () => {
    expect(() => clusterMembersIn(folder({ "dev.yaml": "name: dev\nservices: { api: { namespace: [a] } }\n" }))).toThrow(/dev\.yaml: services\.api\.namespace must be a namespace name; run npm run synth for the full check$/);
    expect(() => clusterMembersIn(folder({ "dev.yaml": "name: dev\napp: { namespace: 3 }\n" }))).toThrow(/dev\.yaml: app\.namespace must be a namespace name/);
  });
});

describe("the CLIs on the shared-cluster example", () => {
  // A manifest of the example's stacks, as the registry makes them (no synth needed for these answers).
  const outdir = mkdtempSync(path.join(tmpdir(), "tenancy-cli-"));
  const ids = expectedStackIds(example, loadBackendSettings(path.join(ROOT, "backend.config")).accountId);
  const manifest = path.join(outdir, "manifest.json");
  writeFileSync(manifest, JSON.stringify({ stacks: Object.fromEntries(ids.map((id) => [id, { dependencies: [], synthesizedStackPath: `stacks/${id}/cdk.tf.json` }])) }));
  const cli = (script: string, args: string[]) => spawnSync("node", [path.join(ROOT, "dist", "scripts", `${script}.js`), ...args, "--manifest", manifest], { cwd: ROOT, encoding: "utf8" });
  const stacks = (...args: string[]) => cli("stacks", [...args, "--config-dir", EXAMPLE]);

  it("stacks --environments and --apply-targets: the host first, then promotion order", () => {
    expect(JSON.parse(stacks("--environments", "--with-shared").stdout)).toEqual(["shared", ...promotionOrder(example)]);
    const binding = path.join(outdir, "binding.json");
    writeFileSync(binding, JSON.stringify({ run: "1", pr: 1, base: "a".repeat(40), head: "b".repeat(40), plans: {}, changed: ids }));
    expect(JSON.parse(stacks("--apply-targets", "--binding", binding).stdout)).toEqual(["shared", ...promotionOrder(example)].map((name) => ({ name, production: example.some((e) => e.name === name && e.production) })));
  });

  it("stacks --host without --env is an error", () => {
    const result = stacks("--host");
    expect(result.status).toBe(2);
    expect(result.stderr).toBe("error: --scope, --runner, --host and --runner-info need --env\n");
  });

  it("plan-guard refuses deleting a tenant's namespace, naming the tenant (its allow is review/tenancy.test.ts's)", () => {
    const plan = path.join(outdir, "saas-platform.json");
    const rc = { address: "kubernetes_namespace_v1.namespace-staging", type: "kubernetes_namespace_v1", mode: "managed", change: { actions: ["delete"], before: { metadata: [{ name: "staging" }] }, after: null } };
    writeFileSync(plan, JSON.stringify({ format_version: "1.2", resource_changes: [rc] }));
    const refused = cli("plan-guard", [plan, "--config-dir", EXAMPLE]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`  - saas-platform: ${rc.address} would be deleted; environment namespace: "staging" holds the services of stage, a tenant of saas's cluster; `);
  });
});
