/**
 * Engine rules the memory's record relies on: an unknown output in an update, and what a
 * Deployment's output state shows. Each block names the upstream source and version it pins.
 */
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { runsOf, settled } from "../components/outputState";
import { RecordingMocks, oneAtATime } from "../offline";
import { PROJECT } from "../core/project";

const NEXT = "20250801090000";
const SECRET = "auth-api-secrets";

describe("engine rules: an unknown output in an update (pulumi v3.248.0 sdk/nodejs/output.ts OutputImpl, runtime/rpc.ts serializeProperty)", () => {
  // An unknown stack output is registered as the unknown sentinel, which the checkpoint would
  // keep in place of the memory: `settled` turns it into "not applied" in an update.
  const unknownOutput = <T>(): pulumi.Output<T> =>
    new (pulumi.Output as any)(
      new Set(),
      Promise.resolve(undefined),
      Promise.resolve(false),
      Promise.resolve(false),
      Promise.resolve(new Set()),
    );

  async function resolveIn<T>(preview: boolean, make: () => pulumi.Output<T>) {
    await oneAtATime(() =>
      pulumi.runtime.setMocks(new RecordingMocks(), PROJECT, "staging", preview),
    );
    const out = make() as any;
    return { known: (await out.isKnown) as boolean, value: (await out.promise()) as T };
  }

  it("the pinned SDK's outputs carry isKnown and promise(withUnknowns), which settled reads", () => {
    const out = pulumi.output(1) as any;
    assert.ok(out.isKnown instanceof Promise);
    assert.equal(typeof out.promise, "function");
  });

  it("in an update, an unknown reads as not applied; a known value passes", async () => {
    assert.deepEqual(await resolveIn(false, () => settled(unknownOutput<boolean>(), false)), {
      known: true,
      value: false,
    });
    assert.deepEqual(await resolveIn(false, () => settled(pulumi.output(true), false)), {
      known: true,
      value: true,
    });
  });

  it("in a preview, an unknown stays unknown: a preview records nothing", async () => {
    const { known } = await resolveIn(true, () => settled(unknownOutput<boolean>(), false));
    assert.equal(known, false);
  });

  it("a failed resource's rejection passes through, so nothing depending on it resolves", async () => {
    await oneAtATime(() =>
      pulumi.runtime.setMocks(new RecordingMocks(), PROJECT, "staging", false),
    );
    const failed = pulumi.output(Promise.reject(new Error("create failed")));
    await assert.rejects((settled(failed, "fallback") as any).promise(), /create failed/);
  });
});

describe("engine rules: what a Deployment's output state shows (pulumi-kubernetes 94977969 await/await.go Update, await/deployment.go)", () => {
  const template = {
    metadata: { annotations: { "secret-rotation/versions": `${SECRET}=${NEXT}` } },
  };

  const available = { type: "Available", status: "True", reason: "MinimumReplicasAvailable" };
  const conditions = (reason: string, status = "True") => [
    available,
    { type: "Progressing", status, reason },
  ];
  const revision = (n: string) => ({ "deployment.kubernetes.io/revision": n });

  it("the state the await accepted (generation observed, Available, NewReplicaSetAvailable) counts", () => {
    const accepted = {
      metadata: { generation: 4, annotations: revision("3") },
      spec: { template },
      status: { observedGeneration: 4, conditions: conditions("NewReplicaSetAvailable") },
    };
    assert.deepEqual({ ...runsOf(accepted, "Deployment") }, { [SECRET]: NEXT });
  });

  it("a create (revision 1) counts once Available, before every replica is (checkAndLogStatus)", () => {
    // With maxUnavailable >= 1 the controller sets Available before NewReplicaSetAvailable.
    const created = {
      metadata: { generation: 1, annotations: revision("1") },
      spec: { template },
      status: { observedGeneration: 1, conditions: conditions("ReplicaSetUpdated") },
    };
    assert.deepEqual({ ...runsOf(created, "Deployment") }, { [SECRET]: NEXT });
    const unavailable = {
      ...created,
      status: { observedGeneration: 1, conditions: [{ ...available, status: "False" }] },
    };
    assert.equal(runsOf(unavailable, "Deployment"), null);
  });

  it("what a failed await leaves (--continue-on-error: provider.go Update reads it back) does not", () => {
    const rolling = {
      metadata: { generation: 5, annotations: revision("4") },
      spec: { template },
      status: { observedGeneration: 5, conditions: conditions("ReplicaSetUpdated") },
    };
    const pastDeadline = {
      ...rolling,
      status: {
        observedGeneration: 5,
        conditions: conditions("ProgressDeadlineExceeded", "False"),
      },
    };
    // The previous rollout's condition, not yet observed for this generation.
    const stale = {
      ...rolling,
      status: { observedGeneration: 4, conditions: conditions("NewReplicaSetAvailable") },
    };
    const created = { metadata: { generation: 1 }, spec: { template }, status: undefined };
    for (const state of [rolling, pastDeadline, stale, created]) {
      assert.equal(runsOf(state, "Deployment"), null, JSON.stringify(state.status));
    }
  });

  it("a linked StatefulSet counts once its update revision is current and its replicas ready (await/statefulset.go)", () => {
    const base = { metadata: { generation: 2 }, spec: { replicas: 3, template } };
    const done = {
      observedGeneration: 2,
      currentRevision: "b",
      updateRevision: "b",
      readyReplicas: 3,
    };
    assert.deepEqual({ ...runsOf({ ...base, status: done }, "StatefulSet") }, { [SECRET]: NEXT });
    for (const status of [
      { ...done, currentRevision: "a" },
      { ...done, readyReplicas: 2 },
      { ...done, observedGeneration: 1 },
    ]) {
      assert.equal(runsOf({ ...base, status }, "StatefulSet"), null, JSON.stringify(status));
    }
  });

  it("a linked DaemonSet counts once every scheduled pod is updated and available (await/daemonset.go, kstatus)", () => {
    const base = { metadata: { generation: 2 }, spec: { template } };
    const done = {
      observedGeneration: 2,
      desiredNumberScheduled: 4,
      updatedNumberScheduled: 4,
      numberAvailable: 4,
    };
    assert.deepEqual({ ...runsOf({ ...base, status: done }, "DaemonSet") }, { [SECRET]: NEXT });
    for (const status of [
      { ...done, updatedNumberScheduled: 3 },
      { ...done, numberAvailable: 3 },
      { ...done, observedGeneration: 1 },
    ]) {
      assert.equal(runsOf({ ...base, status }, "DaemonSet"), null, JSON.stringify(status));
    }
  });

  it("a CronJob has no rollout to await: its template counts as applied", () => {
    const cronJob = { spec: { jobTemplate: { spec: { template } } } };
    assert.deepEqual({ ...runsOf(cronJob, "CronJob") }, { [SECRET]: NEXT });
  });

  it("a template with no versions of ours runs nothing", () => {
    assert.equal(runsOf({ spec: { template: {} } }, "CronJob"), null);
  });
});
