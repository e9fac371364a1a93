/**
 * What the memory records: only what the engine did. The plan says what this update means to
 * do; the receipts say what the resources' own output state shows was done. Pure.
 *
 * Why: the SDK registers the stack outputs once the program returns, and when the update then
 * fails, the engine keeps every key the program sent over the old outputs
 * (pulumi v3.248.0 pkg/resource/deploy/step_executor.go executeRegisterResourceOutputs,
 * `finalizingStackOutputs && errored`). Under `pulumi up --target` the root stack is always
 * targeted (step_generator.go isImplicitlyTargetedResource), so its outputs are replaced even
 * though untargeted resources kept their old state (a SameStep hands the program the old
 * outputs: step.go SameStep.Apply) or were never created (NewSkippedCreateStep: no ID). So the
 * program reads back, from each resource, what it holds:
 * - a failed resource's registration ends in an error: under a real engine the monitor answers
 *   `Unavailable` as the update stops (source_eval.go), the SDK skips that rejection
 *   (runtime/resource.ts, isGrpcError) and the outputs never resolve, so the root stack
 *   registers nothing and keeps its old outputs (step.go SameStep.Apply; deployment_executor.go
 *   finalizes only an outputs event it received). Any other error rejects the outputs
 *   (rpc.ts transferProperties) and the SDK registers `{}` (runtime/stack.ts Stack.initialize,
 *   `finally`), which the errored finalization merges over the old outputs: the same result;
 * - a resource the update did not apply shows it in its state, and this module keeps the
 *   previous record of each secret and workload it concerns.
 */
import { dict } from "../../core/dict";
import type { Fingerprints } from "./memory";
import type { SecretOutput, WorkloadOutput } from "./outputs";
import type { WorkloadPlan } from "./workloadPlan";
import { SLOTS, type Slot } from "../../core/names";
import type { AppliedSlot } from "../../components/outputState";

/** What one workload's applied pod templates run: secret to version, or null when not applied. */
export interface WorkloadReceipt {
  /** The stable Deployment, the CronJob or the linked workload's patch. */
  stable: Readonly<Record<string, string>> | null;
  /** The canary Deployment, when the plan runs one. */
  canary?: Readonly<Record<string, string>> | null;
  /** blueGreen: each slot's Deployment, with the container and size it was applied with. */
  slots?: Readonly<Record<Slot, AppliedSlot | null>>;
  /** blueGreen: the slot the applied Service's selector names. */
  liveSlot?: string | null;
}

/** What the resources of this update show, read from their output state. */
export interface UpdateReceipts {
  /** Per secret, per declared version: whether its AWS and cluster resources were applied. */
  versions: ReadonlyMap<string, ReadonlyMap<string, boolean>>;
  /** Per workload name. */
  workloads: ReadonlyMap<string, WorkloadReceipt>;
}

/** What this update means to record, and what the previous update recorded. */
export interface MemoryRecordInput {
  /** This update's `secrets` output, as planned. */
  secrets: Readonly<Record<string, SecretOutput>>;
  /** This update's workload plans (their `workloads` output entries are in `workloadsOutput`). */
  workloadPlans: readonly WorkloadPlan[];
  workloadsOutput: Readonly<Record<string, WorkloadOutput>>;
  /** This update's digests of every declared version's values. */
  fingerprints: Fingerprints;
  /** The previous update's outputs, as read (undefined on a first update). */
  previous?: {
    secrets?: unknown;
    workloads?: unknown;
    fingerprints: Fingerprints;
  };
}

export interface RecordedMemory {
  secrets: Record<string, unknown>;
  workloads: Record<string, unknown>;
  versionFingerprints: Fingerprints;
}

const entryOf = (record: unknown, name: string): unknown =>
  typeof record === "object" && record !== null && Object.hasOwn(record, name)
    ? (record as Record<string, unknown>)[name]
    : undefined;

const runsExactly = (
  runs: Readonly<Record<string, string>> | null | undefined,
  links: readonly { secret: string; version: string }[],
): boolean =>
  runs !== null &&
  runs !== undefined &&
  Object.keys(runs).length === links.length &&
  links.every((l) => Object.hasOwn(runs, l.secret) && runs[l.secret] === l.version);

/**
 * Whether a workload's applied templates run exactly what its plan links; for blue-green, each
 * slot's Deployment with the container and replicas the plan gave it, and the Service selecting
 * the planned slot (under `--target`, a switch the Service did not make is not recorded).
 */
export function workloadApplied(plan: WorkloadPlan, receipt: WorkloadReceipt | undefined): boolean {
  if (!receipt || !runsExactly(receipt.stable, plan.links)) return false;
  if (plan.slots) {
    const { slots } = plan;
    if (receipt.liveSlot !== slots.live) return false;
    return SLOTS.every((slot) => {
      const applied = receipt.slots?.[slot];
      const planned = slots.slots[slot];
      return (
        applied !== null &&
        applied !== undefined &&
        runsExactly(applied.runs, planned.links) &&
        applied.container === planned.digest &&
        applied.replicas === planned.replicas
      );
    });
  }
  return !plan.canary || runsExactly(receipt.canary, plan.canary.links);
}

/**
 * The memory this update records. A secret's entry is this update's when every version it
 * declares was applied and every workload that links it runs what the plan says (its
 * activation resolves from those workloads' pod templates); otherwise the previous update's
 * entry stands, unchanged, as the engine would keep it (none on a first update: the next update
 * starts that secret's history). A workload's entry likewise. A version's digest is recorded
 * once its own resources were applied; until then the previous digest, if any, stands.
 */
export function recordMemory(input: MemoryRecordInput, receipts: UpdateReceipts): RecordedMemory {
  const workloadsOk = new Map(
    input.workloadPlans.map((w) => [w.name, workloadApplied(w, receipts.workloads.get(w.name))]),
  );
  const secrets = dict<unknown>();
  const fingerprints = dict<Record<string, string>>();
  for (const [name, planned] of Object.entries(input.secrets)) {
    const applied = receipts.versions.get(name);
    const versionsOk = [...(applied?.values() ?? [])].every(Boolean);
    const linkedOk = input.workloadPlans
      .filter((w) => w.links.some((l) => l.secret === name))
      .every((w) => workloadsOk.get(w.name));
    const kept = versionsOk && linkedOk ? planned : entryOf(input.previous?.secrets, name);
    if (kept !== undefined) secrets[name] = kept;

    const digests = dict<string>();
    const before = input.previous?.fingerprints[name];
    for (const [version, digest] of Object.entries(input.fingerprints[name] ?? {})) {
      const recorded = applied?.get(version) ? digest : before?.[version];
      if (recorded !== undefined) digests[version] = recorded;
    }
    if (input.fingerprints[name] !== undefined) fingerprints[name] = digests;
  }
  const workloads = dict<unknown>();
  for (const [name, planned] of Object.entries(input.workloadsOutput)) {
    const kept = workloadsOk.get(name) ? planned : entryOf(input.previous?.workloads, name);
    if (kept !== undefined) workloads[name] = kept;
  }
  return { secrets, workloads, versionFingerprints: fingerprints };
}
