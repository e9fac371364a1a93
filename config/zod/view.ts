/**
 * The reference page's view of the config: each field's doc, default text, presence, schema,
 * nested fields and workload kinds, read from the zod schemas (`contractOf`). The reference
 * page (reference.ts), the kind rule and the schema's unprefixed keys read it.
 */
import { z } from "zod";
import type { JsonSchema } from "./vocabulary";

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

/** One field as the reference page and the kind rule read it. */
export interface AnyField {
  /**
   * Whether a field must be given (`required`), is filled from a default when absent
   * (`default`), or may stay absent (`optional`).
   */
  presence: "required" | "default" | "optional";
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
}

/** A section's fields by name, in the order the README lists them. */
export type Contract = Readonly<Record<string, AnyField>>;

/**
 * The `Contract` view of a zod shape: the doc, the default text and the presence, read from the generated schema.
 */
export function contractOf(shape: z.ZodRawShape, nested: Record<string, Nested> = {}): Contract {
  const js = z.toJSONSchema(z.object(shape), {
    target: "draft-07",
    io: "input",
    unrepresentable: "any",
  }) as { properties: Record<string, JsonSchema>; required?: string[] };
  return Object.fromEntries(
    Object.entries(js.properties).map(([name, s]) => {
      const isRequired = js.required?.includes(name) ?? false;
      const literal = s.default === undefined ? undefined : defaultLiteral(s.default);
      const defaultText =
        (s.defaultText as string | undefined) ?? literal ?? (isRequired ? "required" : "none");
      const field: AnyField = {
        presence: isRequired ? "required" : literal || s.defaultText ? "default" : "optional",
        defaultText,
        doc: typeof s.description === "string" ? s.description : "",
        schema: s,
        ...(nested[name] && { nested: nested[name] }),
      };
      return [name, field];
    }),
  );
}

const defaultLiteral = (v: unknown) =>
  typeof v === "string"
    ? v
    : typeof v === "object"
      ? `\`${JSON.stringify(v)}\``
      : JSON.stringify(v);
