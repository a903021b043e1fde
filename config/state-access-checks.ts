import { CI_ROLE_PATH } from "../modules/iam/reserved-paths";
import { type FieldProblem } from "./checks";
import { ciRoleArn } from "./naming";
import { type EnvironmentConfig } from "./schema";

/**
 * Checks of who may use an environment's state: `account.stateReaderArns` and `stateWriterArns`
 * list only roles the code does not already grant, each once. (The environment's name is not one
 * the state's own stacks go by: config/name-checks.ts.)
 */
export function checkStateAccess(env: EnvironmentConfig): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const ciRoles = new Map((["plan", "drift", "apply"] as const).map((kind) => [ciRoleArn(env, kind), kind]));
  const seen = new Map<string, string>();
  for (const list of ["stateReaderArns", "stateWriterArns"] as const) {
    env.account[list].forEach((arn, i) => {
      const field = `account.${list}.${i}`;
      const earlier = seen.get(arn);
      const kind = ciRoles.get(arn);
      if (kind) {
        problems.push({ field, value: arn, message: `is CI's ${kind} role of ${env.name}, which the code already grants this state (${kind === "apply" ? "read and write" : "read only"}); remove it` });
      } else if (arn.split(":")[5]?.startsWith(`role${CI_ROLE_PATH}`)) {
        problems.push({ field, value: arn, message: `is under CI's reserved path ${CI_ROLE_PATH}: CI's roles get their own environment's state from the code, never another's; remove it` });
      } else if (earlier?.startsWith("account.stateReaderArns") && list === "stateWriterArns") {
        problems.push({ field, value: arn, message: `is a reader too (${earlier}); a writer also reads, so list it in stateWriterArns only` });
      } else if (earlier) {
        problems.push({ field, value: arn, message: `is listed already (${earlier}); list each role once` });
      }
      if (!earlier) seen.set(arn, field);
    });
  }
  return problems;
}
