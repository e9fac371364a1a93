/**
 * The memory the update exports (`secrets`, `workloads`, `versionFingerprints`): what the plan
 * means to record, kept only as far as the resources' own output state shows it was done
 * (lifecycle/record.ts says why). Whatever the next update trusts resolves from the resources
 * it describes.
 */
import * as pulumi from "@pulumi/pulumi";
import { secretsOutput, workloadsOutput } from "../plan/lifecycle/outputs";
import {
  type RecordedMemory,
  type UpdateReceipts,
  type WorkloadReceipt,
  recordMemory,
} from "../plan/lifecycle/record";
import type { RotatedSecret } from "../components/secrets/rotatedSecret";
import { LinkedWorkload } from "../components/workloads/linkedWorkload";
import { Workload } from "../components/workloads/workload";
import { settled } from "../components/outputState";
import type { StackPlan } from "./planStack";

/**
 * The memory this update records, once its resources resolved. The resources it does not
 * describe (`others`) complete the update too: a prune is recorded only once they resolve, so
 * a failure anywhere leaves the memory unresolved.
 */
export function recordedMemory(
  update: StackPlan,
  rotated: ReadonlyMap<string, RotatedSecret>,
  workloads: readonly (Workload | LinkedWorkload)[],
  others: pulumi.Output<unknown>[],
): pulumi.Output<RecordedMemory> {
  const completed = settled(
    pulumi.all(others).apply(() => true),
    true,
  );
  return receiptsOf(
    rotated,
    workloads.map((component, i) => ({ name: update.workloads[i].name, component })),
    completed,
  ).apply((receipts) =>
    recordMemory(
      {
        secrets: secretsOutput(update.secrets),
        workloadPlans: update.workloads,
        workloadsOutput: workloadsOutput(update.workloads),
        fingerprints: update.fingerprints,
        ...(update.previous && { previous: update.previous }),
      },
      receipts,
    ),
  );
}

/**
 * The receipts of an update: each secret's declared versions and each workload's applied pod
 * templates, read from their resources' outputs, once `completed` (the update's other
 * resources) resolved. Pairs, not `pulumi.all` over an object, so a secret named `constructor`
 * stays an ordinary key; Maps built after unwrapping, which would turn them into records.
 */
function receiptsOf(
  rotated: ReadonlyMap<string, RotatedSecret>,
  workloads: readonly { name: string; component: Workload | LinkedWorkload }[],
  completed: pulumi.Output<boolean>,
): pulumi.Output<UpdateReceipts> {
  const versions = [...rotated].flatMap(([secret, r]) =>
    Object.entries(r.applied).map(([version, applied]) => ({ secret, version, applied })),
  );
  return pulumi
    .all([
      pulumi.all(versions.map((v) => v.applied)),
      pulumi.all(
        workloads.map(({ component: w }) =>
          pulumi.all([
            w.runs,
            w instanceof Workload ? (w.canaryRuns ?? null) : null,
            w instanceof Workload && w.slots
              ? pulumi
                  .all([w.slots.blue, w.slots.green, w.liveSlot ?? null])
                  .apply(([blue, green, live]) => ({ slots: { blue, green }, live }))
              : null,
          ]),
        ),
      ),
      completed,
    ])
    .apply(([applied, runs]) => {
      const byVersion = new Map<string, Map<string, boolean>>();
      versions.forEach((v, i) => {
        const of = byVersion.get(v.secret) ?? new Map<string, boolean>();
        byVersion.set(v.secret, of.set(v.version, applied[i]));
      });
      const byWorkload = new Map<string, WorkloadReceipt>(
        workloads.map(({ name, component: w }, i) => [
          name,
          {
            stable: runs[i][0],
            ...(w instanceof Workload && w.canaryRuns && { canary: runs[i][1] }),
            ...(runs[i][2] && { slots: runs[i][2].slots, liveSlot: runs[i][2].live }),
          },
        ]),
      );
      return { versions: byVersion, workloads: byWorkload };
    });
}
