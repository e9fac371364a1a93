/** `secrets.<name>.canary`: some pods of each linked Deployment run another version first. */
import { normalizeVersionId } from "../../core/versionId";
import {
  type Infer,
  Problems,
  checkFields,
  contract,
  join,
  list,
  objectField,
  objectSchema,
  requiredInt,
} from "../../config/contract/kernel";
import { VERSION_ID_SCHEMA } from "../../config/contract/version";

export const CANARY_FIELDS = contract({
  version: {
    presence: "required",
    defaultText: "required",
    doc: "the version the canary pods run: a listed version other than `active`",
    schema: VERSION_ID_SCHEMA,
    /** The version id, checked against the listed versions and the active one. */
    parse: (
      p: Problems,
      path: string,
      value: unknown,
      ctx: { ids: readonly string[]; active?: string },
    ): string | undefined => {
      const version = normalizeVersionId(value);
      if (value === undefined || value === null) {
        p.add(path, "is required: the version the canary pods run (one of the versions)");
      } else if (version === undefined || !ctx.ids.includes(version)) {
        p.add(
          path,
          `${JSON.stringify(value)} is not among the versions; listed: ${list(ctx.ids) || "none"}`,
        );
      } else if (version === ctx.active) {
        p.add(
          path,
          `${version} is the active version; a canary tests another version (to promote, remove canary)`,
        );
      }
      return version;
    },
  },
  percent: requiredInt({
    min: 1,
    max: 100,
    allowed: "a whole number from 1 to 100 (the share of each linked Deployment's pods)",
    doc: "share of each linked Deployment's replicas that run the canary, 1–100",
  }),
});

/** A canary rollout of one secret: some pods of each linked Deployment run `version`. */
export type CanarySpec = Infer<typeof CANARY_FIELDS>;

export const CANARY_SCHEMA = objectSchema(CANARY_FIELDS);

export function parseCanary(
  p: Problems,
  path: string,
  value: unknown,
  ctx: { ids: readonly string[]; active?: string; environment: string },
): CanarySpec | undefined {
  const raw = objectField(p, path, value, "an object { version, percent }");
  if (!raw) return undefined;
  checkFields(p, path, raw, CANARY_FIELDS);
  if (ctx.environment === "dev") {
    p.add(
      path,
      "dev keeps one unversioned Secret, so there is no second version to canary; canary in staging or production",
    );
  }
  const version = CANARY_FIELDS.version.parse(p, join(path, "version"), raw.version, ctx);
  const percent = CANARY_FIELDS.percent.parse(p, join(path, "percent"), raw.percent) ?? 0;
  return version === undefined ? undefined : { version, percent };
}
