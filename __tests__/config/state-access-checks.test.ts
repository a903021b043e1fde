import { stringify } from "yaml";
import { formatProblem, loadEnvironmentFile } from "../../config";
import { TEST_NOW, validEnvironmentInput } from "../helpers";

/** Formatted problem lines for an environment file with the given content. */
function problems(content: unknown, file = "config/test.yaml"): string[] {
  return loadEnvironmentFile(file, stringify(content), TEST_NOW).problems.map(formatProblem);
}

const valid = validEnvironmentInput();
const withState = (stateReaderArns: string[], stateWriterArns: string[] = []) => ({ ...valid, account: { ...valid.account, stateReaderArns, stateWriterArns } });
const operator = "arn:aws:iam::123456789012:role/operator";

describe("account.stateReaderArns and stateWriterArns: each role once, none the code already grants", () => {
  it("accepts roles the code does not grant, each listed once", () => {
    expect(problems(withState(["arn:aws:iam::123456789012:role/auditor"], [operator]))).toEqual([]);
  });

  it("refuses a role listed twice in one list", () => {
    expect(problems(withState([operator, operator]))).toEqual([`config/test.yaml:8: [test] account.stateReaderArns.1: is listed already (account.stateReaderArns.0); list each role once (got "${operator}")`]);
  });

  it("refuses a writer that is also a reader", () => {
    expect(problems(withState([operator], [operator]))).toEqual([
      `config/test.yaml:9: [test] account.stateWriterArns.0: is a reader too (account.stateReaderArns.0); a writer also reads, so list it in stateWriterArns only (got "${operator}")`,
    ]);
  });

  it("refuses the environment's own CI roles, which the code already grants, naming what they get", () => {
    expect(problems(withState(["arn:aws:iam::123456789012:role/ci/test-github-plan"], ["arn:aws:iam::123456789012:role/ci/test-github-apply"]))).toEqual([
      'config/test.yaml:7: [test] account.stateReaderArns.0: is CI\'s plan role of test, which the code already grants this state (read only); remove it (got "arn:aws:iam::123456789012:role/ci/test-github-plan")',
      'config/test.yaml:9: [test] account.stateWriterArns.0: is CI\'s apply role of test, which the code already grants this state (read and write); remove it (got "arn:aws:iam::123456789012:role/ci/test-github-apply")',
    ]);
  });

  it("refuses any other role under CI's reserved path: another environment's CI role, or state-backend's", () => {
    const other = "arn:aws:iam::123456789012:role/ci/prod-github-plan";
    const state = "arn:aws:iam::123456789012:role/ci/state-backend-github-apply";
    const message = "is under CI's reserved path /ci/: CI's roles get their own environment's state from the code, never another's; remove it";
    expect(problems(withState([other], [state]))).toEqual([`config/test.yaml:7: [test] account.stateReaderArns.0: ${message} (got "${other}")`, `config/test.yaml:9: [test] account.stateWriterArns.0: ${message} (got "${state}")`]);
  });
});
