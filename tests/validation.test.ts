/**
 * Every bad input is refused before the first resource: one error that names the stack and
 * each field path with what is allowed, and nothing declared, so `pulumi up` changes nothing.
 */
import { strict as assert } from "assert";
import { parseStackConfig } from "../config/parse";
import { awsSecretNameProblem } from "../config/rules";
import { versionIdToDate } from "../plan/lifecycle";
import {
  TestConfig,
  assertRefused,
  baseConfig,
  declare,
  goodMonitor,
  secretOf,
  workloadOf,
} from "./helpers";

/** A case: how to break the base config, the path the error must name, words it must say. */
interface BadInput {
  name: string;
  edit: (config: TestConfig) => void;
  path: string;
  says: string[];
  stack?: string;
}

const auth = (c: TestConfig) => secretOf(c);
const service = (c: TestConfig) => workloadOf(c, "auth-service");
const job = (c: TestConfig) => workloadOf(c, "token-refresh");

const STAGING = "acme/secret-rotation/staging";

const badInputs: BadInput[] = [
  // The stack
  {
    name: "an unknown environment",
    edit: (c) => (c.environment = "prod"),
    path: "environment",
    says: ['"prod" is not an environment', "dev, staging, production"],
  },
  {
    name: "a stack name that is no environment, with none set",
    edit: () => undefined,
    stack: "qa",
    path: "environment",
    says: ['the stack name "qa"', "dev, staging, production"],
  },
  {
    name: "a top-level typo",
    edit: (c) => (c.retentionDay = 7),
    path: "retentionDay",
    says: ["unknown field", "retentionDays"],
  },
  {
    name: "a namespace that is not a DNS-1123 label",
    edit: (c) => (c.namespace = "Prod_NS"),
    path: "namespace",
    says: ["DNS-1123 label"],
  },
  {
    name: "retentionDays of zero",
    edit: (c) => (c.retentionDays = 0),
    path: "retentionDays",
    says: ["whole number of days from 1 to 3650"],
  },
  {
    name: "retentionDays that is not whole",
    edit: (c) => (c.retentionDays = "1.5"),
    path: "retentionDays",
    says: ["whole number of days from 1 to 3650"],
  },
  {
    name: "retentionDays with spaces, which Pulumi's type: integer refuses",
    edit: (c) => (c.retentionDays = " 7 "),
    path: "retentionDays",
    says: ['" 7 " is not allowed', "declares secret-rotation:retentionDays as type integer"],
  },
  {
    name: "retentionDays set to the empty text, which Pulumi's type: integer refuses",
    edit: (c) => (c.retentionDays = ""),
    path: "retentionDays",
    says: ['"" is not allowed', "type integer"],
  },
  {
    name: "a recovery window written in hex, which Pulumi's type: integer refuses",
    edit: (c) => (c.awsRecoveryWindowDays = "0x10"),
    path: "awsRecoveryWindowDays",
    says: [
      '"0x10" is not allowed',
      "declares secret-rotation:awsRecoveryWindowDays as type integer",
    ],
  },
  {
    name: "a recovery window AWS refuses",
    edit: (c) => (c.awsRecoveryWindowDays = 3),
    path: "awsRecoveryWindowDays",
    says: ["0 (delete at once) or a whole number of days from 7 to 30"],
  },
  {
    name: "a KMS key that is none",
    edit: (c) => (c.awsKmsKeyId = "my-key"),
    path: "awsKmsKeyId",
    says: ["is not a KMS key", "alias/<name>"],
  },
  // Secrets
  {
    name: "a typo in a secret",
    edit: (c) => (auth(c).retentiondays = 3),
    path: "secrets.auth-api-secrets.retentiondays",
    says: [
      "unknown field",
      "allowed: active, canary, delivery, generate, keep, monitor, retentionDays, versions",
    ],
  },
  {
    name: "a per-secret retention that is not a whole number >= 1",
    edit: (c) => (auth(c).retentionDays = -2),
    path: "secrets.auth-api-secrets.retentionDays",
    says: ["whole number of days from 1 to 3650"],
  },
  {
    name: "a version id that is not 14 digits",
    edit: (c) => (auth(c).versions["2025072311"] = { api_token: "x" }),
    path: "secrets.auth-api-secrets.versions.2025072311",
    says: ["YYYYMMDDHHMMSS (14 digits)"],
  },
  {
    name: "a version id that is no real date",
    edit: (c) => (auth(c).versions["20251340110000"] = { api_token: "x" }),
    path: "secrets.auth-api-secrets.versions.20251340110000",
    says: ["not a real UTC date-time"],
  },
  {
    name: "a version id in the future",
    edit: (c) => (auth(c).versions["20250724001000"] = { api_token: "x" }),
    path: "secrets.auth-api-secrets.versions.20250724001000",
    says: ["in the future", "at most 5 minutes ahead"],
  },
  {
    name: "no versions",
    edit: (c) => (auth(c).versions = {}),
    path: "secrets.auth-api-secrets.versions",
    says: ["at least one version"],
  },
  {
    name: "an active version that is not listed",
    edit: (c) => (auth(c).active = "20250723110001"),
    path: "secrets.auth-api-secrets.active",
    says: ["not among the versions", "20250701090000, 20250715100000, 20250723110000"],
  },
  {
    name: "no active version",
    edit: (c) => delete auth(c).active,
    path: "secrets.auth-api-secrets.active",
    says: ["is required"],
  },
  {
    name: "a pinned version that is not listed",
    edit: (c) => (auth(c).keep = ["20250101000000"]),
    path: "secrets.auth-api-secrets.keep[0]",
    says: ["not among the versions"],
  },
  {
    name: "a version that adds a key",
    edit: (c) => (auth(c).versions["20250723110000"].api_secret = "s"),
    path: "secrets.auth-api-secrets.versions.20250723110000",
    says: ["adds api_secret", "compared with version 20250715100000", "same keys"],
  },
  {
    name: "a version that drops a key",
    edit: (c) => {
      auth(c).versions["20250715100000"] = { api_token: "a", api_secret: "b" };
      auth(c).versions["20250701090000"] = { api_token: "a", api_secret: "b" };
    },
    path: "secrets.auth-api-secrets.versions.20250723110000",
    says: ["is missing api_secret"],
  },
  {
    name: "a key Kubernetes refuses",
    edit: (c) => {
      for (const v of Object.values<Record<string, string>>(auth(c).versions)) {
        v["api token!"] = "x";
      }
    },
    path: "secrets.auth-api-secrets.versions.20250701090000.api token!",
    says: ["not a valid Kubernetes Secret key"],
  },
  {
    name: "a value that is not a string",
    edit: (c) => (auth(c).versions["20250723110000"].api_token = { nested: true }),
    path: "secrets.auth-api-secrets.versions.20250723110000.api_token",
    says: ["must be a string", "pulumi config set --secret --path"],
  },
  {
    name: "a key that is both generated and given",
    edit: (c) => (auth(c).generate = { api_token: { length: 32 } }),
    path: "secrets.auth-api-secrets.versions.20250701090000.api_token",
    says: ["is generated"],
  },
  {
    name: "a generated length out of range",
    edit: (c) => (auth(c).generate = { signing_key: { length: 8 } }),
    path: "secrets.auth-api-secrets.generate.signing_key.length",
    says: ["from 16 to 4096"],
  },
  {
    name: "a typo in a generator",
    edit: (c) => (auth(c).generate = { signing_key: { lenght: 64 } }),
    path: "secrets.auth-api-secrets.generate.signing_key.lenght",
    says: ["unknown field", "length, special"],
  },
  {
    name: "a secret name that is not DNS-1123",
    edit: (c) => {
      (c.secrets as Record<string, unknown>).Auth_Secrets = auth(c);
      delete (c.secrets as Record<string, unknown>)["auth-api-secrets"];
      service(c).secrets = ["Auth_Secrets"];
      job(c).secrets = ["Auth_Secrets"];
    },
    path: "secrets.Auth_Secrets",
    says: ["DNS-1123 subdomain"],
  },
  {
    name: "a secret name too long for a label (and for <name>-<version>)",
    edit: (c) => {
      const long = "a".repeat(64);
      (c.secrets as Record<string, unknown>)[long] = auth(c);
      service(c).secrets.push(long);
    },
    path: `secrets.${"a".repeat(64)}`,
    says: ["at most 63"],
  },
  // Workloads
  {
    name: "an unknown workload kind",
    edit: (c) => (service(c).kind = "StatefulSet"),
    path: "workloads.auth-service.kind",
    says: ['"StatefulSet" is not allowed', "Deployment, CronJob"],
  },
  {
    name: "a typo in a workload",
    edit: (c) => (service(c).replica = 2),
    path: "workloads.auth-service.replica",
    says: ["unknown field", "replicas"],
  },
  {
    name: "a CronJob field on a Deployment",
    edit: (c) => (service(c).schedule = "0 3 * * 1"),
    path: "workloads.auth-service.schedule",
    says: ["unknown field"],
  },
  {
    name: "a CronJob without a schedule",
    edit: (c) => delete job(c).schedule,
    path: "workloads.token-refresh.schedule",
    says: ["is required for a CronJob"],
  },
  {
    name: "a CronJob with an invalid schedule",
    edit: (c) => (job(c).schedule = "0 25 * * 1"),
    path: "workloads.token-refresh.schedule",
    says: ['"0 25 * * 1"', "five fields"],
  },
  {
    name: "a CronJob with a seconds field",
    edit: (c) => (job(c).schedule = "0 0 3 * * 1"),
    path: "workloads.token-refresh.schedule",
    says: ["five fields"],
  },
  {
    name: "a CronJob schedule with day-of-week 7 (robfig/cron v3.0.1 spec.go dow 0-6)",
    edit: (c) => (job(c).schedule = "0 3 * * 7"),
    path: "workloads.token-refresh.schedule",
    says: ['"0 3 * * 7"', "end of range (7) above maximum (6)", "day-of-week 0-6"],
  },
  {
    name: "a CronJob schedule with a day-of-week range ending at 7",
    edit: (c) => (job(c).schedule = "0 3 * * 1-7"),
    path: "workloads.token-refresh.schedule",
    says: ['"0 3 * * 1-7"', "end of range (7) above maximum (6)", "day-of-week 0-6"],
  },
  {
    name: "a CronJob schedule with a day-of-week range 0-7",
    edit: (c) => (job(c).schedule = "0 3 * * 0-7"),
    path: "workloads.token-refresh.schedule",
    says: ['"0 3 * * 0-7"', "end of range (7) above maximum (6)", "day-of-week 0-6"],
  },
  {
    name: "a CronJob schedule with a day-of-week list with 7",
    edit: (c) => (job(c).schedule = "0 3 * * 1,7"),
    path: "workloads.token-refresh.schedule",
    says: ['"0 3 * * 1,7"', "end of range (7) above maximum (6)", "day-of-week 0-6"],
  },
  {
    name: "a CronJob schedule with a Quartz L",
    edit: (c) => (job(c).schedule = "0 3 L * *"),
    path: "workloads.token-refresh.schedule",
    says: ['"0 3 L * *"', "failed to parse int from L", "day-of-week 0-6"],
  },
  {
    name: "a CronJob schedule with a Quartz #",
    edit: (c) => (job(c).schedule = "0 3 * * 1#2"),
    path: "workloads.token-refresh.schedule",
    says: ['"0 3 * * 1#2"', "failed to parse int from 1#2", "day-of-week 0-6"],
  },
  {
    name: "a CronJob schedule with a Jenkins H",
    edit: (c) => (job(c).schedule = "H 3 * * *"),
    path: "workloads.token-refresh.schedule",
    says: ['"H 3 * * *"', "failed to parse int from H", "day-of-week 0-6"],
  },
  {
    name: "a CronJob schedule with @minutely (parser.go parseDescriptor)",
    edit: (c) => (job(c).schedule = "@minutely"),
    path: "workloads.token-refresh.schedule",
    says: ['"@minutely"', "unrecognized descriptor", "day-of-week 0-6"],
  },
  {
    name: "a CronJob schedule with @weekdays",
    edit: (c) => (job(c).schedule = "@weekdays"),
    path: "workloads.token-refresh.schedule",
    says: ['"@weekdays"', "unrecognized descriptor", "day-of-week 0-6"],
  },
  {
    name: "a CronJob schedule with @weekends",
    edit: (c) => (job(c).schedule = "@weekends"),
    path: "workloads.token-refresh.schedule",
    says: ['"@weekends"', "unrecognized descriptor", "day-of-week 0-6"],
  },
  {
    name: "a CronJob schedule with @secondly",
    edit: (c) => (job(c).schedule = "@secondly"),
    path: "workloads.token-refresh.schedule",
    says: ['"@secondly"', "unrecognized descriptor", "day-of-week 0-6"],
  },
  {
    name: "a CronJob schedule with a descriptor with a leading blank",
    edit: (c) => (job(c).schedule = "  @daily"),
    path: "workloads.token-refresh.schedule",
    says: ['"  @daily"', "expected exactly 5 fields, found 1", "day-of-week 0-6"],
  },
  {
    name: "a CronJob schedule with a descriptor with a trailing blank",
    edit: (c) => (job(c).schedule = "@daily "),
    path: "workloads.token-refresh.schedule",
    says: ['"@daily "', "unrecognized descriptor", "day-of-week 0-6"],
  },
  {
    name: "a CronJob schedule with a TZ= prefix (validation.go validateScheduleFormat)",
    edit: (c) => (job(c).schedule = "TZ=UTC 0 3 * * *"),
    path: "workloads.token-refresh.schedule",
    says: ['"TZ=UTC 0 3 * * *"', "cannot use TZ or CRON_TZ in schedule", "day-of-week 0-6"],
  },
  {
    name: "a link to an unknown secret",
    edit: (c) => service(c).secrets.push("payments-db"),
    path: "workloads.auth-service.secrets[1]",
    says: ['"payments-db" is not a secret of this stack', "auth-api-secrets"],
  },
  {
    name: "a secret linked twice",
    edit: (c) => service(c).secrets.push("auth-api-secrets"),
    path: "workloads.auth-service.secrets[1]",
    says: ["listed twice"],
  },
  {
    name: "negative replicas",
    edit: (c) => (service(c).replicas = -1),
    path: "workloads.auth-service.replicas",
    says: ["whole number from 0 to 2147483647"],
  },
  {
    name: "fractional replicas",
    edit: (c) => (service(c).replicas = 2.5),
    path: "workloads.auth-service.replicas",
    says: ["whole number from 0 to 2147483647"],
  },
  {
    name: "no image",
    edit: (c) => delete service(c).image,
    path: "workloads.auth-service.image",
    says: ["is required"],
  },
  {
    name: "a port out of range",
    edit: (c) => (service(c).port = 70000),
    path: "workloads.auth-service.port",
    says: ["1 to 65535"],
  },
  {
    name: "a rollout that could never progress",
    edit: (c) => (service(c).rollout = { maxUnavailable: 0, maxSurge: "0%" }),
    path: "workloads.auth-service.rollout",
    says: ["cannot both be 0"],
  },
  {
    name: "a maxUnavailable above 100%",
    edit: (c) => (service(c).rollout = { maxUnavailable: "150%" }),
    path: "workloads.auth-service.rollout.maxUnavailable",
    says: ["at most 100%"],
  },
  {
    name: "a rollout value that is neither a count nor a percentage",
    edit: (c) => (service(c).rollout = { maxSurge: "lots" }),
    path: "workloads.auth-service.rollout.maxSurge",
    says: ['percentage such as "25%"'],
  },
  {
    name: "an env name Kubernetes refuses",
    edit: (c) => (service(c).env = { "1LOG": "x" }),
    path: "workloads.auth-service.env.1LOG",
    says: ["not a valid environment variable name"],
  },
  {
    name: "a plain env variable named like a secret key",
    edit: (c) => (service(c).env = { api_token: "plain" }),
    path: "workloads.auth-service.env.api_token",
    says: ['key of secret "auth-api-secrets"', "would replace the secret value"],
  },
  {
    name: "two linked secrets with the same key",
    edit: (c) => {
      (c.secrets as Record<string, unknown>)["other-api"] = {
        active: "20250701090000",
        versions: { "20250701090000": { api_token: "o1" } },
      };
      service(c).secrets.push("other-api");
    },
    path: "workloads.auth-service.secrets[1]",
    says: ['"other-api" and "auth-api-secrets" both have the key api_token'],
  },
  {
    name: "a resource quantity that is not one",
    edit: (c) => (service(c).resources = { limits: { memory: "lots" } }),
    path: "workloads.auth-service.resources.limits.memory",
    says: ["not a Kubernetes quantity"],
  },
  {
    name: "a workload name that is not a DNS-1123 label",
    edit: (c) => {
      (c.workloads as Record<string, unknown>).Auth_Service = service(c);
      delete (c.workloads as Record<string, unknown>)["auth-service"];
    },
    path: "workloads.Auth_Service",
    says: ["DNS-1035 label"],
  },
  // Rollout knobs
  {
    name: "a negative minReadySeconds",
    edit: (c) => (service(c).minReadySeconds = -1),
    path: "workloads.auth-service.minReadySeconds",
    says: ["whole number of seconds from 0 to 2147483647"],
  },
  {
    name: "a progress deadline no longer than minReadySeconds",
    edit: (c) => {
      service(c).minReadySeconds = 60;
      service(c).progressDeadlineSeconds = 60;
    },
    path: "workloads.auth-service.progressDeadlineSeconds",
    says: ["must be greater than minReadySeconds (60)"],
  },
  {
    name: "a rollout knob on a CronJob",
    edit: (c) => (job(c).minReadySeconds = 10),
    path: "workloads.token-refresh.minReadySeconds",
    says: ["unknown field"],
  },
  // Canary
  {
    name: "a canary of an unknown version",
    edit: (c) => (auth(c).canary = { version: "20250801000000", percent: 10 }),
    path: "secrets.auth-api-secrets.canary.version",
    says: ['"20250801000000" is not among the versions', "20250723110000"],
  },
  {
    name: "a canary of the active version",
    edit: (c) => (auth(c).canary = { version: "20250723110000", percent: 10 }),
    path: "secrets.auth-api-secrets.canary.version",
    says: ["is the active version"],
  },
  {
    name: "a canary percent of 0",
    edit: (c) => (auth(c).canary = { version: "20250715100000", percent: 0 }),
    path: "secrets.auth-api-secrets.canary.percent",
    says: ["from 1 to 100"],
  },
  {
    name: "a canary percent over 100",
    edit: (c) => (auth(c).canary = { version: "20250715100000", percent: 101 }),
    path: "secrets.auth-api-secrets.canary.percent",
    says: ["from 1 to 100"],
  },
  {
    name: "a canary percent that is not whole",
    edit: (c) => (auth(c).canary = { version: "20250715100000", percent: 12.5 }),
    path: "secrets.auth-api-secrets.canary.percent",
    says: ["12.5 is not allowed", "whole number"],
  },
  {
    name: "a canary without a percent",
    edit: (c) => (auth(c).canary = { version: "20250715100000" }),
    path: "secrets.auth-api-secrets.canary.percent",
    says: ["is required"],
  },
  {
    name: "a canary field typo",
    edit: (c) => (auth(c).canary = { version: "20250715100000", percent: 10, precent: 10 }),
    path: "secrets.auth-api-secrets.canary.precent",
    says: ["unknown field", "percent, version"],
  },
  {
    name: "a canary on a secret no Deployment uses",
    edit: (c) => {
      auth(c).canary = { version: "20250715100000", percent: 10 };
      service(c).secrets = [];
    },
    path: "secrets.auth-api-secrets.canary",
    says: ["no Deployment uses", "CronJobs always run the active version"],
  },
  {
    name: "a canary below 100% of a single replica",
    edit: (c) => {
      auth(c).canary = { version: "20250715100000", percent: 50 };
      service(c).replicas = 1;
    },
    path: "secrets.auth-api-secrets.canary.percent",
    says: ['workload "auth-service" has 1 replica', "replicas >= 2 or percent 100"],
  },
  {
    name: "a canary in dev",
    edit: (c) => (auth(c).canary = { version: "20250715100000", percent: 10 }),
    stack: "dev",
    path: "secrets.auth-api-secrets.canary",
    says: ["dev keeps one unversioned Secret"],
  },
  {
    name: "canaries of two secrets one Deployment links",
    edit: (c) => {
      (c.secrets as Record<string, unknown>)["payments-db"] = {
        active: "20250710000000",
        canary: { version: "20250701000000", percent: 10 },
        versions: { "20250701000000": { password: "p0" }, "20250710000000": { password: "p1" } },
      };
      auth(c).canary = { version: "20250715100000", percent: 10 };
      service(c).secrets.push("payments-db");
    },
    path: "workloads.auth-service.secrets",
    says: ["auth-api-secrets, payments-db, which both run a canary"],
  },
  {
    name: "a workload named like another's canary Deployment",
    edit: (c) => {
      auth(c).canary = { version: "20250715100000", percent: 10 };
      (c.workloads as Record<string, unknown>)["auth-service-canary"] = { ...job(c) };
    },
    path: "workloads.auth-service-canary",
    says: ['is the name of the canary Deployment of "auth-service"'],
  },
  // Monitor
  {
    name: "a monitor without a metric name",
    edit: (c) => (auth(c).monitor = { ...goodMonitor(), metricName: undefined }),
    path: "secrets.auth-api-secrets.monitor.metricName",
    says: ["is required"],
  },
  {
    name: "a monitor statistic CloudWatch does not have",
    edit: (c) => (auth(c).monitor = { ...goodMonitor(), statistic: "Mean" }),
    path: "secrets.auth-api-secrets.monitor.statistic",
    says: ['"Mean" is not allowed', "Average, Maximum, Minimum, SampleCount, Sum"],
  },
  {
    name: "a monitor period CloudWatch refuses",
    edit: (c) => (auth(c).monitor = { ...goodMonitor(), period: 45 }),
    path: "secrets.auth-api-secrets.monitor.period",
    says: ["10, 20, 30 or a multiple of 60"],
  },
  {
    name: "monitor periods under an hour spanning more than a day",
    edit: (c) => (auth(c).monitor = { ...goodMonitor(), period: 1800, evaluationPeriods: 49 }),
    path: "secrets.auth-api-secrets.monitor.evaluationPeriods",
    says: ["more than one day"],
  },
  {
    name: "monitor periods spanning more than seven days",
    edit: (c) => (auth(c).monitor = { ...goodMonitor(), period: 3600, evaluationPeriods: 169 }),
    path: "secrets.auth-api-secrets.monitor.evaluationPeriods",
    says: ["more than seven days"],
  },
  {
    name: "more datapoints to alarm than periods",
    edit: (c) => (auth(c).monitor = { ...goodMonitor(), datapointsToAlarm: 9 }),
    path: "secrets.auth-api-secrets.monitor.datapointsToAlarm",
    says: ["from 1 to evaluationPeriods (5)"],
  },
  {
    name: "a monitor threshold that is not a number",
    edit: (c) => (auth(c).monitor = { ...goodMonitor(), threshold: "high" }),
    path: "secrets.auth-api-secrets.monitor.threshold",
    says: ['"high" is not allowed'],
  },
  {
    name: "an alarm action that is not an ARN",
    edit: (c) => (auth(c).monitor = { ...goodMonitor(), alarmActions: ["oncall@example.com"] }),
    path: "secrets.auth-api-secrets.monitor.alarmActions[0]",
    says: ["is not an ARN"],
  },
  {
    name: "an alarm action whose account is not an account id",
    edit: (c) =>
      (auth(c).monitor = {
        ...goodMonitor(),
        alarmActions: ["arn:aws:sns:us-east-1:12345:oncall"],
      }),
    path: "secrets.auth-api-secrets.monitor.alarmActions[0]",
    says: ["is not an ARN", 'the account "12345"'],
  },
  {
    name: "a monitor without alarm actions",
    edit: (c) => (auth(c).monitor = { ...goodMonitor(), alarmActions: undefined }),
    path: "secrets.auth-api-secrets.monitor.alarmActions",
    says: ["is required"],
  },
  // CloudWatch PutMetricAlarm limits (terraform-provider-aws metric_alarm.go resourceMetricAlarm)
  {
    name: "a monitor namespace of 256 characters (CloudWatch: 1 to 255)",
    edit: (c) => (auth(c).monitor = { ...goodMonitor(), namespace: "N".repeat(256) }),
    path: "secrets.auth-api-secrets.monitor.namespace",
    says: ["has 256 characters", "at most 255"],
  },
  {
    name: "a monitor namespace starting with a colon (API pattern [^:].*)",
    edit: (c) => (auth(c).monitor = { ...goodMonitor(), namespace: ":Payments" }),
    path: "secrets.auth-api-secrets.monitor.namespace",
    says: ['starts with ":"'],
  },
  {
    name: "a monitor metricName of 256 characters (CloudWatch: 1 to 255)",
    edit: (c) => (auth(c).monitor = { ...goodMonitor(), metricName: "M".repeat(256) }),
    path: "secrets.auth-api-secrets.monitor.metricName",
    says: ["has 256 characters", "at most 255"],
  },
  {
    name: "a monitor dimension with an empty name",
    edit: (c) => (auth(c).monitor = { ...goodMonitor(), dimensions: { "": "x" } }),
    path: 'secrets.auth-api-secrets.monitor.dimensions[""]',
    says: ["empty dimension name", "1 to 255 characters"],
  },
  {
    name: "a monitor dimension value of 1,025 characters (CloudWatch: 1 to 1024)",
    edit: (c) =>
      (auth(c).monitor = { ...goodMonitor(), dimensions: { LoadBalancer: "v".repeat(1025) } }),
    path: "secrets.auth-api-secrets.monitor.dimensions.LoadBalancer",
    says: ["has 1025 characters", "at most 1024"],
  },
  {
    name: "a monitor field typo",
    edit: (c) => (auth(c).monitor = { ...goodMonitor(), metric: "Errors" }),
    path: "secrets.auth-api-secrets.monitor.metric",
    says: ["unknown field", "metricName"],
  },
  // Promotion
  {
    name: "a promotion without fromStack",
    edit: (c) => (c.promotion = { soakHours: 24 }),
    stack: "production",
    path: "promotion.fromStack",
    says: ["is required"],
  },
  {
    name: "a fromStack that is no stack name",
    edit: (c) => (c.promotion = { fromStack: "acme/staging" }),
    stack: "production",
    path: "promotion.fromStack",
    says: ["<organization>/<project>/<stack>"],
  },
  {
    name: "a fromStack that is this stack",
    edit: (c) => (c.promotion = { fromStack: "acme/secret-rotation/production" }),
    stack: "production",
    path: "promotion.fromStack",
    says: ["is this stack"],
  },
  {
    name: "a negative soakHours",
    edit: (c) => (c.promotion = { fromStack: STAGING, soakHours: -1 }),
    stack: "production",
    path: "promotion.soakHours",
    says: ["whole number of hours from 0 to 8760"],
  },
  {
    name: "an override without a reason",
    edit: (c) =>
      (c.promotion = {
        fromStack: STAGING,
        override: { "auth-api-secrets": { version: "20250723110000" } },
      }),
    stack: "production",
    path: "promotion.override.auth-api-secrets.reason",
    says: ["is required", "logged on every pulumi up"],
  },
  {
    name: "an override with a blank reason",
    edit: (c) =>
      (c.promotion = {
        fromStack: STAGING,
        override: { "auth-api-secrets": { version: "20250723110000", reason: "  " } },
      }),
    stack: "production",
    path: "promotion.override.auth-api-secrets.reason",
    says: ["is required"],
  },
  {
    name: "an override of an unknown secret",
    edit: (c) =>
      (c.promotion = {
        fromStack: STAGING,
        override: { "auth-api": { version: "20250723110000", reason: "incident 42" } },
      }),
    stack: "production",
    path: "promotion.override.auth-api",
    says: ['"auth-api" is not a secret of this stack'],
  },
  {
    name: "an override of an unlisted version",
    edit: (c) =>
      (c.promotion = {
        fromStack: STAGING,
        override: { "auth-api-secrets": { version: "20250801000000", reason: "incident 42" } },
      }),
    stack: "production",
    path: "promotion.override.auth-api-secrets.version",
    says: ["is not among the versions"],
  },
  {
    name: "a promotion field typo",
    edit: (c) => (c.promotion = { fromStack: STAGING, soakHour: 1 }),
    stack: "production",
    path: "promotion.soakHour",
    says: ["unknown field", "fromStack, override, soakHours"],
  },
];

describe("bad input is refused before the first resource", () => {
  for (const bad of badInputs) {
    it(`${bad.name}: names ${bad.path}`, async () => {
      const config = baseConfig();
      bad.edit(config);
      const run = await declare(config, { stack: bad.stack });
      assertRefused(run, bad.path, ...bad.says);
    });
  }

  it("lists every problem at once, in one error", async () => {
    const config = baseConfig();
    config.retentionDays = 0;
    secretOf(config).active = "20990101000000";
    workloadOf(config, "token-refresh").schedule = "often";
    const run = await declare(config);
    const message = assertRefused(run, "retentionDays");
    assert.match(message, /has 3 problems; nothing was changed/);
    assert.ok(message.includes("secret-rotation:secrets.auth-api-secrets.active:"));
    assert.ok(message.includes("secret-rotation:workloads.token-refresh.schedule:"));
  });

  it("refuses a bad ROTATION_NOW, naming the stack", async () => {
    const run = await declare(baseConfig(), { now: "next tuesday" });
    assert.match(run.error?.message ?? "", /^stack "staging": ROTATION_NOW=next tuesday/);
    assert.equal(run.resources.length, 0);
  });

  it("never quotes a secret value in an error", async () => {
    const config = baseConfig();
    const sentinel = "SENTINEL-do-not-print-7f3a";
    secretOf(config).versions["20250723110000"] = { api_token: sentinel, extra: sentinel };
    secretOf(config).versions["20251340110000"] = { api_token: sentinel };
    const run = await declare(config);
    assert.ok(run.error);
    assert.ok(!run.error.message.includes(sentinel), run.error.message);
    assert.ok(!run.logs.join("\n").includes(sentinel));
  });
});

describe("config forms the Pulumi CLI produces", () => {
  it("accepts version ids and numbers given as YAML numbers or text", async () => {
    const config = baseConfig();
    secretOf(config).active = 20250723110000;
    secretOf(config).keep = [20250701090000];
    config.retentionDays = "14";
    const run = await declare(config);
    assert.equal(run.error, undefined);
  });

  it("accepts what the real systems accept: an integer with a sign, maxSurge above 100%, an EC2 alarm action", async () => {
    const config = baseConfig();
    config.retentionDays = "+14";
    config.awsRecoveryWindowDays = "007";
    workloadOf(config, "auth-service").rollout = { maxUnavailable: "100%", maxSurge: "150%" };
    secretOf(config).monitor = {
      ...goodMonitor(),
      alarmActions: ["arn:aws:automate:us-east-1:ec2:stop"],
    };
    const run = await declare(config);
    assert.equal(run.error, undefined, run.error?.message);
  });

  it("checks AWS names against AWS's own limits", () => {
    assert.equal(awsSecretNameProblem("production/auth-api-secrets-20250723110000"), undefined);
    assert.match(awsSecretNameProblem(`production/${"a".repeat(520)}`) ?? "", /at most 512/);
    assert.match(awsSecretNameProblem("production/auth secrets") ?? "", /characters AWS refuses/);
  });

  it("parses without Pulumi, handing each value to the wrapper and to nothing else", () => {
    const seen: string[] = [];
    const spec = parseStackConfig(
      { secrets: { x: { active: "20250101000000", versions: { "20250101000000": { k: "v1" } } } } },
      { stack: "staging", now: versionIdToDate("20250801000000") },
      (v) => {
        seen.push(v);
        return { wrapped: true };
      },
    );
    assert.deepEqual(seen, ["v1"]);
    assert.deepEqual({ ...spec.secrets[0].versions[0].values }, { k: { wrapped: true } });
    assert.equal(spec.namespace, "staging");
    assert.equal(spec.versioned, true);
  });
});

/**
 * A mistyped field that decides what else a section takes (a workload's `kind` and `owner`,
 * a store's `kind`) is named as unknown with the nearest known field, beside "is required",
 * and never read as the value `undefined`.
 */
describe("a mistyped field is named, with the field it misses", () => {
  const cases: {
    name: string;
    edit: (c: TestConfig) => void;
    problems: [path: string, says: string][];
    stack?: string;
  }[] = [
    {
      name: "kind written knd on a Deployment",
      edit: (c) => {
        service(c).knd = service(c).kind;
        delete service(c).kind;
      },
      problems: [
        ["workloads.auth-service.knd", "unknown field; allowed: args, command, env, image, kind"],
        ["workloads.auth-service.knd", "did you mean kind?"],
        [
          "workloads.auth-service.kind",
          "is required; allowed: Deployment, CronJob (StatefulSet and DaemonSet with owner: external)",
        ],
      ],
    },
    {
      name: "kind written kid on a CronJob, with another typo beside it",
      edit: (c) => {
        job(c).kid = job(c).kind;
        delete job(c).kind;
        job(c).imag = job(c).image;
      },
      problems: [
        ["workloads.token-refresh.kid", "did you mean kind?"],
        ["workloads.token-refresh.imag", "did you mean image?"],
        ["workloads.token-refresh.kind", "is required; allowed: Deployment, CronJob"],
      ],
    },
    {
      name: "kind written knd on a linked workload",
      edit: (c) => {
        (c.workloads as Record<string, unknown>).billing = {
          owner: "external",
          knd: "StatefulSet",
          namespace: "staging",
          containers: ["app"],
          secrets: ["auth-api-secrets"],
        };
      },
      problems: [
        [
          "workloads.billing.knd",
          "unknown field; allowed: containers, kind, namespace, owner, secrets; did you mean kind?",
        ],
        [
          "workloads.billing.kind",
          "is required; allowed: Deployment, StatefulSet, DaemonSet, CronJob",
        ],
      ],
    },
    {
      name: "owner written ownr on a StatefulSet",
      edit: (c) => {
        (c.workloads as Record<string, unknown>).billing = {
          ownr: "external",
          kind: "StatefulSet",
          secrets: ["auth-api-secrets"],
        };
      },
      problems: [
        ["workloads.billing.ownr", "did you mean owner?"],
        [
          "workloads.billing.kind",
          '"StatefulSet" is not allowed; allowed: Deployment, CronJob (StatefulSet and DaemonSet with owner: external)',
        ],
      ],
    },
    {
      name: "a store's kind written knd",
      edit: (c) => {
        c.delivery = "externalSecrets";
        c.externalSecrets = { storeRef: { name: "aws-secrets-manager", knd: "SecretStore" } };
      },
      problems: [
        ["externalSecrets.storeRef.knd", "unknown field; allowed: kind, name; did you mean kind?"],
        ["externalSecrets.storeRef.kind", "is required; allowed: ClusterSecretStore, SecretStore"],
      ],
    },
    {
      name: "a secret's delivery written delivry",
      edit: (c) => (secretOf(c).delivry = "externalSecrets"),
      problems: [["secrets.auth-api-secrets.delivry", "did you mean delivery?"]],
    },
    {
      name: "a stack field written retentionDay",
      edit: (c) => (c.retentionDay = 7),
      problems: [["retentionDay", "did you mean retentionDays?"]],
    },
  ];
  for (const bad of cases) {
    it(`${bad.name}: names ${[...new Set(bad.problems.map(([path]) => path))].join(" and ")}`, async () => {
      const config = baseConfig();
      bad.edit(config);
      const run = await declare(config, { stack: bad.stack });
      const message = assertRefused(run, bad.problems[0][0]);
      const lines = message.split("\n");
      for (const [path, says] of bad.problems) {
        assert.ok(
          lines.some((l) => l.startsWith(`  - secret-rotation:${path}: `) && l.includes(says)),
          `the line of ${path} should say "${says}"; the error says:\n${message}`,
        );
      }
      assert.doesNotMatch(message, /undefined/);
    });
  }

  it("suggests only a near name: nothing for a field unlike any", async () => {
    const config = baseConfig();
    service(config).zzzz = 1;
    const message = assertRefused(await declare(config), "workloads.auth-service.zzzz");
    assert.doesNotMatch(message, /did you mean/);
  });
});
