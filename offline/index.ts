/** The offline runtime shared by the plan CLI, the benchmark and the tests. */
export * from "./mockRuntime";
export {
  type DeclaredResource,
  RecordingMocks,
  SECRET_SIG,
  SECRET_VERSION_ID,
  SIG_KEY,
  fakeSecretVersionId,
} from "./mocks";
export * from "./stackFiles";
export { parseYamlFile } from "./yamlFile";
export { yamlV3Number, yamlV3Timestamp } from "./yamlV3Scalars";
export * from "./guardFiles";
export * from "./outputsOrigin";
