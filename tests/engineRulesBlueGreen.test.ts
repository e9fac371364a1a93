/**
 * Engine rules behind blue-green slots (issue 19): how pulumi-kubernetes awaits a Service
 * update, what the Service switch must wait on (the Deployment await), and how server-side
 * apply writes a Service selector. Each rule is a small pure model of the upstream code, named
 * with its source and version; the tests assert the consequences the design relies on.
 *
 * Sources: pulumi-kubernetes master 94977969 (v4.32.0-27, the newest snapshot here; the project
 * pins @pulumi/kubernetes 4.34.2, so recheck against v4.34.x when a snapshot has it),
 * provider/pkg/await/{await.go,awaiters.go,service.go,
 * deployment.go,informers/factory.go}, provider/pkg/metadata/overrides.go; kubernetes/api
 * core/v1/types.go (master 10b39a39, v0.36.3).
 */
import { strict as assert } from "assert";
import { TYPES, baseConfig, declareOk, find, inputsOf, workloadOf } from "./helpers";

/**
 * await/await.go Update (after the apply): no await in preview; `pulumi.com/skipAwait` or
 * `pulumi.com/waitFor` (metadata/overrides.go ReadyCondition) replace the built-in awaiter;
 * otherwise the awaiter registered for the kind in awaiters.go runs, the same one Creation
 * runs, with customTimeouts.update or 10 minutes.
 */
function updateAwait(o: {
  kind: string;
  preview: boolean;
  annotations: Record<string, string>;
  updateTimeoutSeconds?: number;
}): { awaiter: string; timeoutSeconds: number } | "none" | "custom" {
  if (o.preview) return "none";
  if (o.annotations["pulumi.com/skipAwait"] === "true") return "none";
  if (o.annotations["pulumi.com/waitFor"] !== undefined) return "custom";
  const awaiters: Record<string, string> = {
    "v1/Service": "awaitServiceInit",
    "apps/v1/Deployment": "deploymentInitAwaiter",
  };
  const awaiter = awaiters[o.kind];
  if (awaiter === undefined) return "none";
  return { awaiter, timeoutSeconds: o.updateTimeoutSeconds ?? 600 };
}

type ServiceEvent =
  | { at: number; kind: "service"; deleted?: boolean; lbIngress?: boolean }
  | { at: number; kind: "endpoints"; ready: number; notReady: number; deleted?: boolean };

/**
 * await/service.go serviceInitAwaiter.await with processServiceEvent, processEndpointEvent and
 * checkAndLogStatus. Every Endpoints event sets endpointsSettled false and starts its own
 * `time.Sleep(10 * time.Second)` goroutine (never cancelled) whose send sets it true; success
 * is serviceReady && endpointsSettled && !endpointsPending, or serviceReady alone for an
 * ExternalName, headless (clusterIP None) or selector-less Service. On timeout it succeeds if
 * serviceReady && !endpointsPending, else fails. The informer (informers/factory.go Subscribe,
 * client-go AddEventHandler) first delivers every existing object as an Added event.
 */
function serviceAwait(
  svc: { type?: string; clusterIP?: string; selector: Record<string, string> },
  events: ServiceEvent[],
  timeoutSeconds: number,
): { ok: boolean; at: number; errors: string[] } {
  const s = { serviceReady: false, ready: false, pending: false, settled: false };
  const waitsForPods =
    svc.type !== "ExternalName" && svc.clusterIP !== "None" && Object.keys(svc.selector).length > 0;
  const done = () => (waitsForPods ? s.serviceReady && s.settled && !s.pending : s.serviceReady);
  const timers: number[] = [];
  const queue = [...events].sort((a, b) => a.at - b.at);
  for (;;) {
    const nextEvent = queue[0]?.at ?? Infinity;
    const nextTimer = timers.length > 0 ? Math.min(...timers) : Infinity;
    const at = Math.min(nextEvent, nextTimer, timeoutSeconds);
    if (at === timeoutSeconds) {
      const ok = s.serviceReady && !s.pending;
      const errors = !waitsForPods || s.ready ? [] : ["Service does not target any Pods"];
      return { ok, at, errors: ok ? [] : errors };
    }
    if (at === nextTimer) {
      timers.splice(timers.indexOf(nextTimer), 1);
      s.settled = true;
    } else {
      const e = queue.shift()!;
      if (e.kind === "service") {
        s.serviceReady = !e.deleted && (svc.type !== "LoadBalancer" || e.lbIngress === true);
      } else {
        s.settled = false;
        timers.push(e.at + 10);
        s.ready = !e.deleted && e.ready > 0;
        s.pending = !e.deleted && e.notReady > 0;
      }
    }
    if (done()) return { ok: true, at, errors: [] };
  }
}

/**
 * await/deployment.go checkReplicaSetStatus (apps/v1): the ReplicaSet of the Deployment's
 * current revision is ready when its status.readyReplicas >= its spec.replicas (read from the
 * live ReplicaSet), or, with no readyReplicas field, when spec.replicas is 0 (it then warns
 * "Replicas scaled to 0"). changeTriggeredRollout's extra check compares the same revision
 * annotations, so it adds nothing here. checkAndLogStatus adds the Deployment's Available
 * condition and, after revision 1, Progressing with reason NewReplicaSetAvailable. (With 0
 * replicas the controller's calculateStatus, kubernetes pkg/controller/deployment/sync.go,
 * sets Available: 0 available >= 0 - maxUnavailable.)
 */
function deploymentDone(d: {
  revision: string;
  specReplicas: number;
  readyReplicas?: number;
  available: boolean;
  progressingReason: string;
}): boolean {
  const doneWaiting =
    d.readyReplicas !== undefined ? d.readyReplicas >= d.specReplicas : d.specReplicas === 0;
  if (d.revision === "1") return d.available && doneWaiting;
  return d.available && d.progressingReason === "NewReplicaSetAvailable" && doneWaiting;
}

/**
 * Server-side apply of a map field: with `+mapType=atomic` the applier owns the whole map and
 * the live value becomes exactly what it applied; a granular map keeps keys other managers own.
 */
function applyMap(
  live: Record<string, string>,
  ownedByOthers: readonly string[],
  applied: Record<string, string>,
  atomic: boolean,
): Record<string, string> {
  if (atomic) return { ...applied };
  const kept = Object.entries(live).filter(([k]) => ownedByOthers.includes(k));
  return { ...Object.fromEntries(kept), ...applied };
}

const APP = "app.kubernetes.io/name";
const SLOT = "secret-rotation/slot";
const service = { selector: { [APP]: "api", [SLOT]: "green" } };

describe("engine rules: a Service update is awaited like a create (pulumi-kubernetes await/await.go Update, awaiters.go, service.go serviceInitAwaiter, master 94977969)", () => {
  it("runs awaitServiceInit after a selector change, for 10 minutes unless customTimeouts.update says otherwise", () => {
    const update = { kind: "v1/Service", preview: false, annotations: {} };
    assert.deepEqual(updateAwait(update), { awaiter: "awaitServiceInit", timeoutSeconds: 600 });
    assert.deepEqual(updateAwait({ ...update, updateTimeoutSeconds: 120 }), {
      awaiter: "awaitServiceInit",
      timeoutSeconds: 120,
    });
    assert.equal(updateAwait({ ...update, preview: true }), "none");
    assert.equal(
      updateAwait({ ...update, annotations: { "pulumi.com/skipAwait": "true" } }),
      "none",
    );
  });

  it("the program's Service is a ClusterIP Service with a selector and no await override, so its update waits for Pods", async () => {
    const config = baseConfig();
    Object.assign(workloadOf(config, "auth-service"), { strategy: "blueGreen" });
    const run = await declareOk(config);
    const svc = inputsOf(find(run, TYPES.service, "auth-service-service"));
    const annotations = (svc.metadata.annotations ?? {}) as Record<string, string>;
    assert.equal(svc.spec.type, undefined, "ClusterIP by default");
    assert.equal(svc.spec.clusterIP, undefined, "not headless");
    assert.ok(Object.keys(svc.spec.selector as object).length > 0);
    const awaited = updateAwait({ kind: "v1/Service", preview: false, annotations });
    assert.deepEqual(awaited, { awaiter: "awaitServiceInit", timeoutSeconds: 600 });
  });

  it("a switch between two ready slots is done 10 s after the first Endpoints event, not at once", () => {
    // The informer replays the live Endpoints (blue's pods) at subscription, then the
    // endpoints controller writes green's pods.
    const events: ServiceEvent[] = [
      { at: 0, kind: "service" },
      { at: 0, kind: "endpoints", ready: 10, notReady: 0 },
      { at: 2, kind: "endpoints", ready: 10, notReady: 0 },
    ];
    const result = serviceAwait(service, events, 600);
    assert.deepEqual(result, { ok: true, at: 10, errors: [] });
    // The first timer is not cancelled by the later event: settling counts from the first one.
    assert.ok(result.at < 2 + 10);
  });

  it("selecting pods that are not ready holds the switch until they are, and fails at the timeout if they never are", () => {
    const starting: ServiceEvent[] = [
      { at: 0, kind: "service" },
      { at: 0, kind: "endpoints", ready: 0, notReady: 10 },
      { at: 30, kind: "endpoints", ready: 10, notReady: 0 },
    ];
    assert.deepEqual(serviceAwait(service, starting, 600), { ok: true, at: 40, errors: [] });
    const never = starting.slice(0, 2);
    assert.deepEqual(serviceAwait(service, never, 600), {
      ok: false,
      at: 600,
      errors: ["Service does not target any Pods"],
    });
  });

  it("selecting no pod at all succeeds after the settle: the Service await alone does not prove the slot is ready", () => {
    const empty: ServiceEvent[] = [
      { at: 0, kind: "service" },
      { at: 0, kind: "endpoints", ready: 0, notReady: 0 },
    ];
    assert.deepEqual(serviceAwait(service, empty, 600), { ok: true, at: 10, errors: [] });
    // With no Endpoints event at all it waits out the timeout, then succeeds.
    assert.deepEqual(serviceAwait(service, [{ at: 0, kind: "service" }], 600), {
      ok: true,
      at: 600,
      errors: [],
    });
  });

  it("skips the Pod wait for headless, ExternalName and selector-less Services", () => {
    const events: ServiceEvent[] = [{ at: 0, kind: "service" }];
    for (const svc of [
      { ...service, clusterIP: "None" },
      { ...service, type: "ExternalName" },
      { selector: {} },
    ]) {
      assert.deepEqual(serviceAwait(svc, events, 600), { ok: true, at: 0, errors: [] });
    }
  });
});

describe("engine rules: what the Service switch waits on (pulumi-kubernetes await/deployment.go checkReplicaSetStatus, checkAndLogStatus, master 94977969)", () => {
  const rolled = {
    revision: "3",
    specReplicas: 10,
    available: true,
    progressingReason: "NewReplicaSetAvailable",
  };

  it("the idle slot's Deployment is done only once every pod of its new ReplicaSet is ready, so a switch that depends on it selects ready pods", () => {
    assert.equal(deploymentDone({ ...rolled, readyReplicas: 9 }), false);
    assert.equal(deploymentDone({ ...rolled, readyReplicas: 10 }), true);
    assert.equal(
      deploymentDone({ ...rolled, readyReplicas: 10, progressingReason: "ReplicaSetUpdated" }),
      false,
    );
    // Then the Service await sees only ready addresses: done after the settle.
    const after: ServiceEvent[] = [
      { at: 0, kind: "service" },
      { at: 0, kind: "endpoints", ready: 10, notReady: 0 },
    ];
    assert.equal(serviceAwait(service, after, 600).ok, true);
  });

  it("a slot at 0 replicas (the idle slot of a first update, a warm slot past warmHours) is done with no ready pod", () => {
    const scaledToZero = { ...rolled, specReplicas: 0 };
    assert.equal(deploymentDone(scaledToZero), true);
    assert.equal(deploymentDone({ ...scaledToZero, revision: "1" }), true);
    assert.equal(deploymentDone({ ...rolled, specReplicas: 1 }), false);
  });
});

describe("engine rules: Service spec.selector is +mapType=atomic (kubernetes/api core/v1/types.go ServiceSpec.Selector, since v0.22.0, still in v0.36.3)", () => {
  it("server-side apply replaces the whole selector: after a switch it is exactly the declared one", () => {
    const live = { [APP]: "api", [SLOT]: "blue", "added-by-hand": "x" };
    const applied = { [APP]: "api", [SLOT]: "green" };
    assert.deepEqual(applyMap(live, ["added-by-hand"], applied, true), applied);
    // A granular map would keep the foreign key, and the Service could select no pod.
    assert.deepEqual(applyMap(live, ["added-by-hand"], applied, false), {
      ...applied,
      "added-by-hand": "x",
    });
    // The slot key keeps its name and changes value, so the old slot's value never lingers.
    assert.equal(applyMap(live, [], applied, true)[SLOT], "green");
  });
});
