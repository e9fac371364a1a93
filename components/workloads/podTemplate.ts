/**
 * The pod template of a workload the program owns: its one container, with the secret
 * binding applied. Pure: the caller supplies the binding (in the program, built from the
 * Secrets' name outputs, so a workload waits for them).
 */
import { createHash } from "node:crypto";
import type * as k8s from "@pulumi/kubernetes";
import { LABELS, MANAGED_BY } from "../../core/names";
import type { SecretBinding, Track } from "./secretBinding";

export type { SecretLink, Track } from "./secretBinding";

/** The container a workload runs: everything but the secrets, which the binding adds. */
export interface ContainerArgs {
  /** The container image. */
  image: string;
  /**
   * The command.
   * @default the image's entrypoint
   */
  command?: string[];
  /**
   * The arguments.
   * @default the image's
   */
  args?: string[];
  /**
   * Plain (non-secret) variables by name.
   * @default none
   */
  env?: Readonly<Record<string, string>>;
  /**
   * Requests and limits of `cpu`, `memory`, `ephemeral-storage`.
   * @default none
   */
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  /**
   * A port named `http` (Deployments: the Service targets it).
   * @default none
   */
  port?: number;
}

/**
 * Labels that select a workload's pods. A Deployment's selector is immutable, so it never
 * depends on a version or on whether a canary runs. Each track selects its own pods (the app
 * and the track), so the two Deployments' selectors never overlap, as Kubernetes asks of
 * Deployments, and an HPA or PodDisruptionBudget can target one track. Without a track
 * (the Service, a CronJob's pods) the app label alone selects every pod of the workload.
 */
export function selectorLabels(workload: string, track?: Track): Record<string, string> {
  return track ? { [LABELS.app]: workload, [LABELS.track]: track } : { [LABELS.app]: workload };
}

/** Labels on a workload's objects. */
export function workloadLabels(workload: string): Record<string, string> {
  return { [LABELS.app]: workload, [LABELS.managedBy]: MANAGED_BY };
}

/** The owned container, named after the workload, reading the binding's references. */
export function ownedContainer(
  name: string,
  container: ContainerArgs,
  binding: SecretBinding,
): k8s.types.input.core.v1.Container {
  const env = Object.entries(container.env ?? {}).map(([n, value]) => ({ name: n, value }));
  return {
    name,
    image: container.image,
    ...(container.command && { command: container.command }),
    ...(container.args && { args: container.args }),
    ...(env.length > 0 && { env }),
    envFrom: binding.envFrom,
    ...(container.resources && { resources: container.resources }),
    ...(container.port !== undefined && {
      ports: [{ name: "http", containerPort: container.port, protocol: "TCP" }],
    }),
  };
}

/**
 * The pod template: the owned container and the binding's labels and annotations. The app
 * label is shared by both tracks, so one Service serves both; the version labels let
 * dashboards split error rates by version. CronJob pods restart on failure.
 */
export function podTemplate(
  name: string,
  kind: "Deployment" | "CronJob",
  container: ContainerArgs,
  binding: SecretBinding,
): k8s.types.input.core.v1.PodTemplateSpec {
  return {
    metadata: {
      labels: { ...workloadLabels(name), ...binding.podLabels },
      annotations: binding.podAnnotations,
    },
    spec: {
      containers: [ownedContainer(name, container, binding)],
      ...(kind === "CronJob" && { restartPolicy: "OnFailure" }),
    },
  };
}

/** JSON with object keys sorted at every level: the same container always reads the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * The digest of a container (everything a pod runs but its secrets): two slots with the same
 * digest and the same linked versions run the same pods. Deterministic (sha256, 16 hex digits).
 */
export function containerDigest(container: ContainerArgs): string {
  return createHash("sha256").update(canonical(container)).digest("hex").slice(0, 16);
}
