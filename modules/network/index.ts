export * from "./flow-logs";
export * from "./nat-gateways";
export * from "./network";
export * from "./subnet-tier";
export * from "./vpc-endpoints";
