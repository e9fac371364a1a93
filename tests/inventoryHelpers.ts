/**
 * Objects for the inventory's tests, shaped as the API server and `kubectl get -o json` give
 * them: controllers in `ownerReferences` (with `controller: true`), a ReplicaSet's revision
 * annotation, a pod's `Ready` condition.
 */
import type { FakeObject } from "../fakes/kubeApi";
import { podSpecReading } from "../fakes/kubeApi";
import { LABELS, MANAGED_BY } from "../core/names";

export const OLD = "20261020100000";
export const NEW = "20261110100000";
export const SECRET = "auth-api-secrets";
export const OLD_NAME = `${SECRET}-${OLD}`;
export const NEW_NAME = `${SECRET}-${NEW}`;

/** The labels the program puts on its own workloads and their pods. */
export const ownLabels = (app: string) => ({ [LABELS.managedBy]: MANAGED_BY, [LABELS.app]: app });

const owner = (kind: string, name: string) => [
  {
    apiVersion: kind === "ReplicaSet" || kind === "Deployment" ? "apps/v1" : "batch/v1",
    kind,
    name,
    uid: `${kind}-${name}`,
    controller: true,
  },
];

export interface Meta {
  labels?: Record<string, string>;
  controller?: { kind: string; name: string };
}

const metadata = (namespace: string, name: string, m: Meta, extra = {}) => ({
  name,
  namespace,
  ...(m.labels && { labels: m.labels }),
  ...(m.controller && { ownerReferences: owner(m.controller.kind, m.controller.name) }),
  ...extra,
});

export function deployment(ns: string, name: string, secret: string, m: Meta = {}): FakeObject {
  return {
    kind: "Deployment",
    metadata: metadata(ns, name, m),
    spec: {
      replicas: 1,
      template: { metadata: { labels: m.labels ?? {} }, spec: podSpecReading(secret) },
    },
  };
}

export function replicaSet(
  ns: string,
  name: string,
  secret: string,
  o: Meta & { replicas: number; revision: string },
): FakeObject {
  return {
    kind: "ReplicaSet",
    metadata: metadata(ns, name, o, {
      annotations: { "deployment.kubernetes.io/revision": o.revision },
    }),
    spec: { replicas: o.replicas, template: { spec: podSpecReading(secret) } },
  };
}

export function pod(
  ns: string,
  name: string,
  secret: string,
  o: Meta & { ready?: boolean; phase?: string } = {},
): FakeObject {
  return {
    kind: "Pod",
    metadata: metadata(ns, name, o),
    spec: podSpecReading(secret, "secretKeyRef"),
    status: {
      phase: o.phase ?? "Running",
      conditions: [{ type: "Ready", status: o.ready === false ? "False" : "True" }],
    },
  };
}

export function cronJob(ns: string, name: string, secret: string, suspend: boolean): FakeObject {
  return {
    kind: "CronJob",
    metadata: { name, namespace: ns },
    spec: {
      schedule: "0 3 * * 1",
      suspend,
      jobTemplate: { spec: { template: { spec: podSpecReading(secret, "volume") } } },
    },
  };
}

export function job(
  ns: string,
  name: string,
  secret: string,
  m: Meta & { done?: boolean } = {},
): FakeObject {
  return {
    kind: "Job",
    metadata: metadata(ns, name, m),
    spec: { template: { spec: podSpecReading(secret, "projected") } },
    status: m.done ? { conditions: [{ type: "Complete", status: "True" }] } : {},
  };
}

/**
 * A Deployment mid-rollout after a rotation: its new ReplicaSet runs `newPods` pods on the new
 * version, its old one still `oldPods` on the old version.
 */
export function rollout(
  ns: string,
  name: string,
  oldPods: number,
  newPods: number,
  labels?: Record<string, string>,
): FakeObject[] {
  const m = labels ? { labels } : {};
  const rs = (suffix: string, secret: string, replicas: number, revision: string) =>
    replicaSet(ns, `${name}-${suffix}`, secret, {
      ...m,
      replicas,
      revision,
      controller: { kind: "Deployment", name },
    });
  const pods = (suffix: string, secret: string, n: number) =>
    Array.from({ length: n }, (_, i) =>
      pod(ns, `${name}-${suffix}-${i}`, secret, {
        ...m,
        controller: { kind: "ReplicaSet", name: `${name}-${suffix}` },
      }),
    );
  return [
    deployment(ns, name, NEW_NAME, m),
    rs("old", OLD_NAME, oldPods, "1"),
    rs("new", NEW_NAME, newPods, "2"),
    ...pods("old", OLD_NAME, oldPods),
    ...pods("new", NEW_NAME, newPods),
  ];
}

/** Objects by kind, as the fake API server loads them. */
export function byKind(objects: readonly FakeObject[]): Record<string, FakeObject[]> {
  const out: Record<string, FakeObject[]> = {};
  for (const o of objects) (out[o.kind as string] ??= []).push(o);
  return out;
}
