/**
 * The field kernel's whole numbers (re-exported by kernel.ts): the integer schema, the
 * lenient `wholeNumber`, and the `int` / `optionalInt` field declarations (Pulumi's
 * `type: integer` rule moved to config/zod/pulumiInteger.ts with the stack's keys). Split from
 * kernel.ts (issue 18) to keep each file under 350 lines.
 */
import type { JsonSchema, Problems } from "./fieldTypes";

/** An integer as YAML writes it, or as text (`pulumi config set` stores text). */
export function intSchema(min: number, max?: number): JsonSchema {
  return {
    anyOf: [
      { type: "integer", minimum: min, ...(max !== undefined && { maximum: max }) },
      { type: "string", pattern: "^\\s*-?\\d+\\s*$" },
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
  bounds: {
    min: number;
    max?: number;
    /** What the message says is allowed (and the default). */
    allowed: string;
    fallback: number;
  },
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
