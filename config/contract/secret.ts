/**
 * `secrets.<name>`: one secret, its versions, and how long superseded ones stay. Declared in
 * zod (config/zod/field.ts): a context schema (the stack's defaults, the clock, wrapValue) whose
 * fields parse in the order each needs the one before (versions need the generated keys,
 * `active` and `keep` the versions, the canary `active`); the reference page lists them in
 * another order (SECRET_FIELDS).
 */
import { z } from "zod";
import { awsSecretName } from "../../core/names";
import { normalizeVersionId } from "../../core/versionId";
import { PROJECT } from "../../core/project";
import { awsSecretNameProblem, secretNameProblem } from "../rules";
import { type Delivery, deliveryMode } from "./delivery";
import { CANARY_FIELDS, CANARY_SCHEMA, type CanarySpec, parseCanary } from "./canary";
import { type Nested, contractOf } from "../zod/view";
import { Problems, join } from "../../core/problems";
import { type MonitorSpec, MONITOR_FIELD, MONITOR_FIELDS } from "./monitor";
import {
  GENERATE_FIELDS,
  GENERATE_SCHEMA,
  type GenerateSpec,
  VERSION_ID_SCHEMA,
  VERSION_VALUES_FIELD,
  VERSIONS_SCHEMA,
  notListed,
  type VersionSpec,
  parseGenerate,
  parseVersions,
} from "./version";
import { always, fields, jsonSchema, parseInto } from "../zod/field";
import { pulumiInteger, reported } from "../zod/pulumiInteger";

/** Longest retention: ten years (a longer one would push expiry dates past what a Date holds). */
export const MAX_RETENTION_DAYS = 3650;
export const DEFAULT_RETENTION_DAYS = 14;
/**
 * The longest maximum age: ten years, the ceiling of every day count in the config (as
 * `retentionDays`). A longer one is a unit slip (hours for days), not a policy.
 */
export const MAX_MAX_AGE_DAYS = 3650;

export interface SecretSpec<V> {
  /** The secret's name: both stores' names start with it. */
  name: string;
  /** The version workloads use. */
  active: string;
  canary?: CanarySpec;
  monitor?: MonitorSpec;
  retentionDays: number;
  /**
   * Days the active version may run before it is overdue (a warning, never a block): the
   * secret's own, else the stack's; absent: off.
   */
  maxAgeDays?: number;
  /** Version ids never pruned, sorted. */
  keep: string[];
  delivery: Delivery;
  generate: Record<string, GenerateSpec>;
  /** Oldest first. */
  versions: VersionSpec<V>[];
  /** Every key a version holds (configured and generated), sorted. */
  keys: string[];
}

export interface SecretContext<V> {
  environment: string;
  /** The stack's retention: the default of the secret's own. */
  retentionDays: number;
  /** The stack's maximum age of the active version: the default of the secret's own. */
  maxAgeDays?: number;
  /** The stack's delivery: the default of the secret's own. */
  delivery: Delivery;
  now: Date;
  wrapValue: (value: string) => V;
}

/** What the fields parsed so far found: the later ones are checked against it. */
interface Found<V> {
  generate: Record<string, GenerateSpec>;
  versions: VersionSpec<V>[];
  active?: string;
}

/** `"x" is not among the versions; listed: ...` */
const idsOf = (found: Found<unknown>) => found.versions.map((v) => v.id);

/** The fields of the secret at `path`, in the order they parse (see the file comment). */
function secretShape<V>(path: string, name: string, ctx: SecretContext<V>, found: Found<V>) {
  const at = (field: string) => join(path, field);
  return {
    // Pulumi checks only the keys Pulumi.yaml declares (workspace/config.go
    // validateStackConfigValues walks project.Config), so it never looks inside `secrets`. The
    // program applies the stack key's `type: integer` text rule here too, so one field name
    // takes one form: " 7 " or "7.0" is refused in both places. null (an empty YAML value)
    // stays "use the stack's", as for other nested fields.
    retentionDays: pulumiInteger(
      {
        min: 1,
        max: MAX_RETENTION_DAYS,
        fallback: ctx.retentionDays,
        nullIsAbsent: true,
        allowed: `a whole number of days from 1 to ${MAX_RETENTION_DAYS} (default: ${PROJECT}:retentionDays)`,
        why: `the rule of ${PROJECT}:retentionDays, which Pulumi.yaml declares as type integer`,
      },
      {
        description: `whole number 1–${MAX_RETENTION_DAYS}: this secret's retention`,
        defaultText: "the stack's",
      },
    ),
    // The same text rule as retentionDays, so every day count takes one form.
    maxAgeDays: pulumiInteger(
      {
        min: 1,
        max: MAX_MAX_AGE_DAYS,
        fallback: ctx.maxAgeDays,
        nullIsAbsent: true,
        allowed: `a whole number of days from 1 to ${MAX_MAX_AGE_DAYS} (default: ${PROJECT}:maxAgeDays, else off)`,
        why: `the rule of ${PROJECT}:retentionDays, which Pulumi.yaml declares as type integer`,
      },
      {
        description: `whole number 1–${MAX_MAX_AGE_DAYS}: this secret's maximum age of the active version`,
        defaultText: "the stack's",
      },
    ),
    delivery: deliveryMode(ctx.delivery, {
      description:
        "how this secret's new versions reach the cluster; a version keeps the delivery it was created with",
      defaultText: "the stack's `delivery`",
    }),
    generate: reported(
      at("generate"),
      (p, fieldPath, value) => (found.generate = parseGenerate(p, fieldPath, value)),
      {
        ...GENERATE_SCHEMA,
        description: "keys whose value `@pulumi/random` generates once per version",
        defaultText: "none",
      },
    ),
    versions: reported(
      at("versions"),
      (p, fieldPath, value) =>
        (found.versions = parseVersions(p, fieldPath, value, {
          ...ctx,
          secret: name,
          generate: found.generate,
        })),
      {
        ...VERSIONS_SCHEMA,
        minProperties: 1,
        description: "the versions by id; see `versions.<id>`",
        defaultText: "required, ≥ 1",
      },
      true,
    ),
    active: z
      .unknown()
      .meta({
        ...VERSION_ID_SCHEMA,
        description: "the version workloads use: one of the listed versions",
      })
      .transform((value, issues) => {
        const ids = idsOf(found);
        const active = normalizeVersionId(value);
        if (value === undefined || value === null) {
          issues.addIssue("is required: the version workloads use (one of the versions)");
        } else if (active === undefined || !ids.includes(active)) {
          issues.addIssue(notListed(value, ids));
        }
        found.active = active;
        return active;
      }),
    keep: z
      .unknown()
      .meta({
        type: "array",
        items: VERSION_ID_SCHEMA,
        description: "version ids never pruned (pinned)",
        default: [],
      })
      .optional()
      .transform((value, issues): string[] => {
        const ids = idsOf(found);
        const keep: string[] = [];
        const raw = value ?? [];
        if (!Array.isArray(raw)) {
          issues.addIssue("must be a list of version ids");
          return keep;
        }
        raw.forEach((entry, i) => {
          const id = normalizeVersionId(entry);
          if (id === undefined || !ids.includes(id)) {
            issues.addIssue({ code: "custom", path: [i], message: notListed(entry, ids) });
          } else if (!keep.includes(id)) {
            keep.push(id);
          }
        });
        return keep.sort();
      }),
    canary: reported(
      at("canary"),
      (p, fieldPath, value) =>
        parseCanary(p, fieldPath, value, { ids: idsOf(found), active: found.active, ...ctx }),
      {
        ...CANARY_SCHEMA,
        description:
          "a canary rollout; staging and production only (see [Canary rollouts](canary.md))",
      },
    ),
    monitor: MONITOR_FIELD,
  };
}

/** The order the reference page and the schema list the fields in. */
const LISTED = [
  "active",
  "versions",
  "retentionDays",
  "maxAgeDays",
  "keep",
  "delivery",
  "generate",
  "canary",
  "monitor",
] as const;

/** The secret's own problem (it holds no keys) sits between keep's and the canary's. */
const SELF = Symbol("");
const PARSE_ORDER = [
  "retentionDays",
  "maxAgeDays",
  "delivery",
  "generate",
  "versions",
  "active",
  "keep",
  String(SELF),
  "canary",
  "monitor",
];

/** Every key a version holds: the first version's configured ones and the generated ones. */
const keysOf = (found: Found<unknown>) =>
  [
    ...new Set([...Object.keys(found.versions[0]?.values ?? {}), ...Object.keys(found.generate)]),
  ].sort();

function secretSchema<V>(path: string, name: string, ctx: SecretContext<V>, found: Found<V>) {
  return fields(
    secretShape(path, name, ctx, found),
    "an object with active and versions",
  ).superRefine((_, issues) => {
    if (found.versions.length > 0 && keysOf(found).length === 0) {
      issues.addIssue({
        code: "custom",
        path: [SELF],
        message: "holds no keys: give each version at least one key, or generate one",
      });
    }
  }, always);
}

/** The shape as the reference page lists it (contexts that parse nothing). */
function listedShape() {
  const ctx: SecretContext<unknown> = {
    environment: "",
    retentionDays: DEFAULT_RETENTION_DAYS,
    delivery: "direct",
    now: new Date(0),
    wrapValue: (v) => v,
  };
  const shape = secretShape("", "", ctx, { generate: {}, versions: [] });
  return Object.fromEntries(LISTED.map((field) => [field, shape[field]]));
}

const NESTED: Record<string, Nested> = {
  versions: { key: "<id>", entry: VERSION_VALUES_FIELD },
  generate: { key: "<key>", contract: GENERATE_FIELDS },
  canary: { contract: CANARY_FIELDS },
  monitor: { contract: MONITOR_FIELDS },
};

export const SECRET_FIELDS = contractOf(listedShape(), NESTED);

export const SECRET_SCHEMA = jsonSchema(
  fields(listedShape(), "an object with active and versions"),
);

/** One secret, or undefined when it has a problem (each one reported). */
export function parseSecret<V>(
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
  if (value === undefined || value === null) {
    p.add(path, "must have active and versions");
    return undefined;
  }

  const found: Found<V> = { generate: {}, versions: [] };
  const secret = parseInto(secretSchema(path, name, ctx, found), p, path, value, PARSE_ORDER);
  if (!secret || p.list.length > before) return undefined;
  const { retentionDays, maxAgeDays, keep, delivery, generate, versions, canary, monitor } = secret;
  return {
    name,
    active: secret.active!,
    ...(canary && { canary }),
    ...(monitor && { monitor }),
    retentionDays,
    ...(maxAgeDays !== undefined && { maxAgeDays }),
    keep,
    delivery,
    generate,
    versions,
    keys: keysOf(found),
  };
}
