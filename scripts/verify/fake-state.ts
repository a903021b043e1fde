/**
 * A Terraform state (version 4) built from a plan, as if the plan had been applied: every
 * resource with its planned values, and placeholders where the plan could not know a value
 * (ids, ARNs). Planning again against it shows what a *change* would do to deployed
 * infrastructure, offline: that is how the real destructive plans of the review tests are made.
 */
import { createHash } from "node:crypto";

/** A plan as `terraform show -json` writes it, the parts used here. */
export interface FullPlan {
  readonly planned_values?: { readonly root_module?: { readonly resources?: readonly PlannedResource[] } };
  readonly resource_changes?: ReadonlyArray<{ readonly address: string; readonly mode?: string; readonly change: { readonly actions: readonly string[]; readonly after?: unknown; readonly after_unknown?: unknown } }>;
}

interface PlannedResource {
  readonly address: string;
  readonly mode: string;
  readonly type: string;
  readonly name: string;
  readonly provider_name: string;
  readonly schema_version: number;
  readonly values?: Record<string, unknown>;
}

/** Attribute types of a resource type, from `terraform providers schema -json`. */
export type AttributeTypes = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

interface StateResource {
  mode: string;
  type: string;
  name: string;
  provider: string;
  instances: Array<{ schema_version: number; attributes: Record<string, unknown>; sensitive_attributes: unknown[] }>;
}

/** Computed lists that apply always fills with one object, which configurations index with [0]. */
const ONE_OBJECT_LISTS = [
  "aws_db_instance.master_user_secret",
  "aws_rds_cluster.master_user_secret",
  // The cluster's CA and OIDC issuer (identity[0].oidc[0].issuer), which its outputs read.
  "aws_eks_cluster.certificate_authority",
  "aws_eks_cluster.identity",
  "aws_eks_cluster.oidc",
];

/** A placeholder of the attribute's type; ARNs look like ARNs and policies are JSON, so provider validators accept them. */
function placeholder(type: unknown, attribute: string, resourceType: string, address: string, where: { account: string; region: string }): unknown {
  if (type === "block") return null;
  if (type === "number") return 0;
  if (type === "bool") return false;
  if (Array.isArray(type)) {
    const [kind, element] = type as [string, unknown];
    // The RDS-managed master secret is one object after apply; other computed lists stay empty.
    if (ONE_OBJECT_LISTS.includes(`${resourceType}.${attribute}`) && Array.isArray(element) && element[0] === "object") {
      return [Object.fromEntries(Object.entries(element[1] as Record<string, unknown>).map(([field, t]) => [field, placeholder(t, field, resourceType, address, where)]))];
    }
    return kind === "map" || kind === "object" ? {} : [];
  }
  if (attribute === "policy" || attribute.endsWith("_policy")) return JSON.stringify({ Version: "2012-10-17", Statement: [] });
  if (attribute === "arn" || attribute.endsWith("_arn")) {
    const service = resourceType.split("_")[1] ?? "mock";
    const global = service === "iam" || service === "s3";
    return `arn:aws:${service}:${global ? "" : where.region}:${service === "s3" ? "" : where.account}:mock/${address}`;
  }
  // URLs the provider validates as such where another resource names them (the cluster's OIDC issuer in its provider).
  if (attribute === "issuer" || attribute === "endpoint" || attribute === "url") return `https://${address.replace(/[^A-Za-z0-9-]/g, "-").toLowerCase()}.mock.example.com`;
  // Ids the provider validates by their prefix where another resource names them (a launch template's in a node group's).
  const prefix = ID_PREFIXES[resourceType];
  if (attribute === "id" && prefix) return `${prefix}-${createHash("sha256").update(address).digest("hex").slice(0, 17)}`;
  return `mock-${address.replace(/[^A-Za-z0-9-]/g, "-")}-${attribute}`.slice(0, 200);
}

/** The id prefixes of resource types whose ids other resources' validators check (`lt-` and alphanumerics). */
const ID_PREFIXES: Readonly<Record<string, string>> = { aws_launch_template: "lt" };

/** Planned values with every unknown top-level attribute filled with a placeholder. */
function filled(resource: PlannedResource, unknown: unknown, types: AttributeTypes, where: { account: string; region: string }): Record<string, unknown> {
  const values: Record<string, unknown> = { ...(resource.values ?? {}) };
  const attributeTypes = types[resource.type] ?? {};
  for (const [attribute, mark] of Object.entries((unknown ?? {}) as Record<string, unknown>)) {
    if (mark === true) values[attribute] = placeholder(attributeTypes[attribute], attribute, resource.type, resource.address, where);
  }
  for (const [attribute, type] of Object.entries(attributeTypes)) {
    if (!(attribute in values)) values[attribute] = Array.isArray(type) ? (type[0] === "map" ? {} : []) : null;
  }
  return values;
}

/**
 * The state after applying a plan on top of `previous`: resources the plan creates, updates or
 * replaces take their planned values; deleted ones go; the rest stay.
 */
export function stateFromPlan(plan: FullPlan, previous: { resources?: StateResource[] } | undefined, types: AttributeTypes, where: { account: string; region: string }): Record<string, unknown> {
  const unknownOf = new Map((plan.resource_changes ?? []).map((rc) => [rc.address, rc.change.after_unknown]));
  const deleted = new Set((plan.resource_changes ?? []).filter((rc) => rc.change.actions.length === 1 && rc.change.actions[0] === "delete").map((rc) => rc.address));
  const byAddress = new Map<string, StateResource>();
  for (const r of previous?.resources ?? []) byAddress.set(`${r.mode === "data" ? "data." : ""}${r.type}.${r.name}`, r);
  for (const resource of plan.planned_values?.root_module?.resources ?? []) {
    if (resource.mode !== "managed") continue;
    byAddress.set(resource.address, {
      mode: "managed",
      type: resource.type,
      name: resource.name,
      provider: `provider["${resource.provider_name}"]`,
      instances: [{ schema_version: resource.schema_version, attributes: filled(resource, unknownOf.get(resource.address), types, where), sensitive_attributes: [] }],
    });
  }
  for (const address of deleted) byAddress.delete(address);
  return { version: 4, terraform_version: "1.11.4", serial: 1, lineage: "fake-state-from-plan", outputs: {}, resources: [...byAddress.values()] };
}

/** Whether a plan changes no resource. */
export function planIsEmpty(plan: FullPlan): boolean {
  return (plan.resource_changes ?? []).every((rc) => rc.mode === "data" || rc.change.actions.every((a) => a === "no-op" || a === "read"));
}

/** A plan cut down to what the review tools read, so fixtures stay small. */
export function trimPlan(plan: Record<string, unknown>): Record<string, unknown> {
  const keep = ["format_version", "terraform_version", "resource_changes", "resource_drift", "output_changes", "relevant_attributes", "complete", "errored"];
  return Object.fromEntries(keep.filter((k) => k in plan).map((k) => [k, plan[k]]));
}
