/**
 * The stack's own keys: `secret-rotation:<key>` in `Pulumi.<stack>.yaml`. Declared in zod
 * (config/zod/field.ts): a schema factory taking what the update knows (the stack name, and
 * for a key the values parsed before it: the environment is the namespace's default, the
 * parsed secrets are the promotion gate's); `parseStackConfig` walks the keys in today's order
 * (stackFields), between the sections that depend on them.
 */
import { z } from "zod";
import { PROJECT } from "../../core/project";
import { dns1123LabelProblem, kmsKeyProblem } from "../rules";
import { type JsonSchema, type Raw, isObject } from "../zod/vocabulary";
import { type Nested, contractOf } from "../zod/view";
import { Problems, list } from "../../core/problems";
import {
  DEFAULT_DELIVERY,
  type Delivery,
  EXTERNAL_SECRETS_FIELDS,
  EXTERNAL_SECRETS_SCHEMA,
  type ExternalSecretsSpec,
  deliveryMode,
  parseExternalSecrets,
} from "./delivery";
import { GUARD_FIELDS, GUARD_KEY, type GuardSpec } from "./guard";
import {
  PROMOTION_FIELDS,
  PROMOTION_SCHEMA,
  type PromotionSpec,
  parsePromotion,
} from "./promotion";
import {
  DEFAULT_RETENTION_DAYS,
  MAX_MAX_AGE_DAYS,
  MAX_RETENTION_DAYS,
  SECRET_FIELDS,
  SECRET_SCHEMA,
  type SecretSpec,
} from "./secret";
import { WORKLOAD_FIELDS, WORKLOAD_SCHEMA } from "./workload";
import { fields, jsonSchema, parseInto } from "../zod/field";
import { pulumiInteger, pulumiIntegerOf, reported } from "../zod/pulumiInteger";

export const ENVIRONMENTS = ["dev", "staging", "production"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];
export const DEFAULT_AWS_RECOVERY_WINDOW_DAYS = 30;

/** Why a stack's own integer key refuses text such as " 7 " or "7.0" (zod/pulumiInteger.ts). */
const PULUMI_INTEGER_WHY = (key: string) =>
  `Pulumi.yaml declares ${PROJECT}:${key} as type integer, and the Pulumi CLI refuses any other text before the program runs`;

/** The stack's own keys once parsed (a refused one holds its fallback). */
export interface StackFields {
  environment: Environment;
  namespace: string;
  retentionDays: number;
  /** Days an active version may run before it is overdue; absent: off. */
  maxAgeDays?: number;
  awsRecoveryWindowDays: number;
  awsKmsKeyId?: string;
  delivery: Delivery;
  externalSecrets?: ExternalSecretsSpec;
  /** The map only: `parseStackConfig` parses each secret as a section of its own. */
  secrets?: Raw;
  promotion?: PromotionSpec;
  guard: GuardSpec;
  /** The map only: `parseStackConfig` parses each workload as a section of its own. */
  workloads?: Raw;
}

type Keep = <K extends keyof StackFields>(key: K, value: StackFields[K]) => StackFields[K];

/** What a key is checked against: what the update knows, and the keys parsed before it. */
export interface StackFieldContext {
  /** The stack name: the environment's default. */
  stack: string;
  /** `aws:region`, when set: the default region of a declared ClusterSecretStore. */
  awsRegion?: string;
  /** The environment as parsed: the namespace's default. */
  environment: string;
  /** The secrets delivered by ESO, valid or not: `externalSecrets` is required for them. */
  usedBy: readonly string[];
  /** The secrets as parsed and every secret name: the promotion gate's. */
  secrets: readonly SecretSpec<unknown>[];
  secretNames: ReadonlySet<string>;
}

/** A map of user-chosen names: absent is undefined, anything else but a map is refused. */
const nameMap = (what: string, doc: Record<string, unknown>) =>
  z
    .unknown()
    .meta(doc)
    .transform((value, ctx): Raw | undefined => {
      if (value === undefined || value === null) return undefined;
      if (isObject(value)) return value;
      ctx.addIssue(`must be ${what}`);
      return undefined;
    });

/**
 * The stack's own keys, in the order the reference page lists them. A key the keys after it
 * read passes its value to `keep` even when refused (zod drops a refused value): a refused
 * environment reads as staging, a namespace that is no string as the environment.
 */
function stackShape(ctx: StackFieldContext, keep: Keep = (_, v) => v) {
  return {
    environment: z
      .unknown()
      .meta({
        enum: [...ENVIRONMENTS],
        description: "`dev`, `staging`, `production`",
        defaultText: "the stack name",
      })
      .optional()
      .transform((value, issues): Environment => {
        const environment = value ?? ctx.stack;
        if (
          typeof environment !== "string" ||
          !(ENVIRONMENTS as readonly string[]).includes(environment)
        ) {
          const given =
            value === undefined ? `the stack name "${ctx.stack}"` : JSON.stringify(value);
          issues.addIssue(
            `${given} is not an environment; allowed: ${list(ENVIRONMENTS)} (default: the stack name; set ${PROJECT}:environment for another stack name)`,
          );
          return keep("environment", "staging");
        }
        return keep("environment", environment as Environment);
      }),
    namespace: z
      .unknown()
      .meta({
        type: "string",
        pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$",
        maxLength: 63,
        description: "the Kubernetes namespace: a DNS-1123 label",
        defaultText: "the environment",
      })
      .optional()
      .transform((value, issues): string => {
        const namespace = value ?? ctx.environment;
        if (typeof namespace !== "string") {
          issues.addIssue("must be a string (a Kubernetes namespace)");
          return keep("namespace", ctx.environment);
        }
        const problem = dns1123LabelProblem(namespace);
        if (problem) issues.addIssue(problem);
        return keep("namespace", namespace);
      }),
    retentionDays: pulumiInteger(
      {
        min: 1,
        max: MAX_RETENTION_DAYS,
        fallback: DEFAULT_RETENTION_DAYS,
        allowed: `a whole number of days from 1 to ${MAX_RETENTION_DAYS} (default ${DEFAULT_RETENTION_DAYS})`,
        why: PULUMI_INTEGER_WHY("retentionDays"),
      },
      {
        description: `whole number 1–${MAX_RETENTION_DAYS}: how long a superseded version stays`,
        default: DEFAULT_RETENTION_DAYS,
      },
    ),
    // Not declared in Pulumi.yaml (absent means off, and a declared key without a default is
    // required), so the CLI does not check it; the program applies retentionDays' text rule.
    maxAgeDays: pulumiInteger(
      {
        min: 1,
        max: MAX_MAX_AGE_DAYS,
        fallback: undefined,
        allowed: `a whole number of days from 1 to ${MAX_MAX_AGE_DAYS} (default: off)`,
        why: `the rule of ${PROJECT}:retentionDays, which Pulumi.yaml declares as type integer`,
      },
      {
        description: `whole number 1–${MAX_MAX_AGE_DAYS}: days an active version may run before \`pulumi up\` warns that it is overdue (see [Maximum age](max-age.md))`,
        defaultText: "none: off",
      },
    ),
    awsRecoveryWindowDays: z
      .unknown()
      .meta({
        anyOf: [
          { type: "integer", enum: [0] },
          { type: "integer", minimum: 7, maximum: 30 },
          { type: "string", pattern: "^([+-]?0+|[+]?0*([7-9]|[12]\\d|30))$" },
        ],
        description: "0 (delete at once) or 7–30: AWS's recovery window for a pruned secret",
        default: DEFAULT_AWS_RECOVERY_WINDOW_DAYS,
      })
      .optional()
      .transform((value, issues): number => {
        if (value === undefined) return DEFAULT_AWS_RECOVERY_WINDOW_DAYS;
        const allowed = `0 (delete at once) or a whole number of days from 7 to 30 (default ${DEFAULT_AWS_RECOVERY_WINDOW_DAYS})`;
        const rule = { min: 0, max: 30, allowed, why: PULUMI_INTEGER_WHY("awsRecoveryWindowDays") };
        const r = pulumiIntegerOf(value, rule);
        const problem =
          "problem" in r
            ? r.problem
            : r.n > 0 && r.n < 7
              ? `${r.n} is not allowed; ${allowed}`
              : undefined;
        if (problem === undefined && "n" in r) return r.n;
        issues.addIssue(problem!);
        return DEFAULT_AWS_RECOVERY_WINDOW_DAYS;
      }),
    awsKmsKeyId: z
      .unknown()
      .meta({
        type: "string",
        description:
          "a KMS key id, key ARN, `alias/<name>` or alias ARN that encrypts the AWS secrets",
        defaultText: "the account's `aws/secretsmanager` key",
      })
      .optional()
      .transform((value, issues): string | undefined => {
        if (value === undefined) return undefined;
        const problem = typeof value === "string" ? kmsKeyProblem(value) : "must be a string";
        if (problem) issues.addIssue(problem);
        return typeof value === "string" ? value : undefined;
      }),
    delivery: deliveryMode(DEFAULT_DELIVERY, {
      description:
        "how new versions reach the cluster: a Kubernetes Secret the program writes, or an ExternalSecret the External Secrets Operator syncs from AWS (see [Delivery through External Secrets](external-secrets.md))",
    }),
    externalSecrets: reported(
      "externalSecrets",
      (p, path, value) =>
        parseExternalSecrets(p, path, value, {
          usedBy: ctx.usedBy,
          ...(ctx.awsRegion !== undefined && { awsRegion: ctx.awsRegion }),
        }),
      {
        ...EXTERNAL_SECRETS_SCHEMA,
        description: "the External Secrets Operator's store, and how long to wait for a sync",
        defaultText: "none (required when a secret uses `externalSecrets`)",
      },
    ),
    secrets: nameMap("a map of secret name to secret", {
      type: "object",
      additionalProperties: SECRET_SCHEMA,
      description: "the secrets by name (a DNS-1123 subdomain of at most 63 characters)",
      defaultText: "required (staging, production)",
    }),
    promotion: reported(
      "promotion",
      (p, path, value) => parsePromotion(p, path, value, ctx.stack, ctx.secrets, ctx.secretNames),
      {
        ...PROMOTION_SCHEMA,
        description: "the staging gate (see [Staging before production](promotion.md))",
      },
    ),
    guard: GUARD_KEY,
    workloads: nameMap("a map of workload name to workload", {
      type: "object",
      additionalProperties: WORKLOAD_SCHEMA,
      description: "the workloads by name",
      defaultText: "none",
    }).optional(),
  };
}

type StackShape = ReturnType<typeof stackShape>;
export type StackKey = keyof StackShape;

const ANY: StackFieldContext = {
  stack: "",
  environment: "",
  usedBy: [],
  secrets: [],
  secretNames: new Set(),
};

const NESTED: Record<string, Nested> = {
  externalSecrets: { contract: EXTERNAL_SECRETS_FIELDS },
  secrets: { key: "<name>", contract: SECRET_FIELDS },
  promotion: { contract: PROMOTION_FIELDS },
  guard: { contract: GUARD_FIELDS },
  workloads: { key: "<name>", contract: WORKLOAD_FIELDS },
};

export const STACK_FIELDS = contractOf(stackShape(ANY), NESTED);

/** Each key's JSON Schema, with its description and literal default. */
export const STACK_KEY_SCHEMAS = (
  jsonSchema(fields(stackShape(ANY), "a map of config key to value")) as {
    properties: Record<StackKey, JsonSchema>;
  }
).properties;

/** The typo guard of the stack's keys: every key must be one of STACK_FIELDS. */
const KNOWN_KEYS = fields(
  Object.fromEntries(Object.keys(STACK_FIELDS).map((key) => [key, z.unknown().optional()])),
  "a map of config key to value",
);

/** What a refused key reads as for the keys after it, where it does not `keep` its own. */
const REFUSED: Partial<StackFields> = {
  retentionDays: DEFAULT_RETENTION_DAYS,
  awsRecoveryWindowDays: DEFAULT_AWS_RECOVERY_WINDOW_DAYS,
  delivery: DEFAULT_DELIVERY,
  guard: { kubernetes: true, aws: true },
};

/**
 * The stack's own keys, parsed one at a time in the order `parseStackConfig` asks for them
 * (between the sections that depend on them): first the typo guard (`checkKeys`), then each
 * key with what is known by then, its problems reported at its path. A refused key yields
 * what the keys after it read instead (`keep`, REFUSED).
 */
export function stackFields(p: Problems, raw: Raw, known: { stack: string; awsRegion?: string }) {
  const ctx: StackFieldContext = { ...ANY, ...known };
  const kept: Partial<StackFields> = {};
  const keep: Keep = (key, value) => (kept[key] = value);
  return {
    checkKeys: (): void => void parseInto(KNOWN_KEYS, p, "", raw, []),
    parse<K extends StackKey>(key: K, context: Partial<StackFieldContext> = {}): StackFields[K] {
      Object.assign(ctx, context);
      if (kept.environment !== undefined) ctx.environment = kept.environment;
      const schema: z.ZodType = stackShape(ctx, keep)[key];
      const value = parseInto(schema, p, key, raw[key], []);
      return (value ?? kept[key] ?? REFUSED[key]) as StackFields[K];
    },
  };
}

/** The environment key alone, with its default (the stack name) and allowed values. */
export function parseEnvironment(p: Problems, value: unknown, stack: string): Environment {
  return stackFields(p, { environment: value }, { stack }).parse("environment");
}
