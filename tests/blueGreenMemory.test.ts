/**
 * blueGreen beyond the checklist: the slots' memory records only what ran (lifecycle/record.ts),
 * a container change goes through the idle slot too, `warmHours: 0`, unreadable memory, and
 * the migration of a rolling workload (docs/blue-green.md).
 */
import { strict as assert } from "assert";
import { projectConfig, referencedOutputs, runProgram, selfStackReference } from "../offline";
import { readSlots } from "../plan/lifecycle/storedSlots";
import { workloadApplied } from "../plan/lifecycle/record";
import type { WorkloadPlan } from "../plan/lifecycle/workloadPlan";
import { leavingWarmSlotProblems, planSlots } from "../plan/workloads/slotPlan";
import { containerDigest } from "../components/workloads/podTemplate";
import {
  type ProgramRun,
  TYPES,
  type TestConfig,
  assertRefusedByMemory,
  baseConfig,
  diffStates,
  find,
  inputsOf,
  secretOf,
  workloadOf,
} from "./helpers";

const ACTIVE = "20250723110000";
const NEW = "20250801090000";

function config(...steps: ((c: TestConfig) => void)[]): TestConfig {
  const c = baseConfig();
  delete (c.workloads as Record<string, unknown>)["token-refresh"];
  Object.assign(workloadOf(c, "auth-service"), { strategy: "blueGreen" });
  for (const step of steps) step(c);
  return c;
}
const promoted = (c: TestConfig) => {
  secretOf(c).versions[NEW] = { api_token: "token-v4" };
  secretOf(c).active = NEW;
};
const image = (tag: string) => (c: TestConfig) =>
  (workloadOf(c, "auth-service").image = `registry.example.com/auth-service:${tag}`);

/** One update after `previous` (a run), with `failing`/`skipped` resources. */
async function update(
  c: TestConfig,
  now: string,
  previous?: ProgramRun,
  options: {
    failing?: (type: string, name: string) => boolean;
    skipped?: (type: string, name: string) => boolean;
  } = {},
): Promise<ProgramRun> {
  return runProgram({
    stack: "staging",
    config: projectConfig(c),
    now,
    stackOutputs: previous ? { [selfStackReference("staging")]: referencedOutputs(previous) } : {},
    ...options,
  });
}
const slots = (run: ProgramRun) => (run.outputs.workloads as any)["auth-service"].slots;
const slotSpec = (run: ProgramRun, slot: string) =>
  inputsOf(find(run, TYPES.deployment, `auth-service-${slot}`)).spec;
const liveSlot = (run: ProgramRun) =>
  inputsOf(find(run, TYPES.service, "auth-service-service")).spec.selector["secret-rotation/slot"];
const named = (type: string, name: string) => (t: string, n: string) => t === type && n === name;

describe("blueGreen memory: recorded only from what ran", () => {
  let first: ProgramRun;
  before(async () => {
    first = await update(config(), "20250724000000");
    assert.equal(first.error, undefined, first.error?.message);
  });

  it("a slot Deployment that fails: nothing is registered, and the next update makes the same switch", async () => {
    const failed = await update(config(promoted), "20250801100000", first, {
      failing: named(TYPES.deployment, "auth-service-green"),
    });
    assert.match(failed.error?.message ?? "", /auth-service-green failed/);
    assert.deepEqual(failed.registered, {}, "the engine keeps the previous memory");
    const next = await update(config(promoted), "20250801110000", first);
    assert.equal(next.error, undefined, next.error?.message);
    assert.equal(liveSlot(next), "green");
    assert.equal(slots(next).switchedAt, "2025-08-01T11:00:00.000Z");
  });

  it("a switch the Service did not make (--target on the Deployments only) is not recorded", () => {
    const link = (version: string) => ({
      secret: "s",
      version,
      kubernetesName: `s-${version}`,
    });
    const container = { image: "api:1" };
    const digest = containerDigest(container);
    const slot = (version: string, replicas: number) => ({
      links: [link(version)],
      replicas,
      container,
      digest,
    });
    const plan: WorkloadPlan = {
      name: "api",
      kind: "Deployment",
      links: [link(NEW)],
      replicas: 3,
      slots: {
        change: "roll",
        live: "green",
        slots: { blue: slot(ACTIVE, 3), green: slot(NEW, 3) },
      },
    };
    const applied = (version: string) => ({ runs: { s: version }, container: digest, replicas: 3 });
    const receipt = (liveSlot: string | null) => ({
      stable: { s: NEW },
      slots: { blue: applied(ACTIVE), green: applied(NEW) },
      liveSlot,
    });
    assert.equal(workloadApplied(plan, receipt("green")), true);
    assert.equal(workloadApplied(plan, receipt("blue")), false, "the Service still selects blue");
    assert.equal(workloadApplied(plan, receipt(null)), false, "the Service was not applied");
  });

  it("a slot Deployment left untouched by --target: the previous record of the workload stands", async () => {
    const run = await update(config(promoted), "20250801100000", first, {
      skipped: named(TYPES.deployment, "auth-service-green"),
    });
    assert.equal(run.error, undefined, run.error?.message);
    const recorded = (run.registered.workloads as any)["auth-service"];
    assert.deepEqual(recorded, (first.outputs.workloads as any)["auth-service"]);
  });
});

describe("blueGreen: what a slot runs includes its container", () => {
  it("an image change goes through the idle slot, and undoing it within warmHours only switches the Service", async () => {
    const first = await update(config(), "20250724000000");
    const changed = await update(config(image("1.9.0")), "20250725000000", first);
    assert.equal(changed.error, undefined, changed.error?.message);
    assert.equal(liveSlot(changed), "green");
    assert.equal(
      slotSpec(changed, "green").template.spec.containers[0].image.endsWith("1.9.0"),
      true,
    );
    assert.deepEqual(slotSpec(changed, "blue"), slotSpec(first, "blue"), "blue is left as it was");
    const undone = await update(config(), "20250725010000", changed);
    assert.deepEqual(diffStates(changed, undone), {
      added: [],
      removed: [],
      changed: [`${TYPES.service}::auth-service-service`],
    });
  });

  it("a warm slot keeps the container it served with, even when the config's changes in the same update", async () => {
    const first = await update(config(), "20250724000000");
    const both = await update(config(promoted, image("2.0.0")), "20250801100000", first);
    assert.equal(both.error, undefined, both.error?.message);
    assert.deepEqual(slotSpec(both, "blue"), slotSpec(first, "blue"));
    assert.ok(slotSpec(both, "green").template.spec.containers[0].image.endsWith("2.0.0"));
  });
});

describe("blueGreen: warmHours 0 and unreadable memory", () => {
  it("warmHours 0: the slot that served is scaled to 0 in the update that switches away from it", async () => {
    const zero = (c: TestConfig) => (workloadOf(c, "auth-service").warmHours = 0);
    const first = await update(config(zero), "20250724000000");
    const next = await update(config(zero, promoted), "20250801100000", first);
    assert.equal(liveSlot(next), "green");
    assert.equal(slotSpec(next, "blue").replicas, 0);
    assert.equal(slots(next).warm, null);
  });

  it("a recorded slot whose container does not digest to its record is never switched to without being rolled", () => {
    const container = { image: "registry.example.com/auth-service:1.8.0", env: {}, port: 8080 };
    const run = (digest: string) => ({
      versions: { "auth-api-secrets": ACTIVE },
      secretNames: [`auth-api-secrets-${ACTIVE}`],
      replicas: 3,
      container,
      digest,
    });
    const workload = {
      ...(config().workloads as any)["auth-service"],
      name: "auth-service",
      secrets: ["auth-api-secrets"],
      env: {},
      rollout: { maxSurge: 1, maxUnavailable: 0 },
      blueGreen: { warmHours: 24 },
    };
    // Green serves NEW; blue is recorded warm with ACTIVE. Rolling back to ACTIVE is instant
    // only when blue's record is whole.
    const stored = (blueDigest: string) => ({
      live: "green" as const,
      switchedAt: "2025-08-01T10:00:00.000Z",
      blue: run(blueDigest),
      green: { ...run(containerDigest(container)), versions: { "auth-api-secrets": NEW } },
      warm: {
        slot: "blue" as const,
        versions: { "auth-api-secrets": ACTIVE },
        until: "2025-08-02T10:00:00.000Z",
      },
    });
    const plan = (blueDigest: string) =>
      planSlots({
        workload,
        active: { "auth-api-secrets": ACTIVE },
        previous: stored(blueDigest),
        now: new Date("2025-08-01T12:00:00Z"),
      });
    assert.equal(plan(containerDigest(container)).change, "instant");
    const untrusted = plan("0000000000000000");
    assert.equal(untrusted.change, "roll");
    assert.equal(untrusted.live, "blue");
    assert.equal(untrusted.slots.blue.digest, containerDigest(container));
  });

  it("leaving blueGreen with a slots record that does not read is refused: which slot has pods is unknown", () => {
    const rolling = [{ kind: "Deployment", name: "api" }];
    const problems = leavingWarmSlotProblems(rolling, { api: { slots: { live: "purple" } } });
    assert.equal(problems.length, 1);
    assert.equal(problems[0].path, "workloads.api.strategy");
    assert.match(problems[0].message, /cannot be read/);
    assert.deepEqual(leavingWarmSlotProblems(rolling, { api: { kind: "Deployment" } }), []);
  });

  it("a slots record that does not read as a whole is absent", () => {
    const container = { image: "x", env: {} };
    const slot = {
      versions: { s: ACTIVE },
      secretNames: [`s-${ACTIVE}`],
      replicas: 3,
      container,
      digest: containerDigest(container),
    };
    const stored = { live: "green", switchedAt: null, blue: slot, green: slot, warm: null };
    assert.ok(readSlots({ w: { slots: stored } }, "w"));
    assert.equal(readSlots({ w: { slots: { ...stored, live: "purple" } } }, "w"), undefined);
    assert.equal(
      readSlots({ w: { slots: { ...stored, blue: { ...slot, replicas: "3" } } } }, "w"),
      undefined,
    );
    assert.equal(readSlots({}, "constructor"), undefined);
  });
});

describe("blueGreen: migrating a rolling workload (docs/blue-green.md)", () => {
  it("the Service keeps its resource and name and changes only its selector; the slots are added and the rolling Deployment removed", async () => {
    const rolling = baseConfig();
    delete (rolling.workloads as Record<string, unknown>)["token-refresh"];
    const before = await update(rolling, "20250724000000");
    const after = await update(config(), "20250725000000", before);
    assert.equal(after.error, undefined, after.error?.message);
    assert.deepEqual(diffStates(before, after), {
      added: [`${TYPES.deployment}::auth-service-blue`, `${TYPES.deployment}::auth-service-green`],
      removed: [`${TYPES.deployment}::auth-service-deployment`],
      changed: [`${TYPES.service}::auth-service-service`],
    });
    const service = (run: ProgramRun) => inputsOf(find(run, TYPES.service, "auth-service-service"));
    const { selector: was, ...restBefore } = service(before).spec;
    const { selector: now, ...restAfter } = service(after).spec;
    assert.deepEqual(
      restAfter,
      restBefore,
      "only the selector changes (no clusterIP: no replacement)",
    );
    assert.equal(service(after).metadata.name, service(before).metadata.name);
    assert.deepEqual(now, { ...was, "secret-rotation/slot": "blue" });
    // The blue slot runs what the rolling Deployment ran, at its size.
    assert.equal(slotSpec(after, "blue").replicas, 3);
  });

  it("back to rolling is refused while a slot is warm (both versions would serve), and accepted once warmHours: 0 emptied it", async () => {
    const rollingAgain = () => {
      const c = baseConfig();
      delete (c.workloads as Record<string, unknown>)["token-refresh"];
      promoted(c);
      return c;
    };
    const first = await update(config(), "20250724000000");
    const switched = await update(config(promoted), "20250801100000", first);
    const refused = await update(rollingAgain(), "20250801110000", switched);
    assertRefusedByMemory(
      refused,
      "workloads.auth-service.strategy",
      `cannot leave blueGreen while the blue slot still runs 3 pods of auth-api-secrets=${ACTIVE}, warm until 2025-08-02T10:00:00.000Z`,
      "first set warmHours: 0",
    );
    // Past the window but with no update since, the slot still has its pods: still refused.
    const lapsed = await update(rollingAgain(), "20250803000000", switched);
    assertRefusedByMemory(
      lapsed,
      "workloads.auth-service.strategy",
      `the blue slot still runs 3 pods of auth-api-secrets=${ACTIVE}`,
    );
    const zero = (c: TestConfig) => (workloadOf(c, "auth-service").warmHours = 0);
    const emptied = await update(config(promoted, zero), "20250801110000", switched);
    assert.equal(slotSpec(emptied, "blue").replicas, 0);
    const rolling = await update(rollingAgain(), "20250801120000", emptied);
    assert.equal(rolling.error, undefined, rolling.error?.message);
  });
});
