export * from "./environment-stack";
export * from "./network-stack";
export * from "./platform-app";
export * from "./policy";
export * from "./state-backend-stack";
