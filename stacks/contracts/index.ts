export * from "./contract";
export * from "./database";
export * from "./eks";
export * from "./iam";
export * from "./network";
export * from "./platform";
export * from "./registry";
export * from "./streaming";
