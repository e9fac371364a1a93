/**
 * The rules of the API server and of pulumi-kubernetes that decide what a linked workload's
 * patch (`owner: external`) does on a real cluster, which the mock runtime does not enforce.
 * Each is modelled here from its upstream source and the program's check is held to it.
 * Versions: pulumi-kubernetes master 94977969 (after 4.32.0), Kubernetes master 000f2605,
 * sigs.k8s.io/cli-utils kstatus (pulumi-kubernetes' DaemonSet await), pulumi v3.248.0.
 */
import { strict as assert } from "assert";
import { Deployment } from "kubernetes-models/apps/v1";
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
import { liveWorkload, ownEntries, secretRef } from "../fakes/linkedObjects";
import { fakeCluster } from "../fakes/world";
import { declareWith, promiseOf } from "./helpers";
import { type Entry, applyEntry, linkedKind as linked, valueFromErrors } from "./linkedRules";

const ACTIVE = "20250723110000";
const SECRET = `auth-api-secrets-${ACTIVE}`;

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
