/**
 * The components as a library: `import { RotatedSecret, Workload } from
 * "secret-rotation/components"` (package.json `exports`). Each component owns its argument
 * types and their defaults (JSDoc `@default`), takes Kubernetes namespaces, KMS keys and alarm
 * actions as `pulumi.Input`, and registers as `secret-rotation:<module>:<Type>` with children
 * named `<name>-<role>`. examples/library/ uses them from a program of its own.
 */
export {
  DEFAULT_AWS_RECOVERY_WINDOW_DAYS,
  DEFAULT_GENERATE_LENGTH,
  type GeneratedKey,
  RotatedSecret,
  type RotatedSecretArgs,
  type SecretVersionInput,
} from "./secrets/rotatedSecret";
export {
  DEFAULT_READY_TIMEOUT_SECONDS,
  DELIVERY_KINDS,
  type DeliveryKind,
  type DirectDelivery,
  type ExternalSecretsDelivery,
  type SecretDelivery,
} from "./secrets/versionCopy";
export { AwsSecretStore, type AwsSecretStoreArgs } from "./delivery/awsSecretStore";
export type { AwsStoreProvider, StoreRef } from "./delivery/manifests";
export {
  type CanaryArgs,
  type CronJobWorkloadArgs,
  DEFAULT_MIN_READY_SECONDS,
  DEFAULT_PROGRESS_DEADLINE_SECONDS,
  DEFAULT_ROLLOUT,
  type DeploymentWorkloadArgs,
  Workload,
  type WorkloadArgs,
} from "./workloads/workload";
export type { ContainerArgs } from "./workloads/podTemplate";
export {
  type BlueGreenArgs,
  SLOTS,
  type Slot,
  type SlotArgs,
  slotSelector,
  switchOrder,
} from "./workloads/slots";
export type { SecretLink, Track } from "./workloads/secretBinding";
export {
  type KeyedLink,
  type LinkedKind,
  LinkedWorkload,
  type LinkedWorkloadArgs,
} from "./workloads/linkedWorkload";
export {
  type AlarmComparison,
  type AlarmMissingData,
  type AlarmMonitor,
  type AlarmStatistic,
  RotationAlarm,
  type RotationAlarmArgs,
} from "./monitoring/rotationAlarm";
