/**
 * The container fields of `workloads.<name>`: the rolling update, requests and limits, plain
 * variables, and the rule that keeps secret keys and variables from replacing each other.
 * Declared in zod (config/zod/field.ts); `parseRollout` and `parseResources` keep the
 * `(p, path, value)` signature for workload.ts, which still reads the other fields.
 */
import { z } from "zod";
import { dict, plain } from "../../core/dict";
import { quantityProblem, quantityValue } from "../rules";
import { type JsonSchema, isObject, scalarText } from "../zod/vocabulary";
import { Problems, join } from "../../core/problems";
import { contractOf } from "../zod/view";
import { closedObject, fields, parseInto } from "../zod/field";

/** replicas, minReadySeconds, progressDeadlineSeconds, maxSurge, maxUnavailable are int32. */
export const INT32_MAX = 2147483647;
export const DEFAULT_MIN_READY_SECONDS = 10;
export const DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;
/** Rollout defaults that never drop serving capacity: a new pod is ready before an old goes. */
export const DEFAULT_ROLLOUT = { maxUnavailable: 0, maxSurge: 1 } as const;
const RESOURCE_NAMES = ["cpu", "ephemeral-storage", "memory"];

/**
 * A percentage as the API server reads it: apimachinery pkg/util/validation/validation.go
 * IsValidPercent, `^[0-9]+%$`. Kubernetes pkg/apis/apps/validation/validation.go
 * ValidateRollingUpdateDeployment caps only maxUnavailable at 100% (IsNotMoreThan100Percent):
 * maxSurge "150%" is allowed (it lets a rollout start 1.5 times `replicas` new pods at once).
 */
const PERCENT = /^[0-9]+%$/;
const MAX_UNAVAILABLE_PERCENT = 100;

/** The percentage of a value that passed `PERCENT` (`"150%"` is 150), else undefined. */
function percentValue(value: unknown): number | undefined {
  return typeof value === "string" && PERCENT.test(value) ? Number(value.slice(0, -1)) : undefined;
}

function intOrPercentSchema(maxPercent?: number): JsonSchema {
  return {
    anyOf: [
      { type: "integer", minimum: 0, maximum: INT32_MAX },
      {
        type: "string",
        pattern: maxPercent === undefined ? "^[0-9]+%$" : "^0*(100|[1-9]?\\d)%$",
      },
    ],
  };
}

type RolloutName = keyof typeof DEFAULT_ROLLOUT;

/** A valid rollout value as given, or undefined (absent, null or not allowed). */
function rolloutValue(field: RolloutName, value: unknown): number | string | undefined {
  // Only maxUnavailable has a percentage cap (ValidateRollingUpdateDeployment).
  const maxPercent = field === "maxUnavailable" ? MAX_UNAVAILABLE_PERCENT : undefined;
  const percent = percentValue(value);
  const valid =
    (typeof value === "number" &&
      Number.isSafeInteger(value) &&
      value >= 0 &&
      value <= INT32_MAX) ||
    (percent !== undefined && (maxPercent === undefined || percent <= maxPercent));
  return valid ? (value as number | string) : undefined;
}

function rolloutField(field: RolloutName, description: string) {
  const percentText =
    field === "maxUnavailable"
      ? `a percentage such as "25%" (at most ${MAX_UNAVAILABLE_PERCENT}%)`
      : 'a percentage such as "25%" or "150%"';
  const fallback: number | string = DEFAULT_ROLLOUT[field];
  return z
    .unknown()
    .meta({
      ...intOrPercentSchema(field === "maxUnavailable" ? MAX_UNAVAILABLE_PERCENT : undefined),
      description,
      default: fallback,
    })
    .optional()
    .transform((value, ctx): number | string => {
      if (value === undefined || value === null) return fallback;
      const valid = rolloutValue(field, value);
      if (valid !== undefined) return valid;
      ctx.addIssue(
        `${JSON.stringify(value)} is not allowed; a whole number from 0 to ${INT32_MAX} (an int32 field) or ${percentText} (default ${fallback})`,
      );
      return fallback;
    });
}

const ROLLOUT_SHAPE = {
  maxUnavailable: rolloutField(
    "maxUnavailable",
    "pods that may be unavailable during a rollout: int32 or a percentage up to 100%",
  ),
  maxSurge: rolloutField(
    "maxSurge",
    "pods above `replicas` during a rollout: int32 or a percentage (above 100% allowed)",
  ),
};
const ROLLOUT_SCHEMA = fields(ROLLOUT_SHAPE, "an object { maxUnavailable, maxSurge }");
export const ROLLOUT_FIELDS = contractOf(ROLLOUT_SHAPE);
export const ROLLOUT_JSON_SCHEMA = closedObject(ROLLOUT_SCHEMA);
export interface RolloutSpec {
  maxUnavailable: number | string;
  maxSurge: number | string;
}

/** The entries of a map of quantities that are quantities, by name in sorted order. */
function validQuantities(raw: Record<string, unknown>): Record<string, string> {
  const out = dict<string>();
  for (const resource of Object.keys(raw).sort()) {
    const text = scalarText(raw[resource]);
    if (text !== undefined && !quantityProblem(text)) out[resource] = text;
  }
  return plain(out);
}

function quantities(description: string) {
  return z
    .unknown()
    .meta({
      type: "object",
      properties: Object.fromEntries(
        RESOURCE_NAMES.map((r) => [
          r,
          { type: ["string", "number"], description: `a Kubernetes quantity of ${r}` },
        ]),
      ),
      additionalProperties: false,
      description,
    })
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value === null) return undefined;
      if (!isObject(value)) {
        ctx.addIssue("must be a map such as { cpu, memory }");
        return undefined;
      }
      const push = (path: string, message: string, params?: Record<string, unknown>) =>
        ctx.issues.push({ code: "custom", input: undefined, message, path: [path], params });
      // The typo guard first, then each quantity (parseInto adds the allowed and nearest names).
      const keys = Object.keys(value).sort();
      for (const key of keys.filter((k) => !RESOURCE_NAMES.includes(k))) {
        push(key, "unknown field", { names: RESOURCE_NAMES });
      }
      for (const resource of keys) {
        const text = scalarText(value[resource]);
        const problem = text === undefined ? "must be a quantity" : quantityProblem(text);
        if (problem) push(resource, problem);
      }
      return validQuantities(value);
    });
}

const RESOURCES_SHAPE = {
  requests: quantities(
    "`cpu`, `memory`, `ephemeral-storage` quantities the scheduler reserves; each at most its limit",
  ),
  limits: quantities(
    "`cpu`, `memory`, `ephemeral-storage` quantities the container may not exceed",
  ),
};
const RESOURCES_SCHEMA = fields(RESOURCES_SHAPE, "an object with requests and/or limits");
export const RESOURCES_FIELDS = contractOf(RESOURCES_SHAPE);
export const RESOURCES_JSON_SCHEMA = closedObject(RESOURCES_SCHEMA);
export interface ResourcesSpec {
  requests?: Record<string, string>;
  limits?: Record<string, string>;
}

export function parseResources(
  p: Problems,
  path: string,
  value: unknown,
): ResourcesSpec | undefined {
  if (value === undefined || value === null) return undefined;
  parseInto(RESOURCES_SCHEMA, p, path, value, ["requests", "limits"]);
  if (!isObject(value)) return undefined;
  // The valid quantities as given: the request/limit rule runs even when another failed.
  const resources: ResourcesSpec = {};
  for (const section of ["requests", "limits"] as const) {
    if (isObject(value[section])) resources[section] = validQuantities(value[section]);
  }
  // The API server refuses a container whose request exceeds its limit (Kubernetes
  // pkg/apis/core/validation/validation.go, ValidateResourceRequirements).
  for (const name of Object.keys(resources.requests ?? {})) {
    const request = resources.requests![name];
    const limit = resources.limits?.[name];
    if (limit !== undefined && quantityValue(request) > quantityValue(limit)) {
      p.add(
        join(join(path, "requests"), name),
        `${request} is more than the ${name} limit ${limit}; Kubernetes requires a request less than or equal to its limit`,
      );
    }
  }
  return resources;
}

export function parseRollout(p: Problems, path: string, value: unknown): RolloutSpec {
  if (value === undefined || value === null) return { ...DEFAULT_ROLLOUT };
  parseInto(ROLLOUT_SCHEMA, p, path, value, ["maxUnavailable", "maxSurge"]);
  if (!isObject(value)) return { ...DEFAULT_ROLLOUT };
  const rollout: RolloutSpec = {
    maxUnavailable: rolloutValue("maxUnavailable", value.maxUnavailable) ?? 0,
    maxSurge: rolloutValue("maxSurge", value.maxSurge) ?? DEFAULT_ROLLOUT.maxSurge,
  };
  // getIntOrPercentValue: "0%" and "00%" are zero too (ValidateRollingUpdateDeployment).
  const zero = (v: number | string) => v === 0 || percentValue(v) === 0;
  if (zero(rollout.maxUnavailable) && zero(rollout.maxSurge)) {
    p.add(path, "maxUnavailable and maxSurge cannot both be 0 (the rollout could never progress)");
  }
  return rollout;
}

/**
 * In one container every secret key becomes a variable: a key two linked secrets share, or a
 * plain `env` entry with a secret key's name, would make one value silently replace another.
 */
export function checkVariableCollisions(
  p: Problems,
  path: string,
  secrets: readonly string[],
  env: Readonly<Record<string, string>>,
  secretKeys: ReadonlyMap<string, readonly string[]>,
): void {
  const owner = new Map<string, string>();
  secrets.forEach((secret, i) => {
    for (const key of secretKeys.get(secret) ?? []) {
      const earlier = owner.get(key);
      if (earlier === undefined) owner.set(key, secret);
      else if (earlier !== secret) {
        p.add(
          `${join(path, "secrets")}[${i}]`,
          `"${secret}" and "${earlier}" both have the key ${key}; in one container one value would silently replace the other`,
        );
      }
    }
  });
  for (const name of Object.keys(env)) {
    const secret = owner.get(name);
    if (secret !== undefined) {
      p.add(
        join(join(path, "env"), name),
        `has the name of a key of secret "${secret}"; the plain value would replace the secret value`,
      );
    }
  }
}
