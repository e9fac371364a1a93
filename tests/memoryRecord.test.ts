/**
 * The memory records only what ran: an update whose Deployment or SecretVersion fails registers
 * no memory (the engine keeps the previous one), and the next update, given that previous
 * memory, accepts what the failed update left undone. A resource the update did not apply
 * (`--target`) keeps the previous record of what it concerns.
 */
import { strict as assert } from "assert";
import { recordMemory, workloadApplied } from "../plan/lifecycle/record";
import type { WorkloadPlan } from "../plan/lifecycle/workloadPlan";
import { projectConfig, runProgram, selfStackReference } from "../offline";
import {
  type ProgramRun,
  TYPES,
  type TestConfig,
  baseConfig,
  declaredVersions,
  secretOf,
  versionReport,
} from "./helpers";

const RETAINED = "20250715100000";
const ACTIVE = "20250723110000";
const NEXT = "20250801090000";
const SECRET = "auth-api-secrets";

/** One update on the staging stack after `previous`, with `failing` resources failing. */
async function update(
  config: TestConfig,
  now: string,
  previous?: Record<string, unknown>,
  failing?: (type: string, name: string) => boolean,
  skipped?: (type: string, name: string) => boolean,
): Promise<ProgramRun> {
  return runProgram({
    stack: "staging",
    config: projectConfig(config),
    now,
    stackOutputs: previous ? { [selfStackReference("staging")]: previous } : {},
    ...(failing && { failing }),
    ...(skipped && { skipped }),
  });
}

const rotated = (value = `token-${NEXT}`): TestConfig => {
  const config = baseConfig();
  secretOf(config).versions[NEXT] = { api_token: value };
  secretOf(config).active = NEXT;
  return config;
};

const failingDeployment = (type: string, name: string) =>
  type === TYPES.deployment && name === "auth-service-deployment";
const failingValue = (type: string, name: string) =>
  type === TYPES.awsValue && name === `${SECRET}-${NEXT}-aws-value`;

describe("memory records only what ran (pulumi runtime/stack.ts Stack.initialize, step_executor.go)", () => {
  let first: ProgramRun;
  before(async () => {
    first = await update(baseConfig(), "20250724000000");
    assert.equal(first.error, undefined, first.error?.message);
  });

  it("a successful update registers its memory", () => {
    for (const key of ["secrets", "workloads", "versionFingerprints"]) {
      assert.ok(key in first.registered, `${key} is registered`);
    }
  });

  it("a failed Deployment: the memory outputs never resolve, the SDK registers {}, and the next update activates then", async () => {
    const failed = await update(rotated(), "20250801100000", first.outputs, failingDeployment);
    assert.match(failed.error?.message ?? "", /auth-service-deployment failed/);
    assert.deepEqual(failed.registered, {}, "no output reaches the engine: it keeps the old ones");
    assert.deepEqual(failed.outputs, {});

    // The engine kept the first update's outputs, so staging still shows ACTIVE running: a
    // production gate reading it finds no activation of NEXT.
    const retried = await update(rotated(), "20250802100000", first.outputs);
    assert.equal(retried.error, undefined, retried.error?.message);
    const report = versionReport(retried, NEXT);
    assert.equal(report.state, "active");
    assert.equal(
      report.activatedAt,
      "2025-08-02T10:00:00.000Z",
      "activated by the update that ran",
    );
    assert.equal(versionReport(retried, ACTIVE).supersededAt, "2025-08-02T10:00:00.000Z");
  });

  it("a failed SecretVersion: its digest is not recorded, so a corrected value is accepted", async () => {
    const failed = await update(rotated("wrong"), "20250801100000", first.outputs, failingValue);
    assert.match(failed.error?.message ?? "", /aws-value failed/);
    assert.deepEqual(failed.registered, {});

    const corrected = await update(rotated("right"), "20250801110000", first.outputs);
    assert.equal(corrected.error, undefined, corrected.error?.message);

    // Had the first write succeeded, the same correction is an edit, and refused.
    const written = await update(rotated("wrong"), "20250801100000", first.outputs);
    assert.equal(written.error, undefined, written.error?.message);
    const edit = await update(rotated("right"), "20250801110000", written.outputs);
    assert.match(edit.error?.message ?? "", /changed/);
  });

  it("a version removed by a failed update is not remembered as pruned: put back, it stays", async () => {
    const removed = rotated();
    delete secretOf(removed).versions[RETAINED];
    const failed = await update(removed, "20250801100000", first.outputs, failingDeployment);
    assert.ok(failed.error);
    assert.deepEqual(failed.registered, {});

    // Any resource of the update completes it, those the memory does not describe included.
    const failingService = (type: string) => type === TYPES.service;
    const serviceFailed = await update(removed, "20250801100000", first.outputs, failingService);
    assert.ok(serviceFailed.error);
    assert.deepEqual(serviceFailed.registered, {});

    const putBack = await update(rotated(), "20250801110000", first.outputs);
    assert.equal(putBack.error, undefined, putBack.error?.message);
    assert.ok(declaredVersions(putBack).includes(RETAINED), `${RETAINED} is declared again`);
    assert.equal(versionReport(putBack, RETAINED).state, "retained");

    // Had the removal succeeded, the version is remembered as pruned and not declared again.
    const done = await update(removed, "20250801100000", first.outputs);
    assert.equal(done.error, undefined, done.error?.message);
    const after = await update(rotated(), "20250801110000", done.outputs);
    assert.equal(versionReport(after, RETAINED).state, "pruned");
    assert.ok(!declaredVersions(after).includes(RETAINED));
  });
});

describe("memory under pulumi up --target: a skipped create (pulumi step.go NewSkippedCreateStep)", () => {
  it("a workload not created records no activation, and a version not created no digest", async () => {
    const skippedDeployment = (type: string, name: string) =>
      type === TYPES.deployment && name === "auth-service-deployment";
    const run = await update(
      baseConfig(),
      "20250724000000",
      undefined,
      undefined,
      skippedDeployment,
    );
    assert.equal(run.error, undefined, run.error?.message);
    const secrets = run.outputs.secrets as Record<string, unknown>;
    const workloads = run.outputs.workloads as Record<string, unknown>;
    assert.equal(Object.hasOwn(secrets, SECRET), false, "no activation without the Deployment");
    assert.equal(Object.hasOwn(workloads, "auth-service"), false);
    assert.equal(Object.hasOwn(workloads, "token-refresh"), true, "the CronJob was applied");

    const skippedValue = (type: string, name: string) =>
      type === TYPES.awsValue && name === `${SECRET}-${ACTIVE}-aws-value`;
    const noValue = await update(
      baseConfig(),
      "20250724000000",
      undefined,
      undefined,
      skippedValue,
    );
    const digests = (noValue.outputs.versionFingerprints as Record<string, object>)[SECRET];
    assert.equal(Object.hasOwn(digests, ACTIVE), false);
    assert.equal(Object.hasOwn(digests, RETAINED), true);
  });
});

describe("memory records what the resources show (lifecycle/record.ts)", () => {
  const plan: WorkloadPlan = {
    name: "auth-service",
    kind: "Deployment",
    links: [{ secret: SECRET, version: NEXT, kubernetesName: `${SECRET}-${NEXT}` }],
  };
  const planned = { [SECRET]: { activeVersion: NEXT } } as any;
  const before = { [SECRET]: { activeVersion: ACTIVE } };
  const input = {
    secrets: planned,
    workloadPlans: [plan],
    workloadsOutput: { "auth-service": { kind: "Deployment" } } as any,
    fingerprints: { [SECRET]: { [ACTIVE]: "a", [NEXT]: "n" } },
    previous: {
      secrets: before,
      workloads: { "auth-service": { kind: "old" } },
      fingerprints: { [SECRET]: { [ACTIVE]: "a" } },
    },
  };
  const versions = (next: boolean) =>
    new Map([
      [
        SECRET,
        new Map([
          [ACTIVE, true],
          [NEXT, next],
        ]),
      ],
    ]);

  it("records the activation when the workload's applied template runs the active version", () => {
    const m = recordMemory(input, {
      versions: versions(true),
      workloads: new Map([["auth-service", { stable: { [SECRET]: NEXT } }]]),
    });
    assert.deepEqual(m.secrets[SECRET], planned[SECRET]);
    assert.deepEqual({ ...m.versionFingerprints[SECRET] }, { [ACTIVE]: "a", [NEXT]: "n" });
  });

  it("an untargeted workload still runs the old version: the previous record stands", () => {
    const m = recordMemory(input, {
      versions: versions(true),
      workloads: new Map([["auth-service", { stable: { [SECRET]: ACTIVE } }]]),
    });
    assert.deepEqual(m.secrets[SECRET], before[SECRET]);
    assert.deepEqual(m.workloads["auth-service"], { kind: "old" });
    // The version itself was written: its digest is recorded.
    assert.equal(m.versionFingerprints[SECRET][NEXT], "n");
  });

  it("a version whose resources were not created keeps no digest, and holds its secret's record", () => {
    const m = recordMemory(input, {
      versions: versions(false),
      workloads: new Map([["auth-service", { stable: { [SECRET]: NEXT } }]]),
    });
    assert.deepEqual(m.secrets[SECRET], before[SECRET]);
    assert.deepEqual({ ...m.versionFingerprints[SECRET] }, { [ACTIVE]: "a" });
  });

  it("on a first update, a secret whose workload did not apply is not recorded at all", () => {
    const first = { ...input, previous: undefined };
    const m = recordMemory(first, {
      versions: versions(true),
      workloads: new Map([["auth-service", { stable: null }]]),
    });
    assert.equal(Object.hasOwn(m.secrets, SECRET), false);
    assert.equal(Object.hasOwn(m.workloads, "auth-service"), false);
  });

  it("a canary counts only when its own template runs the canary version", () => {
    const withCanary: WorkloadPlan = {
      ...plan,
      links: [{ secret: SECRET, version: ACTIVE, kubernetesName: "x" }],
      canary: {
        name: "auth-service-canary",
        secret: SECRET,
        version: NEXT,
        percent: 10,
        replicas: 1,
        links: [{ secret: SECRET, version: NEXT, kubernetesName: "y" }],
      },
    };
    const stable = { [SECRET]: ACTIVE };
    assert.equal(workloadApplied(withCanary, { stable, canary: { [SECRET]: NEXT } }), true);
    assert.equal(workloadApplied(withCanary, { stable, canary: null }), false);
    assert.equal(workloadApplied(withCanary, { stable, canary: { [SECRET]: ACTIVE } }), false);
    assert.equal(workloadApplied(withCanary, undefined), false);
  });
});
