/** Bad values of `workloads.<name>` and its rollout knobs. */
import { type BadInput, auth, job, service } from "./shared";

export const WORKLOADS: BadInput[] = [
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
];

export const ROLLOUT: BadInput[] = [
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
];

/** `strategy` and `warmHours` (blue-green slots, docs/blue-green.md). */
export const BLUE_GREEN: BadInput[] = [
  {
    name: "an unknown strategy",
    edit: (c) => (service(c).strategy = "canary"),
    path: "workloads.auth-service.strategy",
    says: ['"canary" is not allowed', "allowed: rolling, blueGreen (default rolling)"],
  },
  {
    name: "blueGreen without a port",
    edit: (c) => {
      delete service(c).port;
      service(c).strategy = "blueGreen";
    },
    path: "workloads.auth-service.strategy",
    says: ["blueGreen needs port", "the Service switches traffic between the slots"],
  },
  {
    name: "blueGreen on a CronJob",
    edit: (c) => (job(c).strategy = "blueGreen"),
    path: "workloads.token-refresh.strategy",
    says: ['"blueGreen": a CronJob takes no strategy', "a Deployment with a port"],
  },
  {
    name: "warmHours on a CronJob",
    edit: (c) => (job(c).warmHours = 2),
    path: "workloads.token-refresh.warmHours",
    says: ["a CronJob takes no warmHours"],
  },
  {
    name: "blueGreen on a linked workload",
    edit: (c) => {
      const linked = { owner: "external", namespace: "staging", containers: ["app"] };
      (c.workloads as Record<string, unknown>)["auth-service"] = {
        ...linked,
        kind: "Deployment",
        secrets: ["auth-api-secrets"],
        strategy: "blueGreen",
      };
    },
    path: "workloads.auth-service.strategy",
    says: ['"blueGreen": a workload with owner: external takes no strategy'],
  },
  {
    name: "warmHours above 720",
    edit: (c) => Object.assign(service(c), { port: 8080, strategy: "blueGreen", warmHours: 721 }),
    path: "workloads.auth-service.warmHours",
    says: ["a whole number of hours from 0 to 720 (default 24)"],
  },
  {
    name: "fractional warmHours",
    edit: (c) => Object.assign(service(c), { port: 8080, strategy: "blueGreen", warmHours: 1.5 }),
    path: "workloads.auth-service.warmHours",
    says: ["a whole number of hours from 0 to 720"],
  },
  {
    name: "warmHours on a rolling workload",
    edit: (c) => (service(c).warmHours = 4),
    path: "workloads.auth-service.warmHours",
    says: ["is for strategy: blueGreen only"],
  },
  {
    name: "a canary on a secret a blueGreen workload links",
    edit: (c) => {
      Object.assign(service(c), { port: 8080, strategy: "blueGreen" });
      auth(c).canary = { version: "20250715100000", percent: 50 };
    },
    path: "secrets.auth-api-secrets.canary",
    says: ['workload "auth-service" uses strategy: blueGreen', "never mix two versions"],
  },
  {
    name: "a workload named like a blueGreen slot's Deployment",
    edit: (c) => {
      Object.assign(service(c), { port: 8080, strategy: "blueGreen" });
      (c.workloads as Record<string, unknown>)["auth-service-green"] = { ...service(c) };
    },
    path: "workloads.auth-service-green",
    says: ['the name of the green slot\'s Deployment of "auth-service"'],
  },
  {
    name: "blueGreen in dev",
    stack: "dev",
    edit: (c) => Object.assign(service(c), { port: 8080, strategy: "blueGreen" }),
    path: "workloads.auth-service.strategy",
    says: ["blueGreen is refused in dev", "use strategy: rolling"],
  },
];
