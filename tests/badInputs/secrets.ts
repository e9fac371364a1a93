/** Bad values of `secrets.<name>` and its `canary`. */
import { type BadInput, auth, job, service } from "./shared";

export const SECRETS: BadInput[] = [
  {
    name: "a typo in a secret",
    edit: (c) => (auth(c).retentiondays = 3),
    path: "secrets.auth-api-secrets.retentiondays",
    says: [
      "unknown field",
      "allowed: active, canary, delivery, generate, keep, maxAgeDays, monitor, retentionDays, versions",
    ],
  },
  {
    name: "a per-secret retention that is not a whole number >= 1",
    edit: (c) => (auth(c).retentionDays = -2),
    path: "secrets.auth-api-secrets.retentionDays",
    says: ["whole number of days from 1 to 3650"],
  },
  {
    name: "a per-secret maxAgeDays of zero, beside a valid stack default",
    edit: (c) => {
      c.maxAgeDays = 90;
      auth(c).maxAgeDays = 0;
    },
    path: "secrets.auth-api-secrets.maxAgeDays",
    says: ["0 is not allowed", "from 1 to 3650 (default: secret-rotation:maxAgeDays, else off)"],
  },
  {
    name: "a per-secret maxAgeDays that is not whole",
    edit: (c) => (auth(c).maxAgeDays = 2.5),
    path: "secrets.auth-api-secrets.maxAgeDays",
    says: ["2.5 is not allowed", "whole number of days from 1 to 3650"],
  },
  {
    name: "a per-secret maxAgeDays above ten years",
    edit: (c) => (auth(c).maxAgeDays = "99999"),
    path: "secrets.auth-api-secrets.maxAgeDays",
    says: ['"99999" is not allowed', "from 1 to 3650"],
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
];

export const CANARY: BadInput[] = [
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
];
