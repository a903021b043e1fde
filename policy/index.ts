export * from "./catalogue";
export * from "./pack";
export * from "./report";
export * from "./rules";
export * from "./stack-view";
export * from "./suppress";
export * from "./types";
export * from "./secrets";
