/**
 * Helpers for `workloads.<name>` (config/contract/workload.ts), whose checks run field by
 * field at each field's own path: the workload's own problems (its name, the variable
 * collisions) sit between its fields' problems, which one object schema and `ordered()`
 * would sort apart.
 */
import { z } from "zod";
import { type AnyField, type Contract } from "./view";
import { type JsonSchema } from "./vocabulary";
import { type Problems } from "../../core/problems";
import { fields, parseInto } from "./field";

/**
 * The typo guard as a zod schema: an object whose fields may be only `names` (sorted). Each
 * other field is `unknown field; allowed: ...; did you mean ...?` at its own path, in sorted
 * order, a `__proto__` key included (see `fields`).
 */
export function typoGuard(names: readonly string[]) {
  const shape = Object.fromEntries(names.map((name) => [name, z.unknown().optional()]));
  return fields(shape, "an object");
}

/**
 * One field at its own path: its value, or `fallback(value)` when it has a problem (zod gives
 * no value then), for the checks that still run on it (as the collisions run on the secrets
 * listed, known or not).
 */
export function parseOr<T extends z.ZodType, F>(
  schema: T,
  p: Problems,
  path: string,
  value: unknown,
  fallback: (value: unknown) => F,
): z.output<T> | F {
  const before = p.list.length;
  const out = parseInto(schema, p, path, value, []);
  return p.list.length > before ? fallback(value) : (out as z.output<T>);
}

/**
 * A contract view (`contractOf`) with the workload kinds that take each field, and the fields
 * a kind requires marked required: the shape leaves them optional so that the top-level
 * JSON Schema `required` lists only what every kind requires (the kind rule adds the rest).
 */
export function withKinds(
  view: Contract,
  kinds: Readonly<Record<string, readonly string[]>>,
  requiredByKind: readonly string[],
): Contract {
  return Object.fromEntries(
    Object.entries(view).map(([name, field]): [string, AnyField] => [
      name,
      {
        ...field,
        ...(requiredByKind.includes(name) && { presence: "required" as const }),
        ...(kinds[name] && { kinds: kinds[name] }),
      },
    ]),
  );
}

const STRING_LIST: JsonSchema = { type: "array", items: { type: "string" } };

/** A list of strings (absent: empty) as given, or `[]`: what later checks read. */
export const stringsOf = (value: unknown): string[] =>
  Array.isArray(value) && value.every((v) => typeof v === "string") ? [...value] : [];

/** A string list where each item is checked too, at `[i]`; absent is `[]`. */
export function checkedList(
  doc: Record<string, unknown>,
  item: (name: string, i: number, names: string[]) => string | undefined,
  empty?: string,
) {
  return z
    .unknown()
    .meta({ ...STRING_LIST, ...doc })
    .optional()
    .transform((value, ctx): string[] => {
      const given = value ?? [];
      if (!Array.isArray(given) || !given.every((v) => typeof v === "string")) {
        ctx.addIssue("must be a list of strings");
      }
      const names = stringsOf(given);
      if (names.length === 0 && empty) ctx.addIssue(empty);
      names.forEach((name, i) => {
        const problem = item(name, i, names);
        if (problem)
          ctx.issues.push({ code: "custom", input: undefined, message: problem, path: [i] });
      });
      return names;
    });
}

/** A required text checked by `rule` (`missing` decides what counts as absent). */
export function requiredText(
  doc: Record<string, unknown>,
  missing: (value: unknown) => boolean,
  rule: (value: string) => string | undefined,
  missingText: string,
) {
  return z
    .unknown()
    .meta({ ...doc, defaultText: "required" })
    .optional()
    .transform((value, ctx): string => {
      if (missing(value)) ctx.addIssue(missingText);
      else {
        const problem = rule(value as string);
        if (problem) ctx.addIssue(problem);
      }
      return String(value);
    });
}
