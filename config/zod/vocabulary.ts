/**
 * The config parsers' shared vocabulary: the JSON Schema fragment type, a user's object and
 * scalar, the nearest allowed name (the typo guard's hint), and an integer's schema. Pure: no
 * Pulumi import.
 */
import { distance } from "fastest-levenshtein";

/** A JSON Schema (draft-07) fragment. */
export type JsonSchema = { [keyword: string]: unknown };

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
 * An integer as YAML writes it, or as text (`pulumi config set` stores text) matching
 * `pattern` (by default digits with an optional `-`, spaces around allowed).
 */
export function intSchema(min: number, max?: number, pattern = "^\\s*-?\\d+\\s*$"): JsonSchema {
  return {
    anyOf: [
      { type: "integer", minimum: min, ...(max !== undefined && { maximum: max }) },
      { type: "string", pattern },
    ],
  };
}
