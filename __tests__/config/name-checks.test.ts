import { stringify } from "yaml";
import { formatProblem, loadEnvironmentFile, RESERVED_ENVIRONMENT_NAMES } from "../../config";
import { TEST_NOW, validEnvironmentInput } from "../helpers";

/** Formatted problem lines for an environment file with the given content. */
function problems(content: unknown, file: string): string[] {
  return loadEnvironmentFile(file, stringify(content), TEST_NOW).problems.map(formatProblem);
}

const valid = validEnvironmentInput();
const reserved = Object.keys(RESERVED_ENVIRONMENT_NAMES);

describe("environment names the flow uses for something else", () => {
  it("reserves the state's and the account stacks' groups, the workflows' names and the prefixes of their GitHub Environments", () => {
    expect(reserved).toEqual(expect.arrayContaining(["shared", "bootstrap", "state", "account", "plan", "review", "drift", "apply"]));
  });

  it.each(reserved)("refuses %s, in the file named after it, naming why and every reserved name", (name) => {
    expect(problems({ ...valid, name }, `config/${name}.yaml`)).toEqual([
      `config/${name}.yaml:1: [${name}] name: is reserved: the flow uses it for ${RESERVED_ENVIRONMENT_NAMES[name]}; reserved names: ${reserved.join(", ")}; choose another name (and name the file after it) (got "${name}")`,
    ]);
  });

  it("needs no entry for longer names, which the name's own pattern refuses", () => {
    expect(problems({ ...valid, name: "organization" }, "config/organization.yaml")).toEqual(['config/organization.yaml:1: [organization] name: must be 2–10 lowercase letters or digits, starting with a letter (got "organization")']);
  });

  it("accepts a name that merely starts like a reserved one", () => {
    expect(problems({ ...valid, name: "planet" }, "config/planet.yaml")).toEqual([]);
  });
});
