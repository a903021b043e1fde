import path from "node:path";
import { appNamespace, clusterEnvironment, environmentOfStack } from "../../config";
import { type Action, type ClusterMembers, dataLoss, guard, guardReport, renderComment, type ResourceChange, type StackPlan } from "../../review";
import { clusterMembersIn } from "../../scripts/tenancy-delivery";
import { FIXTURE, fixtureInputs, ROOT } from "../helpers";

// Shared clusters in review: deleting a namespace that holds an environment's services is refused
// naming that environment; a change to a host's eks or platform stack is said to reach every
// environment in its cluster. The clusters are read from the shared-cluster example's config
// (host saas; tenants dev, stage, prod) as the CLIs read them.
const SHARED = clusterMembersIn(path.join(ROOT, "examples", "shared-cluster", "config"));
const PER_ENVIRONMENT = clusterMembersIn(path.join(FIXTURE, "config"));
const DIGEST_KEY = "tenancy-test-key";

function change(type: string, actions: Action[], before: unknown, after: unknown, address = `${type}.x`): ResourceChange {
  return { address, type, mode: "managed", change: { actions, before, after } };
}
const plan = (stack: string, ...changes: ResourceChange[]): StackPlan => ({ stack, plan: { format_version: "1.2", resource_changes: changes } });
const namespaceDeleted = (name: string, actions: Action[] = ["delete"]) => change("kubernetes_namespace_v1", actions, { metadata: [{ name, labels: {} }] }, actions.length === 2 ? { metadata: [{ name }] } : null, `kubernetes_namespace_v1.namespace-${name}`);
const loss = (rc: ResourceChange) => dataLoss(rc).join("; ");

describe("plan-guard: a namespace that holds an environment's services", () => {
  it("refuses deleting a tenant's namespace in its host's platform stack, naming the tenant and its host", () => {
    const rc = namespaceDeleted("development");
    const { blocked } = guard([plan("saas-platform", rc)], { clusters: SHARED });
    expect(blocked).toEqual([
      { stack: "saas-platform", address: "kubernetes_namespace_v1.namespace-development", constructPath: undefined, action: "delete", why: `environment namespace: "development" holds the services of dev, a tenant of saas's cluster; ${loss(rc)}` },
    ]);
    expect(guardReport(guard([plan("saas-platform", rc)], { clusters: SHARED }))).toContain("/allow saas-platform kubernetes_namespace_v1.namespace-development sha256:");
  });

  it("refuses replacing one too, and says when the environment is production", () => {
    const rc = namespaceDeleted("production", ["delete", "create"]);
    const [refused] = guard([plan("saas-platform", rc)], { clusters: SHARED }).blocked;
    expect(refused).toMatchObject({ action: "replace", why: `environment namespace: "production" holds the services of prod (production), a tenant of saas's cluster; ${loss(rc)}` });
    expect(refused?.why).toContain("replacement of kubernetes_namespace_v1");
  });

  it("refuses deleting every tenant's namespace, each naming its own environment", () => {
    const tenants = SHARED.flatMap((c) => c.members);
    const { blocked } = guard([plan("saas-platform", ...tenants.map((m) => namespaceDeleted(m.namespaces[0] as string)))], { clusters: SHARED });
    expect(blocked.map((b) => b.why.match(/holds the services of (\w+)/)?.[1])).toEqual(tenants.map((m) => m.environment));
  });

  it("names the host's own environment in the per-environment topology", () => {
    const dev = fixtureInputs().environments.find((e) => e.name === "dev")!;
    const rc = namespaceDeleted(appNamespace(dev));
    expect(guard([plan("dev-platform", rc)], { clusters: PER_ENVIRONMENT }).blocked[0]?.why).toBe(`environment namespace: "${appNamespace(dev)}" holds the services of dev, in its own cluster; ${loss(rc)}`);
  });

  it("lets one through when an approver allows it as stack:address, like every protected change", () => {
    const result = guard([plan("saas-platform", namespaceDeleted("staging"))], { clusters: SHARED, allow: ["saas-platform:kubernetes_namespace_v1.namespace-staging"] });
    expect(result.blocked).toEqual([]);
    expect(result.allowed).toEqual([expect.objectContaining({ stack: "saas-platform", why: expect.stringMatching(/^environment namespace: "staging" holds the services of stage, /) })]);
  });

  it("reads the namespace's name from its address when the plan has no metadata", () => {
    const rc = change("kubernetes_namespace_v1", ["delete"], {}, null, "kubernetes_namespace_v1.namespace-staging");
    expect(guard([plan("saas-platform", rc)], { clusters: SHARED }).blocked[0]?.why).toMatch(/^environment namespace: "staging" holds the services of stage, /);
  });

  it("keeps refusing the platform's own namespaces, and another cluster's namespace of the same name, as data-destroying only", () => {
    const monitoring = namespaceDeleted("monitoring");
    const elsewhere = namespaceDeleted("development");
    const { blocked } = guard([plan("saas-platform", monitoring), plan("other-platform", elsewhere)], { clusters: SHARED });
    expect(blocked.map((b) => [b.stack, b.why])).toEqual([
      ["saas-platform", `data-destroying: ${loss(monitoring)}`],
      ["other-platform", `data-destroying: ${loss(elsewhere)}`],
    ]);
  });

  it("leaves a namespace's in-place update alone (a label, say): nothing is deleted", () => {
    const rc = change("kubernetes_namespace_v1", ["update"], { metadata: [{ name: "development", labels: {} }] }, { metadata: [{ name: "development", labels: { a: "b" } }] });
    expect(guard([plan("saas-platform", rc)], { clusters: SHARED }).blocked).toEqual([]);
  });
});

describe("the plan comment: a change to a shared cluster", () => {
  const render = (plans: StackPlan[], clusters: readonly ClusterMembers[] = SHARED) => renderComment(plans, { sha: "0123abc", digestKey: DIGEST_KEY, environmentOf: environmentOfStack, clusters }).markdown;
  const upgrade = change("aws_eks_cluster", ["update"], { name: "saas-platform", version: "1.35" }, { name: "saas-platform", version: "1.36" }, "aws_eks_cluster.eks_cluster");
  const notice = (markdown: string) => markdown.split("\n\n").find((part) => part.startsWith("> [!IMPORTANT]"));

  it("says that the host's Kubernetes upgrade reaches every environment in the cluster, each by name and namespace", () => {
    const text = notice(render([plan("saas-eks", upgrade)]));
    expect(text).toContain("**A shared cluster changes for every environment in it at once.**");
    expect(text).toContain("> - `saas-eks` (Kubernetes `1.35` → `1.36`) changes the cluster of `saas`, and so every environment in it: ");
    const [cluster] = SHARED;
    for (const m of cluster!.members) expect(text).toContain(`\`${m.environment}\` (namespace \`${m.namespaces[0]}\`${m.production ? ", production" : ""})`);
    // Non-production tenants first: the order they are promoted in.
    expect(text!.indexOf("`dev`")).toBeLessThan(text!.indexOf("`prod`"));
  });

  it("says so for an add-on's new chart version in the host's platform stack, and for both stacks at once", () => {
    const chart = change("helm_release", ["update"], { name: "external-secrets", version: "0.19.0" }, { name: "external-secrets", version: "0.20.0" }, "helm_release.external-secrets_release");
    expect(notice(render([plan("saas-platform", chart)]))).toContain("> - `saas-platform` (`external-secrets` `0.19.0` → `0.20.0`) changes the cluster of `saas`");
    expect(notice(render([plan("saas-eks", upgrade), plan("saas-platform", chart)]))).toContain("> - `saas-eks` (Kubernetes `1.35` → `1.36`) and `saas-platform` (`external-secrets` `0.19.0` → `0.20.0`) change the cluster of `saas`");
    const other = change("aws_security_group_rule", ["create"], null, {});
    expect(notice(render([plan("saas-platform", other)]))).toContain("> - `saas-platform` changes the cluster of `saas`");
  });

  it("says nothing when only a tenant's own stacks change, or the host's plan only moves an address", () => {
    expect(notice(render([plan("dev-app", change("helm_release", ["update"], { name: "app", version: "1" }, { name: "app", version: "2" }))]))).toBeUndefined();
    const moved = { ...change("aws_eks_cluster", ["no-op"], { version: "1.35" }, { version: "1.35" }, "aws_eks_cluster.new"), previous_address: "aws_eks_cluster.old" };
    expect(notice(render([plan("saas-eks", moved)]))).toBeUndefined();
  });

  it("says nothing for a cluster with no tenant (the per-environment topology)", () => {
    const host = fixtureInputs().environments.find((e) => e.production)!;
    expect(clusterEnvironment(host)).toBe(host.name);
    expect(notice(render([plan(`${host.name}-eks`, upgrade)], PER_ENVIRONMENT))).toBeUndefined();
  });

  it("shows the host's own services first, and config's names only inside code spans", () => {
    const clusters: ClusterMembers[] = [{ host: "saas", members: [{ environment: "saas", namespaces: ["app"], production: true }, { environment: "x@team", namespaces: ["<img src=y>"], production: false }] }];
    const text = notice(render([plan("saas-eks", upgrade)], clusters));
    expect(text).toContain("`saas` (the host's own services, namespace `app`, production), `x@team` (namespace `<img src=y>`)");
  });
});
