import { type Change } from "../../review/plan";
import { type OutputSpec } from "../../stacks/contracts/contract";

/** Values a mock is filled in with. */
export interface MockContext {
  readonly account: string;
  readonly region: string;
}

/** One output of a Terraform state (version 4). */
interface StateOutput {
  readonly value: unknown;
  readonly type: unknown;
}

/**
 * The mock of one unknown output value: the contract's `mock` (or `mock-<name>`), with `{name}`,
 * `{account}` and `{region}` filled in. The n-th element of a list gets its index in the last
 * hex digits, so ids stay distinct and well-formed (`subnet-0123456789abc100`, `…101`).
 */
export function mockValue(name: string, spec: OutputSpec | undefined, context: MockContext, index?: number): string {
  const base = (spec?.mock ?? "mock-{name}").replaceAll("{name}", name).replaceAll("{account}", context.account).replaceAll("{region}", context.region);
  if (index === undefined) return base;
  const suffix = index.toString(16);
  return /[0-9a-f]+$/.test(base) && base.length > suffix.length ? `${base.slice(0, -suffix.length)}${suffix}` : `${base}-${index}`;
}

/**
 * A plan's output value with its unknown parts replaced by mocks. A map (`string-map`, an object
 * in the plan) keeps its keys, which the producer's config decides: Terraform's plan leaves a key
 * whose value is unknown (a group id made in the same plan) out of `after` and marks it in
 * `after_unknown`, so the keys are both's; each unknown value gets a mock of its own, the n-th
 * key in sorted order the n-th.
 */
function fill(name: string, after: unknown, unknown: unknown, spec: OutputSpec | undefined, context: MockContext): unknown {
  const isMap = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
  if (unknown === true) return spec?.kind === "string-list" ? [mockValue(name, spec, context, 0)] : spec?.kind === "string-map" ? {} : mockValue(name, spec, context);
  if (Array.isArray(after)) return after.map((item, i) => (Array.isArray(unknown) && unknown[i] === true ? mockValue(name, spec, context, i) : item));
  if (isMap(after) || isMap(unknown)) {
    const known = isMap(after) ? after : {};
    const unknownKeys = isMap(unknown) ? unknown : {};
    const keys = [...new Set([...Object.keys(known), ...Object.keys(unknownKeys)])].sort();
    return Object.fromEntries(keys.map((key, i) => [key, unknownKeys[key] === true ? mockValue(name, spec, context, i) : known[key]]));
  }
  return after;
}

/** The Terraform type of a value, as a state file records it. */
function typeOf(value: unknown): unknown {
  if (Array.isArray(value)) return ["list", value.length ? typeOf(value[0]) : "string"];
  if (typeof value === "number") return "number";
  if (typeof value === "boolean") return "bool";
  if (value && typeof value === "object") return ["object", Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typeOf(v)]))];
  return "string";
}

/**
 * The keys of a producer's `string-map` output that a consumer stack reads
 * (`data.terraform_remote_state.<layer>.outputs.<output>["<key>"]`, stacks/contracts/contract.ts),
 * sorted: only the consumer's JSON says which a mock must have.
 */
export function referencedMapKeys(consumer: unknown, layer: string, output: string): string[] {
  const pattern = new RegExp(`data\\.terraform_remote_state\\.${layer}\\.outputs\\.${output}\\["([^"]+)"\\]`, "g");
  return [...new Set([...JSON.stringify(consumer).replaceAll('\\"', '"').matchAll(pattern)].map((m) => m[1] as string))].sort();
}

/**
 * A state file holding every output of a contract, each its mock: what a consumer plans against
 * when its producer has not been planned at all (the real-plan scenarios). Lists get
 * `listLength` elements (one per zone of the largest environment); a map gets the keys
 * `mapKeys` gives for it (those the consumer reads: {@link referencedMapKeys}), each its own mock.
 */
export function contractMockState(specs: Readonly<Record<string, OutputSpec>>, context: MockContext, listLength = 3, mapKeys: (output: string) => readonly string[] = () => []): Record<string, unknown> {
  const outputs: Record<string, StateOutput> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const value =
      spec.kind === "string-list"
        ? Array.from({ length: listLength }, (_, i) => mockValue(name, spec, context, i))
        : spec.kind === "string-map"
          ? Object.fromEntries(mapKeys(name).map((key, i) => [key, mockValue(name, spec, context, i)]))
          : mockValue(name, spec, context);
    outputs[name] = { value, type: typeOf(value) };
  }
  return { version: 4, terraform_version: "1.11.0", serial: 1, lineage: "verify-mock", outputs, resources: [] };
}

/**
 * A state file holding only the outputs a producer's plan says it will have: known values as
 * planned, unknown ones mocked (as Terragrunt's `mock_outputs` do). Consumers plan against it
 * through a local `terraform_remote_state`, so a whole environment plans offline in order.
 */
export function mockState(outputChanges: Readonly<Record<string, Change>>, specs: Readonly<Record<string, OutputSpec>>, context: MockContext): Record<string, unknown> {
  const outputs: Record<string, StateOutput> = {};
  for (const [name, change] of Object.entries(outputChanges)) {
    const value = fill(name, change.after, change.after_unknown, specs[name], context);
    outputs[name] = { value, type: typeOf(value) };
  }
  return { version: 4, terraform_version: "1.11.0", serial: 1, lineage: "verify-mock", outputs, resources: [] };
}
