/**
 * The pod template of a workload that consumes rotated secrets. Pure: the caller supplies the
 * Secret names (in the program, the Secrets' name outputs, so a workload waits for them).
 */
import type * as pulumi from "@pulumi/pulumi";
import type * as k8s from "@pulumi/kubernetes";
import { WorkloadSpec } from "../config/types";
import {
  LABELS,
  MANAGED_BY,
  VERSIONS_ANNOTATION,
  podVersionLabel,
  versionsAnnotation,
} from "../lifecycle/names";

/** A Deployment's pods are `stable` (the active versions) or `canary` (one version under test). */
export type Track = "stable" | "canary";

/** A workload's link to one secret: the version it runs and that version's Secret name. */
export interface SecretLink {
  /** The logical secret name. */
  secret: string;
  /** The version id the workload runs. */
  version: string;
  /** The Kubernetes Secret to reference. */
  kubernetesName: pulumi.Input<string>;
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

/** The `secret=version,...` record of a set of links, for annotations. */
export function linkedVersions(links: readonly SecretLink[]): string {
  return versionsAnnotation(Object.fromEntries(links.map((l) => [l.secret, l.version])));
}

/**
 * The pod template: one container named after the workload, one `envFrom.secretRef` per
 * linked secret (config order; validation refuses keys two linked secrets share), and an
 * annotation listing the linked versions, so a rotation is a pod-template change. `track`
 * labels a Deployment's pods; CronJobs have none.
 */
export function podTemplate(
  workload: WorkloadSpec,
  links: readonly SecretLink[],
  track?: Track,
): k8s.types.input.core.v1.PodTemplateSpec {
  const env = Object.entries(workload.env).map(([name, value]) => ({ name, value }));
  const container: k8s.types.input.core.v1.Container = {
    name: workload.name,
    image: workload.image,
    ...(workload.command && { command: workload.command }),
    ...(workload.args && { args: workload.args }),
    ...(env.length > 0 && { env }),
    envFrom: links.map((link) => ({ secretRef: { name: link.kubernetesName } })),
    ...(workload.resources && { resources: workload.resources }),
    ...(workload.kind === "Deployment" &&
      workload.port !== undefined && {
        ports: [{ name: "http", containerPort: workload.port, protocol: "TCP" }],
      }),
  };
  return {
    metadata: {
      // The app label (shared by both tracks, so one Service serves both), the track, and the
      // version of each linked secret, so dashboards can split error rates by version.
      labels: {
        ...workloadLabels(workload.name),
        ...(track && { [LABELS.track]: track }),
        ...Object.fromEntries(links.map((l) => [podVersionLabel(l.secret), l.version])),
      },
      annotations: { [VERSIONS_ANNOTATION]: linkedVersions(links) },
    },
    spec: {
      containers: [container],
      ...(workload.kind === "CronJob" && { restartPolicy: "OnFailure" }),
    },
  };
}
