export * from "./lock-table";
export * from "./state-access";
export * from "./state-bucket";
