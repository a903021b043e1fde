import { DataTerraformRemoteStateS3, Fn, TerraformLocal, TerraformOutput, type TerraformStack } from "cdktf";
import { type BackendSettings, type Layer, layerOwner, stateKey } from "../../config";
import { s3BackendConfig } from "../environment-stack";

/**
 * Terraform type of a contract output. A `string-map` is read one key at a time
 * ({@link StringMapOutput}): `outputs.<name>["<key>"]` fails the consumer's plan when the producer
 * was applied without that key, so a consumer can never run with a value it was not given.
 */
export type OutputKind = "string" | "string-list" | "string-map";

/** One output of a stack's contract. */
export interface OutputSpec {
  /** Terraform type of the value. */
  readonly kind: OutputKind;
  /** What it is, shown by `terraform output` and in plans. */
  readonly description: string;
  /**
   * What stands in for the value where a plan cannot know it yet (the verify harness plans a
   * consumer against its producer's plan, as Terragrunt's `mock_outputs` do). `{name}` is the
   * output's name, `{account}` and `{region}` the environment's. Use a value the provider's
   * validators accept: an ARN where an ARN is expected.
   * @default "mock-{name}"
   */
  readonly mock?: string;
}

/** A `string-map` output as a consumer reads it: one key at a time. */
export interface StringMapOutput {
  /** The value of one key: `outputs.<name>["<key>"]`, which Terraform refuses to plan when the producer's state lacks the key. */
  get(key: string): string;
}

type ValueOf<K extends OutputKind> = K extends "string" ? string : K extends "string-list" ? readonly string[] : StringMapOutput;
type PublishedValueOf<K extends OutputKind> = K extends "string-map" ? Readonly<Record<string, string>> : ValueOf<K>;

/** The values of a contract, as a consumer reads them. */
export type ContractValues<S extends Readonly<Record<string, OutputSpec>>> = { readonly [K in keyof S]: ValueOf<S[K]["kind"]> };
/** The values of a contract, as the producer publishes them (a `string-map` as the whole map). */
export type PublishedValues<S extends Readonly<Record<string, OutputSpec>>> = { readonly [K in keyof S]: PublishedValueOf<S[K]["kind"]> };

/**
 * The outputs one layer publishes for the layers after it: named, described and never
 * sensitive, so plans and PR comments show every cross-stack value. Consumers read them through
 * a `terraform_remote_state` data source on the producer's state key (never cdktf's automatic
 * cross-stack outputs, whose names are hashes and whose values are all marked sensitive).
 */
export class StackContract<S extends Readonly<Record<string, OutputSpec>>> {
  constructor(
    /** The producing layer. */
    readonly layer: Layer,
    /** Output name → spec. Names are an interface: consumers and the verify harness use them. */
    readonly outputs: S,
  ) {}

  /** Declares the outputs in the producer stack. */
  publish(stack: TerraformStack, values: PublishedValues<S>): void {
    for (const [name, spec] of Object.entries(this.outputs)) {
      new TerraformOutput(stack, name, { value: values[name as keyof S], description: spec.description, sensitive: false });
    }
  }

  /**
   * Reads the outputs in a consumer stack from the producer's state (`<env>/<layer>.tfstate`).
   * One `data.terraform_remote_state.<layer>` per consumer stack, however often it is read.
   */
  read(stack: TerraformStack, backend: BackendSettings, producer: { readonly name: string; readonly cluster?: { readonly environment: string } }): ContractValues<S> {
    const id = this.layer;
    // A cluster host's layer of a tenant is its host's state (config/naming.ts, layerOwner).
    const state =
      (stack.node.tryFindChild(id) as DataTerraformRemoteStateS3 | undefined) ??
      new DataTerraformRemoteStateS3(stack, id, s3BackendConfig(backend, stateKey({ name: layerOwner(producer, this.layer) }, this.layer)));
    const values: Record<string, unknown> = {};
    for (const [name, spec] of Object.entries(this.outputs)) {
      if (spec.kind === "string") values[name] = state.getString(name);
      else if (spec.kind === "string-list") values[name] = state.getList(name);
      else values[name] = { get: (key: string) => stringMapValue(stack, state, this.layer, name, key) } satisfies StringMapOutput;
    }
    return values as ContractValues<S>;
  }
}

/**
 * One key of a `string-map` output, as a local of the consumer (`local.<layer>_<output>__<key>`,
 * `/` as `__`): an index, never `lookup()`, whose default would hide a key the producer lacks. A
 * local, so that no other value holds the index's quotes: the Helm values a reference lands in
 * quote it as a YAML string, which a quote inside would end (modules/helm/chart-release.ts).
 */
function stringMapValue(stack: TerraformStack, state: DataTerraformRemoteStateS3, layer: Layer, output: string, key: string): string {
  if (!/^[A-Za-z0-9-]+(\/[A-Za-z0-9-]+)*$/.test(key)) throw new Error(`${stack.node.path}: ${layer} output ${output}: a key is names of letters, digits and '-' joined by '/' (got "${key}")`);
  const id = `${layer}_${output}__${key.replaceAll("/", "__")}`;
  const local = (stack.node.tryFindChild(id) as TerraformLocal | undefined) ?? new TerraformLocal(stack, id, Fn.lookupNested(state.get(output), [key]));
  return local.asString;
}
