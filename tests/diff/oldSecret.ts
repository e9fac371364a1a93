/** TEMPORARY (issue 18): the secret section on the old kernel, for the differential test. */
/** `secrets.<name>`: one secret, its versions, and how long superseded ones stay. */
import { awsSecretName } from "../../core/names";
import { normalizeVersionId } from "../../core/versionId";
import { PROJECT } from "../../core/project";
import { awsSecretNameProblem, secretNameProblem } from "../../config/rules";
import { type Delivery, deliveryField } from "../../config/contract/delivery";
import {
  CANARY_FIELDS,
  CANARY_SCHEMA,
  type CanarySpec,
  parseCanary,
} from "../../config/contract/canary";
import {
  type Infer,
  Problems,
  checkFields,
  contract,
  pulumiIntSchema,
  pulumiInteger,
  join,
  list,
  mapSchema,
  objectField,
  objectSchema,
} from "../../config/contract/kernel";
import { MONITOR_FIELDS, MONITOR_SCHEMA, parseMonitor } from "../../config/contract/monitor";
import {
  GENERATE_FIELDS,
  GENERATE_SCHEMA,
  VERSION_ID_PATTERN_SCHEMA,
  VERSION_ID_SCHEMA,
  VERSION_VALUES_FIELD,
  type VersionSpec,
  parseGenerate,
  parseVersions,
} from "../../config/contract/version";

/** Longest retention: ten years (a longer one would push expiry dates past what a Date holds). */
export const MAX_RETENTION_DAYS = 3650;
export const DEFAULT_RETENTION_DAYS = 14;

export const SECRET_FIELDS = contract({
  active: {
    presence: "required",
    defaultText: "required",
    doc: "the version workloads use: one of the listed versions",
    schema: VERSION_ID_SCHEMA,
    parse: (p: Problems, path: string, value: unknown, ids: readonly string[]) => {
      const active = normalizeVersionId(value);
      if (value === undefined || value === null) {
        p.add(path, "is required: the version workloads use (one of the versions)");
      } else if (active === undefined || !ids.includes(active)) {
        p.add(
          path,
          `${JSON.stringify(value)} is not among the versions; listed: ${list(ids) || "none"}`,
        );
      }
      return active;
    },
  },
  versions: {
    presence: "required",
    defaultText: "required, ≥ 1",
    doc: "the versions by id; see `versions.<id>`",
    schema: {
      ...mapSchema(VERSION_VALUES_FIELD.schema, VERSION_ID_PATTERN_SCHEMA),
      minProperties: 1,
    },
    nested: { key: "<id>", entry: VERSION_VALUES_FIELD },
    parse: parseVersions,
  },
  retentionDays: {
    presence: "default",
    defaultText: "the stack's",
    doc: `whole number 1–${MAX_RETENTION_DAYS}: this secret's retention`,
    schema: pulumiIntSchema(1, MAX_RETENTION_DAYS),
    // Pulumi checks only the keys Pulumi.yaml declares (workspace/config.go
    // validateStackConfigValues walks project.Config), so it never looks inside `secrets`. The
    // program applies the stack key's `type: integer` text rule here too, so one field name
    // takes one form: " 7 " or "7.0" is refused in both places. null (an empty YAML value)
    // stays "use the stack's", as for other nested fields.
    parse: (p: Problems, path: string, value: unknown, fallback: number): number =>
      pulumiInteger(p, path, value ?? undefined, {
        min: 1,
        max: MAX_RETENTION_DAYS,
        fallback,
        allowed: `a whole number of days from 1 to ${MAX_RETENTION_DAYS} (default: ${PROJECT}:retentionDays)`,
        why: `the rule of ${PROJECT}:retentionDays, which Pulumi.yaml declares as type integer`,
      }),
  },
  keep: {
    presence: "default",
    defaultText: "`[]`",
    doc: "version ids never pruned (pinned)",
    schema: { type: "array", items: VERSION_ID_SCHEMA },
    parse: (p: Problems, path: string, value: unknown, ids: readonly string[]): string[] => {
      const keep: string[] = [];
      const raw = value ?? [];
      if (!Array.isArray(raw)) {
        p.add(path, "must be a list of version ids");
        return keep;
      }
      raw.forEach((entry, i) => {
        const id = normalizeVersionId(entry);
        if (id === undefined || !ids.includes(id)) {
          p.add(
            `${path}[${i}]`,
            `${JSON.stringify(entry)} is not among the versions; listed: ${list(ids) || "none"}`,
          );
        } else if (!keep.includes(id)) {
          keep.push(id);
        }
      });
      return keep.sort();
    },
  },
  delivery: deliveryField(
    "the stack's `delivery`",
    "how this secret's new versions reach the cluster; a version keeps the delivery it was created with",
  ),
  generate: {
    presence: "default",
    defaultText: "none",
    doc: "keys whose value `@pulumi/random` generates once per version",
    schema: GENERATE_SCHEMA,
    nested: { key: "<key>", contract: GENERATE_FIELDS },
    parse: parseGenerate,
  },
  canary: {
    presence: "optional",
    defaultText: "none",
    doc: "a canary rollout; staging and production only (see [Canary rollouts](canary.md))",
    schema: CANARY_SCHEMA,
    nested: { contract: CANARY_FIELDS },
    parse: parseCanary,
  },
  monitor: {
    presence: "optional",
    defaultText: "none",
    doc: "a CloudWatch alarm (see [Monitoring after rotation](monitoring.md))",
    schema: MONITOR_SCHEMA,
    nested: { contract: MONITOR_FIELDS },
    parse: parseMonitor,
  },
});

export type SecretSpec<V> = Omit<Infer<typeof SECRET_FIELDS>, "versions"> & {
  /** The secret's name: both stores' names start with it. */
  name: string;
  /** Oldest first. */
  versions: VersionSpec<V>[];
  /** Every key a version holds (configured and generated), sorted. */
  keys: string[];
};

export const SECRET_SCHEMA = objectSchema(SECRET_FIELDS);

export interface SecretContext<V> {
  environment: string;
  /** The stack's retention: the default of the secret's own. */
  retentionDays: number;
  /** The stack's delivery: the default of the secret's own. */
  delivery: Delivery;
  now: Date;
  wrapValue: (value: string) => V;
}

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

  const raw = objectField(p, path, value, "an object with active and versions");
  if (!raw) {
    if (value === undefined || value === null) p.add(path, "must have active and versions");
    return undefined;
  }
  const f = SECRET_FIELDS;
  checkFields(p, path, raw, f);
  const at = (field: keyof typeof f) => join(path, field);

  const retentionDays = f.retentionDays.parse(
    p,
    at("retentionDays"),
    raw.retentionDays,
    ctx.retentionDays,
  );
  const delivery = f.delivery.parse(p, at("delivery"), raw.delivery, ctx.delivery);
  const generate = f.generate.parse(p, at("generate"), raw.generate);
  const versions = f.versions.parse(p, at("versions"), raw.versions, {
    ...ctx,
    secret: name,
    generate,
  });
  const ids = versions.map((v) => v.id);
  const active = f.active.parse(p, at("active"), raw.active, ids);
  const keep = f.keep.parse(p, at("keep"), raw.keep, ids);

  const keys = [
    ...new Set([...Object.keys(versions[0]?.values ?? {}), ...Object.keys(generate)]),
  ].sort();
  if (versions.length > 0 && keys.length === 0) {
    p.add(path, "holds no keys: give each version at least one key, or generate one");
  }
  const canary: CanarySpec | undefined = f.canary.parse(p, at("canary"), raw.canary, {
    ids,
    active,
    ...ctx,
  });
  const monitor = f.monitor.parse(p, at("monitor"), raw.monitor);
  if (p.list.length > before) return undefined;
  return {
    name,
    active: active!,
    ...(canary && { canary }),
    ...(monitor && { monitor }),
    retentionDays,
    keep,
    delivery,
    generate,
    versions,
    keys,
  };
}
