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
import {
  type Infer,
  type JsonSchema,
  Problems,
  SECURE_SCHEMA,
  SCALAR_SCHEMA,
  checkFields,
  contract,
  int,
  join,
  list,
  mapSchema,
  objectField,
  objectSchema,
  scalarText,
} from "./kernel";

/** A version id as a map key: 14 digits. */
export const VERSION_ID_PATTERN_SCHEMA: JsonSchema = { type: "string", pattern: "^\\d{14}$" };

/** A version id as written: 14 digits, as text or a YAML number. */
export const VERSION_ID_SCHEMA: JsonSchema = {
  anyOf: [
    VERSION_ID_PATTERN_SCHEMA,
    { type: "integer", minimum: 10000000000000, maximum: 99999999999999 },
  ],
};

export const DEFAULT_GENERATE_LENGTH = 32;

export const GENERATE_FIELDS = contract({
  length: int({
    min: 16,
    max: 4096,
    default: DEFAULT_GENERATE_LENGTH,
    allowed: `a whole number from 16 to 4096 (default ${DEFAULT_GENERATE_LENGTH})`,
    doc: "characters in the generated value, 16–4096",
  }),
  special: {
    presence: "default",
    defaultText: "false",
    doc: "whether punctuation may appear (false keeps values safe in env vars and URLs)",
    schema: { type: "boolean" },
    parse: (p: Problems, path: string, value: unknown): boolean => {
      if (value !== undefined && typeof value !== "boolean") {
        p.add(path, "must be true or false (default false)");
      }
      return value === true;
    },
  },
});

/** Options of a generated key (`generate: { signing_key: { length: 64 } }`). */
export type GenerateSpec = Infer<typeof GENERATE_FIELDS>;

export const GENERATE_SCHEMA = mapSchema(objectSchema(GENERATE_FIELDS));

/** Keys generated once per version by `@pulumi/random`, sorted by key. */
export function parseGenerate(
  p: Problems,
  path: string,
  value: unknown,
): Record<string, GenerateSpec> {
  const raw = objectField(p, path, value, "a map of key to { length, special }");
  const generate = dict<GenerateSpec>();
  for (const key of Object.keys(raw ?? {}).sort()) {
    const keyPath = join(path, key);
    const keyProblem = secretKeyProblem(key);
    if (keyProblem) p.add(keyPath, `the key ${keyProblem}`);
    const spec = objectField(p, keyPath, raw![key], "an object { length, special }") ?? {};
    checkFields(p, keyPath, spec, GENERATE_FIELDS);
    const length = GENERATE_FIELDS.length.parse(p, join(keyPath, "length"), spec.length);
    const special = GENERATE_FIELDS.special.parse(p, join(keyPath, "special"), spec.special);
    generate[key] = { length, special };
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

/** One value of a version, as the README and the schema describe it. */
export const VERSION_VALUE_FIELD = {
  presence: "required",
  defaultText: "required",
  doc: "the value; set it with `pulumi config set --secret --path`, which writes `{ secure: v1:... }`",
  schema: { anyOf: [SCALAR_SCHEMA, SECURE_SCHEMA] },
  parse: (_p: Problems, _path: string, value: unknown) => scalarText(value),
} as const;

/** The keys of one version, as the README and the schema describe them. */
export const VERSION_VALUES_FIELD = {
  presence: "required",
  defaultText: "required",
  doc: "`YYYYMMDDHHMMSS` (UTC, a real date-time, at most 5 minutes ahead) → the version's keys; every version has the same keys",
  schema: mapSchema(VERSION_VALUE_FIELD.schema),
  nested: { key: "<key>", entry: VERSION_VALUE_FIELD },
  parse: (p: Problems, path: string, value: unknown) =>
    objectField(p, path, value, "a map of key to value"),
} as const;

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

/** Every version, oldest first, values wrapped; refuses versions whose keys differ. */
export function parseVersions<V>(
  p: Problems,
  path: string,
  value: unknown,
  ctx: VersionsContext<V>,
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
    const valuesRaw = VERSION_VALUES_FIELD.parse(p, versionPath, raw[id]) ?? {};
    const values = dict<V>();
    const texts = dict<string>();
    for (const key of Object.keys(valuesRaw).sort()) {
      const keyPath = join(versionPath, key);
      const keyProblem = secretKeyProblem(key);
      if (keyProblem) p.add(keyPath, `the key ${keyProblem}`);
      if (Object.hasOwn(ctx.generate, key)) {
        p.add(keyPath, "is generated (listed under generate); remove it from the version");
        continue;
      }
      const text = VERSION_VALUE_FIELD.parse(p, keyPath, valuesRaw[key]);
      if (text === undefined) {
        p.add(
          keyPath,
          // Property paths need brackets for a segment that starts with a digit.
          `must be a string; set it with: pulumi config set --secret --path '${PROJECT}:${path}["${id}"].${key}' <value>`,
        );
        continue;
      }
      texts[key] = text;
      values[key] = ctx.wrapValue(text);
    }
    if (!idProblem) {
      const fingerprint = versionFingerprint(ctx.secret, id, texts, Object.keys(ctx.generate));
      versions.push({ id, values, fingerprint });
    }
  }
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
