import { TerraformElement, TerraformStack } from "cdktf";
import { type Node } from "constructs";
import { terraformName } from "../config/naming";

/**
 * The base of every stack of the project. It gives every Terraform block a readable, stable
 * address: the construct path below the stack, joined with `_`, with no hash suffix
 * (`network/vpc` → `aws_vpc.network_vpc`, `network/nat/eu-west-1a` →
 * `aws_nat_gateway.network_nat_eu-west-1a`). A module's main resource has the id `Default` and
 * takes the module's name.
 *
 * Reviewers read these addresses in every plan, and `plan-guard --allow` and `terraform state mv`
 * take them, so they are part of the interface: renaming a construct moves (or, without a
 * `moved` block, recreates) what it manages. docs/architecture.md has the move recipe.
 *
 * Construct ids are unique among siblings, so two paths can only collide when a character
 * Terraform rejects in a name is replaced by `_`; that collision is refused here, at synth.
 */
export abstract class PlatformStack extends TerraformStack {
  private readonly owners = new Map<string, string>();
  private frozen?: ReturnType<TerraformStack["toTerraform"]>;

  /**
   * The stack's Terraform, resolved once the stack is frozen. main.ts freezes every stack after
   * the policy pack has read it (nothing changes the construct tree after that), so `app.synth()`
   * writes exactly what the pack checked, without resolving every token a second time.
   */
  toTerraform(): ReturnType<TerraformStack["toTerraform"]> {
    return this.frozen ?? super.toTerraform();
  }

  /** Once frozen, preparing again would only resolve every token again to the same result. */
  prepareStack(): void {
    if (!this.frozen) super.prepareStack();
  }

  /** Prepares the stack and keeps its resolved Terraform for the synth; the construct tree must not change afterwards. */
  freeze(): void {
    super.prepareStack();
    this.frozen = super.toTerraform();
  }

  protected allocateLogicalId(element: TerraformElement | Node): string {
    const node = TerraformElement.isTerraformElement(element) ? element.node : element;
    const index = node.scopes.indexOf(this);
    // A child called "Default" is its parent's main resource (aws-cdk's convention): it takes the
    // parent's name, so a key module's key is `aws_kms_key.network_flow-logs_key`, not `..._key_key`.
    const path = node.scopes.slice(index + 1).map((scope) => scope.node.id);
    const id = terraformName(path);
    const fullPath = path.join("/");
    const owner = this.owners.get(id);
    if (owner !== undefined && owner !== fullPath) {
      throw new Error(`${this.node.id}: constructs ${owner} and ${fullPath} would both get the Terraform name "${id}"; rename one of them`);
    }
    this.owners.set(id, fullPath);
    return id;
  }
}
