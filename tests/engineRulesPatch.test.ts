/**
 * Engine rules for patching linked workloads: OnDelete rollouts and patch force. Each block
 * names the upstream source and version it pins (pulumi-kubernetes master 94977969).
 */
import { strict as assert } from "assert";
import { linkedPatch } from "../components/workloads/linkedWorkload";
import { projectConfig, runProgram } from "../offline";
import { billingWithHelmSecretRef, liveWorkload, secretRef } from "../fakes/linkedObjects";
import { fakeCluster } from "../fakes/world";
import { applyEntry, linkedKind as linked, valueFromErrors } from "./linkedRules";

const ACTIVE = "20250723110000";
const SECRET = `auth-api-secrets-${ACTIVE}`;

/** kstatus daemonsetConditions (sigs.k8s.io/cli-utils pkg/kstatus/status/core.go): Current or not. */
function daemonSetCurrent(status: {
  desiredNumberScheduled: number;
  currentNumberScheduled: number;
  updatedNumberScheduled: number;
  numberAvailable: number;
  numberReady: number;
}): boolean {
  const s = status;
  return (
    s.desiredNumberScheduled <= s.currentNumberScheduled &&
    s.desiredNumberScheduled <= s.updatedNumberScheduled &&
    s.desiredNumberScheduled <= s.numberAvailable &&
    s.desiredNumberScheduled <= s.numberReady
  );
}

/** pulumi-kubernetes await/statefulset.go processStatefulSetEvent: when the await is done. */
function statefulSetDone(s: {
  generation: number;
  onDelete: boolean;
  replicas: number;
  statusReplicas: number;
  readyReplicas: number;
  currentReplicas: number;
  currentRevision: string;
  updateRevision: string;
}): boolean {
  if (s.generation > 1 && s.onDelete) {
    return s.replicas === s.statusReplicas && s.replicas === s.readyReplicas;
  }
  return (
    s.currentRevision !== "" &&
    s.currentRevision === s.updateRevision &&
    s.replicas === s.statusReplicas &&
    s.replicas === s.readyReplicas &&
    s.replicas === s.currentReplicas
  );
}

describe("engine rules: OnDelete rollouts (pulumi-kubernetes await/daemonset.go rolloutComplete with kstatus daemonsetConditions; await/statefulset.go processStatefulSetEvent)", () => {
  it("an OnDelete DaemonSet never becomes Current after a template change until pods are deleted by hand, so the program refuses it", async () => {
    // Three nodes, the patch changed the template: OnDelete replaces no pod by itself.
    const afterPatch = {
      desiredNumberScheduled: 3,
      currentNumberScheduled: 3,
      updatedNumberScheduled: 0,
      numberAvailable: 3,
      numberReady: 3,
    };
    assert.equal(daemonSetCurrent(afterPatch), false);
    assert.equal(daemonSetCurrent({ ...afterPatch, updatedNumberScheduled: 3 }), true);
    fakeCluster.load({
      DaemonSet: [liveWorkload("DaemonSet", "billing", { updateStrategy: "OnDelete" })],
    });
    const run = await runProgram({
      stack: "staging",
      config: projectConfig(linked("DaemonSet")),
      now: "20250724000000",
    });
    assert.match(
      run.error?.message ?? "",
      /workloads\.billing\.kind: DaemonSet staging\/billing has updateStrategy OnDelete/,
    );
  });

  it("an OnDelete StatefulSet's await is done while every pod still runs the old template, so the program refuses it", async () => {
    const afterPatch = {
      generation: 2,
      onDelete: true,
      replicas: 3,
      statusReplicas: 3,
      readyReplicas: 3,
      currentReplicas: 3,
      currentRevision: "billing-old",
      updateRevision: "billing-new",
    };
    assert.equal(statefulSetDone(afterPatch), true, "done although no pod runs billing-new");
    assert.equal(statefulSetDone({ ...afterPatch, onDelete: false }), false);
    fakeCluster.load({
      StatefulSet: [liveWorkload("StatefulSet", "billing", { updateStrategy: "OnDelete" })],
    });
    const run = await runProgram({
      stack: "staging",
      config: projectConfig(linked("StatefulSet")),
      now: "20250724000000",
    });
    assert.match(
      run.error?.message ?? "",
      /StatefulSet staging\/billing has updateStrategy OnDelete/,
    );
  });
});

/**
 * pulumi-kubernetes provider/pkg/await/await.go patchForce: whether an apply overwrites
 * conflicts (`kubernetes:enablePatchForce` or PULUMI_K8S_ENABLE_PATCH_FORCE set it for every
 * patch: provider/pkg/provider/provider.go Configure).
 */
function patchForce(o: {
  annotation: boolean;
  enablePatchForce: boolean;
  preview: boolean;
  live?: { managers: { manager: string; operation: string }[] };
}): boolean {
  if (o.annotation || o.enablePatchForce) return true;
  if (o.preview) {
    if (!o.live) return true;
    if (
      o.live.managers.some(
        (m) =>
          m.operation === "Update" &&
          ["pulumi-resource-kubernetes", "pulumi-kubernetes", "pulumi-kubernetes.exe"].includes(
            m.manager,
          ),
      )
    ) {
      return true;
    }
  }
  return o.live !== undefined && o.live.managers.length === 0;
}

describe("engine rules: patch force (pulumi-kubernetes await.go patchForce, provider.go Configure enablePatchForce)", () => {
  it("the patch never asks to force; a first link's preview forces anyway, so a conflict shows only in up", () => {
    const body = linkedPatch("billing", {
      kind: "Deployment",
      namespace: "staging",
      containers: ["api"],
      links: [],
    });
    assert.ok(!("pulumi.com/patchForce" in body.metadata.annotations));
    const helm = { managers: [{ manager: "helm", operation: "Update" }] };
    assert.equal(patchForce({ annotation: false, enablePatchForce: false, preview: true }), true);
    assert.equal(
      patchForce({ annotation: false, enablePatchForce: false, preview: false, live: helm }),
      false,
    );
  });

  it("forcing takes over only the fields the patch names: a literal value stays, so kubernetes:enablePatchForce changes no refusal", async () => {
    assert.equal(patchForce({ annotation: false, enablePatchForce: true, preview: false }), true);
    // Force moves ownership of the applied fields; the live `value` is not one of them.
    assert.deepEqual(
      valueFromErrors(
        applyEntry({ name: "api_token", value: "x" }, secretRef("api_token", SECRET)),
      ),
      ["may not be specified when `value` is not empty"],
    );
    fakeCluster.load({ Deployment: [billingWithHelmSecretRef()] });
    const config = projectConfig(linked());
    config.config["kubernetes:enablePatchForce"] = "true";
    const run = await runProgram({ stack: "staging", config, now: "20250724000000" });
    assert.match(run.error?.message ?? "", /owned by field manager "helm"/);
  });
});
