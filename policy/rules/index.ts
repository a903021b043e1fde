import { type Rule } from "../types";
import { dataServiceRules } from "./data-services";
import { edgeRules } from "./edge";
import { eksRules } from "./eks";
import { iamRules } from "./iam";
import { instanceRules } from "./instances";
import { kubernetesRules } from "./kubernetes";
import { logsSecretsEcrRules } from "./logs-secrets-ecr";
import { networkRules } from "./network";
import { storageRules } from "./storage";

/** Every rule of the pack, in catalogue order. */
export const ALL_RULES: readonly Rule[] = [...storageRules, ...networkRules, ...eksRules, ...dataServiceRules, ...logsSecretsEcrRules, ...iamRules, ...kubernetesRules, ...edgeRules, ...instanceRules];

export { LOAD_BALANCER_SG_TAG } from "./network";
export { WILDCARD_RESOURCE_ALLOW_LIST } from "./iam";
