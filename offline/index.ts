/** The offline runtime shared by the plan CLI, the benchmark and the tests. */
export * from "./mockRuntime";
export * from "./stackFiles";
export * from "./guardFiles";
export * from "./outputsOrigin";
