/**
 * The parts of Terraform's machine-readable plan (`terraform show -json <planfile>`) the review
 * tools use. Only the JSON is ever read, never plan text, whose format changes between versions.
 * @see https://developer.hashicorp.com/terraform/internals/json-format
 */

/** `actions` of a change: ["no-op"], ["create"], ["read"], ["update"], ["delete", "create"], ["create", "delete"], ["delete"], ["forget"]. */
export type Action = "no-op" | "create" | "read" | "update" | "delete" | "forget";

/** Before and after of one resource or output. */
export interface Change {
  readonly actions: readonly Action[];
  readonly before?: unknown;
  readonly after?: unknown;
  /** Mirrors `after`; `true` where the value is known only after apply. */
  readonly after_unknown?: unknown;
  /** Mirror `before`/`after`; `true` where the value is sensitive. */
  readonly before_sensitive?: unknown;
  readonly after_sensitive?: unknown;
  /** Attribute paths that force replacement. */
  readonly replace_paths?: ReadonlyArray<ReadonlyArray<string | number>>;
  /** Set when the resource is being imported. */
  readonly importing?: { readonly id?: string; readonly identity?: unknown };
}

export interface ResourceChange {
  readonly address: string;
  /** Set when the resource moved (a `moved` block) from this address. */
  readonly previous_address?: string;
  readonly mode?: "managed" | "data";
  readonly type: string;
  readonly name?: string;
  readonly change: Change;
  /** Why Terraform chose this action, e.g. `replace_because_cannot_update`. */
  readonly action_reason?: string;
}

export interface Plan {
  readonly format_version: string;
  readonly terraform_version?: string;
  readonly resource_changes?: readonly ResourceChange[];
  readonly resource_drift?: readonly ResourceChange[];
  readonly relevant_attributes?: ReadonlyArray<{ readonly resource: string; readonly attribute: ReadonlyArray<string | number> }>;
  readonly output_changes?: Readonly<Record<string, Change>>;
  /** false when more changes will follow after this apply (e.g. deferred actions). */
  readonly complete?: boolean;
  /** true when planning failed part-way. */
  readonly errored?: boolean;
}

/** A plan together with the stack it belongs to. */
export interface StackPlan {
  readonly stack: string;
  readonly plan: Plan;
}

/** The major version of the plan format this code understands. */
export const SUPPORTED_FORMAT_MAJOR = 1;

/** Checks that parsed JSON is a plan this code understands; throws an error naming the source. */
export function asPlan(source: string, json: unknown): Plan {
  const plan = json as Partial<Plan> | null;
  if (typeof plan !== "object" || plan === null || typeof plan.format_version !== "string") {
    throw new Error(`${source}: not a Terraform JSON plan (no format_version); produce it with \`terraform show -json <planfile>\``);
  }
  const major = Number(plan.format_version.split(".")[0]);
  if (major !== SUPPORTED_FORMAT_MAJOR) {
    throw new Error(`${source}: plan format_version ${plan.format_version} is not supported; this tool reads format ${SUPPORTED_FORMAT_MAJOR}.x (Terraform ≥ 1.0)`);
  }
  return plan as Plan;
}

/** The stack a plan file belongs to, from its name: `dev-network.json`, `dev-network.plan.json`, `plan-dev-network.json`. */
export function stackFromFileName(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? file;
  return base.replace(/\.json$/, "").replace(/\.(tf)?plan$/, "").replace(/^(tf)?plan[-_.]/, "");
}
