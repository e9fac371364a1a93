/**
 * The stack outputs, from the plans: plain values only, never a secret value, so they can be
 * read by `pulumi stack output`, by a StackReference and by the offline plan alike.
 */
import type { Delivery } from "../../config/contract/delivery";
import type { SecretPlan, VersionReport } from "./plan";
import type { WorkloadPlan } from "./workloadPlan";

export interface SecretOutput {
  /** How new versions reach the cluster; each version reports its own in `versions`. */
  delivery: Delivery;
  activeVersion: string;
  activeName: string;
  /** The rollback target, or null when no version is older than active. */
  previousVersion: string | null;
  /** The canary rollout, or null when none runs. */
  canary: { version: string; percent: number; kubernetesName: string } | null;
  /**
   * Every key a version holds, sorted: names only, never values. The promotion gate compares
   * production's keys with staging's through this output.
   */
  keys: string[];
  /** Every listed version, oldest first, expired ones included. */
  versions: VersionReport[];
}

export interface WorkloadOutput {
  kind: string;
  /** `external`: declared elsewhere and linked by a patch; absent for workloads it declares. */
  owner?: "external";
  /** A linked workload's namespace. */
  namespace?: string;
  /** The Kubernetes Secrets the workload references, in its `secrets` order. */
  secretNames: string[];
  /** Secret name to the version the workload runs. */
  versions: Record<string, string>;
  /** Deployments: the pods of the stable Deployment (all of them unless a canary runs). */
  replicas?: number;
  /** The canary Deployment `<workload>-canary`, or null when none runs. */
  canary: CanaryOutput | null;
}

export interface CanaryOutput {
  /** The Kubernetes name of the canary Deployment. */
  name: string;
  /** The secret under test, and the version the canary pods run. */
  secret: string;
  version: string;
  percent: number;
  replicas: number;
  /** The Kubernetes Secrets the canary pods reference, in the workload's `secrets` order. */
  secretNames: string[];
}

/** The `secrets` output: per secret, its active and previous version and every version. */
export function secretsOutput(plans: readonly SecretPlan[]): Record<string, SecretOutput> {
  return Object.fromEntries(
    plans.map((plan) => [
      plan.name,
      {
        delivery: plan.delivery,
        activeVersion: plan.activeVersion,
        activeName: plan.activeName,
        previousVersion: plan.previousVersion ?? null,
        canary: plan.canary ?? null,
        keys: plan.keys,
        versions: plan.versions,
      },
    ]),
  );
}

/** The `workloads` output: per workload, what it references, and its canary. */
export function workloadsOutput(plans: readonly WorkloadPlan[]): Record<string, WorkloadOutput> {
  return Object.fromEntries(
    plans.map((w) => {
      const output: WorkloadOutput = {
        kind: w.kind,
        ...(w.external && { owner: "external" as const, namespace: w.external.namespace }),
        secretNames: w.links.map((l) => l.kubernetesName),
        versions: Object.fromEntries(w.links.map((l) => [l.secret, l.version])),
        ...(w.replicas !== undefined && { replicas: w.replicas }),
        canary: w.canary
          ? {
              name: w.canary.name,
              secret: w.canary.secret,
              version: w.canary.version,
              percent: w.canary.percent,
              replicas: w.canary.replicas,
              secretNames: w.canary.links.map((l) => l.kubernetesName),
            }
          : null,
      };
      return [w.name, output];
    }),
  );
}
