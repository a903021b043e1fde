export * from "./aurora-cluster";
export * from "./database";
export * from "./engines";
export * from "./rds-instance";
export * from "./settings";
