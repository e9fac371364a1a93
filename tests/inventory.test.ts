/**
 * The inventory's model, pure: what the cluster read keeps (`plan/inventory/collect.ts`), how
 * pods group by owning workload, what else holds a version, and the stale, unknown and overdue
 * flags (`plan/inventory/inventory.ts`), against the workloads the program owns or links.
 */
import { strict as assert } from "assert";
import fc from "fast-check";
import type { FakeObject } from "../fakes/kubeApi";
import type { GuardKind } from "../plan/guard/references";
import { InventoryScan } from "../plan/inventory/collect";
import { expectedWorkloads } from "../plan/inventory/expected";
import { type OverdueMark, buildInventory } from "../plan/inventory/inventory";
import type { WorkloadPlan } from "../plan/lifecycle/workloadPlan";
import {
  NEW,
  NEW_NAME,
  OLD,
  OLD_NAME,
  SECRET,
  cronJob,
  deployment,
  job,
  pod,
  replicaSet,
  rollout,
} from "./inventoryHelpers";

const NOW = new Date("2026-12-01T00:00:00Z");
const link = (version: string) => [
  { secret: SECRET, version, kubernetesName: `${SECRET}-${version}` },
];
const AUTH: WorkloadPlan = { name: "auth-service", kind: "Deployment", links: link(NEW) };
const BILLING: WorkloadPlan = {
  name: "billing",
  kind: "Deployment",
  external: { namespace: "team-b" },
  links: link(NEW),
};

function inventoryOf(
  objects: readonly FakeObject[],
  options: { workloads?: WorkloadPlan[]; overdue?: OverdueMark; aws?: boolean } = {},
) {
  const scan = new InventoryScan(new Set([OLD_NAME, NEW_NAME]));
  for (const o of objects) scan.add(o.kind as GuardKind, o);
  const version = (v: string, state: string) => ({
    version: v,
    state,
    kubernetesName: `${SECRET}-${v}`,
    awsName: `staging/${SECRET}-${v}`,
    ...(v === NEW && { activatedAt: "2026-11-11T00:00:00.000Z" }),
    ...(v === NEW && options.overdue && { overdue: options.overdue }),
  });
  return buildInventory({
    secrets: [
      {
        name: SECRET,
        activeVersion: NEW,
        versions: [version(OLD, "previous"), version(NEW, "active")],
      },
    ],
    expected: expectedWorkloads(options.workloads ?? [AUTH], "staging"),
    cluster: scan.facts(),
    ...(options.aws && {
      aws: {
        [`staging/${SECRET}-${OLD}`]: { deletedDate: "2026-11-30T00:00:00.000Z" },
        [`staging/${SECRET}-${NEW}`]: { lastAccessedDate: "2026-11-29T00:00:00.000Z" },
      },
    }),
    now: NOW,
  });
}

const versionOf = (inv: ReturnType<typeof buildInventory>, v: string) =>
  inv.secrets[0].versions.find((x) => x.version === v)!;

describe("inventory: the model", () => {
  it("pods on two versions, grouped by their Deployment through its ReplicaSets; the old pods of an owned Deployment are stale", () => {
    const inv = inventoryOf(rollout("staging", "auth-service", 1, 2));
    const old = versionOf(inv, OLD);
    const current = versionOf(inv, NEW);
    assert.deepEqual(old.workloads, [
      {
        kind: "Deployment",
        namespace: "staging",
        name: "auth-service",
        relation: "owned",
        pods: 1,
        ready: 1,
      },
    ]);
    assert.deepEqual([current.pods, current.ready, current.flags], [2, 2, []]);
    assert.deepEqual(old.flags, ["stale"]);
    assert.deepEqual(inv.flags.stale, [
      {
        secret: SECRET,
        version: OLD,
        workload: "Deployment staging/auth-service",
        pods: 1,
        linked: NEW,
      },
    ]);
    assert.deepEqual(inv.flags.unknown, []);
  });

  it("after the rollout: the old ReplicaSet, scaled to 0, holds the old version as history, with its revision; nothing is flagged", () => {
    const inv = inventoryOf(rollout("staging", "auth-service", 0, 2));
    const old = versionOf(inv, OLD);
    assert.equal(old.pods, 0);
    assert.deepEqual(old.holders, [
      {
        kind: "ReplicaSet",
        namespace: "staging",
        name: "auth-service-old",
        why: "history",
        workload: "Deployment staging/auth-service",
        relation: "owned",
        revision: "1",
      },
    ]);
    assert.deepEqual(inv.flags, { stale: [], unknown: [], overdue: [] });
  });

  it("ages: since the id and since the remembered activation", () => {
    const inv = inventoryOf([]);
    assert.deepEqual(
      [versionOf(inv, OLD).ageDays, versionOf(inv, OLD).activeDays, versionOf(inv, NEW).activeDays],
      [41, undefined, 20],
    );
  });

  it("unknown referrers: another team's Deployment, a bare pod, a suspended CronJob and an unfinished Job of a CronJob; finished ones hold nothing", () => {
    const inv = inventoryOf([
      ...rollout("team-a", "legacy", 1, 0),
      pod("team-a", "debug", OLD_NAME, { ready: false }),
      pod("team-a", "done", OLD_NAME, { phase: "Succeeded" }),
      cronJob("team-a", "report", OLD_NAME, true),
      cronJob("team-a", "nightly", NEW_NAME, false),
      job("team-a", "nightly-1", OLD_NAME, { controller: { kind: "CronJob", name: "nightly" } }),
      job("team-a", "old-batch", OLD_NAME, { done: true }),
    ]);
    const old = versionOf(inv, OLD);
    assert.deepEqual(
      old.workloads.map((g) => [`${g.kind} ${g.namespace}/${g.name}`, g.relation, g.pods, g.ready]),
      [
        ["Deployment team-a/legacy", "unknown", 1, 1],
        ["Pod team-a/debug", "unknown", 1, 0],
      ],
    );
    assert.deepEqual(
      old.holders.map((h) => [h.kind, h.name, h.why, h.workload]),
      [
        ["CronJob", "report", "suspended", "CronJob team-a/report"],
        ["Job", "nightly-1", "unfinished", "CronJob team-a/nightly"],
      ],
    );
    assert.deepEqual(
      inv.flags.unknown.map((f) => [f.version, f.workload, f.through]),
      [
        [OLD, "Deployment team-a/legacy", "pods"],
        [OLD, "Pod team-a/debug", "pods"],
        [OLD, "CronJob team-a/report", "suspended"],
        [OLD, "CronJob team-a/nightly", "unfinished"],
        [NEW, "CronJob team-a/nightly", "scheduled"],
        // legacy's Deployment already names the new version, but no pod of it runs yet.
        [NEW, "Deployment team-a/legacy", "template"],
      ],
    );
    assert.deepEqual(old.flags, ["unknown"]);
  });

  it("a linked workload (owner: external) still on the old version is stale; its pods on the linked version are not", () => {
    const objects = [
      ...rollout("team-b", "billing", 2, 1),
      ...rollout("staging", "auth-service", 0, 1),
    ];
    const inv = inventoryOf(objects, { workloads: [AUTH, BILLING] });
    assert.deepEqual(inv.flags.stale, [
      { secret: SECRET, version: OLD, workload: "Deployment team-b/billing", pods: 2, linked: NEW },
    ]);
    assert.equal(versionOf(inv, OLD).workloads[0].relation, "linked");
    assert.deepEqual(inv.flags.unknown, []);
  });

  it("a canary Deployment runs the canary's version: not stale", () => {
    const canary: WorkloadPlan = {
      ...AUTH,
      links: link(OLD),
      canary: {
        name: "auth-service-canary",
        secret: SECRET,
        version: NEW,
        percent: 50,
        replicas: 1,
        links: link(NEW),
      },
    };
    const objects = [
      deployment("staging", "auth-service", OLD_NAME),
      pod("staging", "auth-service-0", OLD_NAME, {
        controller: { kind: "ReplicaSet", name: "auth-service-a" },
      }),
      replicaSet("staging", "auth-service-a", OLD_NAME, {
        replicas: 1,
        revision: "1",
        controller: { kind: "Deployment", name: "auth-service" },
      }),
      ...rollout("staging", "auth-service-canary", 0, 1),
    ];
    assert.deepEqual(inventoryOf(objects, { workloads: [canary] }).flags.stale, []);
  });

  it("overdue: the plan's mark on the active version is a flag (maxAgeDays decides it, not the inventory)", () => {
    const mark = {
      since: "2026-08-01T00:00:00.000Z",
      ageDays: 122,
      maxAgeDays: 90,
      dueAt: "2026-10-30T00:00:00.000Z",
    };
    const inv = inventoryOf([], { overdue: mark });
    assert.deepEqual(versionOf(inv, NEW).flags, ["overdue"]);
    assert.deepEqual(inv.flags.overdue, [{ secret: SECRET, version: NEW, ...mark }]);
  });

  it("AWS: the last read and a scheduled deletion; null when AWS was not read", () => {
    const inv = inventoryOf([], { aws: true });
    assert.deepEqual(versionOf(inv, OLD).aws, {
      scheduledForDeletion: true,
      deletedDate: "2026-11-30T00:00:00.000Z",
    });
    assert.deepEqual(versionOf(inv, NEW).aws, {
      lastAccessedDate: "2026-11-29T00:00:00.000Z",
      scheduledForDeletion: false,
    });
    assert.equal(versionOf(inventoryOf([]), NEW).aws, null);
  });

  const randomPod = fc.record({
    ns: fc.constantFrom("a", "b"),
    owner: fc.constantFrom("web", "api", null),
    secret: fc.constantFrom(OLD_NAME, NEW_NAME, "other"),
    ready: fc.boolean(),
    phase: fc.constantFrom("Running", "Pending", "Succeeded", "Failed"),
  });

  it("property: every pod that can still run and reads a version counts once, in its workload's group, ready ones as ready; however the read is paged", () => {
    fc.assert(
      fc.property(
        fc.array(randomPod, { maxLength: 30 }),
        fc.array(fc.nat(), { maxLength: 5 }),
        (pods, cuts) => {
          const objects = pods.flatMap((p, i) => [
            pod(p.ns, `p${i}`, p.secret, {
              ready: p.ready,
              phase: p.phase,
              ...(p.owner && { controller: { kind: "ReplicaSet", name: `${p.owner}-rs` } }),
            }),
          ]);
          const owners = ["a", "b"].flatMap((ns) =>
            ["web", "api"].map((o) =>
              replicaSet(ns, `${o}-rs`, "none", {
                replicas: 1,
                revision: "1",
                controller: { kind: "Deployment", name: o },
              }),
            ),
          );
          const whole = inventoryOf([...owners, ...objects]);
          // The same objects fed in parts, absorbed as the paged read absorbs each list.
          const scan = new InventoryScan(new Set([OLD_NAME, NEW_NAME]));
          const all = [...owners, ...objects];
          const bounds = [
            ...new Set([0, ...cuts.map((c) => c % (all.length + 1)), all.length]),
          ].sort((x, y) => x - y);
          for (let i = 0; i + 1 < bounds.length; i++) {
            const part = scan.part();
            for (const o of all.slice(bounds[i], bounds[i + 1])) part.add(o.kind as GuardKind, o);
            scan.absorb(part);
          }
          for (const [name, version] of [
            [OLD_NAME, OLD],
            [NEW_NAME, NEW],
          ]) {
            const running = pods.filter(
              (p) => p.secret === name && (p.phase === "Running" || p.phase === "Pending"),
            );
            const v = versionOf(whole, version);
            assert.equal(v.pods, running.length);
            assert.equal(v.ready, running.filter((p) => p.ready).length);
            for (const g of v.workloads) {
              const inGroup = running.filter(
                (p) =>
                  p.ns === g.namespace &&
                  (p.owner ? g.kind === "Deployment" && g.name === p.owner : g.kind === "Pod"),
              );
              assert.equal(g.pods, g.kind === "Pod" ? 1 : inGroup.length);
            }
          }
          const once = new InventoryScan(new Set([OLD_NAME, NEW_NAME]));
          for (const o of all) once.add(o.kind as GuardKind, o);
          assert.deepEqual(scan.facts(), once.facts());
          assert.equal(
            scan.facts().pods.length,
            objects.filter(
              (_, i) =>
                pods[i].secret !== "other" &&
                (pods[i].phase === "Running" || pods[i].phase === "Pending"),
            ).length,
          );
        },
      ),
    );
  });
});
