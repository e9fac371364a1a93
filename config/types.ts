/**
 * The validated stack config: what `parseStackConfig` returns once every rule holds. Each
 * section's type comes from its zod schema in `contract/` (`z.output` of it), so a field
 * is declared once. Plain values only (they decide which resources exist), except secret
 * values, whose type `V` is chosen by the caller (`pulumi.Output<string>` in the program:
 * secret from the moment read).
 */
import type { StackFields } from "./contract/stack";
import type { SecretSpec } from "./contract/secret";
import type { WorkloadSpec } from "./contract/workload";

export { ALARM_COMPARISONS, ALARM_MISSING_DATA, ALARM_STATISTICS } from "./contract/monitor";
export type { MonitorSpec } from "./contract/monitor";
export type { CanarySpec } from "./contract/canary";
export { DEFAULT_GENERATE_LENGTH } from "./contract/version";
export type { GenerateSpec, VersionSpec } from "./contract/version";
export { DEFAULT_RETENTION_DAYS, MAX_RETENTION_DAYS } from "./contract/secret";
export type { SecretSpec } from "./contract/secret";
export { DEFAULT_SOAK_HOURS, MAX_SOAK_HOURS } from "./contract/promotion";
export type { PromotionOverride, PromotionSpec } from "./contract/promotion";
export {
  DEFAULT_MIN_READY_SECONDS,
  DEFAULT_PROGRESS_DEADLINE_SECONDS,
  DEFAULT_ROLLOUT,
  INT32_MAX,
} from "./contract/workload";
export type {
  CronJobSpec,
  DeploymentSpec,
  ResourcesSpec,
  RolloutSpec,
  WorkloadSpec,
} from "./contract/workload";
export { DEFAULT_AWS_RECOVERY_WINDOW_DAYS, ENVIRONMENTS } from "./contract/stack";
export {
  DEFAULT_DELIVERY,
  DEFAULT_READY_TIMEOUT_SECONDS,
  DELIVERIES,
  STORE_AUTHS,
  STORE_KINDS,
} from "./contract/delivery";
export type {
  Delivery,
  ExternalSecretsSpec,
  StoreAuth,
  StoreKind,
  StoreRefSpec,
  StoreSpec,
} from "./contract/delivery";
export type { Environment } from "./contract/stack";

export type StackSpec<V> = Omit<StackFields, "secrets" | "workloads"> & {
  stack: string;
  /** False in `dev`: one mutable Secret per name, updated in place. */
  versioned: boolean;
  /** Sorted by name. */
  secrets: SecretSpec<V>[];
  /** Sorted by name. */
  workloads: WorkloadSpec[];
};
