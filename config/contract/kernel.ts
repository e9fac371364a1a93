/**
 * What is left of the old field kernel (every section is declared in zod, config/zod/): the
 * JSON Schema helpers version.ts still uses, and the vocabulary re-exported below.
 */
import type { AnyField, Contract, JsonSchema } from "./fieldTypes";

// The vocabulary and the whole numbers live in their own files (split unchanged to keep each
// under 350 lines); every section still imports the kernel from here.
export * from "./fieldTypes";
export * from "./fieldNumbers";

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
