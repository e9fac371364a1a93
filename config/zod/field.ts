/**
 * The zod 4 field kernel: a field is one zod schema. Its parser is the schema, its TypeScript
 * type `z.output` of it, its messages the `error` params and checks below (today's wording,
 * never the input value: a secret must not reach a message), its JSON Schema
 * `z.toJSONSchema(..., { target: "draft-07", io: "input" })` with the `description` and
 * `default` carried by `.meta()` on the INPUT side (zod drops them from a transform in input
 * mode), and its row of docs/config-reference.md the same meta.
 *
 * Every problem at once: no check aborts (`abort: true` would skip the object's cross-field
 * checks), and an object's own checks run even when a field failed (`when`, see `always`).
 */
import { z } from "zod";
import { protoKeyProblem } from "../../core/dict";
import { type JsonSchema, isObject, nearestName } from "./vocabulary";
import { type Problems, join, list } from "../../core/problems";

/** Documentation carried into the JSON Schema and the reference page. */
export interface Doc {
  description: string;
  /** A literal default (the JSON Schema `default`). */
  default?: unknown;
  /** The default as the reference page states it, when it is not a literal (`the stack name`). */
  defaultText?: string;
}

export const meta = (doc: Doc) => ({
  description: doc.description,
  ...(doc.default !== undefined && { default: doc.default }),
  ...(doc.defaultText !== undefined && { defaultText: doc.defaultText }),
});

/** Runs an object's own checks even when one of its fields failed (zod skips them otherwise). */
export const always = { when: (payload: { value: unknown }) => isObject(payload.value) };

/** `"x" is not allowed; <allowed>` for any issue zod raises on this schema. */
export const refuse = (allowed: string) => ({
  error: (iss: { input?: unknown }) => `${JSON.stringify(iss.input)} is not allowed; ${allowed}`,
});

/** null (an empty YAML value) and absent are the same. */
const absent = (v: unknown) => (v === null ? undefined : v);

/** A required field: absent or null gives `missing`. */
export function required<T extends z.ZodType>(
  schema: T,
  missing: string,
  opts: { emptyIsAbsent?: boolean } = {},
) {
  return z.preprocess((v, ctx) => {
    if (absent(v) === undefined || (opts.emptyIsAbsent && v === "")) {
      ctx.addIssue({ code: "custom", message: missing });
      return z.NEVER;
    }
    return v;
  }, schema);
}

/** A field with a default when absent or null. */
export function defaulted<T extends z.ZodType>(
  schema: T,
  value: z.output<T>,
  opts: { emptyIsAbsent?: boolean } = {},
) {
  // The JSON Schema `default` sits on the input side: zod drops it from a transform.
  const input = schema.meta({ default: value });
  const gone = (v: unknown) => (opts.emptyIsAbsent && v === "" ? undefined : absent(v));
  return z.preprocess(gone, input.optional()).transform((v) => v ?? value);
}

/** One of a fixed set of strings: `"x" is not allowed; allowed: a, b (default a)`. */
export function oneOf<const T extends readonly [string, ...string[]]>(
  allowed: T,
  doc: Doc & { default?: T[number] },
) {
  const tail = doc.default ? ` (default ${doc.default})` : "";
  const schema = z.enum(allowed, refuse(`allowed: ${list(allowed)}${tail}`)).meta({
    ...meta(doc),
    description: `${list(allowed.map((a) => `\`${a}\``))}: ${doc.description}`,
  });
  return doc.default === undefined
    ? required(schema, `is required; allowed: ${list(allowed)}`)
    : defaulted(schema, doc.default);
}

/**
 * A whole number in [min, max] as YAML writes it, or as text (`pulumi config set` stores
 * text): `"x" is not allowed; <allowed>`.
 */
export function wholeNumber(
  min: number,
  max: number | undefined,
  allowed: string,
  doc: string | Record<string, unknown>,
) {
  const e = refuse(allowed);
  const int = z.int({ ...e, abort: true }).min(min, e);
  return z
    .union([max === undefined ? int : int.max(max, e), z.string(e).regex(/^\s*-?\d+\s*$/, e)], e)
    .meta(typeof doc === "string" ? { description: doc } : doc)
    .transform((v, ctx) => {
      const n = Number(v);
      if (Number.isSafeInteger(n) && n >= min && (max === undefined || n <= max)) return n;
      ctx.issues.push({ code: "custom", input: undefined, message: e.error({ input: v }) });
      return z.NEVER;
    });
}

/** May be absent: not given or null (an empty YAML value). */
export const maybe = <T extends z.ZodType>(schema: T) => z.preprocess(absent, schema.optional());

/** Absent: not given, null, or the empty text `pulumi config set k ""` stores. */
export const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === null || v === "" ? undefined : v), schema.optional());

/** A list of strings: one `must be a list of strings` for anything else. */
export const stringList = (doc: Record<string, unknown>) =>
  z
    .unknown()
    .meta({ type: "array", items: { type: "string" }, ...doc })
    .superRefine((v, ctx) => {
      if (!Array.isArray(v) || !v.every((s) => typeof s === "string")) {
        ctx.addIssue("must be a list of strings");
      }
    })
    .transform((v) => [...(v as string[])]);

/** Where a key named `__proto__` goes while zod parses (zod's object and record skip that key). */
const PROTO = "\u0000__proto__";

/** A copy of an object whose own `__proto__` key is renamed to PROTO, so zod sees it. */
function exposeProto(v: unknown): unknown {
  if (!isObject(v) || !Object.hasOwn(v, "__proto__")) return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k === "__proto__" ? PROTO : k, x]));
}

/** The issue an unknown field raises; the allowed names and the nearest are added when reported. */
const UNKNOWN = "unknown field";

/**
 * An object with these fields and no others. Each unknown field is its own issue at its own
 * path (a `catchall` parses each extra key; `strictObject` would raise one issue for all), a
 * `__proto__` key included (exposeProto).
 */
export function fields<S extends z.ZodRawShape>(shape: S, what: string) {
  const names = Object.keys(shape).sort();
  const unknown = z.unknown().check((ctx) => {
    ctx.issues.push({ code: "custom", input: undefined, message: UNKNOWN, params: { names } });
  });
  return z.preprocess(
    exposeProto,
    z.object(shape, { error: () => `must be ${what}` }).catchall(unknown),
  );
}

/**
 * A map keyed by user input: `__proto__` is refused (Pulumi would drop it), and the result is
 * a plain object whose keys are all own properties.
 */
export function userMap<V extends z.ZodType>(entry: V, what: string, entryName: string) {
  const key = z.string().check((ctx) => {
    if (ctx.value === PROTO) {
      ctx.issues.push({
        code: "custom",
        input: undefined,
        message: `the ${entryName} ${protoKeyProblem("__proto__")}`,
      });
    }
  });
  return z.preprocess(exposeProto, z.record(key, entry, { error: () => `must be ${what}` }));
}

/** The JSON Schema of a section: objects built by `fields` are closed. */
export function jsonSchema(schema: z.ZodType): JsonSchema {
  const out = z.toJSONSchema(schema, {
    target: "draft-07",
    io: "input",
    unrepresentable: "any",
    override: (ctx) => {
      const def = (
        ctx.zodSchema as unknown as { _zod: { def: { type: string; catchall?: unknown } } }
      )._zod.def;
      if (def.type === "object" && def.catchall) ctx.jsonSchema.additionalProperties = false;
      delete ctx.jsonSchema.defaultText;
      // z.int() writes JavaScript's safe-integer bounds; YAML readers need no such bound.
      if (ctx.jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete ctx.jsonSchema.maximum;
      if (ctx.jsonSchema.minimum === Number.MIN_SAFE_INTEGER) delete ctx.jsonSchema.minimum;
      // z.record writes that its keys are text, which every YAML map key already is.
      const keys = ctx.jsonSchema.propertyNames as { type?: string } | undefined;
      if (keys?.type === "string" && Object.keys(keys).length === 1) {
        delete ctx.jsonSchema.propertyNames;
      }
    },
  }) as JsonSchema;
  delete out.$schema;
  return out;
}

/** An object's JSON Schema as the schema file has always written it (`required: []`). */
export function closedObject(schema: z.ZodType): JsonSchema {
  const { properties } = jsonSchema(schema);
  return { type: "object", properties, required: [], additionalProperties: false };
}

/** A path key written as is after its parent: `[""]` for a blank map key (`pulumi config set --path`). */
export const bracketed = (key: string): symbol => Symbol(`[${JSON.stringify(key)}]`);

/** `a.b[0]`: keys joined as `pulumi config set --path` takes them. */
export function issuePath(base: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>((at, key) => {
    if (typeof key === "number") return `${at}[${key}]`;
    if (typeof key === "symbol") return `${at}${key.description}`;
    return join(at, key === PROTO ? "__proto__" : key);
  }, base);
}

const isUnknown = (iss: z.core.$ZodIssue) => iss.code === "custom" && iss.message === UNKNOWN;
const keyOf = (iss: z.core.$ZodIssue) =>
  iss.path[0] === PROTO ? "__proto__" : String(iss.path[0]);

/**
 * Issues in today's order: unknown fields first (sorted), then the object's own (no path),
 * then field by field in `order` (the order the section checks its fields), each field's
 * issues as zod raised them.
 */
export function ordered(issues: readonly z.core.$ZodIssue[], order: readonly string[]) {
  const top = (iss: z.core.$ZodIssue) => isUnknown(iss) && iss.path.length === 1;
  const unknowns = issues
    .filter(top)
    .sort((a, b) => Number(keyOf(a) > keyOf(b)) - Number(keyOf(a) < keyOf(b)));
  const rank = (iss: z.core.$ZodIssue) => (iss.path.length === 0 ? -1 : order.indexOf(keyOf(iss)));
  return [...unknowns, ...issues.filter((iss) => !top(iss)).sort((a, b) => rank(a) - rank(b))];
}

/** Runs a schema, reporting every issue (`ordered`) as a problem at its path; undefined when any. */
export function parseInto<T extends z.ZodType>(
  schema: T,
  p: Problems,
  path: string,
  value: unknown,
  order: readonly string[],
): z.output<T> | undefined {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  for (const iss of ordered(r.error.issues, order)) {
    const at = issuePath(path, iss.path);
    if (isUnknown(iss)) {
      const names = (iss as { params?: { names: string[] } }).params!.names;
      const near = nearestName(keyOf({ ...iss, path: iss.path.slice(-1) }), names);
      p.add(at, `${UNKNOWN}; allowed: ${list(names)}${near ? `; did you mean ${near}?` : ""}`);
    } else p.add(at, iss.message);
  }
  return undefined;
}
