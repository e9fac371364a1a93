/**
 * Live objects of workloads the program links (`owner: external`), shaped as the API server
 * returns them: the pod template's containers and env, `updateStrategy`, the progress deadline,
 * and `metadata.managedFields` in the FieldsV1 format (sigs.k8s.io/structured-merge-diff:
 * `f:<field>` for a field, `k:{"name":...}` for a list entry keyed by name), as a server-side
 * apply by this program's patch records it.
 */
import type { ExternalKind } from "../config/contract/workload";
import { FIELD_MANAGER } from "../components/workloads/linkedWorkload";
import type { FakeObject } from "./kubeApi";

export interface LiveContainer {
  name: string;
  env?: Record<string, unknown>[];
}

export interface ManagedFieldsEntry {
  manager: string;
  operation: "Apply" | "Update";
  apiVersion: string;
  fieldsType: "FieldsV1";
  fieldsV1: Record<string, unknown>;
}

export interface LiveOptions {
  namespace?: string;
  containers?: LiveContainer[];
  /** `spec.updateStrategy.type` (StatefulSets and DaemonSets). */
  updateStrategy?: "RollingUpdate" | "OnDelete";
  /** `spec.updateStrategy.rollingUpdate.partition` (StatefulSets). */
  partition?: number;
  /** `spec.progressDeadlineSeconds` (Deployments); the API server defaults it to 600. */
  progressDeadlineSeconds?: number;
  managedFields?: ManagedFieldsEntry[];
}

const API_VERSION: Record<ExternalKind, string> = {
  Deployment: "apps/v1",
  StatefulSet: "apps/v1",
  DaemonSet: "apps/v1",
  CronJob: "batch/v1",
};

/** A live workload of `kind` named `name` (namespace `staging`, containers `api` and `worker`). */
export function liveWorkload(
  kind: ExternalKind,
  name: string,
  options: LiveOptions = {},
): FakeObject {
  const containers = (options.containers ?? [{ name: "api" }, { name: "worker" }]).map((c) => ({
    image: "example/app:1",
    ...c,
  }));
  const template = { metadata: { labels: { app: name } }, spec: { containers } };
  const spec: Record<string, unknown> =
    kind === "CronJob"
      ? { schedule: "0 * * * *", jobTemplate: { spec: { template } } }
      : { selector: { matchLabels: { app: name } }, template };
  if (kind === "Deployment") {
    spec.progressDeadlineSeconds = options.progressDeadlineSeconds ?? 600;
  }
  if (kind === "StatefulSet" || kind === "DaemonSet") {
    spec.updateStrategy = {
      type: options.updateStrategy ?? "RollingUpdate",
      ...(options.partition !== undefined && { rollingUpdate: { partition: options.partition } }),
    };
  }
  return {
    apiVersion: API_VERSION[kind],
    kind,
    metadata: {
      name,
      namespace: options.namespace ?? "staging",
      ...(options.managedFields && { managedFields: options.managedFields }),
    },
    spec,
  };
}

const key = (name: string) => `k:${JSON.stringify({ name })}`;

/**
 * The FieldsV1 a manager owns when it set `variables` in `containers` (the env entries' values
 * under `valueFrom`, or under `value` when `literal`).
 */
export function envFields(
  kind: ExternalKind,
  containers: Record<string, readonly string[]>,
  literal = false,
): Record<string, unknown> {
  const value = literal ? { "f:value": {} } : { "f:valueFrom": { ".": {}, "f:secretKeyRef": {} } };
  const podSpec = {
    "f:containers": Object.fromEntries(
      Object.entries(containers).map(([container, variables]) => [
        key(container),
        {
          ".": {},
          "f:name": {},
          "f:env": Object.fromEntries(
            variables.map((v) => [key(v), { ".": {}, "f:name": {}, ...value }]),
          ),
        },
      ]),
    ),
  };
  const template = { "f:spec": podSpec };
  return kind === "CronJob"
    ? { "f:spec": { "f:jobTemplate": { "f:spec": { "f:template": template } } } }
    : { "f:spec": { "f:template": template } };
}

/** A managedFields entry of `manager`. */
export function managed(
  kind: ExternalKind,
  manager: string,
  operation: "Apply" | "Update",
  fieldsV1: Record<string, unknown>,
): ManagedFieldsEntry {
  return { manager, operation, apiVersion: API_VERSION[kind], fieldsType: "FieldsV1", fieldsV1 };
}

/** What this program's patch records when it set `variables` in `containers`. */
export function ownEntries(
  kind: ExternalKind,
  containers: Record<string, readonly string[]>,
): ManagedFieldsEntry {
  return managed(kind, FIELD_MANAGER, "Apply", envFields(kind, containers));
}

/** An env entry reading `key` of Secret `secret`. */
export function secretRef(variable: string, secret: string, key = variable) {
  return { name: variable, valueFrom: { secretKeyRef: { name: secret, key } } };
}

/**
 * The linked Deployment `billing` whose container `api` already reads `api_token` from the
 * Secret `billing-credentials`, set by another field manager (`helm`).
 */
export function billingWithHelmSecretRef() {
  return liveWorkload("Deployment", "billing", {
    containers: [
      { name: "api", env: [secretRef("api_token", "billing-credentials")] },
      { name: "worker" },
    ],
    managedFields: [
      managed("Deployment", "helm", "Update", envFields("Deployment", { api: ["api_token"] })),
    ],
  });
}
