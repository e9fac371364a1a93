/**
 * The Secret names a Kubernetes workload references, read from its pod template: `envFrom`
 * `secretRef`, `env` `valueFrom.secretKeyRef`, `secret` and `projected` volumes (Kubernetes
 * core/v1 PodSpec). Imports only the pack's own files.
 */
import { UNKNOWN, dig, elements, type StackResource } from "./resources";

/** Where each workload kind keeps its pod spec, by `@pulumi/kubernetes` type token. */
const POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  (
    [
      ["core/v1", "Pod", ["spec"]],
      ["batch/v1", "CronJob", ["spec", "jobTemplate", "spec", "template", "spec"]],
      ["batch/v1", "Job", ["spec", "template", "spec"]],
      ["apps/v1", "Deployment", ["spec", "template", "spec"]],
      ["apps/v1", "StatefulSet", ["spec", "template", "spec"]],
      ["apps/v1", "DaemonSet", ["spec", "template", "spec"]],
      ["apps/v1", "ReplicaSet", ["spec", "template", "spec"]],
    ] as const
  ).flatMap(([api, kind, path]) =>
    // A `...Patch` resource (LinkedWorkload) patches a live object: same shape.
    ["", "Patch"].map((suffix) => [`kubernetes:${api}:${kind}${suffix}`, path]),
  ),
);

/** Whether `type` is a workload the policies read. */
export function isWorkload(type: string): boolean {
  return Object.hasOwn(POD_SPEC_PATHS, type);
}

/** The known Secret names a workload references, sorted, without repeats. */
export function referencedSecrets(workload: StackResource): string[] {
  const path = POD_SPEC_PATHS[workload.type];
  if (!path) return [];
  const spec = dig(workload.props, ...path);
  const names: unknown[] = [];
  const containers = ["containers", "initContainers", "ephemeralContainers"].flatMap((k) =>
    elements(dig(spec, k)),
  );
  for (const c of containers) {
    for (const from of elements(dig(c, "envFrom"))) names.push(dig(from, "secretRef", "name"));
    for (const env of elements(dig(c, "env"))) {
      names.push(dig(env, "valueFrom", "secretKeyRef", "name"));
    }
  }
  for (const volume of elements(dig(spec, "volumes"))) {
    names.push(dig(volume, "secret", "secretName"));
    for (const source of elements(dig(volume, "projected", "sources"))) {
      names.push(dig(source, "secret", "name"));
    }
  }
  const known = names.filter((n): n is string => n !== UNKNOWN && typeof n === "string");
  return [...new Set(known)].sort();
}
