import { EC2_FAMILY_NAMES, EC2_INSTANCE_TYPES, EC2_SIZE_NAMES, familyCategory, isInstanceSizeName, lookupInstanceType } from "../modules/instance-types/ec2";
import { type FieldProblem } from "./checks";
import { didYouMean } from "./near";
import { type NodePoolConfig } from "./platform-schema";

/**
 * Instance types, families and sizes named in config, checked against the one table of real
 * ones (modules/instance-types/): a typo such as m7g.xlarg fails here with the near matches,
 * not at apply, and a family that does not exist is said to be unknown (not of the wrong
 * architecture).
 */

/** Where the EC2 table lives, for messages: a type AWS added after it is added there. */
const EC2_TABLE = "modules/instance-types/ec2.ts";
const ADD_TO_TABLE = `if AWS offers it, add it to ${EC2_TABLE}`;

const TYPE_NAMES = EC2_INSTANCE_TYPES.map((t) => t.name);

/** The instance categories Karpenter knows families by (c, m, r, …), from the table. */
export const EC2_CATEGORIES: readonly string[] = [...new Set(EC2_FAMILY_NAMES.map(familyCategory))].sort();

/** Why an EC2 instance type is not one, or undefined when the table knows it (or knows its family). */
export function instanceTypeProblem(instanceType: string): string | undefined {
  const found = lookupInstanceType(instanceType);
  switch (found.kind) {
    case "known":
    case "family-only":
      return undefined;
    case "unknown-size":
      return found.sizes.length
        ? `is not an EC2 instance type: ${found.family} comes in ${found.sizes.join(", ")}${didYouMean(instanceType, TYPE_NAMES.filter((t) => t.startsWith(`${found.family}.`)))}`
        : `is not an EC2 instance type: ${instanceType.slice(found.family.length + 1)} is not an instance size (such as large, 2xlarge or metal)`;
    case "unknown-family":
      return `names an unknown instance family, ${found.family}${didYouMean(instanceType, TYPE_NAMES) || didYouMean(found.family, EC2_FAMILY_NAMES)}; ${ADD_TO_TABLE}`;
  }
}

/** The instance types of a node group the table does not know, by their index in the list. */
export function nodeGroupTypeProblems(field: string, instanceTypes: readonly string[]): FieldProblem[] {
  return instanceTypes.flatMap((instanceType, i) => {
    const message = instanceTypeProblem(instanceType);
    return message ? [{ field: `${field}.${i}`, value: instanceType, message }] : [];
  });
}

/** A NodePool's families, categories and sizes that name nothing EC2 has. */
export function nodePoolNameProblems(field: string, pool: NodePoolConfig): FieldProblem[] {
  const problems: FieldProblem[] = [];
  pool.families?.forEach((family, i) => {
    if (!EC2_FAMILY_NAMES.includes(family)) problems.push({ field: `${field}.families.${i}`, value: family, message: `names an unknown instance family${didYouMean(family, EC2_FAMILY_NAMES)}; ${ADD_TO_TABLE}` });
  });
  pool.categories?.forEach((category, i) => {
    if (!EC2_CATEGORIES.includes(category)) {
      problems.push({ field: `${field}.categories.${i}`, value: category, message: `is not an EC2 instance category${didYouMean(category, EC2_CATEGORIES)}; allowed: ${EC2_CATEGORIES.join(", ")}` });
    }
  });
  pool.sizes?.forEach((size, i) => {
    if (!isInstanceSizeName(size)) problems.push({ field: `${field}.sizes.${i}`, value: size, message: `is not an EC2 instance size${didYouMean(size, EC2_SIZE_NAMES)}, such as medium, large, 2xlarge or metal-24xl` });
  });
  return problems;
}
