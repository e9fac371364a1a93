/**
 * The inventory's owning workloads beyond Deployments: a CronJob through its Job, a StatefulSet
 * and a DaemonSet directly, and an ownerReference that is not a controller (a bare pod).
 */
import { strict as assert } from "assert";
import type { FakeObject } from "../fakes/kubeApi";
import type { GuardKind, LooseObject } from "../plan/guard/references";
import { InventoryScan } from "../plan/inventory/collect";
import { expectedWorkloads } from "../plan/inventory/expected";
import { buildInventory } from "../plan/inventory/inventory";
import type { WorkloadPlan } from "../plan/lifecycle/workloadPlan";
import type { SlotsPlan } from "../plan/workloads/slotPlan";
import { renderInventory } from "../scripts/inventoryRender";
import {
  NEW,
  NEW_NAME,
  OLD,
  OLD_NAME,
  SECRET,
  cronJob,
  deployment,
  job,
  ownLabels,
  pod,
  rollout,
} from "./inventoryHelpers";
import { isOwnObject } from "../plan/guard/references";

const links = [{ secret: SECRET, version: NEW, kubernetesName: NEW_NAME }];
const WORKLOADS: WorkloadPlan[] = [
  { name: "token-refresh", kind: "CronJob", links },
  { name: "ledger", kind: "StatefulSet", external: { namespace: "team-b" }, links },
];

function inventoryOf(
  objects: FakeObject[],
  workloads: WorkloadPlan[] = WORKLOADS,
  previousWorkloads?: unknown,
) {
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
    expected: expectedWorkloads(workloads, "staging", previousWorkloads),
    cluster: scan.facts(),
    now: new Date("2026-12-01T00:00:00Z"),
  });
}

describe("inventory: owning workloads of every kind", () => {
  it("a pod of the program's CronJob (through its Job) on the old version is listed, not stale (its Job ends on its own); a linked StatefulSet's is stale; a DaemonSet's is unknown", () => {
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
    // A Job's pod template cannot change once created: no rollout restarts it.
    assert.deepEqual(
      inv.flags.stale.map((f) => [f.workload, f.pods]),
      [["StatefulSet team-b/ledger", 1]],
    );
    assert.deepEqual(
      inv.secrets[0].versions[0].workloads.map((w) => [w.kind, w.name, w.pods, w.settling]),
      [
        ["CronJob", "token-refresh", 1, 1],
        ["DaemonSet", "agent", 1, undefined],
        ["StatefulSet", "ledger", 1, undefined],
      ],
    );
    assert.deepEqual(
      inv.flags.unknown.map((f) => f.workload),
      ["DaemonSet kube-system/agent"],
    );
    // The table says why the CronJob's pod is not stale.
    const text = renderInventory(
      { stack: "staging", at: new Date("2026-12-01T00:00:00Z"), cluster: "live", aws: "live" },
      inv,
    );
    assert.match(text, /CronJob token-refresh\s+staging\s+owned\s+1 \(1 settling\)\s+/);
    assert.match(text, /StatefulSet ledger\s+team-b\s+linked\s+1\s+/);
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

describe("inventory: a linked workload that reads a secret it does not link", () => {
  it("is unknown for that secret, and the row says it is linked", () => {
    const ledger: WorkloadPlan = {
      name: "ledger",
      kind: "StatefulSet",
      external: { namespace: "team-b" },
      links: [],
    };
    const objects = [
      pod("team-b", "ledger-0", NEW_NAME, { controller: { kind: "StatefulSet", name: "ledger" } }),
    ];
    const inv = inventoryOf(objects, [ledger]);
    assert.deepEqual(
      inv.flags.unknown.map((f) => [f.workload, f.linkedWithout]),
      [["StatefulSet team-b/ledger", true]],
    );
    const text = renderInventory(
      { stack: "staging", at: new Date("2026-12-01T00:00:00Z"), cluster: "live", aws: "live" },
      inv,
    );
    assert.match(
      text,
      /StatefulSet team-b\/ledger\s{2,}linked, but does not link this secret \(pods\)/,
    );
  });
});

describe("inventory: pods that are not stale after a rotation", () => {
  it("a terminating pod (deletionTimestamp) on the old version is listed, not stale", () => {
    const leaving = pod("team-b", "ledger-0", OLD_NAME, {
      controller: { kind: "StatefulSet", name: "ledger" },
    });
    const gone = {
      ...leaving,
      metadata: { ...leaving.metadata, deletionTimestamp: "2026-12-01T00:00:00Z" },
    };
    assert.deepEqual(inventoryOf([gone]).flags.stale, []);
    assert.equal(inventoryOf([leaving]).flags.stale.length, 1, "the same pod, not terminating");
  });

  it("a blue-green slot is compared with what the memory records it runs: the warm slot is not stale", () => {
    // The plan would move both slots to the new version (a pending change); what runs is the record.
    const planned = { links } as unknown as SlotsPlan["slots"]["blue"];
    const api: WorkloadPlan = {
      name: "api",
      kind: "Deployment",
      links,
      slots: { slots: { blue: planned, green: planned } } as unknown as SlotsPlan,
    };
    const run = (version: string) => ({
      versions: { [SECRET]: version },
      secretNames: [`${SECRET}-${version}`],
      replicas: 2,
      container: { image: "registry.example.com/api:1" },
      digest: "d",
    });
    const slots = {
      live: "blue",
      switchedAt: "2026-11-30T00:00:00Z",
      blue: run(NEW),
      green: run(OLD),
      warm: { slot: "green", versions: { [SECRET]: OLD }, until: "2026-12-01T12:00:00Z" },
    };
    const objects = [
      pod("staging", "api-green-1", OLD_NAME, {
        controller: { kind: "Deployment", name: "api-green" },
      }),
      pod("staging", "api-blue-1", NEW_NAME, {
        controller: { kind: "Deployment", name: "api-blue" },
      }),
    ];
    assert.deepEqual(inventoryOf(objects, [api], { api: { slots } }).flags.stale, []);
    // Without memory the slots' runs are not known: listed, never flagged.
    assert.deepEqual(inventoryOf(objects, [api]).flags.stale, []);
    assert.deepEqual(inventoryOf(objects, [api]).flags.unknown, []);
    // The record trails the cluster (a failed update kept it): both slots recorded on the old
    // version, green already rolled to the new one the plan moves it to. Not stale.
    const kept = { ...slots, blue: run(OLD), warm: null };
    const rolled = [
      pod("staging", "api-green-2", NEW_NAME, {
        controller: { kind: "Deployment", name: "api-green" },
      }),
    ];
    assert.deepEqual(inventoryOf(rolled, [api], { api: { slots: kept } }).flags.stale, []);
    // A slot the record says runs the new version, with a pod on the old one, is stale.
    const behind = { ...slots, green: run(NEW) };
    assert.deepEqual(
      inventoryOf(objects, [api], { api: { slots: behind } }).flags.stale.map((f) => [
        f.workload,
        f.linked,
        f.recorded,
      ]),
      [["Deployment staging/api-green", NEW, true]],
    );
  });
});

describe("inventory: a workload's own template on an old version", () => {
  const AUTH: WorkloadPlan = { name: "auth-service", kind: "Deployment", links };
  const stale = (objects: FakeObject[]) =>
    inventoryOf(objects, [...WORKLOADS, AUTH]).flags.stale.map((f) => [
      f.workload,
      f.version,
      f.pods,
      f.through,
      f.linked,
    ]);

  it("an owned CronJob whose template the rotation never reached is stale: its next Job runs the old version", () => {
    assert.deepEqual(stale([cronJob("staging", "token-refresh", OLD_NAME, false)]), [
      ["CronJob staging/token-refresh", OLD, 0, "scheduled", NEW],
    ]);
    assert.deepEqual(stale([cronJob("staging", "token-refresh", OLD_NAME, true)]), [
      ["CronJob staging/token-refresh", OLD, 0, "suspended", NEW],
    ]);
    // Also while a Job it started runs on the old version: the Job's pod settles, the template stays.
    const running = [
      cronJob("staging", "token-refresh", OLD_NAME, false),
      job("staging", "token-refresh-290", OLD_NAME, {
        controller: { kind: "CronJob", name: "token-refresh" },
      }),
      pod("staging", "token-refresh-290-x", OLD_NAME, {
        controller: { kind: "Job", name: "token-refresh-290" },
      }),
    ];
    assert.deepEqual(stale(running), [["CronJob staging/token-refresh", OLD, 0, "scheduled", NEW]]);
    // Its template on the new version: the old Job's pod is settling, nothing is stale.
    running[0] = cronJob("staging", "token-refresh", NEW_NAME, false);
    assert.deepEqual(stale(running), []);
  });

  it("an owned Deployment at 0 replicas whose template reads the old version is stale; old ReplicaSets are history", () => {
    const idle = deployment("staging", "auth-service", OLD_NAME);
    assert.deepEqual(stale([idle]), [["Deployment staging/auth-service", OLD, 0, "template", NEW]]);
    const text = renderInventory(
      { stack: "staging", at: new Date("2026-12-01T00:00:00Z"), cluster: "live", aws: "live" },
      inventoryOf([idle], [...WORKLOADS, AUTH]),
    );
    assert.match(
      text,
      /its template reads it \(template\): its next pods will run it; the config links 20261110100000/,
    );
    // A finished rollout: the old ReplicaSet at 0 is what `kubectl rollout undo` returns to.
    const done = rollout("staging", "auth-service", 0, 2);
    assert.deepEqual(stale(done), []);
    // Holders are what pods do not show: the old ReplicaSet, never the template the pods run.
    const [old, current] = inventoryOf(done, [...WORKLOADS, AUTH]).secrets[0].versions;
    assert.deepEqual(
      old.holders.map((h) => [h.kind, h.name, h.why]),
      [["ReplicaSet", "auth-service-old", "history"]],
    );
    assert.deepEqual(current.holders, []);
    assert.equal(current.pods, 2);
  });
});

describe("inventory: a malformed object from a --cluster file", () => {
  it("deletionTimestamp: null is not terminating: the pod is stale", () => {
    const p = pod("team-b", "ledger-0", OLD_NAME, {
      controller: { kind: "StatefulSet", name: "ledger" },
    });
    const odd = { ...p, metadata: { ...p.metadata, deletionTimestamp: null } };
    assert.equal(inventoryOf([odd]).flags.stale.length, 1);
  });

  it("ownerReferences that are not a list make an object no program object, without a crash", () => {
    const own = { namespace: "staging", names: new Set(["auth-service"]) };
    const odd = {
      metadata: {
        namespace: "staging",
        name: "auth-service-abc",
        labels: ownLabels("auth-service"),
        ownerReferences: { kind: "ReplicaSet" },
      },
    };
    // With a list, the same pod is the program's own: the check reads the field, not the shape.
    const listed = {
      ...odd,
      metadata: { ...odd.metadata, ownerReferences: [{ kind: "ReplicaSet" }] },
    };
    assert.equal(isOwnObject("Pod", listed, own), true);
    assert.equal(isOwnObject("Pod", odd as unknown as LooseObject, own), false);
  });

  it("a pod spec that is not an object reads no Secret, and the scan goes on", () => {
    const odd = { kind: "Pod", metadata: { namespace: "staging", name: "odd" }, spec: "oops" };
    const inv = inventoryOf([odd]);
    assert.deepEqual(inv.flags, { stale: [], unknown: [], overdue: [] });
  });
});
