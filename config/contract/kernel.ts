/**
 * The field kernel: how one config field is declared. A declaration says, once, what a field
 * is called, whether it must be given or what it defaults to, what is allowed, how it is
 * written in a stack file (a JSON Schema) and how it is parsed. From the declarations come
 * the parser (each section's `parse*` calls its fields' `parse`), the TypeScript types
 * (`Infer`), the README's config reference and `schema/stack-config.schema.json`.
 *
 * Pure: no Pulumi import. A parse collects problems rather than throwing, so one run reports
 * every problem of a stack at once.
 */
import { distance } from "fastest-levenshtein";
import type { ConfigProblem } from "../../core/problems";

/** A JSON Schema (draft-07) fragment. */
export type JsonSchema = { [keyword: string]: unknown };

/** Collects problems with their field paths. */
export class Problems {
  readonly list: ConfigProblem[] = [];
  add(path: string, message: string): void {
    this.list.push({ path, message });
  }
}

/** `parent.child`, the path form `pulumi config set --path` takes (without the namespace). */
export const join = (path: string, key: string): string => (path ? `${path}.${key}` : key);
/** Items for a message: `a, b, c`. */
export const list = (items: readonly string[]): string => items.join(", ");

export type Raw = Readonly<Record<string, unknown>>;

export function isObject(value: unknown): value is Raw {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A plain scalar as text: strings as they are, numbers and booleans written out. */
export function scalarText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return undefined;
}

/**
 * Whether a field must be given (`required`), is filled from a default when absent
 * (`default`), or may stay absent (`optional`). Decides its TypeScript type and the schema's
 * `required` list.
 */
export type Presence = "required" | "default" | "optional";

/**
 * What a field holds inside: a map keyed by user-chosen names (`secrets.<name>`) whose entries
 * are objects with fields (`contract`) or single values (`entry`), or an object with fields.
 */
export interface Nested {
  /** How the README writes the map's key: `<name>`, `<id>`, `<key>`; absent for an object. */
  key?: string;
  /** The fields of each entry (or of the object). */
  contract?: Contract;
  /** Each entry, when it is one value rather than an object with fields. */
  entry?: AnyField;
}

export interface Field<T, P extends Presence = Presence> {
  presence: P;
  /** The default as the README states it: `14`, `the stack name`, `none`, `required`. */
  defaultText: string;
  /** What is allowed and what the field does, for the README. */
  doc: string;
  /** How the value may be written in `Pulumi.<stack>.yaml`. */
  schema: JsonSchema;
  /** The entries of a map field, or the fields of an object field. */
  nested?: Nested;
  /** The workload kinds that take this field; absent: every kind. */
  kinds?: readonly string[];
  /**
   * Parses the value given (undefined when absent), reporting problems at `path`. Returns the
   * parsed value, the default, or undefined (absent and optional, or invalid). Some fields
   * take what their section already knows (the stack name, the listed versions).
   */
  parse: (p: Problems, path: string, value: unknown, ...context: never[]) => T | undefined;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any field, whatever its context
export type AnyField = Field<unknown> & { parse: (...args: any[]) => unknown };
/** A section's fields by name, in the order the README lists them. */
export type Contract = Readonly<Record<string, AnyField>>;

/** The type a field yields once valid. */
export type FieldType<F> = F extends { parse: (...args: never[]) => infer R }
  ? Exclude<R, undefined>
  : never;
type PresentKeys<C> = {
  [K in keyof C]: C[K] extends { presence: "optional" } ? never : K;
}[keyof C];
type OptionalKeys<C> = Exclude<keyof C, PresentKeys<C>>;

/** The validated values of a contract: required and defaulted fields present, others optional. */
export type Infer<C> = { [K in PresentKeys<C>]: FieldType<C[K]> } & {
  [K in OptionalKeys<C>]?: FieldType<C[K]>;
};

/** Declares a contract, keeping each field's precise type (and its parse signature). */
export function contract<C extends Contract>(fields: C): C {
  return fields;
}

/** Whether a workload of `kind` takes the field (every kind does, unless it names some). */
export function takesKind(field: AnyField, kind: string): boolean {
  return !field.kinds || field.kinds.includes(kind);
}

/** Sorted field names: what the typo guard lists as allowed. */
export function fieldNames(fields: Contract, kind?: string): string[] {
  return Object.keys(fields)
    .filter((name) => kind === undefined || takesKind(fields[name], kind))
    .sort();
}

/**
 * The allowed name an unknown one is most likely a typo of (`knd`, `kid` → `kind`;
 * `retentionDay` → `retentionDays`), or undefined when none is close: at most 2 edits, case
 * ignored, and fewer edits than half the name, so that `a` is not taken for `port`.
 */
export function nearestName(name: string, names: readonly string[]): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const candidate of [...names].sort()) {
    const d = distance(name.toLowerCase(), candidate.toLowerCase());
    if (d <= 2 && d * 2 < candidate.length && (!best || d < best.d)) best = { name: candidate, d };
  }
  return best?.name;
}

/**
 * The typo guard: every field of `obj` must be one of the contract's. An unknown one is named,
 * with the allowed ones and the nearest of them.
 */
export function checkFields(
  p: Problems,
  path: string,
  obj: Raw,
  allowed: Contract | readonly string[],
  kind?: string,
): void {
  const names = Array.isArray(allowed) ? allowed : fieldNames(allowed as Contract, kind);
  for (const key of Object.keys(obj).sort()) {
    if (names.includes(key)) continue;
    const near = nearestName(key, names);
    p.add(
      join(path, key),
      `unknown field; allowed: ${list(names)}${near ? `; did you mean ${near}?` : ""}`,
    );
  }
}

/** A field whose parse takes no context beyond its value. */
type PlainField = { parse: (p: Problems, path: string, value: unknown) => unknown };

/**
 * An object whose fields all take no context: the typo guard, then each field parsed at its
 * own path, in declaration order.
 */
export function parseFields<C extends Readonly<Record<string, PlainField>>>(
  p: Problems,
  path: string,
  raw: Raw,
  fields: C,
): { [K in keyof C]: ReturnType<C[K]["parse"]> } {
  checkFields(p, path, raw, Object.keys(fields).sort());
  return Object.fromEntries(
    Object.keys(fields).map((name) => [name, fields[name].parse(p, join(path, name), raw[name])]),
  ) as { [K in keyof C]: ReturnType<C[K]["parse"]> };
}

/** An optional object; reports anything else that is not absent. */
export function objectField(
  p: Problems,
  path: string,
  value: unknown,
  what: string,
): Raw | undefined {
  if (value === undefined || value === null) return undefined;
  if (isObject(value)) return value;
  p.add(path, `must be ${what}`);
  return undefined;
}

export interface IntBounds {
  min: number;
  max?: number;
  /** What the message says is allowed (and the default). */
  allowed: string;
}

/** An integer as YAML writes it, or as text (`pulumi config set` stores text). */
export function intSchema(min: number, max?: number): JsonSchema {
  return {
    anyOf: [
      { type: "integer", minimum: min, ...(max !== undefined && { maximum: max }) },
      { type: "string", pattern: "^\\s*-?\\d+\\s*$" },
    ],
  };
}

/** An integer as Pulumi's `type: integer` takes it: a YAML integer, or text of digits. */
export function pulumiIntSchema(min: number, max?: number): JsonSchema {
  return {
    anyOf: [
      { type: "integer", minimum: min, ...(max !== undefined && { maximum: max }) },
      { type: "string", pattern: PULUMI_INTEGER_TEXT.source },
    ],
  };
}

/** An absent number: not given, null, or the empty text `pulumi config set k ""` stores. */
function isAbsent(value: unknown): boolean {
  return value === undefined || value === null || value === "";
}

/** A number that was given: the number, or undefined when it broke `bounds` (reported). */
function givenInt(
  p: Problems,
  path: string,
  value: unknown,
  bounds: IntBounds,
): number | undefined {
  const before = p.list.length;
  const n = wholeNumber(p, path, value, { ...bounds, fallback: 0 });
  return p.list.length > before ? undefined : n;
}

/**
 * A whole number in [min, max], given as a number or a numeric string (CLI config is text);
 * `fallback` when absent or invalid.
 */
export function wholeNumber(
  p: Problems,
  path: string,
  value: unknown,
  bounds: IntBounds & { fallback: number },
): number {
  if (isAbsent(value)) return bounds.fallback;
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

/**
 * Pulumi's `type: integer` (Pulumi.yaml `config:` declarations). Pulumi v3.248.0
 * sdk/go/common/workspace/config.go validateStackConfigValue hands a scalar stack value to
 * sdk/go/common/workspace/project.go ValidateConfigValue as its text, and the text passes
 * only when `strconv.Atoi` parses it: base-10 digits with an optional `+` or `-`, nothing
 * else (no spaces, decimal point, exponent, `0x`, `_`, and not the empty text). A YAML
 * number reaches that check already written out by encoding/json (config/object.go
 * MarshalString): `7.0` and `1e1` unquoted become "7" and "10", so they pass, as they do here
 * (the offline reader writes numbers the same way).
 */
export const PULUMI_INTEGER_TEXT = /^[+-]?[0-9]+$/;

/**
 * A whole number in [min, max] read by Pulumi's `type: integer` rule (see
 * PULUMI_INTEGER_TEXT): `fallback` only when the key is absent. Text that rule refuses is
 * reported with `why` (what refuses it). A number (a caller handing parsed values) must be
 * a safe integer.
 */
export function pulumiInteger(
  p: Problems,
  path: string,
  value: unknown,
  bounds: IntBounds & { fallback: number; why: string },
): number {
  if (value === undefined) return bounds.fallback;
  let n: number | undefined;
  if (typeof value === "string") {
    if (!PULUMI_INTEGER_TEXT.test(value)) {
      p.add(
        path,
        `${JSON.stringify(value)} is not allowed; ${bounds.allowed}, written as digits with an optional sign (no spaces, decimal point, exponent or 0x): ${bounds.why}`,
      );
      return bounds.fallback;
    }
    n = Number(value) + 0; // "-0" is Atoi's 0
  } else if (typeof value === "number" && Number.isSafeInteger(value)) {
    n = value;
  }
  if (n === undefined || n < bounds.min || (bounds.max !== undefined && n > bounds.max)) {
    p.add(path, `${JSON.stringify(value)} is not allowed; ${bounds.allowed}`);
    return bounds.fallback;
  }
  return n;
}

interface FieldText {
  doc: string;
  defaultText?: string;
  kinds?: readonly string[];
}

/** A field that always yields a value: the one given, or its default. */
export type DefaultedField<T> = Omit<Field<T, "default">, "parse"> & {
  parse: (p: Problems, path: string, value: unknown) => T;
};

/**
 * A whole number with a default. `pulumiType`: the key is declared `type: integer` in
 * Pulumi.yaml (a stack's own key), so its text follows Pulumi's rule (`pulumiInteger`).
 */
export function int(
  bounds: IntBounds & FieldText & { default: number; pulumiType?: string },
): DefaultedField<number> {
  return {
    presence: "default",
    defaultText: bounds.defaultText ?? String(bounds.default),
    doc: bounds.doc,
    ...(bounds.kinds && { kinds: bounds.kinds }),
    schema: bounds.pulumiType
      ? pulumiIntSchema(bounds.min, bounds.max)
      : intSchema(bounds.min, bounds.max),
    parse: (p, path, value) =>
      bounds.pulumiType
        ? pulumiInteger(p, path, value, {
            ...bounds,
            fallback: bounds.default,
            why: bounds.pulumiType,
          })
        : wholeNumber(p, path, value, { ...bounds, fallback: bounds.default }),
  };
}

/** A whole number that must be given. */
export function requiredInt(bounds: IntBounds & FieldText): Field<number, "required"> {
  return {
    presence: "required",
    defaultText: "required",
    doc: bounds.doc,
    schema: intSchema(bounds.min, bounds.max),
    parse: (p, path, value) => {
      if (!isAbsent(value)) return givenInt(p, path, value, bounds);
      p.add(path, `is required: ${bounds.allowed}`);
      return undefined;
    },
  };
}

/** A whole number that may be absent. */
export function optionalInt(bounds: IntBounds & FieldText): Field<number, "optional"> {
  return {
    presence: "optional",
    defaultText: bounds.defaultText ?? "none",
    doc: bounds.doc,
    ...(bounds.kinds && { kinds: bounds.kinds }),
    schema: intSchema(bounds.min, bounds.max),
    parse: (p, path, value) => (isAbsent(value) ? undefined : givenInt(p, path, value, bounds)),
  };
}

/** One of a fixed set of strings; `default` when absent. */
export function oneOf<T extends string>(
  allowed: readonly T[],
  text: FieldText & { default?: T },
): Omit<Field<T, "default" | "required">, "parse"> & {
  parse: (p: Problems, path: string, value: unknown) => T;
} {
  return {
    presence: text.default === undefined ? "required" : "default",
    defaultText: text.defaultText ?? text.default ?? "required",
    doc: `${list(allowed.map((a) => `\`${a}\``))}: ${text.doc}`,
    schema: { enum: [...allowed] },
    parse: (p, path, value) => {
      if ((value === undefined || value === null) && text.default !== undefined) {
        return text.default;
      }
      if (typeof value === "string" && (allowed as readonly string[]).includes(value)) {
        return value as T;
      }
      if (value === undefined || value === null) {
        p.add(path, `is required; allowed: ${list(allowed)}`);
        return allowed[0];
      }
      p.add(
        path,
        `${JSON.stringify(value)} is not allowed; allowed: ${list(allowed)}${text.default ? ` (default ${text.default})` : ""}`,
      );
      return text.default ?? allowed[0];
    },
  };
}

/** A list of strings; absent is undefined. */
export function stringList(p: Problems, path: string, value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) return [...value];
  p.add(path, "must be a list of strings");
  return undefined;
}

export const STRING_LIST_SCHEMA: JsonSchema = { type: "array", items: { type: "string" } };

/** A config value the CLI encrypts: `{ secure: v1:... }` in the stack file. */
export const SECURE_SCHEMA: JsonSchema = {
  type: "object",
  properties: {
    secure: { type: "string", description: "the value as the Pulumi CLI encrypted it (`v1:...`)" },
  },
  required: ["secure"],
  additionalProperties: false,
};

/** A scalar that may be written as text, a number or a boolean. */
export const SCALAR_SCHEMA: JsonSchema = { type: ["string", "number", "boolean"] };

/**
 * A field's schema with its `description` (what the editor shows) and, when the default is a
 * literal (`14`, `true`, `[]`, an allowed name), its `default`.
 */
export function documented(f: AnyField): JsonSchema {
  const text = f.defaultText.replace(/^`(.*)`$/, "$1");
  let literal: unknown;
  if (f.presence === "default") {
    if (Array.isArray(f.schema.enum) && f.schema.enum.includes(text)) literal = text;
    else if (/^(-?\d+|true|false|\[\]|\{\})$/.test(text)) literal = JSON.parse(text);
  }
  return {
    ...f.schema,
    ...(f.schema.description === undefined && { description: f.doc }),
    ...(literal !== undefined && f.schema.default === undefined && { default: literal }),
  };
}

/** The schema of an object with the contract's fields and no others (a typo is flagged). */
export function objectSchema(fields: Contract, extra: JsonSchema = {}): JsonSchema {
  return {
    type: "object",
    properties: Object.fromEntries(
      Object.entries(fields).map(([name, f]) => [name, documented(f)]),
    ),
    required: Object.keys(fields).filter(
      (name) => fields[name].presence === "required" && !fields[name].kinds,
    ),
    additionalProperties: false,
    ...extra,
  };
}

/** The schema of a map whose keys match `keys` and whose entries match `entries`. */
export function mapSchema(entries: JsonSchema, keys?: JsonSchema): JsonSchema {
  return { type: "object", ...(keys && { propertyNames: keys }), additionalProperties: entries };
}
