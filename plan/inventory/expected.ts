/**
 * The workloads the program owns or links, and the Secret each should read per secret: what
 * the inventory compares the pods with (stale) and what it does not flag as unknown. Pure.
 *
 * Owned: each configured workload in the stack's namespace, under its own name, its canary
 * Deployment (`<name>-canary`, the canary's links) and its blue-green slot Deployments
 * (`<name>-blue`, `<name>-green`, each slot's links). Linked (`owner: external`): the workload
 * of that kind, namespace and name. Each links the active version of its secrets (the plan's
 * `links`), so a pod of it that reads another version of one of them is stale.
 */
import {
  SLOTS,
  canaryWorkloadName,
  kubernetesSecretName,
  slotDeploymentName,
} from "../../core/names";
import { readSlots } from "../lifecycle/storedSlots";
import type { LinkPlan, WorkloadPlan } from "../lifecycle/workloadPlan";
import type { StackMemory } from "../lifecycle/memory";
import type { SecretPlan } from "../lifecycle/plan";
import type { SecretInput } from "./inventory";
import { objectKey } from "./collect";

export interface ExpectedWorkload {
  owner: "owned" | "linked";
  /**
   * What it should read is not known, so its pods are never stale: a blue-green slot without a
   * recorded slot run (no memory given, or no record yet).
   */
  unchecked?: true;
  /**
   * A blue-green slot: `links` is what the memory records it runs, and `planned` what this plan
   * moves it to. A pod on either is not stale: the record trails the cluster after a failed
   * update, or while an update runs.
   */
  planned?: ReadonlyMap<string, { version: string; kubernetesName: string }>;
  /** Per secret name, the version the config links and its Kubernetes Secret. */
  links: ReadonlyMap<string, { version: string; kubernetesName: string }>;
}

/** By `Kind namespace/name` (collect.ts objectKey). */
export type ExpectedWorkloads = ReadonlyMap<string, ExpectedWorkload>;

const linkMap = (links: readonly LinkPlan[]) =>
  new Map(links.map((l) => [l.secret, { version: l.version, kubernetesName: l.kubernetesName }]));

/**
 * The owned and linked workloads of a plan, in the stack's `namespace`. A blue-green slot is
 * compared with what the memory records it runs (`previousWorkloads`, the previous `workloads`
 * output): the warm slot runs the previous version on purpose, and what the plan would move the
 * slots to is not what runs yet.
 */
export function expectedWorkloads(
  workloads: readonly WorkloadPlan[],
  namespace: string,
  previousWorkloads?: unknown,
): ExpectedWorkloads {
  const out = new Map<string, ExpectedWorkload>();
  for (const w of workloads) {
    if (w.external) {
      out.set(objectKey(w.kind, w.external.namespace, w.name), {
        owner: "linked",
        links: linkMap(w.links),
      });
      continue;
    }
    out.set(objectKey(w.kind, namespace, w.name), { owner: "owned", links: linkMap(w.links) });
    if (w.canary) {
      out.set(objectKey("Deployment", namespace, canaryWorkloadName(w.name)), {
        owner: "owned",
        links: linkMap(w.canary.links),
      });
    }
    if (w.slots) {
      const recorded = readSlots(previousWorkloads, w.name);
      for (const slot of SLOTS) {
        const runs = recorded?.[slot].versions;
        out.set(
          objectKey("Deployment", namespace, slotDeploymentName(w.name, slot)),
          runs
            ? {
                owner: "owned",
                planned: linkMap(w.slots.slots[slot].links),
                links: new Map(
                  Object.entries(runs).map(([secret, version]) => [
                    secret,
                    { version, kubernetesName: kubernetesSecretName(secret, version) },
                  ]),
                ),
              }
            : { owner: "owned", links: new Map(), unchecked: true },
        );
      }
    }
  }
  return out;
}

/**
 * The inventory's view of the planned secrets: each version's state and names, when the memory
 * says it last became active (never guessed), and the plan's overdue mark when it has one
 * (lifecycle/maxAge.ts).
 */
export function secretInputs(
  plans: readonly SecretPlan[],
  memory: StackMemory | undefined,
): SecretInput[] {
  return plans.map((s) => ({
    name: s.name,
    activeVersion: s.activeVersion,
    versions: s.versions.map((v) => {
      const activatedAt = memory?.[s.name]?.versions[v.version]?.activatedAt;
      const overdue = v.overdue;
      return {
        version: v.version,
        state: v.state,
        kubernetesName: v.kubernetesName,
        awsName: v.awsName,
        ...(activatedAt !== undefined && { activatedAt }),
        ...(overdue && { overdue }),
      };
    }),
  }));
}
