/** `promotion`: the staging gate, and its break-glass overrides. */
import { z } from "zod";
import { dict } from "../../core/dict";
import { normalizeVersionId } from "../../core/versionId";
import { stackReferenceProblem } from "../rules";
import { type Problems, list } from "../../core/problems";
import { isObject } from "../zod/vocabulary";
import { contractOf } from "../zod/view";
import type { SecretSpec } from "./secret";
import { VERSION_ID_SCHEMA, notListed } from "./version";
import {
  always,
  defaulted,
  fields,
  jsonSchema,
  ordered,
  parseInto,
  wholeNumber,
} from "../zod/field";

export const DEFAULT_SOAK_HOURS = 24;
/** Longest soak: a year (a longer one is a gate nobody can pass). */
export const MAX_SOAK_HOURS = 8760;

/** What the gate is checked against: this stack, and its secrets as parsed. */
interface PromotionContext {
  stack: string;
  secrets: readonly SecretSpec<unknown>[];
  secretNames: ReadonlySet<string>;
}

/** The fields of one override, for the secret `name`. */
function overrideShape(name: string, ctx: PromotionContext) {
  // A secret that failed its own checks is not among ctx.secrets: its versions are unknown
  // then, and its own problems are reported, so the override's version is not judged.
  const parsed = ctx.secrets.find((s) => s.name === name);
  const ids = parsed?.versions.map((v) => v.id) ?? [];
  return {
    version: z
      .unknown()
      .meta({ ...VERSION_ID_SCHEMA, description: "the listed version that skips the gate" })
      .transform((value, issues) => {
        const version = normalizeVersionId(value);
        if (version === undefined || (parsed && !ids.includes(version))) {
          issues.addIssue(notListed(value, ids, name));
        }
        return version!;
      }),
    reason: z
      .unknown()
      .meta({
        type: "string",
        minLength: 1,
        description: "why; quoted in the warning every `pulumi up` logs",
      })
      .transform((value, issues) => {
        const reason = typeof value === "string" ? value.trim() : "";
        if (reason === "") {
          issues.addIssue(
            "is required: why this version skips the staging gate (it is logged on every pulumi up)",
          );
        }
        return reason;
      }),
  };
}

/** One override: its fields, and whether it names a secret of this stack. */
function overrideSchema(name: string, ctx: PromotionContext) {
  return fields(overrideShape(name, ctx), "an object { version, reason }").superRefine(
    (_, issues) => {
      if (ctx.secretNames.has(name)) return;
      const defined = list([...ctx.secretNames].sort()) || "none";
      issues.addIssue(`"${name}" is not a secret of this stack; defined: ${defined}`);
    },
    always,
  );
}

/** A break-glass pass through the staging gate for one version of one secret. */
export type PromotionOverride = z.output<ReturnType<typeof overrideSchema>>;

const ANY: PromotionContext = { stack: "", secrets: [], secretNames: new Set() };

/**
 * The overrides by secret name, name by name in sorted order (`__proto__` included: it is a
 * name like any other here, refused as no secret of this stack). An empty entry is skipped.
 */
function overrides(ctx: PromotionContext) {
  return z
    .unknown()
    .meta({
      ...jsonSchema(z.record(z.string(), overrideSchema("", ANY))),
      description:
        "by secret name: one version that skips the gate (see [Staging before production](promotion.md))",
      defaultText: "none",
      default: {},
    })
    .optional()
    .transform((value, issues) => {
      const override = dict<PromotionOverride>();
      if (value === undefined || value === null) return override;
      if (!isObject(value)) {
        issues.addIssue("must be a map of secret name to { version, reason }");
        return override;
      }
      for (const name of Object.keys(value).sort()) {
        if (value[name] === undefined || value[name] === null) continue;
        const r = overrideSchema(name, ctx).safeParse(value[name]);
        if (r.success) override[name] = r.data;
        for (const iss of r.success ? [] : ordered(r.error.issues, ["version", "reason"])) {
          const params = (iss as { params?: Record<string, unknown> }).params;
          const path = [name, ...iss.path];
          issues.issues.push({
            code: "custom",
            input: undefined,
            message: iss.message,
            path,
            params,
          });
        }
      }
      return override;
    });
}

function promotionShape(ctx: PromotionContext) {
  const missing =
    "is required: the stack that runs every version first, as <organization>/<project>/<stack>";
  return {
    fromStack: z
      .string({ error: () => missing })
      .superRefine((value, issues) => {
        const problem = stackReferenceProblem(value);
        if (problem) issues.addIssue(problem);
        else if (value === ctx.stack || value.endsWith(`/${ctx.stack}`)) {
          issues.addIssue(`"${value}" is this stack; the gate reads another stack (staging)`);
        }
      })
      .meta({
        pattern: "^[^/]+/[^/]+/[^/]+$",
        description: "the stack that runs every version first, `<organization>/<project>/<stack>`",
      }),
    soakHours: defaulted(
      wholeNumber(
        0,
        MAX_SOAK_HOURS,
        `a whole number of hours from 0 to ${MAX_SOAK_HOURS} (default ${DEFAULT_SOAK_HOURS})`,
        {
          description: `hours staging must have run a version, 0–${MAX_SOAK_HOURS}`,
          default: DEFAULT_SOAK_HOURS,
        },
      ),
      DEFAULT_SOAK_HOURS,
      { emptyIsAbsent: true },
    ),
    override: overrides(ctx),
  };
}

function promotionSchema(ctx: PromotionContext) {
  return fields(promotionShape(ctx), "an object { fromStack, soakHours, override }");
}

/** The staging-before-production gate. */
export type PromotionSpec = z.output<ReturnType<typeof promotionSchema>>;

export const PROMOTION_FIELDS = contractOf(promotionShape(ANY), {
  override: { key: "<secret>", contract: contractOf(overrideShape("", ANY)) },
});
export const PROMOTION_SCHEMA = jsonSchema(promotionSchema(ANY));

/** The staging gate, when configured. */
export function parsePromotion(
  p: Problems,
  path: string,
  value: unknown,
  stack: string,
  secrets: readonly SecretSpec<unknown>[],
  secretNames: ReadonlySet<string>,
): PromotionSpec | undefined {
  if (value === undefined || value === null) return undefined;
  const schema = promotionSchema({ stack, secrets, secretNames });
  return parseInto(schema, p, path, value, ["fromStack", "soakHours", "override"]);
}
