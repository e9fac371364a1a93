/**
 * `secrets.<name>.versions` and `secrets.<name>.generate`: what one version stores. Every
 * version of a secret has the same keys; values are handed to the caller's wrapper (the
 * program wraps them in `pulumi.secret`) the moment they are checked.
 */
import { createHash } from "crypto";
import { PROJECT } from "../../core/project";
import { compareVersionIds, versionIdProblem } from "../../core/versionId";
import { dict } from "../../core/dict";
import { secretKeyProblem } from "../rules";
import { z } from "zod";
import { type JsonSchema, isObject, scalarText } from "../zod/vocabulary";
import { Problems, join, list } from "../../core/problems";
import { contractOf } from "../zod/view";
import { closedObject, defaulted, fields, jsonSchema, parseInto, wholeNumber } from "../zod/field";

/** A version id as a map key: 14 digits. */
const VERSION_ID_PATTERN = /^\d{14}$/;
const VERSION_ID_PATTERN_SCHEMA: JsonSchema = {
  type: "string",
  pattern: VERSION_ID_PATTERN.source,
};

/** A version id as written: 14 digits, as text or a YAML number. */
export const VERSION_ID_SCHEMA: JsonSchema = {
  anyOf: [
    VERSION_ID_PATTERN_SCHEMA,
    { type: "integer", minimum: 10000000000000, maximum: 99999999999999 },
  ],
};

/** `"x" is not among the versions; listed: a, b`; `of` names the secret when it is another's. */
export const notListed = (value: unknown, ids: readonly string[], of?: string) =>
  `${JSON.stringify(value)} is not among the versions${of === undefined ? "" : ` of "${of}"`}; listed: ${list(ids) || "none"}`;

export const DEFAULT_GENERATE_LENGTH = 32;

const LENGTH_ALLOWED = `a whole number from 16 to 4096 (default ${DEFAULT_GENERATE_LENGTH})`;

/** The options of one generated key, declared in zod (config/zod/field.ts). */
const GENERATE_SHAPE = {
  length: defaulted(
    wholeNumber(16, 4096, LENGTH_ALLOWED, {
      description: "characters in the generated value, 16–4096",
      default: DEFAULT_GENERATE_LENGTH,
    }),
    DEFAULT_GENERATE_LENGTH,
    { emptyIsAbsent: true },
  ),
  // Only absent is the default: null is refused, as the wording always said.
  special: z
    .unknown()
    .meta({
      type: "boolean",
      description: "whether punctuation may appear (false keeps values safe in env vars and URLs)",
      default: false,
    })
    .optional()
    .transform((value, ctx) => {
      if (value !== undefined && typeof value !== "boolean") {
        ctx.addIssue("must be true or false (default false)");
      }
      return value === true;
    }),
};
const GENERATE_ENTRY = fields(GENERATE_SHAPE, "an object { length, special }");

export const GENERATE_FIELDS = contractOf(GENERATE_SHAPE);

/** Options of a generated key (`generate: { signing_key: { length: 64 } }`). */
export type GenerateSpec = z.output<typeof GENERATE_ENTRY>;

/** The generate map's JSON Schema: key → its options (`required: []` as it has always written it). */
export const GENERATE_SCHEMA = {
  type: "object",
  additionalProperties: closedObject(GENERATE_ENTRY),
};

/** The options as given where valid, else their defaults (the keys are read on even then). */
function generateFallback(spec: unknown): GenerateSpec {
  const raw = isObject(spec) ? spec : {};
  const length = GENERATE_SHAPE.length.safeParse(raw.length);
  return {
    length: length.success ? length.data : DEFAULT_GENERATE_LENGTH,
    special: raw.special === true,
  };
}

/** Keys generated once per version by `@pulumi/random`, sorted by key. */
export function parseGenerate(
  p: Problems,
  path: string,
  value: unknown,
): Record<string, GenerateSpec> {
  if (value !== undefined && value !== null && !isObject(value)) {
    p.add(path, "must be a map of key to { length, special }");
  }
  const raw = isObject(value) ? value : {};
  const generate = dict<GenerateSpec>();
  for (const key of Object.keys(raw).sort()) {
    const keyPath = join(path, key);
    const keyProblem = secretKeyProblem(key);
    if (keyProblem) p.add(keyPath, `the key ${keyProblem}`);
    const spec = raw[key] ?? {};
    generate[key] =
      parseInto(GENERATE_ENTRY, p, keyPath, spec, ["length", "special"]) ?? generateFallback(spec);
  }
  return generate;
}

export interface VersionSpec<V> {
  /** The version id, `YYYYMMDDHHMMSS` (UTC). */
  id: string;
  /** The configured values by key (generated keys are not here), sorted by key. */
  values: Record<string, V>;
  /** `versionFingerprint` of the values: a digest, never a value (kept as a secret output). */
  fingerprint: string;
}

/** A config value the CLI encrypts: `{ secure: v1:... }` in the stack file. */
const SECURE = z.strictObject({
  secure: z.string().meta({ description: "the value as the Pulumi CLI encrypted it (`v1:...`)" }),
});

/**
 * One value of a version: text, a number or a boolean, or the CLI's encrypted form. Only its
 * documentation: versionsSchema parses the values (the message names the command to use).
 */
const VERSION_VALUE = z.unknown().meta({
  anyOf: [{ type: ["string", "number", "boolean"] }, jsonSchema(SECURE)],
  description:
    "the value; set it with `pulumi config set --secret --path`, which writes `{ secure: v1:... }`",
});

/** The keys of one version (documentation, like VERSION_VALUE). */
const VERSION_VALUES = z.record(z.string(), VERSION_VALUE).meta({
  description:
    "`YYYYMMDDHHMMSS` (UTC, a real date-time, at most 5 minutes ahead) → the version's keys; every version has the same keys",
});

/** The versions map's JSON Schema: version id → its keys. */
export const VERSIONS_SCHEMA = jsonSchema(
  z.record(z.string().regex(VERSION_ID_PATTERN), VERSION_VALUES),
);

/** The keys of one version, as the reference page lists them. */
export const VERSION_VALUES_FIELD = contractOf(
  { values: VERSION_VALUES },
  { values: { key: "<key>", entry: contractOf({ value: VERSION_VALUE }).value } },
).values;

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

export interface VersionsContext<V> {
  secret: string;
  now: Date;
  generate: Readonly<Record<string, GenerateSpec>>;
  wrapValue: (value: string) => V;
}

/**
 * Every version, declared in zod with its context (the clock, the generated keys, the
 * wrapper). Each value is handed to `wrapValue` the moment it is checked and is never
 * written into an issue (zod's `input` stays unset). The versions read so far go to `found`
 * even when another one fails: the secret's later checks read them (zod drops a failed
 * transform's output).
 */
function versionsSchema<V>(ctx: VersionsContext<V>, path: string, found: VersionSpec<V>[]) {
  return z.unknown().transform((value, issues) => {
    const problem = (message: string, ...path: string[]) =>
      issues.issues.push({ code: "custom", input: undefined, message, path });
    if (value !== undefined && value !== null && !isObject(value)) {
      problem("must be a map of version id (YYYYMMDDHHMMSS) to its values");
    }
    const raw = isObject(value) ? value : undefined;
    if (!raw || Object.keys(raw).length === 0) {
      problem("must list at least one version: a map of version id (YYYYMMDDHHMMSS) to values");
      return found;
    }
    for (const id of Object.keys(raw).sort(compareVersionIds)) {
      const idProblem = versionIdProblem(id, ctx.now);
      if (idProblem) problem(idProblem, id);
      const entry = raw[id];
      if (entry !== undefined && entry !== null && !isObject(entry)) {
        problem("must be a map of key to value", id);
      }
      const valuesRaw = isObject(entry) ? entry : {};
      const values = dict<V>();
      const texts = dict<string>();
      for (const key of Object.keys(valuesRaw).sort()) {
        const keyProblem = secretKeyProblem(key);
        if (keyProblem) problem(`the key ${keyProblem}`, id, key);
        if (Object.hasOwn(ctx.generate, key)) {
          problem("is generated (listed under generate); remove it from the version", id, key);
          continue;
        }
        const text = scalarText(valuesRaw[key]);
        if (text === undefined) {
          // The id in brackets reads as the map key it is; Pulumi reads it bare too (pulumi
          // v3.248.0 sdk/go/common/resource/properties_path.go parsePropertyPath). `join`
          // brackets a key that holds a `.`.
          problem(
            `must be a string; set it with: pulumi config set --secret --path '${PROJECT}:${join(`${path}["${id}"]`, key)}' <value>`,
            id,
            key,
          );
          continue;
        }
        texts[key] = text;
        values[key] = ctx.wrapValue(text);
      }
      if (!idProblem) {
        const fingerprint = versionFingerprint(ctx.secret, id, texts, Object.keys(ctx.generate));
        found.push({ id, values, fingerprint });
      }
    }
    return found;
  });
}

/** Every version, oldest first, values wrapped; refuses versions whose keys differ. */
export function parseVersions<V>(
  p: Problems,
  path: string,
  value: unknown,
  ctx: VersionsContext<V>,
): VersionSpec<V>[] {
  const versions: VersionSpec<V>[] = [];
  parseInto(versionsSchema(ctx, path, versions), p, path, value, []);
  checkSameKeys(p, path, versions);
  return versions;
}

/**
 * A changed key set between two versions is the classic rotation outage (a consumer reads a
 * key the new version no longer has): refuse it and name the keys.
 */
function checkSameKeys(p: Problems, path: string, versions: readonly VersionSpec<unknown>[]): void {
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
}
