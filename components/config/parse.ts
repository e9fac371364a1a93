/**
 * Parses and validates the whole stack config in one pass, collecting every problem, so that
 * a bad config fails before the first resource is declared and `pulumi up` changes nothing.
 * Pure: no Pulumi import. Secret values are handed to `wrapValue` the moment they are
 * checked and never appear in a message.
 */
import { createHash } from "crypto";
import { distance } from "fastest-levenshtein";
import { canarySplitProblem } from "../lifecycle/canary";
import { awsSecretName, canaryWorkloadName } from "../lifecycle/names";
import { compareVersionIds, normalizeVersionId, versionIdProblem } from "../lifecycle/versionId";
import { dict, plain, protoKeyProblem } from "./dict";
import { PROJECT as CONFIG_NAMESPACE } from "../project";
import { ConfigError, ConfigProblem } from "./errors";
import {
  alarmPeriodProblem,
  arnProblem,
  awsSecretNameProblem,
  cronJobNameProblem,
  cronScheduleProblem,
  dns1035LabelProblem,
  dns1123LabelProblem,
  envVarNameProblem,
  kmsKeyProblem,
  quantityProblem,
  quantityValue,
  secretKeyProblem,
  secretNameProblem,
  stackReferenceProblem,
} from "./rules";
import {
  ALARM_COMPARISONS,
  ALARM_MISSING_DATA,
  ALARM_STATISTICS,
  CanarySpec,
  DEFAULT_AWS_RECOVERY_WINDOW_DAYS,
  DEFAULT_MIN_READY_SECONDS,
  DEFAULT_PROGRESS_DEADLINE_SECONDS,
  DEFAULT_SOAK_HOURS,
  MonitorSpec,
  PromotionOverride,
  PromotionSpec,
  DEFAULT_RETENTION_DAYS,
  DeploymentSpec,
  ENVIRONMENTS,
  INT32_MAX,
  MAX_RETENTION_DAYS,
  MAX_SOAK_HOURS,
  Environment,
  GenerateSpec,
  ResourcesSpec,
  RolloutSpec,
  SecretSpec,
  StackSpec,
  VersionSpec,
  WorkloadSpec,
} from "./types";

/** The config keys of the project namespace, without the `secret-rotation:` prefix. */
export const STACK_FIELDS = [
  "awsKmsKeyId",
  "awsRecoveryWindowDays",
  "environment",
  "namespace",
  "promotion",
  "retentionDays",
  "secrets",
  "workloads",
] as const;

const SECRET_FIELDS = [
  "active",
  "canary",
  "generate",
  "keep",
  "monitor",
  "retentionDays",
  "versions",
];
const CANARY_FIELDS = ["percent", "version"];
const MONITOR_FIELDS = [
  "alarmActions",
  "comparisonOperator",
  "datapointsToAlarm",
  "dimensions",
  "evaluationPeriods",
  "metricName",
  "namespace",
  "okActions",
  "period",
  "statistic",
  "threshold",
  "treatMissingData",
];
const PROMOTION_FIELDS = ["fromStack", "override", "soakHours"];
const OVERRIDE_FIELDS = ["reason", "version"];
const GENERATE_FIELDS = ["length", "special"];
const COMMON_WORKLOAD_FIELDS = ["args", "command", "env", "image", "kind", "resources", "secrets"];
const WORKLOAD_FIELDS = {
  Deployment: [
    ...COMMON_WORKLOAD_FIELDS,
    "minReadySeconds",
    "port",
    "progressDeadlineSeconds",
    "replicas",
    "rollout",
  ].sort(),
  CronJob: [...COMMON_WORKLOAD_FIELDS, "schedule"].sort(),
};
const ROLLOUT_FIELDS = ["maxSurge", "maxUnavailable"];
const RESOURCES_FIELDS = ["limits", "requests"];
const RESOURCE_NAMES = ["cpu", "ephemeral-storage", "memory"];
/** Rollout defaults that never drop serving capacity: a new pod is ready before an old goes. */
export const DEFAULT_ROLLOUT: RolloutSpec = { maxUnavailable: 0, maxSurge: 1 };
export const DEFAULT_GENERATE_LENGTH = 32;

export interface ParseContext {
  /** The stack name: the default environment, and named in every error. */
  stack: string;
  /**
   * The stack's config keys outside the project namespace (`aws:region`), to catch a
   * misspelled namespace (`secret_rotation:secrets`). Default: none.
   */
  otherKeys?: readonly string[];
  /** The clock (version ids may not be in the future). */
  now: Date;
}

type Raw = Readonly<Record<string, unknown>>;

/** Collects problems with their field paths. */
class Problems {
  readonly list: ConfigProblem[] = [];
  add(path: string, message: string): void {
    this.list.push({ path, message });
  }
}

const join = (path: string, key: string): string => (path ? `${path}.${key}` : key);
const list = (items: readonly string[]): string => items.join(", ");

function isObject(value: unknown): value is Raw {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** An optional object field; reports anything else that is not absent. */
function objectField(p: Problems, path: string, value: unknown, what: string): Raw | undefined {
  if (value === undefined || value === null) return undefined;
  if (isObject(value)) return value;
  p.add(path, `must be ${what}`);
  return undefined;
}

/** The typo guard: every field of `obj` must be one of `allowed`. */
function checkFields(p: Problems, path: string, obj: Raw, allowed: readonly string[]): void {
  for (const key of Object.keys(obj).sort()) {
    if (!allowed.includes(key)) p.add(join(path, key), `unknown field; allowed: ${list(allowed)}`);
  }
}

/** A whole number in [min, max], given as a number or a numeric string (CLI config is text). */
function wholeNumber(
  p: Problems,
  path: string,
  value: unknown,
  bounds: { min: number; max?: number; fallback: number; allowed: string },
): number {
  if (value === undefined || value === null || value === "") return bounds.fallback;
  const n = typeof value === "string" && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
  if (
    typeof n !== "number" ||
    !Number.isSafeInteger(n) ||
    n < bounds.min ||
    (bounds.max !== undefined && n > bounds.max)
  ) {
    p.add(path, `${JSON.stringify(value)} is not allowed; ${bounds.allowed}`);
    return bounds.fallback;
  }
  return n;
}

/** Like `wholeNumber`, for a field that has no default. */
function requiredWholeNumber(
  p: Problems,
  path: string,
  value: unknown,
  bounds: { min: number; max?: number; fallback: number; allowed: string },
): number {
  if (value === undefined || value === null || value === "") {
    p.add(path, `is required: ${bounds.allowed}`);
    return bounds.fallback;
  }
  return wholeNumber(p, path, value, bounds);
}

/** A plain scalar as text: strings as they are, numbers and booleans written out. */
function scalarText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return undefined;
}

function stringArray(p: Problems, path: string, value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) return [...value];
  p.add(path, "must be a list of strings");
  return undefined;
}

/**
 * Validates `raw` (the project's config keys without the namespace prefix, as the Pulumi CLI
 * gives them: objects already parsed, scalars possibly as text). Throws one `ConfigError`
 * listing every problem.
 */
export function parseStackConfig<V>(
  raw: Raw,
  ctx: ParseContext,
  wrapValue: (value: string) => V,
): StackSpec<V> {
  const p = new Problems();
  checkFields(p, "", raw, STACK_FIELDS);
  checkNamespaces(p, ctx.otherKeys ?? []);

  const environment = parseEnvironment(p, raw.environment, ctx.stack);
  const namespaceRaw = raw.namespace ?? environment;
  let namespace = String(environment);
  if (typeof namespaceRaw !== "string") {
    p.add("namespace", "must be a string (a Kubernetes namespace)");
  } else {
    namespace = namespaceRaw;
    const problem = dns1123LabelProblem(namespace);
    if (problem) p.add("namespace", problem);
  }
  const retentionDays = wholeNumber(p, "retentionDays", raw.retentionDays, {
    min: 1,
    max: MAX_RETENTION_DAYS,
    fallback: DEFAULT_RETENTION_DAYS,
    allowed: `a whole number of days from 1 to ${MAX_RETENTION_DAYS} (default ${DEFAULT_RETENTION_DAYS})`,
  });
  const awsRecoveryWindowDays = parseRecoveryWindow(p, raw.awsRecoveryWindowDays);
  const awsKmsKeyId = raw.awsKmsKeyId;
  if (awsKmsKeyId !== undefined) {
    const problem =
      typeof awsKmsKeyId === "string" ? kmsKeyProblem(awsKmsKeyId) : "must be a string";
    if (problem) p.add("awsKmsKeyId", problem);
  }

  const secretsRaw = objectField(p, "secrets", raw.secrets, "a map of secret name to secret");
  const secrets: SecretSpec<V>[] = [];
  for (const name of Object.keys(secretsRaw ?? {}).sort()) {
    const secret = parseSecret(p, name, secretsRaw![name], {
      ...ctx,
      environment,
      retentionDays,
      wrapValue,
    });
    if (secret) secrets.push(secret);
  }

  const workloadsRaw = objectField(
    p,
    "workloads",
    raw.workloads,
    "a map of workload name to workload",
  );
  const secretNames = new Set(Object.keys(secretsRaw ?? {}));
  const secretKeys = new Map(secrets.map((secret) => [secret.name, secret.keys]));
  const workloads: WorkloadSpec[] = [];
  for (const name of Object.keys(workloadsRaw ?? {}).sort()) {
    const workload = parseWorkload(p, name, workloadsRaw![name], secretNames, secretKeys);
    if (workload) workloads.push(workload);
  }

  // An empty secrets map declares nothing, and `pulumi up` deletes what is not declared: a typo
  // or a lost section must not read as "delete every version". Teardown is `pulumi destroy`.
  if (environment !== "dev" && Object.keys(secretsRaw ?? {}).length === 0) {
    p.add(
      "secrets",
      `is empty: a ${environment} stack must declare at least one secret (with none, pulumi up would delete every version and workload this stack manages; to tear the stack down, run pulumi destroy)`,
    );
  }
  checkCanaries(p, secrets, workloads, Object.keys(workloadsRaw ?? {}));
  const promotion = parsePromotion(p, raw.promotion, ctx.stack, secrets, secretNames);

  if (p.list.length > 0) throw new ConfigError(ctx.stack, p.list);
  return {
    stack: ctx.stack,
    environment: environment as Environment,
    versioned: environment !== "dev",
    namespace,
    retentionDays,
    awsRecoveryWindowDays,
    ...(typeof awsKmsKeyId === "string" && { awsKmsKeyId }),
    ...(promotion && { promotion }),
    secrets,
    workloads,
  };
}

/**
 * Config under a namespace that is a near miss of the project's (`secret_rotation:`,
 * `secret-rotaton:`, `Secret-Rotation:`) is read by nobody: the program would see no secrets.
 */
function checkNamespaces(p: Problems, otherKeys: readonly string[]): void {
  const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "");
  for (const key of [...otherKeys].sort()) {
    const namespace = key.split(":")[0];
    if (namespace === CONFIG_NAMESPACE || !key.includes(":")) continue;
    if (
      squash(namespace) === squash(CONFIG_NAMESPACE) ||
      distance(namespace, CONFIG_NAMESPACE) <= 3
    ) {
      p.list.push({
        path: "",
        key,
        message: `the namespace "${namespace}" looks like a misspelling of "${CONFIG_NAMESPACE}", so nothing reads this key; rename it to ${CONFIG_NAMESPACE}:${key.slice(namespace.length + 1)}`,
      });
    }
  }
}

function parseEnvironment(p: Problems, value: unknown, stack: string): string {
  const environment = value ?? stack;
  if (
    typeof environment !== "string" ||
    !(ENVIRONMENTS as readonly string[]).includes(environment)
  ) {
    const given = value === undefined ? `the stack name "${stack}"` : JSON.stringify(value);
    p.add(
      "environment",
      `${given} is not an environment; allowed: ${list(ENVIRONMENTS)} (default: the stack name; set ${CONFIG_NAMESPACE}:environment for another stack name)`,
    );
    return "staging";
  }
  return environment;
}

function parseRecoveryWindow(p: Problems, value: unknown): number {
  const allowed = `0 (delete at once) or a whole number of days from 7 to 30 (default ${DEFAULT_AWS_RECOVERY_WINDOW_DAYS})`;
  const days = wholeNumber(p, "awsRecoveryWindowDays", value, {
    min: 0,
    max: 30,
    fallback: DEFAULT_AWS_RECOVERY_WINDOW_DAYS,
    allowed,
  });
  if (days > 0 && days < 7) {
    p.add("awsRecoveryWindowDays", `${days} is not allowed; ${allowed}`);
    return DEFAULT_AWS_RECOVERY_WINDOW_DAYS;
  }
  return days;
}

interface SecretContext<V> extends ParseContext {
  environment: string;
  retentionDays: number;
  wrapValue: (value: string) => V;
}

function parseSecret<V>(
  p: Problems,
  name: string,
  value: unknown,
  ctx: SecretContext<V>,
): SecretSpec<V> | undefined {
  const path = join("secrets", name);
  const before = p.list.length;
  const nameProblem = secretNameProblem(name);
  if (nameProblem) p.add(path, `the secret name ${nameProblem}`);
  // The longest name this secret produces: every version id has 14 digits.
  const awsProblem = awsSecretNameProblem(awsSecretName(ctx.environment, name, "0".repeat(14)));
  if (awsProblem) p.add(path, awsProblem);

  const raw = objectField(p, path, value, "an object with active and versions");
  if (!raw) {
    if (value === undefined || value === null) p.add(path, "must have active and versions");
    return undefined;
  }
  checkFields(p, path, raw, SECRET_FIELDS);

  const retentionDays = wholeNumber(p, join(path, "retentionDays"), raw.retentionDays, {
    min: 1,
    max: MAX_RETENTION_DAYS,
    fallback: ctx.retentionDays,
    allowed: `a whole number of days from 1 to ${MAX_RETENTION_DAYS} (default: ${CONFIG_NAMESPACE}:retentionDays)`,
  });
  const generate = parseGenerate(p, join(path, "generate"), raw.generate);
  const versions = parseVersions(p, join(path, "versions"), raw.versions, generate, {
    ...ctx,
    secret: name,
  });
  const ids = versions.map((v) => v.id);

  const activePath = join(path, "active");
  const active = normalizeVersionId(raw.active);
  if (raw.active === undefined || raw.active === null) {
    p.add(activePath, "is required: the version workloads use (one of the versions)");
  } else if (active === undefined || !ids.includes(active)) {
    p.add(
      activePath,
      `${JSON.stringify(raw.active)} is not among the versions; listed: ${list(ids) || "none"}`,
    );
  }

  const keep: string[] = [];
  const keepRaw = raw.keep ?? [];
  if (!Array.isArray(keepRaw)) {
    p.add(join(path, "keep"), "must be a list of version ids");
  } else {
    keepRaw.forEach((entry, i) => {
      const id = normalizeVersionId(entry);
      if (id === undefined || !ids.includes(id)) {
        p.add(
          join(path, `keep[${i}]`),
          `${JSON.stringify(entry)} is not among the versions; listed: ${list(ids) || "none"}`,
        );
      } else if (!keep.includes(id)) {
        keep.push(id);
      }
    });
  }

  const keys = [
    ...new Set([...Object.keys(versions[0]?.values ?? {}), ...Object.keys(generate)]),
  ].sort();
  if (versions.length > 0 && keys.length === 0) {
    p.add(path, "holds no keys: give each version at least one key, or generate one");
  }
  const canary = parseCanary(p, join(path, "canary"), raw.canary, { ids, active, ...ctx });
  const monitor = parseMonitor(p, join(path, "monitor"), raw.monitor);
  if (p.list.length > before) return undefined;
  return {
    name,
    active: active!,
    ...(canary && { canary }),
    ...(monitor && { monitor }),
    retentionDays,
    keep: keep.sort(),
    generate,
    versions,
    keys,
  };
}

function parseCanary(
  p: Problems,
  path: string,
  value: unknown,
  ctx: { ids: string[]; active?: string; environment: string },
): CanarySpec | undefined {
  const raw = objectField(p, path, value, "an object { version, percent }");
  if (!raw) return undefined;
  checkFields(p, path, raw, CANARY_FIELDS);
  if (ctx.environment === "dev") {
    p.add(
      path,
      "dev keeps one unversioned Secret, so there is no second version to canary; canary in staging or production",
    );
  }
  const version = normalizeVersionId(raw.version);
  if (raw.version === undefined || raw.version === null) {
    p.add(
      join(path, "version"),
      "is required: the version the canary pods run (one of the versions)",
    );
  } else if (version === undefined || !ctx.ids.includes(version)) {
    p.add(
      join(path, "version"),
      `${JSON.stringify(raw.version)} is not among the versions; listed: ${list(ctx.ids) || "none"}`,
    );
  } else if (version === ctx.active) {
    p.add(
      join(path, "version"),
      `${version} is the active version; a canary tests another version (to promote, remove canary)`,
    );
  }
  const percent = requiredWholeNumber(p, join(path, "percent"), raw.percent, {
    min: 1,
    max: 100,
    fallback: 0,
    allowed: "a whole number from 1 to 100 (the share of each linked Deployment's pods)",
  });
  return version === undefined ? undefined : { version, percent };
}

function nonEmptyString(p: Problems, path: string, value: unknown, what: string): string {
  if (typeof value === "string" && value.trim() !== "") return value;
  p.add(path, `is required: ${what}`);
  return "";
}

/** One of `allowed`, or `fallback` when absent. */
function oneOf<T extends string>(
  p: Problems,
  path: string,
  value: unknown,
  allowed: readonly T[],
  fallback?: T,
): T {
  if ((value === undefined || value === null) && fallback !== undefined) return fallback;
  if (typeof value === "string" && (allowed as readonly string[]).includes(value)) {
    return value as T;
  }
  p.add(
    path,
    `${JSON.stringify(value)} is not allowed; allowed: ${list(allowed)}${fallback ? ` (default ${fallback})` : ""}`,
  );
  return fallback ?? allowed[0];
}

function arnList(p: Problems, path: string, value: unknown): string[] {
  const arns = stringArray(p, path, value ?? []) ?? [];
  // CloudWatch: "You can specify up to 5 actions per alarm state".
  if (arns.length > 5) p.add(path, `lists ${arns.length} actions; CloudWatch allows at most 5`);
  arns.forEach((arn, i) => {
    const problem = arnProblem(arn);
    if (problem) p.add(`${path}[${i}]`, problem);
  });
  return arns;
}

function parseMonitor(p: Problems, path: string, value: unknown): MonitorSpec | undefined {
  const raw = objectField(p, path, value, "an object with the CloudWatch metric and alarm actions");
  if (!raw) return undefined;
  checkFields(p, path, raw, MONITOR_FIELDS);
  const namespace = nonEmptyString(
    p,
    join(path, "namespace"),
    raw.namespace,
    "the CloudWatch namespace, such as AWS/ApplicationELB",
  );
  const metricName = nonEmptyString(
    p,
    join(path, "metricName"),
    raw.metricName,
    "the metric, such as HTTPCode_Target_5XX_Count",
  );
  const dimensionsRaw =
    objectField(p, join(path, "dimensions"), raw.dimensions, "a map of dimension name to value") ??
    {};
  const dimensions = dict<string>();
  for (const name of Object.keys(dimensionsRaw).sort()) {
    const text = scalarText(dimensionsRaw[name]);
    const proto = protoKeyProblem(name);
    if (proto) p.add(join(join(path, "dimensions"), name), `the dimension ${proto}`);
    else if (text === undefined || text === "")
      p.add(join(join(path, "dimensions"), name), "must be a non-empty string");
    else dimensions[name] = text;
  }
  if (Object.keys(dimensionsRaw).length > 30) {
    p.add(join(path, "dimensions"), "CloudWatch allows at most 30 dimensions");
  }
  const statistic = oneOf(p, join(path, "statistic"), raw.statistic, ALARM_STATISTICS);
  const thresholdRaw = raw.threshold;
  const threshold =
    typeof thresholdRaw === "string" && thresholdRaw.trim() !== ""
      ? Number(thresholdRaw)
      : thresholdRaw;
  if (typeof threshold !== "number" || !Number.isFinite(threshold)) {
    p.add(
      join(path, "threshold"),
      `${JSON.stringify(thresholdRaw)} is not allowed; a number the statistic is compared with`,
    );
  }
  const comparisonOperator = oneOf(
    p,
    join(path, "comparisonOperator"),
    raw.comparisonOperator,
    ALARM_COMPARISONS,
    "GreaterThanOrEqualToThreshold",
  );
  const period = requiredWholeNumber(p, join(path, "period"), raw.period, {
    min: 10,
    fallback: 60,
    allowed: "a whole number of seconds: 10, 20, 30 or a multiple of 60",
  });
  const periodProblem = alarmPeriodProblem(period);
  if (periodProblem) p.add(join(path, "period"), periodProblem);
  const evaluationPeriods = requiredWholeNumber(
    p,
    join(path, "evaluationPeriods"),
    raw.evaluationPeriods,
    {
      min: 1,
      fallback: 1,
      allowed: "a whole number >= 1 (how many periods are evaluated)",
    },
  );
  // CloudWatch: period × evaluation periods may span at most one day.
  if (period * evaluationPeriods > 86400) {
    p.add(
      join(path, "evaluationPeriods"),
      `${evaluationPeriods} periods of ${period} s span more than one day (86400 s), which CloudWatch refuses`,
    );
  }
  const datapointsToAlarm = wholeNumber(p, join(path, "datapointsToAlarm"), raw.datapointsToAlarm, {
    min: 1,
    max: evaluationPeriods,
    fallback: evaluationPeriods,
    allowed: `a whole number from 1 to evaluationPeriods (${evaluationPeriods}); default evaluationPeriods`,
  });
  const treatMissingData = oneOf(
    p,
    join(path, "treatMissingData"),
    raw.treatMissingData,
    ALARM_MISSING_DATA,
    "notBreaching",
  );
  const alarmActions = arnList(p, join(path, "alarmActions"), raw.alarmActions);
  if (raw.alarmActions === undefined) {
    p.add(
      join(path, "alarmActions"),
      "is required: the ARNs to notify (an SNS topic), or [] to only record the alarm",
    );
  }
  const okActions = arnList(p, join(path, "okActions"), raw.okActions);
  return {
    namespace,
    metricName,
    dimensions: plain(dimensions),
    statistic,
    threshold: threshold as number,
    comparisonOperator,
    period,
    evaluationPeriods,
    datapointsToAlarm,
    treatMissingData,
    alarmActions,
    okActions,
  };
}

/**
 * A canary needs a Deployment to split (CronJobs always run the active version), a replica
 * count that leaves a pod on each track, and one canary per Deployment at a time (two would
 * make a failure impossible to attribute).
 */
function checkCanaries(
  p: Problems,
  secrets: readonly SecretSpec<unknown>[],
  workloads: readonly WorkloadSpec[],
  allWorkloads: readonly string[],
): void {
  // A workload that failed validation is not in `workloads`: skip the cross-checks then.
  if (workloads.length < allWorkloads.length) return;
  for (const secret of secrets) {
    if (!secret.canary) continue;
    const path = join(join("secrets", secret.name), "canary");
    const linked = workloads.filter(
      (w): w is DeploymentSpec => w.kind === "Deployment" && w.secrets.includes(secret.name),
    );
    if (linked.length === 0) {
      p.add(
        path,
        `no Deployment uses "${secret.name}", so no pod could run the canary (CronJobs always run the active version)`,
      );
    }
    for (const deployment of linked) {
      const problem = canarySplitProblem(deployment.replicas, secret.canary.percent);
      if (problem) p.add(join(path, "percent"), `workload "${deployment.name}" ${problem}`);
      const canaryName = canaryWorkloadName(deployment.name);
      if (allWorkloads.includes(canaryName)) {
        p.add(
          join("workloads", canaryName),
          `"${canaryName}" is the name of the canary Deployment of "${deployment.name}"; rename this workload`,
        );
      }
    }
  }
  for (const workload of workloads) {
    if (workload.kind !== "Deployment") continue;
    const canaried = workload.secrets.filter((s) => secrets.find((x) => x.name === s)?.canary);
    if (canaried.length > 1) {
      p.add(
        join(join("workloads", workload.name), "secrets"),
        `links ${list(canaried)}, which both run a canary; canary one secret of a Deployment at a time`,
      );
    }
  }
}

/** The staging gate; its overrides must name a listed version of a secret, with a reason. */
function parsePromotion(
  p: Problems,
  value: unknown,
  stack: string,
  secrets: readonly SecretSpec<unknown>[],
  secretNames: ReadonlySet<string>,
): PromotionSpec | undefined {
  const path = "promotion";
  const raw = objectField(p, path, value, "an object { fromStack, soakHours, override }");
  if (!raw) return undefined;
  checkFields(p, path, raw, PROMOTION_FIELDS);
  let fromStack = "";
  if (typeof raw.fromStack !== "string") {
    p.add(
      join(path, "fromStack"),
      "is required: the stack that runs every version first, as <organization>/<project>/<stack>",
    );
  } else {
    fromStack = raw.fromStack;
    const problem = stackReferenceProblem(fromStack);
    if (problem) p.add(join(path, "fromStack"), problem);
    else if (fromStack === stack || fromStack.endsWith(`/${stack}`)) {
      p.add(
        join(path, "fromStack"),
        `"${fromStack}" is this stack; the gate reads another stack (staging)`,
      );
    }
  }
  const soakHours = wholeNumber(p, join(path, "soakHours"), raw.soakHours, {
    min: 0,
    max: MAX_SOAK_HOURS,
    fallback: DEFAULT_SOAK_HOURS,
    allowed: `a whole number of hours from 0 to ${MAX_SOAK_HOURS} (default ${DEFAULT_SOAK_HOURS})`,
  });
  const overrideRaw =
    objectField(
      p,
      join(path, "override"),
      raw.override,
      "a map of secret name to { version, reason }",
    ) ?? {};
  const override = dict<PromotionOverride>();
  for (const name of Object.keys(overrideRaw).sort()) {
    const entryPath = join(join(path, "override"), name);
    const entry = objectField(p, entryPath, overrideRaw[name], "an object { version, reason }");
    if (!entry) continue;
    checkFields(p, entryPath, entry, OVERRIDE_FIELDS);
    if (!secretNames.has(name)) {
      p.add(
        entryPath,
        `"${name}" is not a secret of this stack; defined: ${list([...secretNames].sort()) || "none"}`,
      );
    }
    const ids = secrets.find((s) => s.name === name)?.versions.map((v) => v.id) ?? [];
    const version = normalizeVersionId(entry.version);
    if (version === undefined || (secretNames.has(name) && !ids.includes(version))) {
      p.add(
        join(entryPath, "version"),
        `${JSON.stringify(entry.version)} is not among the versions of "${name}"; listed: ${list(ids) || "none"}`,
      );
    }
    const reason = typeof entry.reason === "string" ? entry.reason.trim() : "";
    if (reason === "") {
      p.add(
        join(entryPath, "reason"),
        "is required: why this version skips the staging gate (it is logged on every pulumi up)",
      );
    }
    if (version !== undefined) override[name] = { version, reason };
  }
  return { fromStack, soakHours, override };
}

function parseGenerate(p: Problems, path: string, value: unknown): Record<string, GenerateSpec> {
  const raw = objectField(p, path, value, "a map of key to { length, special }");
  const generate = dict<GenerateSpec>();
  for (const key of Object.keys(raw ?? {}).sort()) {
    const keyPath = join(path, key);
    const keyProblem = secretKeyProblem(key);
    if (keyProblem) p.add(keyPath, `the key ${keyProblem}`);
    const spec = objectField(p, keyPath, raw![key], "an object { length, special }") ?? {};
    checkFields(p, keyPath, spec, GENERATE_FIELDS);
    const length = wholeNumber(p, join(keyPath, "length"), spec.length, {
      min: 16,
      max: 4096,
      fallback: DEFAULT_GENERATE_LENGTH,
      allowed: `a whole number from 16 to 4096 (default ${DEFAULT_GENERATE_LENGTH})`,
    });
    if (spec.special !== undefined && typeof spec.special !== "boolean") {
      p.add(join(keyPath, "special"), "must be true or false (default false)");
    }
    generate[key] = { length, special: spec.special === true };
  }
  return generate;
}

/**
 * A one-way digest of what a version stores: its configured values and the names of its
 * generated keys (adding one would change the stored data too). Stack outputs keep it as a
 * secret, so the next update can refuse an edited version before either store changes; the
 * secret name and version id salt it, so equal values in two versions digest differently.
 */
export function versionFingerprint(
  secret: string,
  version: string,
  values: Readonly<Record<string, string>>,
  generatedKeys: readonly string[],
): string {
  const entries = Object.keys(values)
    .sort()
    .map((k) => [k, values[k]]);
  const payload = JSON.stringify([secret, version, entries, [...generatedKeys].sort()]);
  return `sha256:${createHash("sha256").update(payload).digest("hex")}`;
}

function parseVersions<V>(
  p: Problems,
  path: string,
  value: unknown,
  generate: Record<string, GenerateSpec>,
  ctx: SecretContext<V> & { secret: string },
): VersionSpec<V>[] {
  const raw = objectField(p, path, value, "a map of version id (YYYYMMDDHHMMSS) to its values");
  if (!raw || Object.keys(raw).length === 0) {
    p.add(path, "must list at least one version: a map of version id (YYYYMMDDHHMMSS) to values");
    return [];
  }
  const versions: VersionSpec<V>[] = [];
  for (const id of Object.keys(raw).sort(compareVersionIds)) {
    const versionPath = join(path, id);
    const idProblem = versionIdProblem(id, ctx.now);
    if (idProblem) p.add(versionPath, idProblem);
    const valuesRaw = objectField(p, versionPath, raw[id], "a map of key to value") ?? {};
    const values = dict<V>();
    const texts = dict<string>();
    for (const key of Object.keys(valuesRaw).sort()) {
      const keyPath = join(versionPath, key);
      const keyProblem = secretKeyProblem(key);
      if (keyProblem) p.add(keyPath, `the key ${keyProblem}`);
      if (Object.hasOwn(generate, key)) {
        p.add(keyPath, "is generated (listed under generate); remove it from the version");
        continue;
      }
      const text = scalarText(valuesRaw[key]);
      if (text === undefined) {
        p.add(
          keyPath,
          // Property paths need brackets for a segment that starts with a digit.
          `must be a string; set it with: pulumi config set --secret --path '${CONFIG_NAMESPACE}:${path}["${id}"].${key}' <value>`,
        );
        continue;
      }
      texts[key] = text;
      values[key] = ctx.wrapValue(text);
    }
    if (!idProblem) {
      const fingerprint = versionFingerprint(ctx.secret, id, texts, Object.keys(generate));
      versions.push({ id, values, fingerprint });
    }
  }
  // A changed key set between two versions is the classic rotation outage (a consumer reads a
  // key the new version no longer has): refuse it and name the keys.
  for (let i = 1; i < versions.length; i++) {
    const older = Object.keys(versions[i - 1].values);
    const newer = Object.keys(versions[i].values);
    const added = newer.filter((k) => !older.includes(k));
    const missing = older.filter((k) => !newer.includes(k));
    if (added.length > 0 || missing.length > 0) {
      const parts = [
        added.length > 0 ? `adds ${list(added)}` : "",
        missing.length > 0 ? `is missing ${list(missing)}` : "",
      ].filter(Boolean);
      p.add(
        join(path, versions[i].id),
        `${parts.join(" and ")} compared with version ${versions[i - 1].id}; every version of a secret must have the same keys`,
      );
    }
  }
  return versions;
}

function parseWorkload(
  p: Problems,
  name: string,
  value: unknown,
  secretNames: ReadonlySet<string>,
  secretKeys: ReadonlyMap<string, readonly string[]>,
): WorkloadSpec | undefined {
  const path = join("workloads", name);
  const before = p.list.length;
  const raw = objectField(p, path, value, "an object with kind, image and secrets");
  if (!raw) {
    if (value === undefined || value === null) p.add(path, "must have kind, image and secrets");
    return undefined;
  }
  const kind = raw.kind;
  if (kind !== "Deployment" && kind !== "CronJob") {
    p.add(
      join(path, "kind"),
      `${JSON.stringify(kind)} is not allowed; allowed: Deployment, CronJob`,
    );
    return undefined;
  }
  checkFields(p, path, raw, WORKLOAD_FIELDS[kind]);

  const nameProblem =
    kind === "Deployment" && raw.port !== undefined
      ? dns1035LabelProblem(name)
      : (dns1123LabelProblem(name) ?? (kind === "CronJob" ? cronJobNameProblem(name) : undefined));
  if (nameProblem) p.add(path, `the workload name ${nameProblem}`);
  if (typeof raw.image !== "string" || raw.image.trim() === "") {
    p.add(join(path, "image"), "is required: a container image reference");
  }

  const secrets = stringArray(p, join(path, "secrets"), raw.secrets ?? []) ?? [];
  secrets.forEach((secret, i) => {
    if (!secretNames.has(secret)) {
      p.add(
        join(path, `secrets[${i}]`),
        `"${secret}" is not a secret of this stack; defined: ${list([...secretNames].sort()) || "none"}`,
      );
    } else if (secrets.indexOf(secret) !== i) {
      p.add(join(path, `secrets[${i}]`), `"${secret}" is listed twice`);
    }
  });

  const env = parseEnv(p, join(path, "env"), raw.env);
  checkVariableCollisions(p, path, secrets, env, secretKeys);

  const common = {
    name,
    image: String(raw.image),
    secrets,
    ...optionalList(p, path, raw, "command"),
    ...optionalList(p, path, raw, "args"),
    env,
    ...parseResources(p, join(path, "resources"), raw.resources),
  };

  let workload: WorkloadSpec;
  if (kind === "CronJob") {
    const schedule = raw.schedule;
    if (typeof schedule !== "string") {
      p.add(
        join(path, "schedule"),
        'is required for a CronJob: a cron schedule such as "0 3 * * 1"',
      );
    } else {
      const problem = cronScheduleProblem(schedule);
      if (problem) p.add(join(path, "schedule"), `"${schedule}" ${problem}`);
    }
    workload = { ...common, kind, schedule: String(schedule) };
  } else {
    const replicas = wholeNumber(p, join(path, "replicas"), raw.replicas, {
      min: 0,
      max: INT32_MAX,
      fallback: 1,
      allowed: `a whole number from 0 to ${INT32_MAX} (an int32 field; default 1)`,
    });
    const minReadySeconds = wholeNumber(p, join(path, "minReadySeconds"), raw.minReadySeconds, {
      min: 0,
      max: INT32_MAX,
      fallback: DEFAULT_MIN_READY_SECONDS,
      allowed: `a whole number of seconds from 0 to ${INT32_MAX} (an int32 field; default ${DEFAULT_MIN_READY_SECONDS})`,
    });
    const progressDeadlineSeconds = wholeNumber(
      p,
      join(path, "progressDeadlineSeconds"),
      raw.progressDeadlineSeconds,
      {
        min: 1,
        max: INT32_MAX,
        fallback: DEFAULT_PROGRESS_DEADLINE_SECONDS,
        allowed: `a whole number of seconds from 1 to ${INT32_MAX} (an int32 field; default ${DEFAULT_PROGRESS_DEADLINE_SECONDS})`,
      },
    );
    // Kubernetes refuses a deadline that a pod could not meet even when healthy.
    if (progressDeadlineSeconds <= minReadySeconds) {
      p.add(
        join(path, "progressDeadlineSeconds"),
        `${progressDeadlineSeconds} must be greater than minReadySeconds (${minReadySeconds})`,
      );
    }
    const deployment: DeploymentSpec = {
      ...common,
      kind,
      replicas,
      rollout: parseRollout(p, join(path, "rollout"), raw.rollout),
      minReadySeconds,
      progressDeadlineSeconds,
    };
    if (raw.port !== undefined) {
      deployment.port = wholeNumber(p, join(path, "port"), raw.port, {
        min: 1,
        max: 65535,
        fallback: 1,
        allowed: "a whole number from 1 to 65535 (the container port the Service targets)",
      });
    }
    workload = deployment;
  }
  return p.list.length > before ? undefined : workload;
}

/**
 * In one container every secret key becomes a variable: a key two linked secrets share, or a
 * plain `env` entry with a secret key's name, would make one value silently replace another.
 */
function checkVariableCollisions(
  p: Problems,
  path: string,
  secrets: readonly string[],
  env: Readonly<Record<string, string>>,
  secretKeys: ReadonlyMap<string, readonly string[]>,
): void {
  const owner = new Map<string, string>();
  secrets.forEach((secret, i) => {
    for (const key of secretKeys.get(secret) ?? []) {
      const earlier = owner.get(key);
      if (earlier === undefined) owner.set(key, secret);
      else if (earlier !== secret) {
        p.add(
          join(path, `secrets[${i}]`),
          `"${secret}" and "${earlier}" both have the key ${key}; in one container one value would silently replace the other`,
        );
      }
    }
  });
  for (const name of Object.keys(env)) {
    const secret = owner.get(name);
    if (secret !== undefined) {
      p.add(
        join(join(path, "env"), name),
        `has the name of a key of secret "${secret}"; the plain value would replace the secret value`,
      );
    }
  }
}

function optionalList(
  p: Problems,
  path: string,
  raw: Raw,
  field: "command" | "args",
): Partial<Record<"command" | "args", string[]>> {
  const items = stringArray(p, join(path, field), raw[field]);
  return items ? { [field]: items } : {};
}

function parseEnv(p: Problems, path: string, value: unknown): Record<string, string> {
  const raw = objectField(p, path, value, "a map of variable name to plain value");
  const env = dict<string>();
  for (const name of Object.keys(raw ?? {}).sort()) {
    const problem = envVarNameProblem(name);
    if (problem) p.add(join(path, name), `the name ${problem}`);
    const text = scalarText(raw![name]);
    if (text === undefined) p.add(join(path, name), "must be a string, number or boolean");
    else env[name] = text;
  }
  return env;
}

function parseResources(p: Problems, path: string, value: unknown): { resources?: ResourcesSpec } {
  const raw = objectField(p, path, value, "an object with requests and/or limits");
  if (!raw) return {};
  checkFields(p, path, raw, RESOURCES_FIELDS);
  const resources: ResourcesSpec = {};
  for (const section of ["requests", "limits"] as const) {
    const sectionPath = join(path, section);
    const sectionRaw = objectField(p, sectionPath, raw[section], "a map such as { cpu, memory }");
    if (!sectionRaw) continue;
    checkFields(p, sectionPath, sectionRaw, RESOURCE_NAMES);
    const quantities = dict<string>();
    for (const resource of Object.keys(sectionRaw).sort()) {
      const text = scalarText(sectionRaw[resource]);
      const problem = text === undefined ? "must be a quantity" : quantityProblem(text);
      if (problem) p.add(join(sectionPath, resource), problem);
      else quantities[resource] = text!;
    }
    resources[section] = plain(quantities);
  }
  // The API server refuses a container whose request exceeds its limit (Kubernetes
  // pkg/apis/core/validation/validation.go, ValidateResourceRequirements).
  for (const name of Object.keys(resources.requests ?? {})) {
    const request = resources.requests![name];
    const limit = resources.limits?.[name];
    if (limit !== undefined && quantityValue(request) > quantityValue(limit)) {
      p.add(
        join(join(path, "requests"), name),
        `${request} is more than the ${name} limit ${limit}; Kubernetes requires a request less than or equal to its limit`,
      );
    }
  }
  return { resources };
}

/** maxUnavailable/maxSurge: a whole number, or a percentage such as "25%". */
function parseRollout(p: Problems, path: string, value: unknown): RolloutSpec {
  const raw = objectField(p, path, value, "an object { maxUnavailable, maxSurge }");
  if (!raw) return { ...DEFAULT_ROLLOUT };
  checkFields(p, path, raw, ROLLOUT_FIELDS);
  const rollout = { ...DEFAULT_ROLLOUT };
  for (const field of ["maxUnavailable", "maxSurge"] as const) {
    const v = raw[field];
    if (v === undefined || v === null) continue;
    const valid =
      (typeof v === "number" && Number.isSafeInteger(v) && v >= 0 && v <= INT32_MAX) ||
      (typeof v === "string" && /^(100|[1-9]?\d)%$/.test(v));
    if (!valid) {
      p.add(
        join(path, field),
        `${JSON.stringify(v)} is not allowed; a whole number from 0 to ${INT32_MAX} (an int32 field) or a percentage such as "25%" (default ${DEFAULT_ROLLOUT[field]})`,
      );
    } else {
      rollout[field] = v;
    }
  }
  const zero = (v: number | string) => v === 0 || v === "0%";
  if (zero(rollout.maxUnavailable) && zero(rollout.maxSurge)) {
    p.add(path, "maxUnavailable and maxSurge cannot both be 0 (the rollout could never progress)");
  }
  return rollout;
}
