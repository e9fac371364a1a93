/**
 * Linking a workload: its live object is checked before the patch is declared. Here: entries
 * the program's own patch set before, update strategies, the wait, a cluster it cannot read, a
 * link whose workload is gone, and dev (linkedWorkloadsCheck.test.ts has the rest).
 */
import { strict as assert } from "assert";
import { patchOptions } from "../components/workloads/linkedWorkload";
import { checkLinked } from "../plan/workloads/linkedCheck";
import { patchTimeouts } from "../plan/workloads/patchTimeouts";
import { projectConfig, runProgram } from "../offline";
import { fakeCluster } from "../fakes/world";
import { envFields, liveWorkload, managed, ownEntries, secretRef } from "../fakes/linkedObjects";
import { assertRefused, assertRefusedByMemory, declare, find, inputsOf, ofType } from "./helpers";
import { PATCHES, ACTIVE, linked, templateOf, OLD, KEYS, against } from "./linkedHelpers";

describe("linking a workload: its live object is checked before the patch is declared", () => {
  it("accepts the entries its own patch set at the previous rotation (field manager secret-rotation)", async () => {
    const entries = KEYS.map((k) => secretRef(k, `auth-api-secrets-${OLD}`));
    const run = await against({
      Deployment: [
        liveWorkload("Deployment", "billing", {
          containers: [
            { name: "api", env: [{ name: "LOG_LEVEL", value: "info" }, ...entries] },
            { name: "worker", env: entries },
          ],
          managedFields: [
            managed(
              "Deployment",
              "helm",
              "Update",
              envFields("Deployment", { api: ["LOG_LEVEL"] }, true),
            ),
            ownEntries("Deployment", { api: KEYS, worker: KEYS }),
          ],
        }),
      ],
    });
    assert.equal(run.error, undefined, run.error?.message);
    const patch = inputsOf(find(run, PATCHES.Deployment, "billing-link"));
    assert.equal(
      templateOf(patch, "Deployment").spec.containers[0].env[0].valueFrom.secretKeyRef.name,
      `auth-api-secrets-${ACTIVE}`,
    );
  });

  it("without managed fields, accepts only the Secret the previous update linked", async () => {
    // A kubectl file written without --show-managed-fields carries none.
    const first = await against({ Deployment: [liveWorkload("Deployment", "billing")] });
    assert.equal(first.error, undefined, first.error?.message);
    const linkedBefore = KEYS.map((k) => secretRef(k, `auth-api-secrets-${ACTIVE}`));
    const ours = await against(
      {
        Deployment: [
          liveWorkload("Deployment", "billing", {
            containers: [
              { name: "api", env: linkedBefore },
              { name: "worker", env: linkedBefore },
            ],
          }),
        ],
      },
      linked(),
      { previous: first.outputs },
    );
    assert.equal(ours.error, undefined, ours.error?.message);
    const someoneElses = await against(
      {
        Deployment: [
          liveWorkload("Deployment", "billing", {
            containers: [
              { name: "api", env: [secretRef("api_token", "vault-copy")] },
              { name: "worker" },
            ],
          }),
        ],
      },
      linked(),
      { previous: first.outputs },
    );
    assertRefusedByMemory(
      someoneElses,
      "workloads.billing.containers[0]",
      "already sets api_token from secretKeyRef vault-copy/api_token, and nothing shows that secret-rotation set it",
    );
  });

  it("refuses a DaemonSet or StatefulSet whose updateStrategy is OnDelete; RollingUpdate is linked", async () => {
    for (const kind of ["DaemonSet", "StatefulSet"] as const) {
      const refused = await against(
        { [kind]: [liveWorkload(kind, "billing", { updateStrategy: "OnDelete" })] },
        linked({ kind }),
      );
      assertRefusedByMemory(
        refused,
        "workloads.billing.kind",
        `${kind} staging/billing has updateStrategy OnDelete`,
        "Switch it to RollingUpdate",
      );
      const rolling = await against(
        { [kind]: [liveWorkload(kind, "billing", { updateStrategy: "RollingUpdate" })] },
        linked({ kind }),
      );
      assert.equal(rolling.error, undefined, rolling.error?.message);
    }
  });

  it("bounds a Deployment patch's wait by the live progress deadline plus a minute", () => {
    const live = (progressDeadlineSeconds?: number) =>
      liveWorkload("Deployment", "billing", { progressDeadlineSeconds });
    assert.deepEqual(patchTimeouts("Deployment", live(120)), { create: "180s", update: "180s" });
    assert.deepEqual(patchTimeouts("Deployment", live(600)), { create: "660s", update: "660s" });
    // No deadline (MaxInt32) or none read: the default deadline, not 68 years.
    assert.deepEqual(patchTimeouts("Deployment", live(2147483647)), {
      create: "660s",
      update: "660s",
    });
    assert.deepEqual(patchTimeouts("Deployment", undefined), { create: "660s", update: "660s" });
    // The checked outcome carries it to the patch's resource options.
    const outcome = checkLinked({
      stack: "staging",
      workloads: [
        {
          owner: "external",
          name: "billing",
          kind: "Deployment",
          namespace: "staging",
          containers: ["api"],
          secrets: ["s"],
        },
      ],
      secretKeys: new Map([["s", ["api_token"]]]),
      previousWorkloads: undefined,
      read: { status: "read", value: new Map([["Deployment staging/billing", live(90)]]) },
      preview: false,
    });
    assert.deepEqual(outcome.problems, []);
    assert.deepEqual(patchOptions({ timeouts: outcome.timeouts.billing }), {
      customTimeouts: { create: "150s", update: "150s" },
    });
    assert.deepEqual(patchOptions({}), {}, "without a bound, the provider's own wait");
  });

  it("cannot read the cluster: pulumi up refuses, pulumi preview warns and shows the patch", async () => {
    fakeCluster.load({ Deployment: [liveWorkload("Deployment", "billing")] });
    fakeCluster.broken = true;
    const up = await declare(linked());
    assertRefusedByMemory(
      up,
      "workloads.billing",
      "Deployment staging/billing could not be read from the cluster (get Deployment staging/billing: HTTP 500",
    );
    const preview = await runProgram({
      stack: "staging",
      config: projectConfig(linked()),
      now: "20250724000000",
      preview: true,
    });
    assert.equal(preview.error, undefined, preview.error?.message);
    assert.equal(ofType(preview, PATCHES.Deployment).length, 1);
    assert.ok(
      preview.logs.some((l) =>
        l.includes("warning: linked workloads not checked: the cluster could not be read"),
      ),
      preview.logs.join("\n"),
    );
  });

  it("removing a link whose workload is gone is refused with the state command to run", async () => {
    const first = await against({ Deployment: [liveWorkload("Deployment", "billing")] });
    assert.equal(first.error, undefined, first.error?.message);
    const unlinked = linked();
    delete (unlinked.workloads as Record<string, unknown>).billing;
    // The workload still exists: the patch is deleted (its fields relinquished).
    const kept = await against({ Deployment: [liveWorkload("Deployment", "billing")] }, unlinked, {
      previous: first.outputs,
    });
    assert.equal(kept.error, undefined, kept.error?.message);
    assert.deepEqual(ofType(kept, PATCHES.Deployment), []);
    // It is gone: the relinquish would create it, so the update is refused with the way out.
    const gone = await against({}, unlinked, { previous: first.outputs });
    assertRefusedByMemory(
      gone,
      "workloads.billing",
      "the previous update linked Deployment staging/billing, which no longer exists",
      "pulumi state delete 'urn:pulumi:staging::secret-rotation::secret-rotation:workloads:LinkedWorkload$kubernetes:apps/v1:DeploymentPatch::billing-link' --stack staging",
    );
  });

  it("a dev stack's linked workloads are checked too", async () => {
    const config = linked({ namespace: "dev" });
    const run = await against(
      {
        Deployment: [
          liveWorkload("Deployment", "billing", {
            namespace: "dev",
            containers: [{ name: "api" }],
          }),
        ],
      },
      config,
      { stack: "dev" },
    );
    assertRefused(
      run,
      "workloads.billing.containers[1]",
      '"worker" is not a container of Deployment dev/billing',
    );
  });
});
