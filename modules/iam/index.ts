export * from "./grant";
export * from "./permissions-boundary";
export * from "./policy-document";
export * from "./role";
export * from "./role-reference";
export * from "./workload-role";
