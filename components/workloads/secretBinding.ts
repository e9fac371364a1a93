/**
 * The secret binding: how a pod template points at rotated secrets, apart from any container.
 * References (one `envFrom.secretRef` per linked secret), the version labels and annotation
 * that make a rotation a pod-template change, and the change cause `kubectl rollout history`
 * shows. Pure. A workload the program owns puts it on the container it declares; linking a
 * workload it does not own will reuse the binding alone.
 */
import type * as pulumi from "@pulumi/pulumi";
import type * as k8s from "@pulumi/kubernetes";
import { LABELS, VERSIONS_ANNOTATION, podVersionLabel, versionsAnnotation } from "../../core/names";
import { PROJECT } from "../../core/project";

/** A Deployment's pods are `stable` (the active versions) or `canary` (one version under test). */
export type Track = "stable" | "canary";

/** A workload's link to one secret: the version it runs and that version's Secret name. */
export interface SecretLink {
  /** The logical secret name. */
  secret: string;
  /** The version id the workload runs. */
  version: string;
  /** The Kubernetes Secret to reference (pass the Secret's name output, to wait for it). */
  kubernetesName: pulumi.Input<string>;
}

/** Records which versions a revision ran; `kubectl rollout history` shows it per revision. */
export const CHANGE_CAUSE = "kubernetes.io/change-cause";

export interface SecretBinding {
  /** Pod labels: the version of each linked secret, and the track when there is one. */
  podLabels: Record<string, string>;
  /** Pod annotations: the linked versions, so a rotation changes the pod template. */
  podAnnotations: Record<string, string>;
  /** The workload object's annotations: the change cause of this revision. */
  annotations: Record<string, string>;
  /** The container's references, in link order. */
  envFrom: k8s.types.input.core.v1.EnvFromSource[];
}

/** The `secret=version,...` record of a set of links, for annotations. */
export function linkedVersions(links: readonly SecretLink[]): string {
  return versionsAnnotation(Object.fromEntries(links.map((l) => [l.secret, l.version])));
}

/** The binding of a set of links (validation refuses keys two linked secrets share). */
export function secretBinding(links: readonly SecretLink[], track?: Track): SecretBinding {
  return {
    podLabels: {
      ...(track && { [LABELS.track]: track }),
      ...Object.fromEntries(links.map((l) => [podVersionLabel(l.secret), l.version])),
    },
    podAnnotations: { [VERSIONS_ANNOTATION]: linkedVersions(links) },
    annotations: { [CHANGE_CAUSE]: `${PROJECT}: ${linkedVersions(links)}` },
    envFrom: links.map((link) => ({ secretRef: { name: link.kubernetesName } })),
  };
}
