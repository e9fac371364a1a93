/** `promotion`: the staging gate, and its break-glass overrides. */
import { normalizeVersionId } from "../../core/versionId";
import { dict } from "../../core/dict";
import { stackReferenceProblem } from "../../config/rules";
import {
  type Infer,
  Problems,
  checkFields,
  contract,
  int,
  join,
  list,
  mapSchema,
  objectField,
  objectSchema,
} from "../../config/contract/kernel";
import type { SecretSpec } from "../../config/contract/secret";
import { VERSION_ID_SCHEMA } from "../../config/contract/version";

export const DEFAULT_SOAK_HOURS = 24;
/** Longest soak: a year (a longer one is a gate nobody can pass). */
export const MAX_SOAK_HOURS = 8760;

export const OVERRIDE_FIELDS = contract({
  version: {
    presence: "required",
    defaultText: "required",
    doc: "the listed version that skips the gate",
    schema: VERSION_ID_SCHEMA,
    parse: (
      p: Problems,
      path: string,
      value: unknown,
      secret: { name: string; known: boolean; ids: readonly string[] },
    ): string | undefined => {
      const version = normalizeVersionId(value);
      if (version === undefined || (secret.known && !secret.ids.includes(version))) {
        p.add(
          path,
          `${JSON.stringify(value)} is not among the versions of "${secret.name}"; listed: ${list(secret.ids) || "none"}`,
        );
      }
      return version;
    },
  },
  reason: {
    presence: "required",
    defaultText: "required",
    doc: "why; quoted in the warning every `pulumi up` logs",
    schema: { type: "string", minLength: 1 },
    parse: (p: Problems, path: string, value: unknown): string => {
      const reason = typeof value === "string" ? value.trim() : "";
      if (reason === "") {
        p.add(
          path,
          "is required: why this version skips the staging gate (it is logged on every pulumi up)",
        );
      }
      return reason;
    },
  },
});

/** A break-glass pass through the staging gate for one version of one secret. */
export type PromotionOverride = Infer<typeof OVERRIDE_FIELDS>;

export const PROMOTION_FIELDS = contract({
  fromStack: {
    presence: "required",
    defaultText: "required",
    doc: "the stack that runs every version first, `<organization>/<project>/<stack>`",
    schema: { type: "string", pattern: "^[^/]+/[^/]+/[^/]+$" },
    parse: (p: Problems, path: string, value: unknown, stack: string): string => {
      if (typeof value !== "string") {
        p.add(
          path,
          "is required: the stack that runs every version first, as <organization>/<project>/<stack>",
        );
        return "";
      }
      const problem = stackReferenceProblem(value);
      if (problem) p.add(path, problem);
      else if (value === stack || value.endsWith(`/${stack}`)) {
        p.add(path, `"${value}" is this stack; the gate reads another stack (staging)`);
      }
      return value;
    },
  },
  soakHours: int({
    min: 0,
    max: MAX_SOAK_HOURS,
    default: DEFAULT_SOAK_HOURS,
    allowed: `a whole number of hours from 0 to ${MAX_SOAK_HOURS} (default ${DEFAULT_SOAK_HOURS})`,
    doc: `hours staging must have run a version, 0–${MAX_SOAK_HOURS}`,
  }),
  override: {
    presence: "default",
    defaultText: "none",
    doc: "by secret name: one version that skips the gate (see [Staging before production](#staging-before-production))",
    schema: mapSchema(objectSchema(OVERRIDE_FIELDS)),
    nested: { key: "<secret>", contract: OVERRIDE_FIELDS },
    parse: parseOverrides,
  },
});

/** The staging-before-production gate. */
export type PromotionSpec = Infer<typeof PROMOTION_FIELDS>;

export const PROMOTION_SCHEMA = objectSchema(PROMOTION_FIELDS);

/** The overrides: each names a listed version of a secret of this stack, with a reason. */
function parseOverrides(
  p: Problems,
  path: string,
  value: unknown,
  secrets: readonly SecretSpec<unknown>[],
  secretNames: ReadonlySet<string>,
): Record<string, PromotionOverride> {
  const raw = objectField(p, path, value, "a map of secret name to { version, reason }") ?? {};
  const override = dict<PromotionOverride>();
  for (const name of Object.keys(raw).sort()) {
    const entryPath = join(path, name);
    const entry = objectField(p, entryPath, raw[name], "an object { version, reason }");
    if (!entry) continue;
    checkFields(p, entryPath, entry, OVERRIDE_FIELDS);
    const known = secretNames.has(name);
    if (!known) {
      p.add(
        entryPath,
        `"${name}" is not a secret of this stack; defined: ${list([...secretNames].sort()) || "none"}`,
      );
    }
    const ids = secrets.find((s) => s.name === name)?.versions.map((v) => v.id) ?? [];
    const version = OVERRIDE_FIELDS.version.parse(p, join(entryPath, "version"), entry.version, {
      name,
      known,
      ids,
    });
    const reason = OVERRIDE_FIELDS.reason.parse(p, join(entryPath, "reason"), entry.reason);
    if (version !== undefined) override[name] = { version, reason };
  }
  return override;
}

/** The staging gate, when configured. */
export function parsePromotion(
  p: Problems,
  path: string,
  value: unknown,
  stack: string,
  secrets: readonly SecretSpec<unknown>[],
  secretNames: ReadonlySet<string>,
): PromotionSpec | undefined {
  const raw = objectField(p, path, value, "an object { fromStack, soakHours, override }");
  if (!raw) return undefined;
  const f = PROMOTION_FIELDS;
  checkFields(p, path, raw, f);
  const fromStack = f.fromStack.parse(p, join(path, "fromStack"), raw.fromStack, stack);
  const soakHours = f.soakHours.parse(p, join(path, "soakHours"), raw.soakHours);
  const override = f.override.parse(p, join(path, "override"), raw.override, secrets, secretNames);
  return { fromStack, soakHours, override };
}
