import { AwsProvider, type AwsProviderDefaultTags } from "@cdktf/provider-aws/lib/provider";
import { TerraformVariable, type TerraformStack } from "cdktf";

/** Name of the variable that holds the role a person deploys with; CI leaves it unset. */
export const DEPLOY_ROLE_VARIABLE = "deploy_role_arn";

/** Props of {@link awsProvider}. */
export interface AwsProviderProps {
  readonly region: string;
  /** The only account the provider may touch (`allowed_account_ids`). */
  readonly accountId: string;
  /** Default tags on every resource. */
  readonly tags: Readonly<Record<string, string>>;
  /**
   * The role a person deploys this stack with from their machine, for the variable's description.
   * @default - none named
   */
  readonly localRoleArn?: string;
  /**
   * A second provider of the stack, for resources in another region (`alias` in Terraform).
   * @default - the stack's default provider
   */
  readonly alias?: string;
}

/**
 * The AWS provider of a stack. Whom it acts as is decided outside the code, per run:
 *
 * - in CI, each job's identity is the role its OIDC token was exchanged for (the read-only plan
 *   role in a pull request's plan job, the apply role in the approved apply job), and the
 *   `deploy_role_arn` variable stays unset (null), so the provider assumes nothing further. A
 *   pull request's code can therefore never chain from the plan role into a role that writes;
 * - a person running Terraform locally sets `TF_VAR_deploy_role_arn` to the deploy role.
 *
 * `allowed_account_ids` refuses credentials for any other account whoever runs it.
 */
export function awsProvider(stack: TerraformStack, props: AwsProviderProps): AwsProvider {
  // One variable per stack, whichever providers share it.
  const role = (stack.node.tryFindChild(DEPLOY_ROLE_VARIABLE) as TerraformVariable | undefined) ?? new TerraformVariable(stack, DEPLOY_ROLE_VARIABLE, {
    type: "string",
    nullable: true,
    description:
      "IAM role the AWS provider assumes. Leave unset in CI (each job runs as its OIDC role); set it locally to deploy as a person" +
      (props.localRoleArn ? `: TF_VAR_${DEPLOY_ROLE_VARIABLE}=${props.localRoleArn}` : "."),
  });
  // A null default keeps the variable optional, and a null role_arn makes the provider assume nothing.
  role.addOverride("default", null);
  const defaultTags: AwsProviderDefaultTags[] = [{ tags: { ...props.tags } }];
  return new AwsProvider(stack, props.alias ? `aws-${props.alias}` : "aws", {
    alias: props.alias,
    region: props.region,
    allowedAccountIds: [props.accountId],
    assumeRole: [{ roleArn: role.stringValue, sessionName: `cdktf-${stack.node.id}` }],
    defaultTags,
  });
}
