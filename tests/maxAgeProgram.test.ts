/**
 * `maxAgeDays` in the program (issue 21 §2): an overdue active version gets a warning from
 * `pulumi up` and the plan, naming the secret, the version, its age and the runbook steps that
 * rotate it, and a mark in the `secrets` output. It never blocks the update and never changes
 * which resources are declared. Its age counts from the activation the memory records, else from
 * its id; a secret's own maxAgeDays beats the stack's.
 */
import { strict as assert } from "assert";
import {
  type ProgramRun,
  type TestConfig,
  baseConfig,
  declareOk,
  diffStates,
  runHistory,
  secretOf,
  versionReport,
} from "./helpers";
import { renderPlan } from "../scripts/planRender";

const ACTIVE = "20250723110000";
const NEXT = "20250801090000";

const withMaxAge = (maxAgeDays: number, own?: number): TestConfig => {
  const config = baseConfig();
  config.maxAgeDays = maxAgeDays;
  if (own !== undefined) secretOf(config).maxAgeDays = own;
  return config;
};

const warnings = (run: ProgramRun) => run.logs.filter((l) => l.startsWith("warning:"));
const overdueLines = (run: ProgramRun) => warnings(run).filter((l) => l.includes("is overdue"));
const mark = (run: ProgramRun, secret = "auth-api-secrets") =>
  versionReport(run, (run.outputs.secrets as any)[secret].activeVersion, secret).overdue;

/** The outputs without the overdue marks: what maxAgeDays must leave alone. */
function unmarked(run: ProgramRun): unknown {
  const outputs = structuredClone(run.outputs) as any;
  for (const secret of Object.values<any>(outputs.secrets)) {
    for (const v of secret.versions) delete v.overdue;
  }
  return outputs;
}

describe("maxAgeDays: an overdue active version", () => {
  // 2025-11-01: the active version (id 2025-07-23 11:00) is 100.5 days old, with no memory.
  const now = "20251101000000";

  it("warns, naming the secret, the version, its age and the runbook steps, and marks the output", async () => {
    const run = await declareOk(withMaxAge(90), { now });
    const lines = overdueLines(run);
    assert.equal(lines.length, 1, run.logs.join("\n"));
    for (const words of [
      "auth-api-secrets: active version 20250723110000 is overdue",
      "maxAgeDays of 90",
      "100.5 days since 2025-07-23T11:00:00.000Z, the time in its id: no memory of its activation",
      "overdue since 2025-10-21T11:00:00.000Z",
      "step 1, create a version ahead; step 3, promote it",
      "not blocked",
    ]) {
      assert.ok(lines[0].includes(words), `the warning should say "${words}": ${lines[0]}`);
    }
    assert.deepEqual(mark(run), {
      since: "2025-07-23T11:00:00.000Z",
      ageDays: 100,
      maxAgeDays: 90,
      dueAt: "2025-10-21T11:00:00.000Z",
    });
    // Only the active version is marked.
    const secrets = run.outputs.secrets as any;
    const marked = secrets["auth-api-secrets"].versions.filter((v: any) => v.overdue);
    assert.deepEqual(
      marked.map((v: any) => v.version),
      [ACTIVE],
    );
    // The offline plan shows it beside the state.
    const text = renderPlan("staging", new Date("2025-11-01T00:00:00Z"), run);
    assert.match(text, /20250723110000 {2}active \(overdue: 100 days, maxAgeDays 90\)/);
  });

  it("declares exactly the same resources and outputs as without maxAgeDays, and logs only the warning more", async () => {
    const off = await declareOk(baseConfig(), { now });
    const on = await declareOk(withMaxAge(30), { now });
    assert.deepEqual(diffStates(off, on), { added: [], removed: [], changed: [] });
    assert.equal(on.resources.length, off.resources.length);
    assert.deepEqual(unmarked(on), unmarked(off));
    assert.ok(mark(on) !== undefined);
    assert.equal(mark(off), undefined);
    assert.deepEqual(
      on.logs.filter((l) => !l.includes("is overdue")),
      off.logs,
    );
  });

  it("is quiet while the active version is younger than maxAgeDays", async () => {
    const run = await declareOk(withMaxAge(101), { now });
    assert.deepEqual(overdueLines(run), []);
    assert.equal(mark(run), undefined);
  });
});

describe("maxAgeDays: the age counts from the activation the memory records, else from the id", () => {
  // 20250723110000 is created ahead on 2025-07-24 and activated on 2025-09-01.
  const ahead = () => {
    const config = withMaxAge(60);
    secretOf(config).active = "20250715100000";
    return config;
  };

  it("with memory, from the activation; without memory, from the id", async () => {
    const runs = await runHistory([
      { config: ahead(), now: "20250724000000" },
      { config: withMaxAge(60), now: "20250901000000" },
      { config: withMaxAge(60), now: "20251015000000" },
      { config: withMaxAge(60), now: "20251115000000" },
    ]);
    runs.forEach((r) => assert.equal(r.error, undefined, r.error?.message));
    const [, activated, fortyFourDays, seventyFiveDays] = runs;
    assert.equal(versionReport(activated, ACTIVE).activatedAt, "2025-09-01T00:00:00.000Z");
    // 44 days since its activation: not overdue, though its id is 84 days old.
    assert.equal(mark(fortyFourDays), undefined);
    assert.deepEqual(overdueLines(fortyFourDays), []);
    const fresh = await declareOk(withMaxAge(60), { now: "20251015000000" });
    assert.equal(mark(fresh).ageDays, 83);
    assert.equal(mark(fresh).since, "2025-07-23T11:00:00.000Z");
    // 75 days since its activation.
    assert.deepEqual(mark(seventyFiveDays), {
      since: "2025-09-01T00:00:00.000Z",
      ageDays: 75,
      maxAgeDays: 60,
      dueAt: "2025-10-31T00:00:00.000Z",
    });
    assert.ok(
      overdueLines(seventyFiveDays)[0].includes(
        "since 2025-09-01T00:00:00.000Z, its first activation",
      ),
    );
  });

  it("a rotation clears the mark: the promoted version is activated by that update", async () => {
    const rotated = withMaxAge(60);
    secretOf(rotated).versions[NEXT] = { api_token: "token-v4" };
    secretOf(rotated).active = NEXT;
    const runs = await runHistory([
      { config: withMaxAge(60), now: "20251101000000" },
      { config: rotated, now: "20251102000000" },
    ]);
    runs.forEach((r) => assert.equal(r.error, undefined, r.error?.message));
    assert.equal(mark(runs[0]).ageDays, 100);
    // NEXT's id is 93 days old, but it became active now.
    assert.equal(mark(runs[1]), undefined);
    assert.deepEqual(overdueLines(runs[1]), []);
    assert.equal(versionReport(runs[1], ACTIVE).overdue, undefined);
  });
});

describe("maxAgeDays in dev", () => {
  it("counts from the id, as dev keeps no history, and marks the one unversioned entry", async () => {
    const run = await declareOk(withMaxAge(90), { stack: "dev", now: "20251101000000" });
    assert.equal(mark(run).since, "2025-07-23T11:00:00.000Z");
    assert.ok(overdueLines(run)[0].includes("the time in its id: no memory of its activation"));
  });
});

describe("maxAgeDays: a secret's own beats the stack's", () => {
  const now = "20251101000000";
  /** auth-api-secrets (100 days old) with `own`, and billing (304 days old) without one. */
  const twoSecrets = (stack: number, own: number): TestConfig => {
    const config = withMaxAge(stack, own);
    (config.secrets as any).billing = {
      active: "20250101000000",
      versions: { "20250101000000": { key: "v1" } },
    };
    return config;
  };

  it("a longer own maximum: only the secret on the stack's default is overdue", async () => {
    const run = await declareOk(twoSecrets(200, 365), { now });
    assert.equal(mark(run), undefined);
    assert.equal(mark(run, "billing").maxAgeDays, 200);
    assert.equal(overdueLines(run).length, 1);
    assert.ok(overdueLines(run)[0].startsWith("warning: billing: active version 20250101000000"));
  });

  it("a shorter own maximum: that secret is overdue, the other is not", async () => {
    const run = await declareOk(twoSecrets(3650, 30), { now });
    assert.equal(mark(run).maxAgeDays, 30);
    assert.equal(mark(run, "billing"), undefined);
  });

  it("a secret's own maxAgeDays works without a stack default", async () => {
    const config = baseConfig();
    secretOf(config).maxAgeDays = 30;
    const run = await declareOk(config, { now });
    assert.equal(mark(run).maxAgeDays, 30);
  });
});
