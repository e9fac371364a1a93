/**
 * The field kernel's whole numbers (re-exported by kernel.ts): the integer schemas, the
 * lenient `wholeNumber`, Pulumi's `type: integer` rule (`pulumiInteger`), and the `int` /
 * `optionalInt` field declarations. Split from kernel.ts unchanged (issue 18) to keep each
 * file under 350 lines.
 */
import { type Field, type JsonSchema, type Problems } from "./fieldTypes";

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

export interface FieldText {
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
