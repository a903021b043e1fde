import { DataTerraformRemoteStateS3, TerraformOutput, type TerraformStack } from "cdktf";
import { type BackendSettings, type Layer, layerOwner, stateKey } from "../../config";
import { s3BackendConfig } from "../environment-stack";

/** Terraform type of a contract output. */
export type OutputKind = "string" | "string-list";

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

type ValueOf<K extends OutputKind> = K extends "string" ? string : readonly string[];

/** The values of a contract, as the producer publishes them and a consumer reads them. */
export type ContractValues<S extends Readonly<Record<string, OutputSpec>>> = { readonly [K in keyof S]: ValueOf<S[K]["kind"]> };

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
  publish(stack: TerraformStack, values: ContractValues<S>): void {
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
    for (const [name, spec] of Object.entries(this.outputs)) values[name] = spec.kind === "string" ? state.getString(name) : state.getList(name);
    return values as ContractValues<S>;
  }
}
