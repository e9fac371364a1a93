/**
 * The field kernel's vocabulary (re-exported by kernel.ts): the JSON Schema fragment type,
 * Problems, the reference page's view of a field (AnyField, Contract), and the nearest name. Split from kernel.ts
 * unchanged (issue 18) to keep each file under 350 lines.
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
