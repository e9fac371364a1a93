/**
 * The rollback benchmark's arithmetic (bench/rollout.ts): the Kubernetes deployment
 * controller's rolling-update rules (kubernetes/kubernetes pkg/controller/deployment/rolling.go
 * reconcileNewReplicaSet / reconcileOldReplicaSets, util/deployment_util.go NewRSNewReplicas /
 * ResolveFenceposts) as the README's rollback table uses them; and the rows it prints
 * (bench/rollbackRuns.ts), from real runs of the program, as docs/blue-green.md shows them.
 */
import { strict as assert } from "assert";
import { readFileSync } from "fs";
import { rollbackRows, table } from "../bench/rollbackRuns";
import {
  changeCost,
  fenceposts,
  rollingUpdate,
  scaledValue,
  type DeclaredDeployment,
} from "../bench/rollout";

const deployment = (over: Partial<DeclaredDeployment> = {}): DeclaredDeployment => ({
  name: "api",
  replicas: 10,
  maxSurge: 1,
  maxUnavailable: 0,
  minReadySeconds: 10,
  template: { secret: "app-20250731000000" },
  ...over,
});

describe("rollback benchmark: rollout waves (kubernetes rolling.go, deployment_util.go)", () => {
  it("rounds a percentage maxSurge up and maxUnavailable down (intstr GetScaledValueFromIntOrPercent)", () => {
    assert.equal(scaledValue("25%", 10, true), 3);
    assert.equal(scaledValue("25%", 10, false), 2);
    assert.equal(scaledValue(4, 10, true), 4);
    assert.throws(() => scaledValue("25", 10, true), /invalid value for IntOrString/);
    // Both rounding to 0 makes maxUnavailable 1, or the rollout could never move.
    assert.deepEqual(fenceposts({ replicas: 3, maxSurge: 0, maxUnavailable: "10%" }), {
      surge: 0,
      unavailable: 1,
    });
  });

  it("a 10-replica rollback with maxSurge 1 starts 10 pods in 10 waves; with 100% in 1 wave", () => {
    assert.deepEqual(rollingUpdate(deployment()), { podsStarted: 10, waves: 10, minSeconds: 100 });
    assert.deepEqual(rollingUpdate(deployment({ maxSurge: "100%" })), {
      podsStarted: 10,
      waves: 1,
      minSeconds: 10,
    });
  });

  it("25% surge (3, rounded up) with 25% unavailable (2, rounded down) rolls 10 replicas in 2 waves", () => {
    // Surge 3, unavailable 2: new 3, old 8, new 5; wave; old 3, new 10; wave; old 0.
    const cost = rollingUpdate(deployment({ maxSurge: "25%", maxUnavailable: "25%" }));
    assert.deepEqual([cost.podsStarted, cost.waves], [10, 2]);
    // maxSurge 0, maxUnavailable 1: one old pod goes, one new starts, ten times.
    const noSurge = rollingUpdate(deployment({ maxSurge: 0, maxUnavailable: 1 }));
    assert.deepEqual([noSurge.podsStarted, noSurge.waves], [10, 10]);
  });

  it("a blue-green rollback within warmHours declares the same Deployments: no pod, no wave", () => {
    const blue = deployment({ name: "api-blue", template: { secret: "app-20250728000000" } });
    const green = deployment({ name: "api-green" });
    assert.deepEqual(changeCost([blue, green], [blue, green]), {
      podsStarted: 0,
      waves: 0,
      minSeconds: 0,
    });
  });

  it("scaling a slot back up from 0 with its template kept starts every pod in one wave", () => {
    const cold = deployment({ name: "api-blue", replicas: 0 });
    const warm = deployment({ name: "api-blue" });
    assert.deepEqual(changeCost([cold], [warm]), { podsStarted: 10, waves: 1, minSeconds: 10 });
    // A template change from 0 replicas: NewRSNewReplicas has no old pods to wait for.
    const rolled = deployment({ name: "api-blue", template: { secret: "other" } });
    assert.deepEqual(changeCost([cold], [rolled]).waves, 1);
  });

  it("a changed template rolls; an unchanged one scaled down starts nothing", () => {
    const before = deployment();
    const after = deployment({ template: { secret: "app-20250728000000" } });
    assert.deepEqual(changeCost([before], [after]).podsStarted, 10);
    assert.deepEqual(changeCost([before], [deployment({ replicas: 0 })]).podsStarted, 0);
  });
});

describe("rollback benchmark: the rows from real runs (bench/rollbackRuns.ts)", () => {
  it("blueGreen rolls back by a switch alone within warmHours, by a scale 0 to 10 after it; docs/blue-green.md shows these rows", async () => {
    const rows = await rollbackRows();
    const byStrategy = Object.fromEntries(rows.map((r) => [r.strategy, r]));
    assert.deepEqual(byStrategy["blueGreen, warm slot"], {
      strategy: "blueGreen, warm slot",
      cost: { podsStarted: 0, waves: 0, minSeconds: 0 },
      switches: true,
    });
    assert.deepEqual(byStrategy["blueGreen, after warmHours"], {
      strategy: "blueGreen, after warmHours",
      cost: { podsStarted: 10, waves: 1, minSeconds: 10 },
      switches: true,
    });
    assert.equal(byStrategy["rolling, maxSurge 1"].switches, false);
    // The doc's table, its Markdown stripped, is the printed one (seconds with their unit).
    const doc = readFileSync("docs/blue-green.md", "utf8")
      .split("## How long a rollback takes")[1]
      .split("\n")
      .filter((l) => /^\| `/.test(l))
      .map((l) =>
        l
          .split("|")
          .slice(1, -1)
          .map((c) => c.trim().replace(/[`:]/g, "").replace(/ s$/, "")),
      );
    const printed = table(rows)
      .slice(1)
      .map((l) => l.split(/ {2,}/).map((c) => c.trim()));
    assert.deepEqual(doc, printed);
  });
});
