/**
 * The rules of the API server and of pulumi-kubernetes that decide what a linked workload's
 * patch (`owner: external`) does on a real cluster, which the mock runtime does not enforce.
 * Each is modelled here from its upstream source and the program's check is held to it.
 * Versions: pulumi-kubernetes master 94977969 (after 4.32.0), Kubernetes master 000f2605,
 * sigs.k8s.io/cli-utils kstatus (pulumi-kubernetes' DaemonSet await), pulumi v3.248.0.
 */
import { strict as assert } from "assert";
import { Deployment } from "kubernetes-models/apps/v1";
import type { ExternalKind } from "../config/contract/workload";
import { checkLinked, patchUrn } from "../plan/workloads/linkedCheck";
import { variableProblem } from "../plan/workloads/linkedVariables";
import {
  DEFAULT_LIVE_PROGRESS_DEADLINE_SECONDS,
  NO_PROGRESS_DEADLINE,
  patchTimeouts,
} from "../plan/workloads/patchTimeouts";
import { LinkedWorkload, linkedPatch } from "../components/workloads/linkedWorkload";
import {
  ROLLOUT_TIMEOUT_GRACE_SECONDS,
  deploymentTimeouts,
} from "../components/workloads/workload";
import { projectConfig, runProgram } from "../offline";
import {
  billingWithHelmSecretRef,
  liveWorkload,
  ownEntries,
  secretRef,
} from "../fakes/linkedObjects";
import { fakeCluster } from "../fakes/world";
import { type TestConfig, baseConfig, declareWith, promiseOf, secretOf } from "./helpers";

const ACTIVE = "20250723110000";
const SECRET = `auth-api-secrets-${ACTIVE}`;

/** The base config with `billing` linked (containers api and worker, keys api_token and db_password). */
function linked(kind: ExternalKind = "Deployment"): TestConfig {
  const config = baseConfig();
  for (const id of Object.keys(secretOf(config).versions)) {
    secretOf(config).versions[id] = { api_token: `t-${id}`, db_password: `p-${id}` };
  }
  (config.workloads as Record<string, unknown>).billing = {
    owner: "external",
    kind,
    namespace: "staging",
    containers: ["api", "worker"],
    secrets: ["auth-api-secrets"],
  };
  return config;
}

type Entry = Record<string, unknown>;

/**
 * kubernetes pkg/apis/core/validation/validation.go validateEnvVarValueFrom: the errors of one
 * env entry's value sources (none without valueFrom).
 */
function valueFromErrors(entry: Entry): string[] {
  const valueFrom = entry.valueFrom as Entry | undefined;
  if (valueFrom === undefined) return [];
  const sources = ["fieldRef", "resourceFieldRef", "configMapKeyRef", "secretKeyRef"].filter(
    (s) => valueFrom[s] !== undefined,
  ).length;
  const value = typeof entry.value === "string" ? entry.value : "";
  if (sources === 0) {
    return [
      "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`",
    ];
  }
  if (value.length !== 0) return ["may not be specified when `value` is not empty"];
  if (sources > 1) return ["may not have more than one field specified at a time"];
  return [];
}

/**
 * Server-side apply of the patch's entry onto the live one: `env` is a list map keyed by name
 * and an entry and its `valueFrom` are granular structs (core/v1 types.go: no
 * `+structType=atomic`), so the live fields the patch does not name stay beside the applied
 * ones (sigs.k8s.io/structured-merge-diff merge).
 */
function applyEntry(live: Entry, applied: Entry): Entry {
  const merged: Entry = { ...live, ...applied };
  if (live.valueFrom && applied.valueFrom) {
    merged.valueFrom = { ...(live.valueFrom as Entry), ...(applied.valueFrom as Entry) };
  }
  return merged;
}

describe("engine rules: an env entry has one source (kubernetes pkg/apis/core/validation/validation.go validateEnvVarValueFrom, master 000f2605)", () => {
  const ours = secretRef("api_token", SECRET);
  const cases: [string, Entry][] = [
    ["a literal value", { name: "api_token", value: "hard-coded" }],
    ["an empty value (the API server stores none)", { name: "api_token" }],
    [
      "a ConfigMap key",
      { name: "api_token", valueFrom: { configMapKeyRef: { name: "c", key: "k" } } },
    ],
    [
      "a field of the pod",
      { name: "api_token", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
    ],
    [
      "a resource field",
      { name: "api_token", valueFrom: { resourceFieldRef: { resource: "limits.cpu" } } },
    ],
    [
      "the patch's own entry of the previous rotation",
      secretRef("api_token", "auth-api-secrets-20250715100000"),
    ],
  ];

  it("the program refuses exactly the live entries the merged apply would make invalid", () => {
    for (const [what, entry] of cases) {
      const merged = applyEntry(entry, ours);
      const invalid = valueFromErrors(merged).length > 0;
      const live = liveWorkload("Deployment", "billing", {
        containers: [{ name: "api", env: [entry] }],
        // The previous rotation's entry was applied by this program's field manager.
        managedFields: [ownEntries("Deployment", { api: ["api_token"] })].filter(
          () => entry.valueFrom !== undefined && "secretKeyRef" in (entry.valueFrom as Entry),
        ),
      });
      const problem = variableProblem("Deployment", live, "api", "api_token", []);
      assert.equal(problem !== undefined, invalid, `${what}: ${problem ?? "accepted"}`);
    }
  });

  it("the refusal comes before any resource, in preview too (await.go patchForce forces a preview without a live object, so the 422 would show only in up)", async () => {
    fakeCluster.load({
      Deployment: [
        liveWorkload("Deployment", "billing", {
          containers: [
            { name: "api", env: [{ name: "api_token", value: "x" }] },
            { name: "worker" },
          ],
        }),
      ],
    });
    const run = await runProgram({
      stack: "staging",
      config: projectConfig(linked()),
      now: "20250724000000",
      preview: true,
    });
    assert.match(run.error?.message ?? "", /already sets api_token with a literal value/);
    assert.deepEqual(
      run.resources.filter((r) => r.type !== "pulumi:pulumi:StackReference"),
      [],
    );
  });
});

describe("engine rules: a Patch applies what is missing, and relinquishes by apply (pulumi-kubernetes await.go Creation, Deletion; ssa/actions.go Relinquish; pulumi pkg/resource/deploy/deployment.go generateURN)", () => {
  it("the patch alone is no valid workload, so the program refuses a target that does not exist", () => {
    const body = linkedPatch("billing", {
      kind: "Deployment",
      namespace: "staging",
      containers: ["api"],
      links: [
        {
          secret: "auth-api-secrets",
          version: ACTIVE,
          kubernetesName: SECRET,
          keys: ["api_token"],
        },
      ],
    });
    // What an apply to a missing name would create: no selector, a container without image.
    assert.throws(() => new Deployment(body as never).validate(), /required property selector/);
    const outcome = checkLinked({
      stack: "staging",
      workloads: [
        {
          owner: "external",
          name: "billing",
          kind: "Deployment",
          namespace: "staging",
          containers: ["api"],
          secrets: ["auth-api-secrets"],
        },
      ],
      secretKeys: new Map([["auth-api-secrets", ["api_token"]]]),
      previousWorkloads: undefined,
      read: { status: "read", value: new Map([["Deployment staging/billing", null]]) },
      preview: true,
    });
    assert.deepEqual(
      outcome.problems.map((p) => p.path),
      ["workloads.billing"],
    );
  });

  it("the state command names the patch's URN as the engine forms it (parent type $ type, the root stack left out)", async () => {
    let urn: Promise<string> | undefined;
    await declareWith(() => {
      const link = new LinkedWorkload("billing", {
        kind: "StatefulSet",
        namespace: "staging",
        containers: ["api"],
        links: [
          {
            secret: "auth-api-secrets",
            version: ACTIVE,
            kubernetesName: SECRET,
            keys: ["api_token"],
          },
        ],
      });
      urn = promiseOf(link.patch.urn);
    });
    assert.equal(
      await urn,
      patchUrn("staging", { kind: "StatefulSet", namespace: "staging", name: "billing" }),
    );
  });
});

describe("engine rules: a patch waits for the rollout it starts, customTimeouts or else 10 minutes (pulumi-kubernetes await.go Creation/Update, metadata/overrides.go TimeoutDuration; kubernetes apps/v1 SetDefaults_Deployment)", () => {
  it("a Deployment's wait is its live progress deadline plus the grace its own Deployments get", () => {
    for (const deadline of [30, 120, 600, 3600]) {
      assert.deepEqual(
        patchTimeouts(
          "Deployment",
          liveWorkload("Deployment", "b", { progressDeadlineSeconds: deadline }),
        ),
        deploymentTimeouts({ progressDeadlineSeconds: deadline }),
      );
    }
    assert.equal(ROLLOUT_TIMEOUT_GRACE_SECONDS, 60);
    // Unset is 600 (SetDefaults_Deployment); MaxInt32 means no deadline (deployment util
    // HasProgressDeadline): the default bounds the wait instead.
    const fallback = deploymentTimeouts({
      progressDeadlineSeconds: DEFAULT_LIVE_PROGRESS_DEADLINE_SECONDS,
    });
    assert.deepEqual(patchTimeouts("Deployment", { spec: {} }), fallback);
    assert.deepEqual(
      patchTimeouts("Deployment", { spec: { progressDeadlineSeconds: NO_PROGRESS_DEADLINE } }),
      fallback,
    );
  });

  it("StatefulSets and DaemonSets have no deadline and keep the provider's wait; a CronJob has no await (await/awaiters.go)", () => {
    for (const kind of ["StatefulSet", "DaemonSet", "CronJob"] as const) {
      assert.equal(patchTimeouts(kind, liveWorkload(kind, "b")), undefined, kind);
    }
  });
});

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
