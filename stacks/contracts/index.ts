export * from "./contract";
export * from "./eks";
export * from "./network";
export * from "./registry";
