/**
 * One way through an update: the preflight reads every fact without planning (the reference
 * guard's questions come from the plan inputs, `prunable`), and the update plans every secret
 * once, with the guard's holds (program/planStack.ts). The count is taken on fresh copies of
 * the modules, loaded with `planSecret` wrapped, so nothing in the program exists for it.
 */
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import fc from "fast-check";
import Module from "module";
import * as path from "path";
import { parseStackConfig } from "../config/parse";
import { PROJECT } from "../core/project";
import { RecordingMocks, oneAtATime } from "../offline";
import { readMemory } from "../plan/lifecycle/memory";
import { secretsOutput } from "../plan/lifecycle/outputs";
import * as planModule from "../plan/lifecycle/plan";
import { formatVersionId } from "../core/versionId";
import type * as planStackModule from "../program/planStack";
import type * as preflightModule from "../program/preflight";
import type { ClusterQuestion, LiveReader } from "../reads/live";

const ROOT = path.resolve(__dirname, "..");
/** The modules that plan or ask the guard, loaded afresh for the count. */
const FRESH = [
  "plan/lifecycle/secretInputs.ts",
  "plan/guard/questions.ts",
  "program/planLogs.ts",
  "program/planStack.ts",
  "program/preflight.ts",
].map((f) => path.join(ROOT, f));
const PLAN = path.join(ROOT, "plan/lifecycle/plan.ts");
/** Node's own loader, through its cache (`require.cache`), for the fresh copies. */
const load = Module.createRequire(__filename);

/** Runs `body` with fresh planning modules whose `planSecret` calls are counted. */
function counting<T>(
  body: (
    modules: { preflight: typeof preflightModule; planStack: typeof planStackModule },
    calls: () => number,
  ) => Promise<T>,
): Promise<T> {
  const saved = new Map([PLAN, ...FRESH].map((f) => [f, require.cache[f]]));
  const original = planModule;
  let calls = 0;
  const counted = new Module(PLAN);
  counted.filename = PLAN;
  counted.loaded = true;
  counted.exports = {
    ...original,
    planSecret: (input: planModule.SecretPlanInput) => {
      calls += 1;
      return original.planSecret(input);
    },
  };
  require.cache[PLAN] = counted;
  for (const f of FRESH) delete require.cache[f];
  const restore = () => {
    for (const [f, entry] of saved) {
      if (entry) require.cache[f] = entry;
      else delete require.cache[f];
    }
  };
  try {
    const modules = {
      preflight: load(path.join(ROOT, "program/preflight.ts")) as typeof preflightModule,
      planStack: load(path.join(ROOT, "program/planStack.ts")) as typeof planStackModule,
    };
    return body(modules, () => calls).finally(restore);
  } catch (err) {
    restore();
    throw err;
  }
}

const NOW = new Date("2025-09-01T00:00:00Z");
const VERSIONS = ["20250101000000", "20250201000000", "20250301000000", "20250801000000"];

/** Two secrets whose oldest versions expired; the cluster still uses one of them. */
function stack() {
  const secret = (key: string) => ({
    active: "20250801000000",
    versions: Object.fromEntries(VERSIONS.map((id) => [id, { [key]: `t-${id}` }])),
  });
  return parseStackConfig(
    {
      retentionDays: 7,
      secrets: { api: secret("token"), db: secret("password") },
      workloads: {
        web: { kind: "Deployment", image: "example/web:1", replicas: 2, secrets: ["api", "db"] },
      },
    },
    { stack: "staging", now: NOW },
    (v) => v,
  );
}

describe("plan once per update", () => {
  it("the preflight asks the guard without planning, and the update plans each secret once, with the holds", async () => {
    const asked: ClusterQuestion[] = [];
    const live: LiveReader = {
      cluster: (question) => {
        asked.push(question);
        return Promise.resolve({
          status: "read",
          value: new Map([
            ["api-20250101000000", [{ kind: "Pod" as const, namespace: "x", name: "p" }]],
          ]),
        });
      },
      aws: () => Promise.resolve({ status: "read", value: {} }),
      linked: () => Promise.reject(new Error("no linked workload to read")),
    };
    const outputs = { read: () => Promise.resolve(undefined) };
    // The preflight names this stack (`selfStackName`): the mock runtime says which it is.
    await oneAtATime(() =>
      pulumi.runtime.setMocks(new RecordingMocks(), PROJECT, "staging", false, "organization"),
    );
    await counting(async ({ preflight, planStack }, calls) => {
      const config = stack();
      const facts = await preflight.preflight(config, { outputs, live }, NOW);
      assert.equal(calls(), 0, "the preflight planned");
      // It asked about every version the plan would prune, before any hold.
      assert.deepEqual(
        [...(asked[0]?.names ?? [])].sort(),
        ["api", "db"].flatMap((s) => VERSIONS.slice(0, 2).map((v) => `${s}-${v}`)),
      );
      const plan = planStack.planStack(config, facts, NOW);
      assert.equal(calls(), config.secrets.length, "each secret planned once");
      // The hold is in that one plan: the referenced version is kept, the others pruned.
      const states = (name: string) =>
        Object.fromEntries(
          plan.secrets.find((s) => s.name === name)!.versions.map((v) => [v.version, v.state]),
        );
      assert.equal(states("api")["20250101000000"], "referenced");
      assert.equal(states("api")["20250201000000"], "expired");
      assert.equal(states("db")["20250101000000"], "expired");
      assert.deepEqual(plan.guard?.report.kept, ["api 20250101000000"]);
    });
  });

  it("the guard's questions are the versions the plan prunes without holds (prunable agrees with planSecret)", () => {
    const DAY = 24 * 3600 * 1000;
    const start = Date.UTC(2025, 0, 1);
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 60 }), { minLength: 1, maxLength: 6 }),
        fc.nat(),
        fc.nat(),
        fc.option(fc.nat(), { nil: undefined }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 0, max: 90 }),
        fc.boolean(),
        fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
        (days, firstPick, activePick, dropPick, retentionDays, later, remembered, gone) => {
          const ids = days.map((d) => formatVersionId(new Date(start + d * DAY)));
          const base = {
            name: "api",
            environment: "staging",
            versioned: true,
            versions: ids,
            retentionDays,
          };
          const first = planModule.planSecret({
            ...base,
            active: ids[firstPick % ids.length],
            now: new Date(start + 61 * DAY),
          });
          const active = ids[activePick % ids.length];
          const dropped = dropPick === undefined ? undefined : ids[dropPick % ids.length];
          const input: planModule.SecretPlanInput = {
            ...base,
            versions: ids.filter((id) => id === active || id !== dropped),
            active,
            now: new Date(start + (61 + later) * DAY),
            ...(remembered && { memory: readMemory(secretsOutput([first]))!.api }),
            goneFromAws: new Set(ids.filter((_, i) => gone[i])),
          };
          const plan = planModule.planSecret(input);
          assert.deepEqual(planModule.prunable(input), {
            expired: plan.expired.map((v) => v.version),
            removed: plan.removed,
          });
        },
      ),
    );
  });
});
