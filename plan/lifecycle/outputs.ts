/**
 * The stack outputs, from the plans: plain values only, never a secret value, so they can be
 * read by `pulumi stack output`, by a StackReference and by the offline plan alike.
 */
import type { SecretPlan } from "./plan";
import type { StoredCanary, StoredSecret, StoredWorkload } from "./stored";
import type { WorkloadPlan } from "./workloadPlan";
import type { Slot, StoredSlots } from "./storedSlots";
import type { SlotsPlan } from "../workloads/slotPlan";

/**
 * One secret of the `secrets` output: its schema is the stored format's (stored.ts), which
 * also reads it back as the next update's memory and as staging's for the promotion gate.
 */
export type SecretOutput = StoredSecret;
/** One workload of the `workloads` output (stored.ts). */
export type WorkloadOutput = StoredWorkload;
/** A workload's canary in the `workloads` output (stored.ts). */
export type CanaryOutput = StoredCanary;

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
        ...(w.slots && { slots: slotsOutput(w.slots) }),
      };
      return [w.name, output];
    }),
  );
}

const versionsOf = (links: readonly { secret: string; version: string }[]) =>
  Object.fromEntries(links.map((l) => [l.secret, l.version]));

/** A blue-green workload's slots in the `workloads` output (storedSlots.ts). */
export function slotsOutput(plan: SlotsPlan): StoredSlots {
  const run = (slot: Slot) => ({
    versions: versionsOf(plan.slots[slot].links),
    secretNames: plan.slots[slot].links.map((l) => l.kubernetesName),
    replicas: plan.slots[slot].replicas,
    container: plan.slots[slot].container,
    digest: plan.slots[slot].digest,
  });
  return {
    live: plan.live,
    switchedAt: plan.switchedAt?.toISOString() ?? null,
    blue: run("blue"),
    green: run("green"),
    warm: plan.warm
      ? {
          slot: plan.warm.slot,
          versions: versionsOf(plan.slots[plan.warm.slot].links),
          until: plan.warm.until.toISOString(),
        }
      : null,
  };
}
