/**
 * The container fields of `workloads.<name>`: the rolling update, requests and limits, plain
 * variables, and the rule that keeps secret keys and variables from replacing each other.
 */
import { dict, plain } from "../../core/dict";
import { quantityProblem, quantityValue } from "../rules";
import {
  type Infer,
  type JsonSchema,
  Problems,
  checkFields,
  contract,
  join,
  objectField,
  scalarText,
} from "./kernel";

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

function rolloutField(field: "maxUnavailable" | "maxSurge", doc: string) {
  // Only maxUnavailable has a percentage cap (ValidateRollingUpdateDeployment).
  const maxPercent = field === "maxUnavailable" ? MAX_UNAVAILABLE_PERCENT : undefined;
  const percentText =
    maxPercent === undefined
      ? 'a percentage such as "25%" or "150%"'
      : `a percentage such as "25%" (at most ${maxPercent}%)`;
  return {
    presence: "default" as const,
    defaultText: String(DEFAULT_ROLLOUT[field]),
    doc,
    schema: intOrPercentSchema(maxPercent),
    parse: (p: Problems, path: string, value: unknown): number | string => {
      if (value === undefined || value === null) return DEFAULT_ROLLOUT[field];
      const percent = percentValue(value);
      const valid =
        (typeof value === "number" &&
          Number.isSafeInteger(value) &&
          value >= 0 &&
          value <= INT32_MAX) ||
        (percent !== undefined && (maxPercent === undefined || percent <= maxPercent));
      if (!valid) {
        p.add(
          path,
          `${JSON.stringify(value)} is not allowed; a whole number from 0 to ${INT32_MAX} (an int32 field) or ${percentText} (default ${DEFAULT_ROLLOUT[field]})`,
        );
        return DEFAULT_ROLLOUT[field];
      }
      return value as number | string;
    },
  };
}

export const ROLLOUT_FIELDS = contract({
  maxUnavailable: rolloutField(
    "maxUnavailable",
    "pods that may be unavailable during a rollout: int32 or a percentage up to 100%",
  ),
  maxSurge: rolloutField(
    "maxSurge",
    "pods above `replicas` during a rollout: int32 or a percentage (above 100% allowed)",
  ),
});
export type RolloutSpec = Infer<typeof ROLLOUT_FIELDS>;

function quantities(p: Problems, path: string, value: unknown): Record<string, string> | undefined {
  const raw = objectField(p, path, value, "a map such as { cpu, memory }");
  if (!raw) return undefined;
  checkFields(p, path, raw, RESOURCE_NAMES);
  const out = dict<string>();
  for (const resource of Object.keys(raw).sort()) {
    const text = scalarText(raw[resource]);
    const problem = text === undefined ? "must be a quantity" : quantityProblem(text);
    if (problem) p.add(join(path, resource), problem);
    else out[resource] = text!;
  }
  return plain(out);
}

const QUANTITIES_SCHEMA: JsonSchema = {
  type: "object",
  properties: Object.fromEntries(
    RESOURCE_NAMES.map((r) => [
      r,
      { type: ["string", "number"], description: `a Kubernetes quantity of ${r}` },
    ]),
  ),
  additionalProperties: false,
};

export const RESOURCES_FIELDS = contract({
  requests: {
    presence: "optional",
    defaultText: "none",
    doc: "`cpu`, `memory`, `ephemeral-storage` quantities the scheduler reserves; each at most its limit",
    schema: QUANTITIES_SCHEMA,
    parse: quantities,
  },
  limits: {
    presence: "optional",
    defaultText: "none",
    doc: "`cpu`, `memory`, `ephemeral-storage` quantities the container may not exceed",
    schema: QUANTITIES_SCHEMA,
    parse: quantities,
  },
});
export type ResourcesSpec = Infer<typeof RESOURCES_FIELDS>;

export function parseResources(
  p: Problems,
  path: string,
  value: unknown,
): ResourcesSpec | undefined {
  const raw = objectField(p, path, value, "an object with requests and/or limits");
  if (!raw) return undefined;
  checkFields(p, path, raw, RESOURCES_FIELDS);
  const resources: ResourcesSpec = {};
  for (const section of ["requests", "limits"] as const) {
    const parsed = RESOURCES_FIELDS[section].parse(p, join(path, section), raw[section]);
    if (parsed) resources[section] = parsed;
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
  const raw = objectField(p, path, value, "an object { maxUnavailable, maxSurge }");
  if (!raw) return { ...DEFAULT_ROLLOUT };
  checkFields(p, path, raw, ROLLOUT_FIELDS);
  const rollout = {
    maxUnavailable: ROLLOUT_FIELDS.maxUnavailable.parse(
      p,
      join(path, "maxUnavailable"),
      raw.maxUnavailable,
    ),
    maxSurge: ROLLOUT_FIELDS.maxSurge.parse(p, join(path, "maxSurge"), raw.maxSurge),
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
          join(path, `secrets[${i}]`),
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
