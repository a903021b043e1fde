export * from "./iam";
export * from "./kms";
export * from "./logs";
export * from "./network";
export * from "./state";
export * from "./database";
export * from "./streaming";
