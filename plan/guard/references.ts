/**
 * What in a Kubernetes object can reference a Secret by name, read the same way from the live
 * API, from `kubectl get -o json` and from client-node's models (they share the field names).
 * Pure. A pod reads a Secret through `envFrom[].secretRef`, `env[].valueFrom.secretKeyRef`,
 * a `secret` volume, a `projected` volume's `secret` source and `imagePullSecrets`, in any of
 * its containers, init containers and ephemeral containers (core/v1 PodSpec).
 */
import { LABELS, MANAGED_BY } from "../../core/names";
import { field, items, text } from "../workloads/liveObject";

/** The kinds the guard lists, in the order it lists them. */
export const GUARD_KINDS = [
  "Deployment",
  "ReplicaSet",
  "StatefulSet",
  "DaemonSet",
  "Job",
  "CronJob",
  "Pod",
] as const;
export type GuardKind = (typeof GUARD_KINDS)[number];

/** An object that references a Secret. */
export interface Referrer {
  kind: GuardKind;
  namespace: string;
  name: string;
}

/** `Deployment team-a/web`: how warnings and outputs name a referrer. */
export function referrerText(r: Referrer): string {
  return `${r.kind} ${r.namespace}/${r.name}`;
}

/** The loose shape of any listed object: only what the guard reads. */
export interface LooseObject {
  metadata?: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string> | null;
    ownerReferences?: readonly { kind?: string }[] | null;
  } | null;
  spec?: unknown;
  status?: unknown;
}

type Loose = Record<string, unknown> | null | undefined;

/** The pod spec of an object of `kind`: its own, its template's, or its job template's. */
export function podSpecOf(kind: GuardKind, object: LooseObject): Loose {
  const spec = object.spec;
  if (kind === "Pod") return spec as Loose;
  if (kind === "CronJob")
    return field(field(field(field(spec, "jobTemplate"), "spec"), "template"), "spec") as Loose;
  return field(field(spec, "template"), "spec") as Loose;
}

/** Every Secret name a pod spec reads (names may repeat). */
export function podSpecSecretNames(podSpec: Loose): string[] {
  if (typeof podSpec !== "object" || podSpec === null) return [];
  const names: (string | undefined)[] = [];
  const containers = [
    ...items(podSpec, "containers"),
    ...items(podSpec, "initContainers"),
    ...items(podSpec, "ephemeralContainers"),
  ];
  for (const c of containers) {
    for (const source of items(c, "envFrom"))
      names.push(text(field(field(source, "secretRef"), "name")));
    for (const variable of items(c, "env")) {
      names.push(text(field(field(field(variable, "valueFrom"), "secretKeyRef"), "name")));
    }
  }
  for (const volume of items(podSpec, "volumes")) {
    names.push(text(field(field(volume, "secret"), "secretName")));
    for (const source of items(field(volume, "projected"), "sources")) {
      names.push(text(field(field(source, "secret"), "name")));
    }
  }
  for (const pull of items(podSpec, "imagePullSecrets")) names.push(text(field(pull, "name")));
  return names.filter((n): n is string => n !== undefined && n !== "");
}

/**
 * Whether an object can no longer start a container: a Pod that Succeeded or Failed, or a Job
 * whose `Complete` or `Failed` condition is true. Such an object's references are history, not
 * use (a finished Job's pods are never restarted), so they do not hold a version.
 */
export function isFinished(kind: GuardKind, object: LooseObject): boolean {
  if (kind === "Pod") {
    const phase = field(object.status, "phase");
    return phase === "Succeeded" || phase === "Failed";
  }
  if (kind === "Job") {
    return items(object.status, "conditions").some(
      (c) =>
        (field(c, "type") === "Complete" || field(c, "type") === "Failed") &&
        field(c, "status") === "True",
    );
  }
  return false;
}

/**
 * The workloads this program declares in its namespace (now or at its previous update), whose
 * references this update changes itself, so they do not count against a version: the
 * Deployments (canaries included) and CronJobs by name, and the ReplicaSets and Pods their
 * Deployments own, known by the program's labels and a ReplicaSet or Deployment owner.
 */
export interface OwnWorkloads {
  namespace: string;
  /** Workload names (`auth-service`, `auth-service-canary`, `token-refresh`). */
  names: ReadonlySet<string>;
}

export function isOwnObject(kind: GuardKind, object: LooseObject, own: OwnWorkloads): boolean {
  const meta = object.metadata;
  if (!meta || meta.namespace !== own.namespace) return false;
  const labels = meta.labels ?? {};
  if (labels[LABELS.managedBy] !== MANAGED_BY) return false;
  if (kind === "Deployment" || kind === "CronJob") return own.names.has(meta.name ?? "");
  if (kind === "ReplicaSet" || kind === "Pod") {
    const owner = kind === "ReplicaSet" ? "Deployment" : "ReplicaSet";
    const app = labels[LABELS.app];
    return (
      app !== undefined &&
      own.names.has(app) &&
      // A --cluster file may hold anything here: read it loosely, as every other field.
      items(meta, "ownerReferences").some((o) => field(o, "kind") === owner)
    );
  }
  return false;
}
