/**
 * The inventory's owning workloads beyond Deployments: a CronJob through its Job, a StatefulSet
 * and a DaemonSet directly, and an ownerReference that is not a controller (a bare pod).
 */
import { strict as assert } from "assert";
import type { FakeObject } from "../fakes/kubeApi";
import type { GuardKind } from "../plan/guard/references";
import { InventoryScan } from "../plan/inventory/collect";
import { expectedWorkloads } from "../plan/inventory/expected";
import { buildInventory } from "../plan/inventory/inventory";
import type { WorkloadPlan } from "../plan/lifecycle/workloadPlan";
import { NEW, NEW_NAME, OLD, OLD_NAME, SECRET, job, pod } from "./inventoryHelpers";

const links = [{ secret: SECRET, version: NEW, kubernetesName: NEW_NAME }];
const WORKLOADS: WorkloadPlan[] = [
  { name: "token-refresh", kind: "CronJob", links },
  { name: "ledger", kind: "StatefulSet", external: { namespace: "team-b" }, links },
];

function inventoryOf(objects: FakeObject[]) {
  const scan = new InventoryScan(new Set([OLD_NAME, NEW_NAME]));
  for (const o of objects) scan.add(o.kind as GuardKind, o);
  const version = (v: string) => ({
    version: v,
    state: v === NEW ? "active" : "previous",
    kubernetesName: `${SECRET}-${v}`,
    awsName: `staging/${SECRET}-${v}`,
  });
  return buildInventory({
    secrets: [{ name: SECRET, activeVersion: NEW, versions: [version(OLD), version(NEW)] }],
    expected: expectedWorkloads(WORKLOADS, "staging"),
    cluster: scan.facts(),
    now: new Date("2026-12-01T00:00:00Z"),
  });
}

describe("inventory: owning workloads of every kind", () => {
  it("a pod of the program's CronJob (through its Job) on the old version is stale; a linked StatefulSet's on the old version too; a DaemonSet's is unknown", () => {
    const inv = inventoryOf([
      job("staging", "token-refresh-290", OLD_NAME, {
        controller: { kind: "CronJob", name: "token-refresh" },
      }),
      pod("staging", "token-refresh-290-x", OLD_NAME, {
        controller: { kind: "Job", name: "token-refresh-290" },
      }),
      pod("team-b", "ledger-0", OLD_NAME, { controller: { kind: "StatefulSet", name: "ledger" } }),
      pod("team-b", "ledger-1", NEW_NAME, { controller: { kind: "StatefulSet", name: "ledger" } }),
      pod("kube-system", "agent-abc", OLD_NAME, {
        controller: { kind: "DaemonSet", name: "agent" },
      }),
    ]);
    assert.deepEqual(
      inv.flags.stale.map((f) => [f.workload, f.pods]),
      [
        ["CronJob staging/token-refresh", 1],
        ["StatefulSet team-b/ledger", 1],
      ],
    );
    assert.deepEqual(
      inv.flags.unknown.map((f) => f.workload),
      ["DaemonSet kube-system/agent"],
    );
    // The program's own unfinished Job holds the old version, and is not unknown.
    assert.deepEqual(
      inv.secrets[0].versions[0].holders.map((h) => [h.why, h.workload, h.relation]),
      [["unfinished", "CronJob staging/token-refresh", "owned"]],
    );
  });

  it("an ownerReference without controller: true is not the owning workload: the pod stands alone", () => {
    const p = pod("team-a", "adopted", OLD_NAME);
    p.metadata.ownerReferences = [{ apiVersion: "v1", kind: "Node", name: "n1", uid: "u" }];
    const inv = inventoryOf([p]);
    assert.deepEqual(
      inv.secrets[0].versions[0].workloads.map((g) => `${g.kind} ${g.namespace}/${g.name}`),
      ["Pod team-a/adopted"],
    );
  });
});
