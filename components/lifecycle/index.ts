export * from "./clock";
export * from "./names";
export * from "./states";
export * from "./versionId";
export * from "./plan";
export * from "./outputs";
export * from "./canary";
