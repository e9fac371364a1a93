/**
 * The stack outputs, from the plans: plain values only, never a secret value, so they can be
 * read by `pulumi stack output`, by a StackReference and by the offline plan alike.
 */
import type { SecretPlan, VersionReport } from "./plan";

export interface SecretOutput {
  activeVersion: string;
  activeName: string;
  /** The rollback target, or null when no version is older than active. */
  previousVersion: string | null;
  /** Every listed version, oldest first, expired ones included. */
  versions: VersionReport[];
}

export interface WorkloadOutput {
  kind: string;
  /** The Kubernetes Secrets the workload references, in its `secrets` order. */
  secretNames: string[];
  /** Secret name to the version the workload runs. */
  versions: Record<string, string>;
}

/** The `secrets` output: per secret, its active and previous version and every version. */
export function secretsOutput(plans: readonly SecretPlan[]): Record<string, SecretOutput> {
  return Object.fromEntries(
    plans.map((plan) => [
      plan.name,
      {
        activeVersion: plan.activeVersion,
        activeName: plan.activeName,
        previousVersion: plan.previousVersion ?? null,
        versions: plan.versions,
      },
    ]),
  );
}

/** The `workloads` output: per workload, what it references. */
export function workloadsOutput(
  workloads: readonly { name: string; kind: string; secrets: readonly string[] }[],
  plans: readonly SecretPlan[],
): Record<string, WorkloadOutput> {
  const byName = new Map(plans.map((p) => [p.name, p]));
  return Object.fromEntries(
    workloads.map((w) => {
      const linked = w.secrets.map((s) => byName.get(s)!);
      return [
        w.name,
        {
          kind: w.kind,
          secretNames: linked.map((p) => p.activeName),
          versions: Object.fromEntries(linked.map((p) => [p.name, p.activeVersion])),
        },
      ];
    }),
  );
}
