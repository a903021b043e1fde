export * from "./contract";
export * from "./network";
