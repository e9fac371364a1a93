/** `secrets.<name>.canary`: some pods of each linked Deployment run another version first. */
import { z } from "zod";
import { normalizeVersionId } from "../../core/versionId";
import type { Problems } from "../../core/problems";
import { contractOf } from "../zod/view";
import { VERSION_ID_SCHEMA, notListed } from "./version";
import { always, fields, jsonSchema, parseInto, required, wholeNumber } from "../zod/field";

/** What a canary is checked against: the secret's listed versions, its active one, the environment. */
export interface CanaryContext {
  ids: readonly string[];
  active?: string;
  environment: string;
}

const PERCENT = "a whole number from 1 to 100 (the share of each linked Deployment's pods)";

/** The fields, checked against the secret's versions (`ctx`). */
function canaryShape(ctx: CanaryContext) {
  return {
    version: z
      .unknown()
      .meta({
        ...VERSION_ID_SCHEMA,
        description: "the version the canary pods run: a listed version other than `active`",
      })
      .transform((value, issues) => {
        const version = normalizeVersionId(value);
        if (value === undefined || value === null) {
          issues.addIssue("is required: the version the canary pods run (one of the versions)");
        } else if (version === undefined || !ctx.ids.includes(version)) {
          issues.addIssue(notListed(value, ctx.ids));
        } else if (version === ctx.active) {
          issues.addIssue(
            `${version} is the active version; a canary tests another version (to promote, remove canary)`,
          );
        }
        return version;
      }),
    percent: required(
      wholeNumber(
        1,
        100,
        PERCENT,
        "share of each linked Deployment's replicas that run the canary, 1–100",
      ),
      `is required: ${PERCENT}`,
      { emptyIsAbsent: true },
    ),
  };
}

/** A canary of one secret, checked against its versions and environment. */
function canarySchema(ctx: CanaryContext) {
  return fields(canaryShape(ctx), "an object { version, percent }")
    .superRefine((_, issues) => {
      if (ctx.environment === "dev") {
        issues.addIssue(
          "dev keeps one unversioned Secret, so there is no second version to canary; canary in staging or production",
        );
      }
    }, always)
    .transform(({ version, percent }) => ({ version: version!, percent }));
}

/** A canary rollout of one secret: some pods of each linked Deployment run `version`. */
export type CanarySpec = z.output<ReturnType<typeof canarySchema>>;

const ANY: CanaryContext = { ids: [], environment: "" };
export const CANARY_FIELDS = contractOf(canaryShape(ANY));
export const CANARY_SCHEMA = jsonSchema(canarySchema(ANY));

export function parseCanary(
  p: Problems,
  path: string,
  value: unknown,
  ctx: CanaryContext,
): CanarySpec | undefined {
  if (value === undefined || value === null) return undefined;
  return parseInto(canarySchema(ctx), p, path, value, ["version", "percent"]);
}
