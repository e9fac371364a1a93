/**
 * An optional (or, with `missing`, required) nested object field whose problems keep today's
 * order inside it, and a rule spanning its fields that runs after them.
 */
import { z } from "zod";
import { isObject } from "./vocabulary";
import { jsonSchema, ordered } from "./field";

/**
 * A nested object parsed by its own `fields` schema: its issues in today's order (`ordered`:
 * unknown fields first, then field by field), under the field's path.
 */
export function nested<T extends z.ZodType>(
  schema: T,
  order: readonly string[],
  what: string,
  doc: Record<string, unknown>,
  missing?: string,
  rule?: (value: Record<string, unknown>, report: (path: string, message: string) => void) => void,
) {
  const base = z.unknown().meta({ ...jsonSchema(schema), ...doc });
  return (missing === undefined ? base.optional() : base).transform(
    (value, ctx): z.output<T> | undefined => {
      if (value === undefined || value === null) {
        if (missing !== undefined) ctx.addIssue(missing);
        return undefined;
      }
      if (!isObject(value)) {
        ctx.addIssue(`must be ${what}`);
        return undefined;
      }
      const r = schema.safeParse(value);
      for (const iss of r.success ? [] : ordered(r.error.issues, order)) {
        const params = (iss as { params?: Record<string, unknown> }).params;
        ctx.issues.push({
          code: "custom",
          input: undefined,
          message: iss.message,
          path: iss.path,
          params,
        });
      }
      // A rule spanning fields runs after the field problems, on the values as given.
      rule?.(value, (at, message) =>
        ctx.issues.push({ code: "custom", input: undefined, message, path: [at] }),
      );
      return r.success ? r.data : undefined;
    },
  );
}
