export * from "./ec2";
export * from "./msk";
export * from "./rds";
