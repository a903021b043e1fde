export * from "./retention";
export * from "./encrypted-log-group";
