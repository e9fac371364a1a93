/**
 * The validated stack config: what `parseStackConfig` returns once every rule holds. Plain
 * values only (they decide which resources exist), except secret values, whose type `V` is
 * chosen by the caller (`pulumi.Output<string>` in the program: secret from the moment read).
 */

export const ENVIRONMENTS = ["dev", "staging", "production"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

export const DEFAULT_RETENTION_DAYS = 14;
export const DEFAULT_AWS_RECOVERY_WINDOW_DAYS = 30;
export const DEFAULT_SOAK_HOURS = 24;
export const DEFAULT_MIN_READY_SECONDS = 10;
export const DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;
/** Longest retention: ten years (a longer one would push expiry dates past what a Date holds). */
export const MAX_RETENTION_DAYS = 3650;
/** Longest soak: a year (a longer one is a gate nobody can pass). */
export const MAX_SOAK_HOURS = 8760;
/** replicas, minReadySeconds, progressDeadlineSeconds, maxSurge, maxUnavailable are int32. */
export const INT32_MAX = 2147483647;

/** Options of a generated key (`generate: { signing_key: { length: 64 } }`). */
export interface GenerateSpec {
  /** Characters in the value, 16 to 4096. */
  length: number;
  /** Whether punctuation may appear; default false (values stay safe in env vars and URLs). */
  special: boolean;
}

export interface VersionSpec<V> {
  /** The version id, `YYYYMMDDHHMMSS` (UTC). */
  id: string;
  /** The configured values by key (generated keys are not here), sorted by key. */
  values: Record<string, V>;
  /** `versionFingerprint` of the values: a digest, never a value (kept as a secret output). */
  fingerprint: string;
}

/** A canary rollout of one secret: some pods of each linked Deployment run `version`. */
export interface CanarySpec {
  /** The version the canary pods run; listed, and not the active version. */
  version: string;
  /** Share of each linked Deployment's replicas that run the canary, 1 to 100. */
  percent: number;
}

export const ALARM_STATISTICS = ["Average", "Maximum", "Minimum", "SampleCount", "Sum"] as const;
export const ALARM_COMPARISONS = [
  "GreaterThanOrEqualToThreshold",
  "GreaterThanThreshold",
  "LessThanOrEqualToThreshold",
  "LessThanThreshold",
] as const;
export const ALARM_MISSING_DATA = ["breaching", "ignore", "missing", "notBreaching"] as const;

/** The CloudWatch metric that tells whether a rotation hurt, and who to page. */
export interface MonitorSpec {
  namespace: string;
  metricName: string;
  /** Sorted by name. */
  dimensions: Record<string, string>;
  statistic: (typeof ALARM_STATISTICS)[number];
  threshold: number;
  /** Default GreaterThanOrEqualToThreshold. */
  comparisonOperator: (typeof ALARM_COMPARISONS)[number];
  /** Seconds: 10, 20, 30 or a multiple of 60. */
  period: number;
  evaluationPeriods: number;
  /** Default: evaluationPeriods. */
  datapointsToAlarm: number;
  /** Default notBreaching: no traffic is not an outage signal. */
  treatMissingData: (typeof ALARM_MISSING_DATA)[number];
  /** ARNs notified when the alarm fires. */
  alarmActions: string[];
  /** ARNs notified when it recovers. Default: none. */
  okActions: string[];
}

export interface SecretSpec<V> {
  name: string;
  active: string;
  /** The canary rollout, when one runs. */
  canary?: CanarySpec;
  /** The alarm that watches the rotation, when configured. */
  monitor?: MonitorSpec;
  retentionDays: number;
  keep: string[];
  /** Generated keys, sorted by key. */
  generate: Record<string, GenerateSpec>;
  /** Oldest first. */
  versions: VersionSpec<V>[];
  /** Every key a version holds (configured and generated), sorted. */
  keys: string[];
}

export interface RolloutSpec {
  maxUnavailable: number | string;
  maxSurge: number | string;
}

export interface ResourcesSpec {
  requests?: Record<string, string>;
  limits?: Record<string, string>;
}

interface WorkloadCommon {
  name: string;
  image: string;
  /** Linked secret names, in config order. */
  secrets: string[];
  command?: string[];
  args?: string[];
  /** Plain (non-secret) extra variables, sorted by name. */
  env: Record<string, string>;
  resources?: ResourcesSpec;
}

export interface DeploymentSpec extends WorkloadCommon {
  kind: "Deployment";
  replicas: number;
  rollout: RolloutSpec;
  /** Seconds a new pod must stay ready before it counts as available (default 10). */
  minReadySeconds: number;
  /** Seconds without progress before the rollout is reported failed (default 600). */
  progressDeadlineSeconds: number;
  port?: number;
}

export interface CronJobSpec extends WorkloadCommon {
  kind: "CronJob";
  schedule: string;
}

export type WorkloadSpec = DeploymentSpec | CronJobSpec;

/** A break-glass pass through the staging gate for one version of one secret. */
export interface PromotionOverride {
  version: string;
  /** Why the gate is bypassed; quoted in the warning every `pulumi up` logs. */
  reason: string;
}

/** The staging-before-production gate. */
export interface PromotionSpec {
  /** The stack whose `secrets` output must show a version first (`org/project/stack`). */
  fromStack: string;
  /** Hours a version must have existed (its id is its creation time). Default 24. */
  soakHours: number;
  /** By secret name. */
  override: Record<string, PromotionOverride>;
}

export interface StackSpec<V> {
  stack: string;
  environment: Environment;
  /** False in `dev`: one mutable Secret per name, updated in place. */
  versioned: boolean;
  namespace: string;
  retentionDays: number;
  awsRecoveryWindowDays: number;
  /** The KMS key that encrypts the AWS secrets; absent: the account's `aws/secretsmanager` key. */
  awsKmsKeyId?: string;
  /** The staging gate, when configured. */
  promotion?: PromotionSpec;
  /** Sorted by name. */
  secrets: SecretSpec<V>[];
  /** Sorted by name. */
  workloads: WorkloadSpec[];
}
