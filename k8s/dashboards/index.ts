export * from "./config-maps";
export * from "./kafka";
export * from "./known-metrics";
export * from "./model";
export * from "./platform";
export * from "./service";
