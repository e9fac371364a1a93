/**
 * Look before pruning: before a version is pruned, the program lists what in the cluster and
 * in AWS still uses it, keeps what is used, and prunes nothing when it cannot look. The
 * cluster is a real HTTP server on the loopback interface speaking the list API, read through
 * @kubernetes/client-node with a kubeconfig; AWS is aws-sdk-client-mock. Here: what a pod
 * reads, and the rotate-then-clean-up checklist; the clients in guardCluster.test.ts and
 * guardAws.test.ts, the offline plan in guardOffline.test.ts.
 */
import { strict as assert } from "assert";
import { GUARD_KINDS, isFinished, isOwnObject, podSpecSecretNames } from "../plan/guard/references";
import { LABELS, MANAGED_BY } from "../core/names";
import { fakeCluster } from "../fakes/world";
import { objectReading, podSpecReading } from "../fakes/kubeApi";
import {
  TYPES,
  baseConfig,
  declare,
  declaredVersions,
  ofType,
  runHistory,
  secretOf,
  versionReport,
} from "./helpers";
import { OLD, OLD_NAME, BEFORE, LATER, pruneUpdate, guardOf, warnings } from "./guardHelpers";

describe("reference guard: what a pod reads", () => {
  it("finds a Secret through envFrom, secretKeyRef, secret volumes, projected volumes and imagePullSecrets", () => {
    for (const how of [
      "envFrom",
      "secretKeyRef",
      "volume",
      "projected",
      "imagePullSecrets",
    ] as const) {
      assert.deepEqual(podSpecSecretNames(podSpecReading("s-1", how)), ["s-1"], how);
    }
  });

  it("reads init and ephemeral containers as well as containers", () => {
    const spec = {
      containers: [{ name: "a" }],
      initContainers: [{ name: "i", envFrom: [{ secretRef: { name: "init-secret" } }] }],
      ephemeralContainers: [
        {
          name: "e",
          env: [{ name: "X", valueFrom: { secretKeyRef: { name: "debug", key: "k" } } }],
        },
      ],
    };
    assert.deepEqual(podSpecSecretNames(spec), ["init-secret", "debug"]);
  });

  it("a Succeeded or Failed Pod and a Complete or Failed Job can start nothing again; running ones can", () => {
    assert.ok(isFinished("Pod", { status: { phase: "Succeeded" } }));
    assert.ok(isFinished("Pod", { status: { phase: "Failed" } }));
    assert.ok(!isFinished("Pod", { status: { phase: "Running" } }));
    assert.ok(
      isFinished("Job", { status: { conditions: [{ type: "Complete", status: "True" }] } }),
    );
    assert.ok(
      !isFinished("Job", { status: { conditions: [{ type: "Complete", status: "False" }] } }),
    );
    assert.ok(!isFinished("ReplicaSet", { status: { phase: "Succeeded" } }));
  });

  it("only the program's own Deployments, CronJobs and the ReplicaSets and Pods they own are its own", () => {
    const own = { namespace: "staging", names: new Set(["auth-service", "auth-service-canary"]) };
    const labels = { [LABELS.app]: "auth-service", [LABELS.managedBy]: MANAGED_BY };
    const mine = (kind: (typeof GUARD_KINDS)[number], extra = {}) =>
      isOwnObject(
        kind,
        objectReading(kind, "staging", "auth-service", OLD_NAME, "envFrom", { labels, ...extra }),
        own,
      );
    assert.ok(mine("Deployment"));
    assert.ok(mine("ReplicaSet", { ownerKind: "Deployment" }));
    assert.ok(mine("Pod", { ownerKind: "ReplicaSet" }));
    // Same labels, but no owner: someone else's object copying the labels.
    assert.ok(!mine("ReplicaSet"));
    // Another namespace, or without the managed-by label: not the program's.
    assert.ok(
      !isOwnObject(
        "Deployment",
        objectReading("Deployment", "team-a", "auth-service", OLD_NAME, "envFrom", { labels }),
        own,
      ),
    );
    assert.ok(
      !isOwnObject(
        "Deployment",
        objectReading("Deployment", "staging", "auth-service", OLD_NAME),
        own,
      ),
    );
  });
});

describe("reference guard: rotate, then clean up only what nothing uses", () => {
  it("keeps an expired version an unowned Deployment still reads, as referenced, naming it", async () => {
    fakeCluster.load({ Deployment: [objectReading("Deployment", "team-a", "legacy", OLD_NAME)] });
    const run = await pruneUpdate();
    assert.equal(run.error, undefined, run.error?.message);
    const report = versionReport(run, OLD);
    assert.equal(report.state, "referenced");
    assert.deepEqual(report.referencedBy, ["Deployment team-a/legacy"]);
    assert.ok(declaredVersions(run).includes(OLD), "its resources stay declared");
    assert.ok(
      warnings(run).some(
        (w) => w.includes(`version ${OLD}`) && w.includes("Deployment team-a/legacy"),
      ),
      warnings(run).join("\n"),
    );
    assert.deepEqual(guardOf(run).kept, [`auth-api-secrets ${OLD}`]);
    assert.equal(guardOf(run).kubernetes.status, "read");
  });

  it("the rollout history of a workload it does not own counts, even scaled to 0", async () => {
    fakeCluster.load({
      ReplicaSet: [
        objectReading("ReplicaSet", "team-a", "legacy-5d4f", OLD_NAME, "volume", {
          ownerKind: "Deployment",
        }),
      ],
    });
    const run = await pruneUpdate();
    assert.deepEqual(versionReport(run, OLD).referencedBy, ["ReplicaSet team-a/legacy-5d4f"]);
  });

  it("every guarded kind counts, through every way a pod reads a Secret", async () => {
    const ways = ["envFrom", "secretKeyRef", "volume", "projected", "imagePullSecrets"] as const;
    const objects = Object.fromEntries(
      GUARD_KINDS.map((kind, i) => [
        kind,
        [objectReading(kind, "team-b", `r-${kind.toLowerCase()}`, OLD_NAME, ways[i % ways.length])],
      ]),
    );
    fakeCluster.load(objects);
    const run = await pruneUpdate();
    assert.deepEqual(
      versionReport(run, OLD).referencedBy,
      GUARD_KINDS.map((kind) => `${kind} team-b/r-${kind.toLowerCase()}`).sort(),
    );
  });

  it("finished Jobs and Pods, and the program's own workloads that this update moves on, do not hold a version", async () => {
    const labels = { [LABELS.app]: "auth-service", [LABELS.managedBy]: MANAGED_BY };
    fakeCluster.load({
      Job: [
        objectReading("Job", "staging", "token-refresh-1", OLD_NAME, "envFrom", {
          status: { conditions: [{ type: "Complete", status: "True" }] },
        }),
      ],
      Pod: [
        objectReading("Pod", "staging", "token-refresh-1-x", OLD_NAME, "envFrom", {
          status: { phase: "Succeeded" },
        }),
        objectReading("Pod", "staging", "auth-service-5d4f-abc", OLD_NAME, "envFrom", {
          labels,
          ownerKind: "ReplicaSet",
        }),
      ],
      Deployment: [
        objectReading("Deployment", "staging", "auth-service", OLD_NAME, "envFrom", { labels }),
      ],
    });
    const run = await pruneUpdate();
    assert.equal(versionReport(run, OLD).state, "expired");
    assert.ok(!declaredVersions(run).includes(OLD));
  });

  it("a same-named reference in another namespace counts: Secret mirroring tools keep the name", async () => {
    fakeCluster.load({ Pod: [objectReading("Pod", "mirror", "reader", OLD_NAME)] });
    assert.equal(versionReport(await pruneUpdate(), OLD).state, "referenced");
  });

  it("asks the cluster nothing when this update prunes nothing", async () => {
    const runs = await runHistory([{ config: baseConfig(), now: BEFORE }]);
    assert.equal(guardOf(runs[0]).kubernetes.status, "skipped");
    assert.deepEqual(fakeCluster.requests, []);
  });

  it("when the cluster cannot be read, prunes nothing, keeps what the last update declared, and says why", async () => {
    fakeCluster.broken = true;
    const run = await pruneUpdate();
    assert.equal(run.error, undefined, run.error?.message);
    assert.equal(versionReport(run, OLD).state, "referenced");
    assert.ok(declaredVersions(run).includes(OLD));
    assert.equal(guardOf(run).kubernetes.status, "unavailable");
    assert.ok(
      warnings(run).some(
        (w) =>
          w.includes("the cluster could not be read") &&
          w.includes("HTTP 500") &&
          w.includes("guard.kubernetes false"),
      ),
      warnings(run).join("\n"),
    );
  });

  it("the fail-safe never brings a pruned version back", async () => {
    const config = baseConfig();
    const runs = await runHistory([
      { config, now: BEFORE },
      { config, now: LATER },
    ]);
    assert.equal(versionReport(runs[1], OLD).state, "expired");
    fakeCluster.broken = true;
    const DAYS_LATER = "20251001000000";
    // 20250715100000 expires too by then: the previous update declared it, so it is kept.
    const run = await declare(config, { now: DAYS_LATER, previous: runs[1].outputs });
    assert.equal(run.error, undefined, run.error?.message);
    assert.equal(versionReport(run, OLD).state, "pruned");
    assert.ok(!declaredVersions(run).includes(OLD));
    assert.equal(versionReport(run, "20250715100000").state, "previous");
  });

  it("guard.kubernetes: false prunes as planned without asking the cluster", async () => {
    fakeCluster.load({ Deployment: [objectReading("Deployment", "team-a", "legacy", OLD_NAME)] });
    const config = baseConfig();
    config.guard = { kubernetes: false };
    const run = await pruneUpdate(config);
    assert.equal(versionReport(run, OLD).state, "expired");
    assert.deepEqual(fakeCluster.requests, []);
    assert.equal(guardOf(run).kubernetes.status, "off");
  });

  it("a version removed from config while something still reads it is refused, naming the reader", async () => {
    fakeCluster.load({ Pod: [objectReading("Pod", "team-a", "batch-7", OLD_NAME)] });
    const config = baseConfig();
    delete secretOf(config).versions[OLD];
    const run = await pruneUpdate(config, { now: "20250725000000" });
    assert.ok(run.error, "refused");
    assert.match(
      run.error.message,
      new RegExp(`version ${OLD} was removed from the config.*Pod team-a/batch-7`),
    );
    assert.deepEqual(ofType(run, TYPES.awsSecret), []);
  });
});
