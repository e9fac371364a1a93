/**
 * The stack output `inventory`: per version, the pods and workloads that referenced it when
 * the reference guard read the cluster in that update; null when it did not read it.
 */
import { strict as assert } from "assert";
import { fakeCluster } from "../fakes/world";
import { OLD, OLD_NAME, pruneUpdate } from "./guardHelpers";
import { baseConfig, runHistory } from "./helpers";
import { byKind, deployment, ownLabels, pod, replicaSet } from "./inventoryHelpers";

const ACTIVE = "20250723110000";
const ACTIVE_NAME = `auth-api-secrets-${ACTIVE}`;

describe("stack output inventory", () => {
  it("records, when the guard read the cluster, each version's pods and the workloads that ran or held it", async () => {
    const labels = ownLabels("auth-service");
    const rs = { kind: "ReplicaSet", name: "auth-service-7c9f" };
    fakeCluster.load(
      byKind([
        deployment("staging", "auth-service", ACTIVE_NAME, { labels }),
        replicaSet("staging", "auth-service-7c9f", ACTIVE_NAME, {
          labels,
          replicas: 2,
          revision: "3",
          controller: { kind: "Deployment", name: "auth-service" },
        }),
        pod("staging", "auth-service-7c9f-a", ACTIVE_NAME, { labels, controller: rs }),
        pod("staging", "auth-service-7c9f-b", ACTIVE_NAME, {
          labels,
          controller: rs,
          ready: false,
        }),
        deployment("team-a", "legacy", OLD_NAME),
      ]),
    );
    const run = await pruneUpdate();
    assert.equal(run.error, undefined, run.error?.message);
    const inventory = run.outputs.inventory as Record<string, Record<string, unknown>>;
    assert.deepEqual(inventory["auth-api-secrets"][OLD], {
      pods: 0,
      ready: 0,
      workloads: ["Deployment team-a/legacy"],
      moreWorkloads: 0,
    });
    assert.deepEqual(inventory["auth-api-secrets"][ACTIVE], {
      pods: 2,
      ready: 1,
      workloads: ["Deployment staging/auth-service"],
      moreWorkloads: 0,
    });
    assert.deepEqual(Object.keys(inventory["auth-api-secrets"]).sort(), [
      OLD,
      "20250715100000",
      ACTIVE,
    ]);
  });

  it("is null when the update did not read the cluster: nothing to prune, or the cluster unreadable", async () => {
    fakeCluster.load(byKind([deployment("team-a", "legacy", OLD_NAME)]));
    const [first] = await runHistory([{ config: baseConfig(), now: "20250724000000" }]);
    assert.equal(first.error, undefined, first.error?.message);
    assert.equal(
      (first.outputs.guard as { kubernetes: { status: string } }).kubernetes.status,
      "skipped",
    );
    assert.equal(first.outputs.inventory, null);
    fakeCluster.broken = true;
    const unreadable = await pruneUpdate();
    assert.equal(
      (unreadable.outputs.guard as { kubernetes: { status: string } }).kubernetes.status,
      "unavailable",
    );
    assert.equal(unreadable.outputs.inventory, null);
  });
});
