import { type FieldProblem } from "./checks";
import { type EnvironmentConfig } from "./schema";
import { serviceEntries, serviceField } from "./services";

/**
 * ARNs in config whose account or region AWS requires to be the environment's: a schema regex
 * accepts any well-formed ARN, so an ARN copied from another environment would pass and fail
 * only at apply. Each message names the ARN's account and region and the ones allowed.
 *
 * Not checked, because AWS accepts them from elsewhere: `eks.admins` and `eks.viewers` (EKS
 * access entries of type STANDARD may name principals of another account:
 * https://docs.aws.amazon.com/eks/latest/userguide/creating-access-entries.html), the state
 * roles (the state lives in the state account; its bucket policy may grant any account's
 * roles), and MSK's client-certificate authorities (AWS Private CA may be in another account:
 * https://docs.aws.amazon.com/msk/latest/developerguide/msk-authentication.html). A principal of
 * another *environment's* account is a warning instead (config/reuse-checks.ts).
 */

/** The account and region of an ARN (`arn:<partition>:<service>:<region>:<account>:…`); IAM's region is empty. */
export function arnLocation(arn: string): { readonly region: string; readonly account: string } {
  const [, , , region = "", account = ""] = arn.split(":");
  return { region, account };
}

/** "account 111111111111 and region us-east-1": where an ARN is, in what differs from the environment. */
function whereElse(arn: string, env: EnvironmentConfig, checkRegion: boolean): string | undefined {
  const { account, region } = arnLocation(arn);
  const parts = [account !== env.account.id ? `account ${account}` : "", checkRegion && region !== env.account.region ? `region ${region}` : ""].filter(Boolean);
  return parts.length ? parts.join(" and ") : undefined;
}

/** Checks of every ARN whose account (and region) must be the environment's. */
export function checkArns(env: EnvironmentConfig): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const { id, region } = env.account;
  const here = `account ${id}, region ${region}`;
  const deployRole = env.account.deployRoleArn;
  const roleAccount = deployRole && arnLocation(deployRole).account;
  if (deployRole && roleAccount !== id) {
    // The stacks' AWS provider assumes it and refuses every account but the environment's.
    problems.push({ field: "account.deployRoleArn", value: deployRole, message: `the role is in account ${roleAccount}, but this environment deploys to ${id}; use a role in ${id}` });
  }
  for (const [service, config] of serviceEntries(env)) {
    const at = serviceField(env, service, "ingress");
    const { certificateArn, wafAclArn } = config.ingress ?? {};
    // ACM certificates are regional and belong to one account; an ALB's listener takes only its own
    // account's, of its own region (https://docs.aws.amazon.com/acm/latest/userguide/acm-regions.html).
    const certElsewhere = certificateArn && whereElse(certificateArn, env, true);
    if (certElsewhere) {
      problems.push({ field: `${at}.certificateArn`, value: certificateArn, message: `is in ${certElsewhere}, but an ALB takes certificates of its own account and region only; allowed: a certificate in ${here}` });
    }
    // WAF associates a regional web ACL with resources of its own account and region only.
    const aclElsewhere = wafAclArn && whereElse(wafAclArn, env, true);
    if (aclElsewhere) {
      problems.push({ field: `${at}.wafAclArn`, value: wafAclArn, message: `is in ${aclElsewhere}, but an ALB takes a regional web ACL of its own account and region only; allowed: an ACL in ${here}` });
    }
  }
  const vault = env.database?.backup.copyTo?.accountVaultArn;
  if (vault && arnLocation(vault).account === id) {
    problems.push({
      field: "database.backup.copyTo.accountVaultArn",
      value: vault,
      message: `is in this environment's own account ${id}: a copy there does not survive losing the account, which is what this copy is for; allowed: a vault of another account (a recovery or security account)`,
    });
  }
  return problems;
}
