/**
 * Readers of one `aws:*` value, shared by the settings (`awsSettings.ts`) and the roles
 * (`awsRoles.ts`): each pushes a problem naming the whole key and returns undefined when the
 * value is not what the provider takes. Kept apart so both files use them without a cycle.
 */
import type { ConfigProblem } from "../core/problems";

const AWS = "aws";
const key = (p: string) => `${AWS}:${p}`;

/** A problem with an `aws:` key: the whole key names it. */
export function problem(p: string, message: string): ConfigProblem {
  return { path: key(p), key: key(p), message };
}

export const GUARD_OFF =
  "or turn the AWS check off with secret-rotation:guard.aws false (pruning then goes by the config and memory alone)";

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** strconv.ParseBool, which the bridge applies to a boolean config text. */
export function parseBool(v: unknown): boolean | undefined {
  if (typeof v === "boolean") return v;
  if (typeof v !== "string") return undefined;
  if (["1", "t", "T", "TRUE", "true", "True"].includes(v)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(v)) return false;
  return undefined;
}

export function stringField(
  problems: ConfigProblem[],
  at: string,
  value: unknown,
): string | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string") {
    problems.push(problem(at, "must be a string"));
    return undefined;
  }
  return value;
}

export function stringList(
  problems: ConfigProblem[],
  at: string,
  value: unknown,
): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
    problems.push(problem(at, "must be a list of strings"));
    return undefined;
  }
  return value.length > 0 ? (value as string[]) : undefined;
}

export const opt = <K extends string, V>(k: K, v: V | undefined) =>
  (v === undefined ? {} : { [k]: v }) as Partial<Record<K, V>>;
