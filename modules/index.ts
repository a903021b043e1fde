export * from "./iam";
export * from "./kms";
export * from "./network";
export * from "./state";
