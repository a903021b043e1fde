export * from "./classify";
export * from "./context";
export * from "./digest";
export * from "./guard";
export * from "./plan";
export * from "./render";
export * from "./values";
export * from "./status";
