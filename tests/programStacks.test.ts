/**
 * The program under the mock runtime: the stack outputs, the committed stack files, random
 * stacks, and the rollout safety knobs.
 */
import { rolloutTimeoutSeconds } from "../components/workloads/workload";
import { strict as assert } from "assert";
import fc from "fast-check";
import { readStackFile, runProgram } from "../offline";
import {
  TYPES,
  assertUniqueNames,
  baseConfig,
  declareOk,
  find,
  inputsOf,
  ofType,
  workloadOf,
} from "./helpers";
import { baseRun } from "./baseRuns";

describe("stack outputs", () => {
  it("report every version with its state, names and expiry, and nothing secret", async () => {
    const run = await baseRun();
    assert.deepEqual(run.outputs.secrets, {
      "auth-api-secrets": {
        delivery: "direct",
        activeVersion: "20250723110000",
        activeName: "auth-api-secrets-20250723110000",
        previousVersion: "20250715100000",
        canary: null,
        keys: ["api_token"],
        versions: [
          {
            version: "20250701090000",
            state: "retained",
            delivery: "direct",
            kubernetesName: "auth-api-secrets-20250701090000",
            awsName: "staging/auth-api-secrets-20250701090000",
            expiresAt: "2025-07-29T10:00:00.000Z",
          },
          {
            version: "20250715100000",
            state: "previous",
            delivery: "direct",
            kubernetesName: "auth-api-secrets-20250715100000",
            awsName: "staging/auth-api-secrets-20250715100000",
          },
          {
            version: "20250723110000",
            state: "active",
            delivery: "direct",
            kubernetesName: "auth-api-secrets-20250723110000",
            awsName: "staging/auth-api-secrets-20250723110000",
            // The first update that runs it: the program remembers when it was activated.
            activatedAt: "2025-07-24T00:00:00.000Z",
            firstActivatedAt: "2025-07-24T00:00:00.000Z",
          },
        ],
      },
    });
    assert.equal(run.outputs.environment, "staging");
    assert.equal(run.outputs.namespace, "staging");
  });
});

describe("the committed stack files", () => {
  for (const stack of ["staging", "production"]) {
    it(`Pulumi.${stack}.yaml passes and declares both workloads on the active version`, async () => {
      const config = readStackFile(stack);
      // Production's gate reads staging: give it what the committed staging stack exports.
      const promotion = config.config["secret-rotation:promotion"];
      const stackOutputs = promotion
        ? {
            [(JSON.parse(promotion) as { fromStack: string }).fromStack]: (
              await runProgram({
                stack: "staging",
                config: readStackFile("staging"),
                // The update that activated staging's active version, a week before.
                now: "20261124000000",
              })
            ).outputs,
          }
        : {};
      const run = await runProgram({ stack, config, now: "20261201000000", stackOutputs });
      assert.equal(run.error, undefined, run.error?.message);
      assertUniqueNames(run.resources);
      const secrets = run.outputs.secrets as Record<
        string,
        { activeName: string; versions: unknown[] }
      >;
      const auth = secrets["auth-api-secrets"];
      assert.ok(auth.versions.length >= 2, "at least two versions");
      assert.equal(ofType(run, TYPES.deployment).length, 1);
      assert.equal(
        inputsOf(ofType(run, TYPES.cronJob)[0]).spec.schedule,
        "0 3 * * 1",
        "a weekly CronJob",
      );
      const workloads = run.outputs.workloads as Record<string, { secretNames: string[] }>;
      for (const name of ["auth-service", "token-refresh"]) {
        assert.deepEqual(workloads[name].secretNames, [auth.activeName]);
      }
      assert.equal(run.logs.filter((l) => l.startsWith("warning:")).length, 0, "a clean example");
    });
  }

  it("declares the same under `pulumi preview` as under `pulumi up`", async () => {
    const config = readStackFile("staging");
    const up = await runProgram({ stack: "staging", config, now: "20261201000000" });
    const preview = await runProgram({
      stack: "staging",
      config,
      now: "20261201000000",
      preview: true,
    });
    assert.equal(preview.error, undefined, preview.error?.message);
    assert.deepEqual(
      preview.resources.map((r) => r.name),
      up.resources.map((r) => r.name),
    );
    assert.deepEqual(preview.outputs, up.outputs);
  });

  it("production keeps superseded versions 14 days", () => {
    const { config } = readStackFile("production");
    assert.equal(config["secret-rotation:retentionDays"], "14");
    assert.equal(config["secret-rotation:environment"], "production");
  });
});

describe("random stacks", () => {
  it("declare exactly 3 resources per live version plus one generator per generated key, and link workloads to active", async () => {
    const versionIds = fc.uniqueArray(fc.integer({ min: 0, max: 200 * 24 }), {
      minLength: 1,
      maxLength: 6,
    });
    const secretArb = fc.record({
      hours: versionIds,
      activePick: fc.nat(),
      generated: fc.integer({ min: 0, max: 2 }),
      retentionDays: fc.integer({ min: 1, max: 60 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(secretArb, { minLength: 1, maxLength: 3 }), async (secrets) => {
        const start = Date.UTC(2025, 0, 1);
        const config: Record<string, any> = { secrets: {}, workloads: {} };
        secrets.forEach((s, i) => {
          const ids = s.hours
            .map((h) =>
              new Date(start + h * 3_600_000).toISOString().replace(/[-:T]/g, "").slice(0, 14),
            )
            .sort();
          config.secrets[`s${i}`] = {
            active: ids[s.activePick % ids.length],
            retentionDays: s.retentionDays,
            ...(s.generated > 0 && {
              generate: Object.fromEntries(
                Array.from({ length: s.generated }, (_, k) => [`g${i}_${k}`, { length: 16 }]),
              ),
            }),
            // Keys differ per secret: one container may not get the same key twice.
            versions: Object.fromEntries(ids.map((id) => [id, { [`k${i}`]: `value-${id}` }])),
          };
        });
        config.workloads.app = {
          kind: "Deployment",
          image: "app:1",
          secrets: Object.keys(config.secrets),
        };
        const run = await declareOk(config, { now: "20250801000000" });
        const outputs = run.outputs.secrets as Record<string, any>;
        let live = 0;
        let generators = 0;
        for (const [name, out] of Object.entries(outputs)) {
          const liveHere = out.versions.filter((v: any) => v.state !== "expired").length;
          live += liveHere;
          generators += liveHere * Object.keys(config.secrets[name].generate ?? {}).length;
        }
        const versionTypes: string[] = [TYPES.awsSecret, TYPES.awsValue, TYPES.kubeSecret];
        assert.equal(run.resources.filter((r) => versionTypes.includes(r.type)).length, 3 * live);
        assert.equal(ofType(run, TYPES.generator).length, generators);
        const deployment = inputsOf(find(run, TYPES.deployment, "app-deployment"));
        assert.deepEqual(
          deployment.spec.template.spec.containers[0].envFrom.map((e: any) => e.secretRef.name),
          Object.keys(config.secrets).map((s) => `${s}-${config.secrets[s].active}`),
        );
      }),
      { numRuns: 25 },
    );
  });
});

describe("rollout safety knobs", () => {
  it("pass minReadySeconds, progressDeadlineSeconds and the rollout to the Deployment", async () => {
    const config = baseConfig();
    Object.assign(workloadOf(config, "auth-service"), {
      minReadySeconds: 30,
      progressDeadlineSeconds: 900,
      rollout: { maxUnavailable: 1, maxSurge: "50%" },
    });
    const run = await declareOk(config);
    const spec = inputsOf(find(run, TYPES.deployment, "auth-service-deployment")).spec;
    assert.equal(spec.minReadySeconds, 30);
    assert.equal(spec.progressDeadlineSeconds, 900);
    assert.deepEqual(spec.strategy.rollingUpdate, { maxUnavailable: 1, maxSurge: "50%" });
  });

  it("fails pulumi up a minute after the progress deadline, not at the provider's 10-minute default", () => {
    const deployment = (progressDeadlineSeconds: number) => ({ progressDeadlineSeconds });
    assert.equal(rolloutTimeoutSeconds(deployment(60)), 120);
    assert.equal(rolloutTimeoutSeconds(deployment(600)), 660);
    assert.equal(rolloutTimeoutSeconds(deployment(1800)), 1860);
  });
});
