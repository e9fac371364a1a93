/**
 * The pod template of a workload that consumes rotated secrets. Pure: the caller supplies the
 * Secret names (in the program, the Secrets' name outputs, so a workload waits for them).
 */
import type * as pulumi from "@pulumi/pulumi";
import type * as k8s from "@pulumi/kubernetes";
import { WorkloadSpec } from "../config/types";
import { LABELS, MANAGED_BY, VERSIONS_ANNOTATION, versionsAnnotation } from "../lifecycle/names";

/** A workload's link to one secret: the version it runs and that version's Secret name. */
export interface SecretLink {
  /** The logical secret name. */
  secret: string;
  /** The version id the workload runs. */
  version: string;
  /** The Kubernetes Secret to reference. */
  kubernetesName: pulumi.Input<string>;
}

/** Labels that select a workload's pods (stable: a rotation never changes a selector). */
export function selectorLabels(workload: string): Record<string, string> {
  return { [LABELS.app]: workload };
}

/** Labels on a workload's objects. */
export function workloadLabels(workload: string): Record<string, string> {
  return { ...selectorLabels(workload), [LABELS.managedBy]: MANAGED_BY };
}

/** The `secret=version,...` record of a set of links, for annotations. */
export function linkedVersions(links: readonly SecretLink[]): string {
  return versionsAnnotation(Object.fromEntries(links.map((l) => [l.secret, l.version])));
}

/**
 * The pod template: one container named after the workload, one `envFrom.secretRef` per
 * linked secret (config order; validation refuses keys two linked secrets share), and an
 * annotation listing the linked versions, so a rotation is a pod-template change.
 */
export function podTemplate(
  workload: WorkloadSpec,
  links: readonly SecretLink[],
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
      labels: workloadLabels(workload.name),
      annotations: { [VERSIONS_ANNOTATION]: linkedVersions(links) },
    },
    spec: {
      containers: [container],
      ...(workload.kind === "CronJob" && { restartPolicy: "OnFailure" }),
    },
  };
}
