/**
 * A workload the program does not own (Helm, Argo CD, another team), linked to the active
 * versions with a server-side apply patch: one `env` entry per key of each linked secret,
 * `valueFrom.secretKeyRef` to that version's Secret, in each named container, plus the
 * versions annotation on the pod template, so every rotation rolls the workload.
 *
 * `env` is a list keyed by name (listType map in core/v1 Container), so the patch owns only
 * its own entries and the workload's other variables stay its owner's; `envFrom` is an atomic
 * list and a patch would take the whole list over. The provider applies a `*Patch` resource
 * with the field manager named by the `pulumi.com/patchFieldManager` annotation, and on
 * delete relinquishes the fields (pulumi-kubernetes provider/pkg/provider/provider.go
 * fieldManagerName, provider/pkg/await/await.go Deletion → ssa.Relinquish), so removing the
 * workload from config gives the fields back. A field another manager owns is a conflict,
 * which fails `pulumi up` (no `pulumi.com/patchForce`). Before a patch is declared, its live
 * object is checked (linkedCheck.ts): it exists, has the containers, and sets none of the
 * variables in another way.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { appliedRuns } from "../outputState";
import { VERSIONS_ANNOTATION } from "../../core/names";
import { PROJECT } from "../../core/project";
import { type SecretLink, linkedVersions } from "./secretBinding";

/** The field manager of every patch: `kubectl get -o yaml --show-managed-fields` names it. */
export const FIELD_MANAGER = PROJECT;
export const PATCH_FIELD_MANAGER_ANNOTATION = "pulumi.com/patchFieldManager";

/** A link with the keys its version holds (names only). */
export interface KeyedLink extends SecretLink {
  keys: readonly string[];
}

/** The kinds of workload a patch can link. */
export type LinkedKind = "Deployment" | "StatefulSet" | "DaemonSet" | "CronJob";

export interface LinkedWorkloadArgs {
  /** The workload's kind. */
  kind: LinkedKind;
  /**
   * Its namespace: the Secrets' (a pod reads Secrets of its own namespace only). A namespace
   * resource's name output will do.
   */
  namespace: pulumi.Input<string>;
  /** The containers that get the env entries. */
  containers: readonly string[];
  /** The linked secrets' active versions, with their keys, in config order. */
  links: readonly KeyedLink[];
  /**
   * How long `pulumi up` waits for the rollout the patch starts (`customTimeouts`; the
   * program derives it from the live object, plan/workloads/linkedCheck.ts patchTimeouts).
   * @default the provider's own, 10 minutes
   */
  timeouts?: { create: string; update: string };
}

/** The patch's own resource options: the wait bound, when there is one. */
export function patchOptions(
  args: Pick<LinkedWorkloadArgs, "timeouts">,
): Pick<pulumi.CustomResourceOptions, "customTimeouts"> {
  return args.timeouts ? { customTimeouts: args.timeouts } : {};
}

/** The env entries of a set of links: one per key, sorted by key within each link. */
export function linkedEnv(links: readonly KeyedLink[]): k8s.types.input.core.v1.EnvVar[] {
  return links.flatMap((link) =>
    [...link.keys].sort().map((key) => ({
      name: key,
      valueFrom: { secretKeyRef: { name: link.kubernetesName, key } },
    })),
  );
}

/** The patch body: the object's identity, the pod template's annotation and env entries. */
export function linkedPatch(name: string, args: LinkedWorkloadArgs) {
  const template = {
    metadata: { annotations: { [VERSIONS_ANNOTATION]: linkedVersions(args.links) } },
    spec: {
      containers: args.containers.map((container) => ({
        name: container,
        env: linkedEnv(args.links),
      })),
    },
  };
  return {
    metadata: {
      name,
      namespace: args.namespace,
      annotations: { [PATCH_FIELD_MANAGER_ANNOTATION]: FIELD_MANAGER },
    },
    spec: args.kind === "CronJob" ? { jobTemplate: { spec: { template } } } : { template },
  };
}

export class LinkedWorkload extends pulumi.ComponentResource {
  /** The workload's Kubernetes name. */
  public readonly workloadName: pulumi.Output<string>;
  /**
   * What the patched pod template runs (secret to version), read from the patch's output
   * state (the live object after the apply); null when the engine did not apply it.
   */
  public readonly runs: pulumi.Output<Record<string, string> | null>;
  /** The server-side apply patch (its URN is what `pulumi state delete` takes). */
  public readonly patch: pulumi.CustomResource;

  /**
   * @param name the workload's Kubernetes name; the patch is `${name}-link`.
   * @param args what to link (no defaults: every argument is required).
   */
  constructor(name: string, args: LinkedWorkloadArgs, opts?: pulumi.ComponentResourceOptions) {
    super("secret-rotation:workloads:LinkedWorkload", name, {}, opts);
    const body = linkedPatch(name, args);
    const child = { parent: this, ...patchOptions(args) };
    const patch =
      args.kind === "Deployment"
        ? new k8s.apps.v1.DeploymentPatch(`${name}-link`, body, child)
        : args.kind === "StatefulSet"
          ? new k8s.apps.v1.StatefulSetPatch(`${name}-link`, body, child)
          : args.kind === "DaemonSet"
            ? new k8s.apps.v1.DaemonSetPatch(`${name}-link`, body, child)
            : new k8s.batch.v1.CronJobPatch(`${name}-link`, body, child);
    this.patch = patch;
    this.workloadName = patch.metadata.apply((m) => m?.name ?? name);
    // The patch's outputs are the whole live object after the apply (the provider reads it
    // back), so the template shows what the workload runs, whoever else manages it; a
    // Deployment patch awaits its rollout like a Deployment (await/awaiters.go).
    this.runs = appliedRuns(patch, args.kind);
    this.registerOutputs({ workloadName: this.workloadName });
  }
}
