export * from "./lock-table";
export * from "./state-bucket";
