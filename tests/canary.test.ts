/**
 * The canary split: start a canary, promote it, abort it. A canary adds `<workload>-canary`
 * beside the stable Deployment, shares the Service, keeps the total of replicas, and never
 * touches CronJobs or the stable Deployment's identity.
 */
import { strict as assert } from "assert";
import fc from "fast-check";
import { canarySplit, canarySplitProblem } from "../core/canary";
import { renderPlan } from "../scripts/planRender";
import {
  ProgramRun,
  TYPES,
  TestConfig,
  baseConfig,
  declareOk,
  diffStates,
  find,
  inputsOf,
  secretOf,
  workloadOf,
} from "./helpers";

const ACTIVE = "20250723110000";
const NEXT = "20250730120000";
const NOW = "20250801000000";

/** The base config with a newer version created ahead, and a canary of it when `percent`. */
function withNext(percent?: number): TestConfig {
  const config = baseConfig();
  const secret = secretOf(config);
  secret.versions[NEXT] = { api_token: "token-v4" };
  if (percent !== undefined) secret.canary = { version: NEXT, percent };
  return config;
}

const stable = (run: ProgramRun) =>
  inputsOf(find(run, TYPES.deployment, "auth-service-deployment"));
const canary = (run: ProgramRun) => inputsOf(find(run, TYPES.deployment, "auth-service-canary"));
const envFrom = (deployment: any): string[] =>
  deployment.spec.template.spec.containers[0].envFrom.map((e: any) => e.secretRef.name);

describe("canary replica arithmetic", () => {
  it("keeps the total, gives the canary ceil(replicas × percent / 100) and stable at least 1 below 100%, for replicas 1..20 and percent 1..100", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 100 }), (r, p) => {
        const problem = canarySplitProblem(r, p);
        if (r === 1 && p < 100) {
          // One pod cannot serve two tracks: refused, never silently resized.
          assert.ok(problem);
          assert.throws(() => canarySplit(r, p), /1 replica/);
          return;
        }
        assert.equal(problem, undefined);
        const split = canarySplit(r, p);
        assert.equal(split.canary + split.stable, r, "the total stays what the workload asks");
        assert.ok(split.canary >= 1, "the canary runs at least one pod");
        const wanted = Math.ceil((r * p) / 100);
        if (p === 100) {
          assert.deepEqual(split, { canary: r, stable: 0 });
        } else {
          assert.ok(split.stable >= 1, "stable keeps a pod below 100%");
          // ceil, except where ceil would take stable's last pod.
          assert.equal(split.canary, Math.min(wanted, r - 1));
        }
      }),
      { numRuns: 500 },
    );
  });

  it("matches hand-worked splits", () => {
    assert.deepEqual(canarySplit(10, 10), { canary: 1, stable: 9 });
    assert.deepEqual(canarySplit(3, 10), { canary: 1, stable: 2 });
    assert.deepEqual(canarySplit(3, 50), { canary: 2, stable: 1 });
    assert.deepEqual(canarySplit(2, 99), { canary: 1, stable: 1 });
    assert.deepEqual(canarySplit(20, 33), { canary: 7, stable: 13 });
    assert.match(canarySplitProblem(0, 10)!, /0 replicas/);
  });
});

describe("a canary rollout", () => {
  it("adds <workload>-canary on the canary version with its share of the replicas", async () => {
    const run = await declareOk(withNext(34), { now: NOW });
    const c = canary(run);
    const s = stable(run);
    assert.equal(c.metadata.name, "auth-service-canary");
    assert.equal(c.metadata.namespace, "staging");
    assert.equal(c.spec.replicas, 2, "ceil(3 × 34 / 100)");
    assert.equal(s.spec.replicas, 1, "stable keeps the rest");
    assert.deepEqual(envFrom(c), [`auth-api-secrets-${NEXT}`]);
    assert.deepEqual(envFrom(s), [`auth-api-secrets-${ACTIVE}`]);
    assert.deepEqual(c.spec.strategy, s.spec.strategy, "the same rollout safety");
    assert.equal(c.spec.minReadySeconds, s.spec.minReadySeconds);
  });

  it("shares the app label, so one Service sends traffic to both in proportion to their pods", async () => {
    const run = await declareOk(withNext(10), { now: NOW });
    const service = inputsOf(find(run, TYPES.service, "auth-service-service"));
    for (const deployment of [stable(run), canary(run)]) {
      const labels = deployment.spec.template.metadata.labels;
      for (const [key, value] of Object.entries(service.spec.selector)) {
        assert.equal(labels[key], value, `the Service selects ${deployment.metadata.name}'s pods`);
      }
      // Each Deployment's own selector matches its pods.
      for (const [key, value] of Object.entries(deployment.spec.selector.matchLabels)) {
        assert.equal(labels[key], value);
      }
    }
    // The canary's selector does not match stable pods, so the canary never adopts them.
    const stablePods = stable(run).spec.template.metadata.labels;
    const canarySelector = canary(run).spec.selector.matchLabels;
    assert.ok(Object.entries(canarySelector).some(([k, v]) => stablePods[k] !== v));
  });

  it("labels pods with the track and the version they run, for dashboards", async () => {
    const run = await declareOk(withNext(10), { now: NOW });
    const label = "version.secret-rotation/auth-api-secrets";
    assert.equal(canary(run).spec.template.metadata.labels[label], NEXT);
    assert.equal(canary(run).spec.template.metadata.labels["secret-rotation/track"], "canary");
    assert.equal(stable(run).spec.template.metadata.labels[label], ACTIVE);
    assert.equal(stable(run).spec.template.metadata.labels["secret-rotation/track"], "stable");
  });

  it("runs the active version of every other linked secret", async () => {
    const config = withNext(50);
    (config.secrets as Record<string, unknown>)["payments-db"] = {
      active: "20250710000000",
      versions: { "20250710000000": { password: "p1" } },
    };
    workloadOf(config, "auth-service").secrets = ["payments-db", "auth-api-secrets"];
    const run = await declareOk(config, { now: NOW });
    assert.deepEqual(envFrom(canary(run)), [
      "payments-db-20250710000000",
      `auth-api-secrets-${NEXT}`,
    ]);
    assert.equal(
      canary(run).spec.template.metadata.annotations["secret-rotation/versions"],
      `auth-api-secrets=${NEXT},payments-db=20250710000000`,
    );
  });

  it("leaves CronJobs on the active version", async () => {
    const run = await declareOk(withNext(50), { now: NOW });
    const job = inputsOf(find(run, TYPES.cronJob, "token-refresh-cronjob"));
    assert.deepEqual(envFrom(job.spec.jobTemplate), [`auth-api-secrets-${ACTIVE}`]);
  });

  it("never replaces the stable Deployment: same name, namespace and selector with or without a canary", async () => {
    const without = stable(await declareOk(withNext(), { now: NOW }));
    const withCanary = stable(await declareOk(withNext(25), { now: NOW }));
    assert.equal(withCanary.metadata.name, without.metadata.name);
    assert.equal(withCanary.metadata.namespace, without.metadata.namespace);
    assert.deepEqual(withCanary.spec.selector, without.spec.selector);
    // Starting a canary only scales stable down: its pods keep running the active version.
    assert.deepEqual(withCanary.spec.template, without.spec.template);
  });

  it("reports the canary: state canary, kept past its retention, and the canary Deployment", async () => {
    const config = baseConfig();
    // The oldest version, long past retention, under canary (testing a return to it) stays.
    secretOf(config).canary = { version: "20250701090000", percent: 50 };
    const run = await declareOk(config, { now: "20251201000000" });
    const secrets = run.outputs.secrets as any;
    const oldest = secrets["auth-api-secrets"].versions[0];
    assert.equal(oldest.state, "canary");
    assert.deepEqual(secrets["auth-api-secrets"].canary, {
      version: "20250701090000",
      percent: 50,
      kubernetesName: "auth-api-secrets-20250701090000",
    });
    find(run, TYPES.kubeSecret, "auth-api-secrets-20250701090000-k8s");
    const workloads = run.outputs.workloads as any;
    assert.equal(workloads["auth-service"].replicas, 1);
    assert.deepEqual(workloads["auth-service"].canary, {
      name: "auth-service-canary",
      secret: "auth-api-secrets",
      version: "20250701090000",
      percent: 50,
      replicas: 2,
      secretNames: ["auth-api-secrets-20250701090000"],
    });
    assert.equal(workloads["token-refresh"].canary, null);
  });

  it("still reports the rollback target when the canary tests a return to it", async () => {
    const config = baseConfig();
    secretOf(config).canary = { version: "20250715100000", percent: 50 };
    const run = await declareOk(config, { now: NOW });
    const secret = (run.outputs.secrets as any)["auth-api-secrets"];
    assert.equal(secret.previousVersion, "20250715100000");
    assert.equal(secret.versions[1].state, "canary");
  });

  it("shows in the offline plan", async () => {
    const run = await declareOk(withNext(10), { now: NOW });
    const text = renderPlan("staging", new Date("2025-08-01T00:00:00Z"), run);
    assert.match(text, new RegExp(`active ${ACTIVE} .*canary ${NEXT} at 10%`));
    assert.match(text, new RegExp(`${NEXT} +canary +Secret +auth-api-secrets-${NEXT}`));
    assert.match(text, /auth-service +Deployment +2 +auth-api-secrets-20250723110000/);
    assert.match(
      text,
      new RegExp(
        `auth-service-canary +Deployment \\(canary 10% of auth-api-secrets\\) +1 +auth-api-secrets-${NEXT}`,
      ),
    );
  });
});

describe("ending a canary is one config change", () => {
  it("promote (active := canary version, canary removed): the canary Deployment goes, stable rolls to it at full size", async () => {
    const during = await declareOk(withNext(34), { now: NOW });
    const promoted = withNext();
    secretOf(promoted).active = NEXT;
    const after = await declareOk(promoted, { now: NOW });
    const diff = diffStates(during, after);
    assert.deepEqual(diff.removed, [`${TYPES.deployment}::auth-service-canary`]);
    assert.deepEqual(diff.added, []);
    // Stable rolls; the CronJob follows active (it never ran the canary); nothing else moves.
    assert.deepEqual(diff.changed, [
      `${TYPES.deployment}::auth-service-deployment`,
      `${TYPES.cronJob}::token-refresh-cronjob`,
    ]);
    assert.deepEqual(envFrom(stable(after)), [`auth-api-secrets-${NEXT}`]);
    assert.equal(stable(after).spec.replicas, 3);
    const states = (after.outputs.secrets as any)["auth-api-secrets"].versions.map(
      (v: any) => `${v.version}:${v.state}`,
    );
    assert.deepEqual(states, [
      "20250701090000:expired",
      "20250715100000:retained",
      `${ACTIVE}:previous`,
      `${NEXT}:active`,
    ]);
  });

  it("abort (canary removed): the canary Deployment goes, stable keeps its pods and takes back the replicas", async () => {
    const during = await declareOk(withNext(34), { now: NOW });
    const after = await declareOk(withNext(), { now: NOW });
    const diff = diffStates(during, after);
    assert.deepEqual(diff.removed, [`${TYPES.deployment}::auth-service-canary`]);
    assert.deepEqual(diff.added, []);
    assert.deepEqual(diff.changed, [`${TYPES.deployment}::auth-service-deployment`]);
    // The only change to stable is its replica count: its pod template (so its pods) stays.
    const before = stable(during);
    const restored = stable(after);
    assert.deepEqual(restored.spec.template, before.spec.template);
    assert.deepEqual({ ...restored.spec, replicas: 0 }, { ...before.spec, replicas: 0 });
    assert.equal(restored.spec.replicas, 3);
    assert.equal(
      (after.outputs.secrets as any)["auth-api-secrets"].versions.at(-1).state,
      "pending",
      "the aborted version stays, ready for another try",
    );
  });
});
