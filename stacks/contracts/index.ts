export * from "./contract";
export * from "./eks";
export * from "./iam";
export * from "./network";
export * from "./registry";
