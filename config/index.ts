export * from "./errors";
export * from "./parse";
export * from "./rules";
export * from "./types";
