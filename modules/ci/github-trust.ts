import { type PolicyStatement } from "../iam/policy-document";

/** GitHub Actions' OIDC issuer. */
export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";

/** The ref of the default branch: the only ref whose workflows may apply, or look for drift. */
export const DEFAULT_BRANCH_REF = "refs/heads/main";

/** The GitHub repository whose workflows may assume CI's roles. */
export interface GithubRepository {
  /** `org/repo`, exactly as GitHub spells it (the `sub` and `job_workflow_ref` claims compare it case-sensitively). */
  readonly name: string;
  /** Its numeric id (the `repository_id` claim): unlike the name, never reused. */
  readonly id: number;
}

/** Checks a repository's name and id, for a construct's error message. */
export function checkRepository(path: string, repository: GithubRepository): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9._-]+$/.test(repository.name)) throw new Error(`${path}: repository must be org/repo (got "${repository.name}")`);
  if (!Number.isSafeInteger(repository.id) || repository.id <= 0) throw new Error(`${path}: repository id must be a positive whole number (got ${repository.id})`);
}

/**
 * The trust of one of CI's roles: GitHub's OIDC tokens, for STS, of this repository (by name in
 * `sub` and by id) with exactly this subject (`pull_request`, `environment:prod`, …), and, given a
 * workflow file, only jobs of that file on the default branch (`job_workflow_ref`, which for a
 * reusable workflow names the called file, not its caller).
 *
 * AWS STS checks GitHub's `repository_id` and `job_workflow_ref` claims as condition keys of the
 * issuer since January 2026, so the subject keeps GitHub's default format (`repo:<org>/<repo>:<context>`)
 * and no OIDC subject customization is needed; the repository must keep the default template
 * (`npm run -s stacks -- --github-settings --gh` prints the command that sets it). A key STS does
 * not know is missing from the request, and `StringEquals` on a missing key is false: the trust
 * fails closed.
 * @see https://aws.amazon.com/about-aws/whats-new/2026/01/aws-sts-supports-validation-identity-provider-claims/
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif
 * @see https://docs.github.com/en/actions/reference/security/oidc (the claims, `repository_id` a string of digits)
 * @see https://docs.github.com/en/actions/how-tos/security-for-github-actions/security-hardening-your-deployments/using-openid-connect-with-reusable-workflows (job_workflow_ref)
 */
export function githubTrust(providerArn: string, repository: GithubRepository, subject: string, workflow?: string): PolicyStatement {
  return {
    Sid: "GithubActionsOfThisRepository",
    Effect: "Allow",
    Principal: { Federated: providerArn },
    Action: "sts:AssumeRoleWithWebIdentity",
    Condition: {
      StringEquals: {
        [`${GITHUB_OIDC_HOST}:sub`]: `repo:${repository.name}:${subject}`,
        [`${GITHUB_OIDC_HOST}:aud`]: "sts.amazonaws.com",
        [`${GITHUB_OIDC_HOST}:repository_id`]: String(repository.id),
        ...(workflow ? { [`${GITHUB_OIDC_HOST}:job_workflow_ref`]: jobWorkflowRef(repository, workflow) } : {}),
      },
    },
  };
}

/** The `job_workflow_ref` claim of a job of this workflow file on the default branch: `<org>/<repo>/<file>@refs/heads/main`. */
export function jobWorkflowRef(repository: GithubRepository, workflow: string): string {
  return `${repository.name}/${workflow}@${DEFAULT_BRANCH_REF}`;
}
