export * from "./permissions-boundary";
export * from "./policy-document";
