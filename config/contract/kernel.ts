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
import {
  type AnyField,
  type Contract,
  type Field,
  type JsonSchema,
  type Problems,
  list,
} from "./fieldTypes";
import type { FieldText } from "./fieldNumbers";

// The vocabulary and the whole numbers live in their own files (split unchanged to keep each
// under 350 lines); every section still imports the kernel from here.
export * from "./fieldTypes";
export * from "./fieldNumbers";

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
