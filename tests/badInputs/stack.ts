/** Bad values of the stack's own keys and of `promotion`. */
import { type BadInput } from "./shared";

const STAGING = "acme/secret-rotation/staging";

export const STACK: BadInput[] = [
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
    name: "maxAgeDays of zero (to turn it off, leave it out)",
    edit: (c) => (c.maxAgeDays = 0),
    path: "maxAgeDays",
    says: ['"0" is not allowed', "whole number of days from 1 to 3650 (default: off)"],
  },
  {
    name: "a negative maxAgeDays",
    edit: (c) => (c.maxAgeDays = "-30"),
    path: "maxAgeDays",
    says: ['"-30" is not allowed', "from 1 to 3650"],
  },
  {
    name: "maxAgeDays that is not whole",
    edit: (c) => (c.maxAgeDays = "90.5"),
    path: "maxAgeDays",
    says: ['"90.5" is not allowed', "written as digits", "retentionDays"],
  },
  {
    name: "maxAgeDays above ten years",
    edit: (c) => (c.maxAgeDays = 3651),
    path: "maxAgeDays",
    says: ['"3651" is not allowed', "from 1 to 3650"],
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
];

export const PROMOTION: BadInput[] = [
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
