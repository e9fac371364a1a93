/**
 * What the linked-workload engine rules share: the base config with `billing` linked as a
 * given kind, and models of two Kubernetes rules a patch meets (an env entry's value sources,
 * and server-side apply of one entry).
 */
import type { ExternalKind } from "../config/contract/workload";
import { type TestConfig, baseConfig, secretOf } from "./helpers";

/** The base config with `billing` linked (containers api and worker, keys api_token and db_password). */
export function linkedKind(kind: ExternalKind = "Deployment"): TestConfig {
  const config = baseConfig();
  for (const id of Object.keys(secretOf(config).versions)) {
    secretOf(config).versions[id] = { api_token: `t-${id}`, db_password: `p-${id}` };
  }
  (config.workloads as Record<string, unknown>).billing = {
    owner: "external",
    kind,
    namespace: "staging",
    containers: ["api", "worker"],
    secrets: ["auth-api-secrets"],
  };
  return config;
}

export type Entry = Record<string, unknown>;

/**
 * kubernetes pkg/apis/core/validation/validation.go validateEnvVarValueFrom: the errors of one
 * env entry's value sources (none without valueFrom).
 */
export function valueFromErrors(entry: Entry): string[] {
  const valueFrom = entry.valueFrom as Entry | undefined;
  if (valueFrom === undefined) return [];
  const sources = ["fieldRef", "resourceFieldRef", "configMapKeyRef", "secretKeyRef"].filter(
    (s) => valueFrom[s] !== undefined,
  ).length;
  const value = typeof entry.value === "string" ? entry.value : "";
  if (sources === 0) {
    return [
      "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`",
    ];
  }
  if (value.length !== 0) return ["may not be specified when `value` is not empty"];
  if (sources > 1) return ["may not have more than one field specified at a time"];
  return [];
}

/**
 * Server-side apply of the patch's entry onto the live one: `env` is a list map keyed by name
 * and an entry and its `valueFrom` are granular structs (core/v1 types.go: no
 * `+structType=atomic`), so the live fields the patch does not name stay beside the applied
 * ones (sigs.k8s.io/structured-merge-diff merge).
 */
export function applyEntry(live: Entry, applied: Entry): Entry {
  const merged: Entry = { ...live, ...applied };
  if (live.valueFrom && applied.valueFrom) {
    merged.valueFrom = { ...(live.valueFrom as Entry), ...(applied.valueFrom as Entry) };
  }
  return merged;
}
