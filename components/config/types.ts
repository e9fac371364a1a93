/**
 * The validated stack config: what `parseStackConfig` returns once every rule holds. Plain
 * values only (they decide which resources exist), except secret values, whose type `V` is
 * chosen by the caller (`pulumi.Output<string>` in the program: secret from the moment read).
 */

export const ENVIRONMENTS = ["dev", "staging", "production"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

export const DEFAULT_RETENTION_DAYS = 14;
export const DEFAULT_AWS_RECOVERY_WINDOW_DAYS = 30;

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
}

export interface SecretSpec<V> {
  name: string;
  active: string;
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
  port?: number;
}

export interface CronJobSpec extends WorkloadCommon {
  kind: "CronJob";
  schedule: string;
}

export type WorkloadSpec = DeploymentSpec | CronJobSpec;

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
  /** Sorted by name. */
  secrets: SecretSpec<V>[];
  /** Sorted by name. */
  workloads: WorkloadSpec[];
}
