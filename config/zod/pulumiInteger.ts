/**
 * Helpers of the secret and stack sections on the zod kernel (config/zod/field.ts): Pulumi's
 * `type: integer` text rule as a zod field, and a field parsed by a section's own
 * `parse*(p, path, value)` (sections already declared in zod that keep their signature).
 */
import { z } from "zod";
import { intSchema } from "./vocabulary";
import { Problems } from "../../core/problems";

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

export interface PulumiIntegerRule {
  min: number;
  max?: number;
  /** What the message says is allowed (and the default). */
  allowed: string;
  /** What refuses text the rule refuses (named in the message). */
  why: string;
}

/**
 * Why Pulumi's `type: integer` refuses this value, if it does; else the number. Pulumi v3.248.0
 * sdk/go/common/workspace/project.go ValidateConfigValue passes text only when `strconv.Atoi`
 * parses it (see PULUMI_INTEGER_TEXT); a number (a caller handing parsed values) must be a safe
 * integer. Both must lie in [min, max].
 */
export function pulumiIntegerOf(
  value: unknown,
  rule: PulumiIntegerRule,
): { n: number } | { problem: string } {
  let n: number | undefined;
  if (typeof value === "string") {
    if (!PULUMI_INTEGER_TEXT.test(value)) {
      return {
        problem: `${JSON.stringify(value)} is not allowed; ${rule.allowed}, written as digits with an optional sign (no spaces, decimal point, exponent or 0x): ${rule.why}`,
      };
    }
    n = Number(value) + 0; // "-0" is Atoi's 0
  } else if (typeof value === "number" && Number.isSafeInteger(value)) {
    n = value;
  }
  if (n === undefined || n < rule.min || (rule.max !== undefined && n > rule.max)) {
    return { problem: `${JSON.stringify(value)} is not allowed; ${rule.allowed}` };
  }
  return { n };
}

/**
 * A whole number read by Pulumi's `type: integer` rule; `fallback` when absent (undefined:
 * `nullIsAbsent` makes null absent too) or refused. Its JSON Schema: an integer in [min, max],
 * or text of digits. A field that is off when absent has `fallback: undefined`.
 */
export function pulumiInteger<F extends number | undefined>(
  rule: PulumiIntegerRule & { fallback: F; nullIsAbsent?: boolean },
  doc: Record<string, unknown>,
) {
  return z
    .unknown()
    .meta({ ...intSchema(rule.min, rule.max, PULUMI_INTEGER_TEXT.source), ...doc })
    .optional()
    .transform((value, ctx): number | F => {
      if (value === undefined || (rule.nullIsAbsent && value === null)) return rule.fallback;
      const r = pulumiIntegerOf(value, rule);
      if ("n" in r) return r.n;
      ctx.addIssue(r.problem);
      return rule.fallback;
    });
}

/**
 * A field parsed by a section's own `parse(p, path, value)`, at its absolute path `at` (a
 * message may name it): each problem becomes an issue of this field at the same path (a
 * symbol key is written as is after its parent, see issuePath), in the same order. The problems
 * of such a parser are all at `at` or under it.
 */
export function reported<T>(
  at: string,
  parse: (p: Problems, path: string, value: unknown) => T,
  doc: Record<string, unknown>,
  required = false,
) {
  const base = z.unknown().meta(doc);
  return (required ? base : base.optional()).transform((value, ctx): T => {
    const p = new Problems();
    const out = parse(p, at, value);
    for (const { path, message } of p.list) {
      const under = path.slice(at.length);
      ctx.issues.push({
        code: "custom",
        input: undefined,
        message,
        path: under ? [Symbol(under)] : [],
      });
    }
    return out;
  });
}
