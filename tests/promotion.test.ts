/**
 * Staging before production: with `promotion`, production runs a version (active or canary)
 * only when staging's `secrets` output shows that staging activated it, at least soakHours
 * ago, with the same keys. The staging stack is answered by the mock's StackReference, from
 * what staging really exports after its own history of updates.
 */
import { strict as assert } from "assert";
import {
  checkPromotion,
  gateCandidates,
  readStagingSecrets,
  unusedOverrides,
} from "../plan/promotion/gate";
import { advanceHistory, readMemory } from "../plan/lifecycle/memory";
import { referencedOutputs } from "../offline";
import {
  DeclareOptions,
  ProgramRun,
  TYPES,
  TestConfig,
  baseConfig,
  declare,
  declareOk,
  runHistory,
  secretOf,
  versionReport,
} from "./helpers";

const STAGING = "acme/secret-rotation/staging";
const ACTIVE = "20250723110000";
const NEXT = "20250730120000";
/** Two days after ACTIVE was created, six hours after NEXT. */
const NOW = "20250725110000";
const LATER = "20250801000000";

/**
 * What the staging stack exports after running `config` first at `activated` (the update that
 * activates its active version) and again at `now`.
 */
async function stagingExports(
  config: TestConfig,
  now = NOW,
  activated = ACTIVE,
): Promise<Record<string, unknown>> {
  const runs = await runHistory(
    [
      { config, now: activated },
      { config, now },
    ],
    { stack: "staging" },
  );
  const last = runs[runs.length - 1];
  assert.equal(last.error, undefined, last.error?.message);
  return { [STAGING]: last.outputs };
}

/** The production config: staging's config plus the gate. */
function production(config: TestConfig = baseConfig(), soakHours = 24): TestConfig {
  return { ...config, promotion: { fromStack: STAGING, soakHours } };
}

function withNext(config: TestConfig, active = false): TestConfig {
  secretOf(config).versions[NEXT] = { api_token: "token-v4" };
  if (active) secretOf(config).active = NEXT;
  return config;
}

const inProduction = (config: TestConfig, options: DeclareOptions) =>
  declare(config, { stack: "production", now: NOW, ...options });

/** The gate refused: the error names the stack, path and words; only the StackReference ran. */
function assertGateRefused(run: ProgramRun, path: string, ...fragments: string[]): void {
  assert.ok(run.error, "expected the staging gate to refuse");
  const message = run.error.message;
  assert.match(message, /^stack "production": the staging gate \(promotion.fromStack acme/);
  assert.ok(message.includes(`secret-rotation:${path}:`), `should name ${path}:\n${message}`);
  for (const fragment of fragments) {
    assert.ok(message.includes(fragment), `should say "${fragment}":\n${message}`);
  }
  assert.deepEqual(
    [...new Set(run.resources.map((r) => r.type))],
    [TYPES.stackReference],
    "nothing but the preflight's StackReferences is declared when the gate refuses",
  );
}

describe("the staging gate", () => {
  it("passes a version staging runs, soaked and with the same keys, reading staging through a StackReference", async () => {
    const run = await inProduction(production(), {
      stackOutputs: await stagingExports(baseConfig()),
    });
    assert.equal(run.error, undefined, run.error?.message);
    const references = run.resources.filter((r) => r.type === TYPES.stackReference);
    assert.deepEqual(references.map((r) => r.inputs.name).sort(), [
      STAGING,
      "organization/secret-rotation/production",
    ]);
    assert.deepEqual(run.outputs.promotion, {
      fromStack: STAGING,
      soakHours: 24,
      decisions: [
        {
          secret: "auth-api-secrets",
          version: ACTIVE,
          role: "active",
          keys: ["api_token"],
          status: "passed",
          reasons: [],
        },
      ],
    });
    assert.ok(run.logs.some((l) => l.includes(`staging gate (${STAGING}, soak 24 h) passed`)));
  });

  it("refuses a version staging does not list", async () => {
    const run = await inProduction(withNext(production(), true), {
      stackOutputs: await stagingExports(baseConfig(), LATER),
      now: LATER,
    });
    assertGateRefused(
      run,
      "secrets.auth-api-secrets.active",
      `version ${NEXT} has not passed staging`,
      `staging does not list version ${NEXT}`,
      `active ${ACTIVE}`,
      "promotion.override.auth-api-secrets",
    );
  });

  it("refuses a version staging created but has not rolled out", async () => {
    const run = await inProduction(withNext(production(), true), {
      stackOutputs: await stagingExports(withNext(baseConfig()), LATER, LATER),
      now: LATER,
    });
    assertGateRefused(
      run,
      "secrets.auth-api-secrets.active",
      `staging has never activated it (staging's active version is ${ACTIVE}; it activated: ${ACTIVE})`,
    );
  });

  it("refuses a version staging ran and then rolled back from: staging no longer runs it", async () => {
    // Staging activates NEXT, then rolls back to ACTIVE. PRODUCT.md: production "may only
    // activate versions that staging already runs", and staging left NEXT for a reason.
    const rolledBack = withNext(baseConfig());
    const runs = await runHistory(
      [
        { config: baseConfig(), now: ACTIVE },
        { config: withNext(baseConfig(), true), now: NEXT },
        { config: rolledBack, now: "20250731120000" },
      ],
      { stack: "staging" },
    );
    const run = await inProduction(withNext(production(), true), {
      stackOutputs: { [STAGING]: runs[2].outputs },
      now: LATER,
    });
    assertGateRefused(
      run,
      "secrets.auth-api-secrets.active",
      `staging rolled back from it: staging's active version is ${ACTIVE}, older, and it runs no canary of it`,
    );
    // The same version while staging still runs it (before its rollback) passes.
    const before = await inProduction(withNext(production(), true), {
      stackOutputs: { [STAGING]: runs[1].outputs },
      now: LATER,
    });
    assert.equal(before.error, undefined, before.error?.message);
  });

  it("never blocks a rollback: a version production ran, older than its previous active, passes whatever staging shows", async () => {
    // Production ran 20250715100000 before the gate was set (staging's memory never saw it),
    // then moved to ACTIVE through the gate, and now rolls back.
    const OLD = "20250715100000";
    const onOld = baseConfig();
    secretOf(onOld).active = OLD;
    const ranOld = await inProduction(onOld, { now: "20250723120000" });
    assert.equal(ranOld.error, undefined, ranOld.error?.message);
    const stackOutputs = await stagingExports(baseConfig());
    const onActive = await inProduction(production(), {
      stackOutputs,
      previous: referencedOutputs(ranOld),
      now: "20250727000000",
    });
    assert.equal(onActive.error, undefined, onActive.error?.message);
    const config = production();
    secretOf(config).active = OLD;
    const rollback = await inProduction(config, {
      stackOutputs,
      previous: referencedOutputs(onActive),
      now: "20250727010000",
    });
    assert.equal(rollback.error, undefined, rollback.error?.message);
    const decision = (rollback.outputs.promotion as any).decisions[0];
    assert.deepEqual(
      [decision.version, decision.status, decision.reasons],
      [
        OLD,
        "rollback",
        [
          `a rollback: this stack ran it, and its active version at its previous update is the newer ${ACTIVE}`,
        ],
      ],
    );
    // An older version production never ran while remembering (created between its
    // activations and skipped, or backdated) is a move: checked.
    const skipped = production();
    secretOf(skipped).versions["20250720000000"] = { api_token: "token-skipped" };
    secretOf(skipped).active = "20250720000000";
    const backdated = await inProduction(skipped, {
      stackOutputs,
      previous: referencedOutputs(onActive),
      now: "20250727010000",
    });
    assertGateRefused(
      backdated,
      "secrets.auth-api-secrets.active",
      "staging does not list version 20250720000000",
    );
    // Production's memory began on ACTIVE (its first update with this release records only
    // the version then active): OLD, older than every activation it records, ran before that.
    const upgraded = await inProduction(production(), { stackOutputs, now: "20250727000000" });
    assert.equal(upgraded.error, undefined, upgraded.error?.message);
    const afterUpgrade = await inProduction(config, {
      stackOutputs,
      previous: referencedOutputs(upgraded),
      now: "20250727010000",
    });
    assert.equal(afterUpgrade.error, undefined, afterUpgrade.error?.message);
    assert.match(
      (afterUpgrade.outputs.promotion as any).decisions[0].reasons[0],
      /^a rollback: this stack ran it before its memory began/,
    );
    // Without production's memory the same config is a move: staging never activated it.
    const first = await inProduction(config, { stackOutputs, now: "20250727010000" });
    assertGateRefused(first, "secrets.auth-api-secrets.active", "staging has never activated it");
  });

  it("lets production run staging's canary version while staging runs it as a canary", () => {
    const staging = {
      activeVersion: ACTIVE,
      versions: [ACTIVE, NEXT],
      keys: ["k"],
      firstActivatedAt: {
        [ACTIVE]: "2025-07-23T11:00:00.000Z",
        [NEXT]: "2025-07-30T12:00:00.000Z",
      },
    };
    const decide = (canaryVersion?: string) =>
      checkPromotion({
        promotion: { fromStack: STAGING, soakHours: 24, override: {} },
        candidates: [{ secret: "s", version: NEXT, role: "canary", keys: ["k"] }],
        staging: { s: { ...staging, ...(canaryVersion && { canaryVersion }) } },
        now: new Date("2025-08-01T00:00:00Z"),
      })[0].status;
    assert.equal(decide(NEXT), "passed");
    assert.equal(decide(), "refused", "staging dropped the canary: it no longer runs it");
  });

  it("measures the soak from staging's activation, not from the version's creation", async () => {
    // ACTIVE was created on 07-23 but staging activated it only on 07-25 11:00.
    const stackOutputs = await stagingExports(baseConfig(), "20250725120000", NOW);
    const run = await inProduction(production(baseConfig(), 24), {
      stackOutputs,
      now: "20250726000000",
    });
    assertGateRefused(
      run,
      "secrets.auth-api-secrets.active",
      "staging activated it 13 h ago (2025-07-25T11:00:00.000Z); soakHours 24 lets it through from 2025-07-26T11:00:00.000Z",
    );
  });

  it("refuses a version younger than soakHours, saying when it may pass", async () => {
    const stackOutputs = await stagingExports(baseConfig());
    const run = await inProduction(production(baseConfig(), 72), { stackOutputs });
    assertGateRefused(
      run,
      "secrets.auth-api-secrets.active",
      "staging activated it 48 h ago (2025-07-23T11:00:00.000Z); soakHours 72 lets it through from 2025-07-26T11:00:00.000Z",
    );
    // The same version passes once soaked.
    const later = await inProduction(production(baseConfig(), 72), {
      stackOutputs,
      now: "20250726110000",
    });
    assert.equal(later.error, undefined, later.error?.message);
  });

  it("refuses when staging's key names differ from production's", async () => {
    const config = production();
    secretOf(config).generate = { signing_key: { length: 32 } };
    const run = await inProduction(config, { stackOutputs: await stagingExports(baseConfig()) });
    assertGateRefused(
      run,
      "secrets.auth-api-secrets.active",
      "the keys differ: staging has api_token, this stack has api_token, signing_key",
    );
  });

  it("refuses when staging exports no key names (an older release of this program)", async () => {
    const exported = (await stagingExports(baseConfig()))[STAGING] as any;
    delete exported.secrets["auth-api-secrets"].keys;
    const run = await inProduction(production(), { stackOutputs: { [STAGING]: exported } });
    assertGateRefused(run, "secrets.auth-api-secrets.active", "staging exports no key names");
  });

  it("refuses a secret staging does not have, and a staging stack with no secrets output", async () => {
    const other = baseConfig();
    other.secrets = { "other-api": secretOf(other) };
    other.workloads = {};
    const run = await inProduction(production(), { stackOutputs: await stagingExports(other) });
    assertGateRefused(
      run,
      "secrets.auth-api-secrets.active",
      'staging has no secret "auth-api-secrets" (staging has: other-api)',
    );
    const empty = await inProduction(production(), { stackOutputs: {} });
    assertGateRefused(empty, "promotion.fromStack", "it has no `secrets` output");
  });

  it("checks a canary version like an active one", async () => {
    const config = withNext(production());
    secretOf(config).canary = { version: NEXT, percent: 10 };
    const run = await inProduction(config, {
      stackOutputs: await stagingExports(baseConfig(), LATER),
      now: LATER,
    });
    assertGateRefused(run, "secrets.auth-api-secrets.canary.version", `version ${NEXT}`);
    assert.ok(!run.error!.message.includes("secrets.auth-api-secrets.active:"), "active passes");
  });

  it("lets production roll back to an older version staging once ran, without touching staging", async () => {
    const older = baseConfig();
    secretOf(older).active = "20250715100000";
    delete secretOf(older).versions[ACTIVE];
    const runs = await runHistory(
      [
        { config: older, now: "20250715100000" },
        { config: baseConfig(), now: ACTIVE },
      ],
      { stack: "staging" },
    );
    const config = production();
    secretOf(config).active = "20250715100000";
    const run = await inProduction(config, { stackOutputs: { [STAGING]: runs[1].outputs } });
    assert.equal(run.error, undefined, run.error?.message);
  });

  it("lets production roll back to the version staging rolled back to first: the soak counts from staging's first activation", async () => {
    // The runbook's order: staging activates NEXT, production follows once NEXT has soaked,
    // then staging rolls back to ACTIVE first, re-activating it, and production follows.
    const staging = await runHistory(
      [
        { config: baseConfig(), now: ACTIVE },
        { config: withNext(baseConfig(), true), now: NEXT },
        { config: withNext(baseConfig()), now: "20250731140000" },
      ],
      { stack: "staging" },
    );
    assert.deepEqual(
      staging.map((r) => r.error?.message),
      [undefined, undefined, undefined],
    );
    // Production ran ACTIVE before (its first update, before the gate was set).
    const ranActive = await inProduction(withNext(baseConfig()), { now: "20250731000000" });
    assert.equal(ranActive.error, undefined, ranActive.error?.message);
    const promoted = await inProduction(withNext(production(), true), {
      stackOutputs: { [STAGING]: staging[1].outputs },
      previous: referencedOutputs(ranActive),
      now: "20250731130000",
    });
    assert.equal(promoted.error, undefined, promoted.error?.message);
    const rollback = await inProduction(withNext(production()), {
      stackOutputs: { [STAGING]: staging[2].outputs },
      previous: referencedOutputs(promoted),
      now: "20250731150000",
    });
    // Before firstActivatedAt this was refused: "staging activated it 1 h ago".
    assert.equal(rollback.error, undefined, rollback.error?.message);
    const decision = (rollback.outputs.promotion as any).decisions[0];
    assert.deepEqual([decision.version, decision.status], [ACTIVE, "rollback"]);
    // Staging's memory keeps the first activation, carried forward across its updates.
    const reactivated = versionReport(staging[2], ACTIVE);
    assert.equal(reactivated.activatedAt, "2025-07-31T14:00:00.000Z");
    assert.equal(reactivated.firstActivatedAt, "2025-07-23T11:00:00.000Z");

    // Outputs of an older release have no firstActivatedAt: the last activation stands for it,
    // and a rollback is not checked against it either.
    const older = structuredClone(staging[2].outputs) as any;
    for (const v of older.secrets["auth-api-secrets"].versions) delete v.firstActivatedAt;
    const fromOlder = await inProduction(withNext(production()), {
      stackOutputs: { [STAGING]: older },
      previous: referencedOutputs(promoted),
      now: "20250731150000",
    });
    assert.equal(fromOlder.error, undefined, fromOlder.error?.message);
    // The soak from the first activation still matters for a forward move: production's
    // first update (no memory) to ACTIVE right after staging's re-activation passes.
    const forward = await inProduction(withNext(production()), {
      stackOutputs: { [STAGING]: staging[2].outputs },
      now: "20250731150000",
    });
    assert.equal(forward.error, undefined, forward.error?.message);
    const forwardOlder = await inProduction(withNext(production()), {
      stackOutputs: { [STAGING]: older },
      now: "20250731150000",
    });
    assertGateRefused(
      forwardOlder,
      "secrets.auth-api-secrets.active",
      "staging activated it 1 h ago (2025-07-31T14:00:00.000Z)",
    );
  });

  it("does not check a version production already runs: staging's first update recording activations blocks nothing", async () => {
    // Production ran ACTIVE before the gate was set; staging's first update with this release
    // records ACTIVE as activated now.
    const before = await inProduction(baseConfig(), { now: NOW });
    assert.equal(before.error, undefined, before.error?.message);
    const stackOutputs = await stagingExports(baseConfig(), "20250726000000", "20250726000000");
    const run = await inProduction(production(), {
      stackOutputs,
      previous: referencedOutputs(before),
      now: "20250726010000",
    });
    // Before this check: "staging activated it 1 h ago", production blocked for soakHours.
    assert.equal(run.error, undefined, run.error?.message);
    assert.deepEqual((run.outputs.promotion as any).decisions, [
      {
        secret: "auth-api-secrets",
        version: ACTIVE,
        role: "active",
        keys: ["api_token"],
        status: "unchanged",
        reasons: ["this stack already runs it: its active version at its previous update"],
      },
    ]);
    // Without production's memory (its first update) the same version is a move, and checked.
    const first = await inProduction(production(), { stackOutputs, now: "20250726010000" });
    assertGateRefused(first, "secrets.auth-api-secrets.active", "staging activated it 1 h ago");
  });

  it("still checks the version an update moves production to, beside an unchanged one", async () => {
    const before = await inProduction(withNext(baseConfig()), { now: "20250731000000" });
    assert.equal(before.error, undefined, before.error?.message);
    const config = withNext(production());
    secretOf(config).canary = { version: NEXT, percent: 10 };
    const run = await inProduction(config, {
      stackOutputs: await stagingExports(baseConfig(), LATER),
      previous: referencedOutputs(before),
      now: LATER,
    });
    assertGateRefused(
      run,
      "secrets.auth-api-secrets.canary.version",
      `staging does not list version ${NEXT}`,
    );
    assert.ok(!run.error!.message.includes("secrets.auth-api-secrets.active:"), "active unchanged");
  });

  it("break-glass: an override lets one refused version through, warning with its reason", async () => {
    const config = withNext(production(), true);
    (config.promotion as any).override = {
      "auth-api-secrets": { version: NEXT, reason: "INC-1234: leaked token, rotate now" },
    };
    const run = await inProduction(config, {
      stackOutputs: await stagingExports(baseConfig(), LATER),
      now: LATER,
    });
    assert.equal(run.error, undefined, run.error?.message);
    const warning = run.logs.find((l) => l.startsWith("warning:") && l.includes("override"));
    assert.ok(warning, run.logs.join("\n"));
    assert.ok(warning.includes('reason: "INC-1234: leaked token, rotate now"'));
    assert.ok(warning.includes(`staging does not list version ${NEXT}`));
    const decision = (run.outputs.promotion as any).decisions[0];
    assert.equal(decision.status, "overridden");
    const deployment = run.resources.find((r) => r.type === TYPES.deployment)!;
    assert.ok(JSON.stringify(deployment.inputs).includes(`auth-api-secrets-${NEXT}`));
  });

  it("an override lets through only the version it names", async () => {
    const config = withNext(production(), true);
    (config.promotion as any).override = {
      "auth-api-secrets": { version: ACTIVE, reason: "an earlier incident" },
    };
    const run = await inProduction(config, {
      stackOutputs: await stagingExports(baseConfig(), LATER),
      now: LATER,
    });
    assertGateRefused(run, "secrets.auth-api-secrets.active", `version ${NEXT}`);
  });

  it("warns about an override that lets nothing through", async () => {
    const config = production();
    (config.promotion as any).override = {
      "auth-api-secrets": { version: ACTIVE, reason: "no longer needed" },
    };
    const run = await inProduction(config, { stackOutputs: await stagingExports(baseConfig()) });
    assert.equal(run.error, undefined, run.error?.message);
    assert.ok(
      run.logs.some((l) => l.includes("lets nothing through (staging already vouches for it)")),
    );
  });

  it("warns that nothing enforces staging first in production without promotion, and only there", async () => {
    const production = await declareOk(baseConfig(), { stack: "production" });
    assert.ok(
      production.logs.some(
        (l) =>
          l.startsWith("warning:") &&
          l.includes("nothing enforces that versions run in staging first"),
      ),
    );
    assert.equal(production.outputs.promotion, null);
    const staging = await declareOk(baseConfig(), { stack: "staging" });
    assert.ok(!staging.logs.some((l) => l.includes("nothing enforces")));
    assert.ok(!production.resources.some((r) => r.name === "promotion-source"));
  });

  it("decides per candidate, listing every reason at once (pure)", () => {
    const decisions = checkPromotion({
      promotion: { fromStack: STAGING, soakHours: 24, override: {} },
      candidates: [{ secret: "api", version: NEXT, role: "active", keys: ["b", "a"] }],
      staging: {
        api: { activeVersion: ACTIVE, versions: [ACTIVE], keys: ["a"], firstActivatedAt: {} },
      },
      now: new Date("2025-07-30T18:00:00Z"),
    });
    assert.equal(decisions[0].status, "refused");
    // Not listed, and different keys (a version staging never activated has no soak to count).
    assert.equal(decisions[0].reasons.length, 2, decisions[0].reasons.join("\n"));
    const offline = checkPromotion({
      promotion: { fromStack: STAGING, soakHours: 24, override: {} },
      candidates: [{ secret: "api", version: NEXT, role: "active", keys: ["a"] }],
      staging: undefined,
      now: new Date("2025-07-30T18:00:00Z"),
    });
    assert.equal(offline[0].status, "unchecked");
    assert.deepEqual(
      gateCandidates([
        {
          name: "api",
          active: ACTIVE,
          canary: { version: NEXT, percent: 5 },
          keys: ["a"],
        } as any,
      ]).map((c) => `${c.role}:${c.version}`),
      [`active:${ACTIVE}`, `canary:${NEXT}`],
    );
    // Memory of an older release (activatedAt only): the remembered activation is the first
    // known, and a re-activation keeps it.
    const older = readMemory({
      api: {
        activeVersion: NEXT,
        versions: [{ version: ACTIVE, activatedAt: "2025-07-23T11:00:00.000Z" }, { version: NEXT }],
      },
    });
    const history = advanceHistory(older?.api, ACTIVE, new Date("2025-07-31T14:00:00Z"));
    assert.deepEqual(
      [history[ACTIVE].firstActivatedAt, history[ACTIVE].activatedAt],
      ["2025-07-23T11:00:00.000Z", "2025-07-31T14:00:00.000Z"],
    );
    // A canary production already runs is unchanged too (its memory's `canary`), as a canary;
    // promoted to active it is a move, and checked. An override naming an unchanged version
    // lets nothing through.
    const own = readMemory({
      api: { activeVersion: ACTIVE, canary: { version: NEXT }, versions: [] },
    });
    const promotion = {
      fromStack: STAGING,
      soakHours: 24,
      override: { api: { version: NEXT, reason: "r" } },
    };
    const decide = (role: "active" | "canary") =>
      checkPromotion({
        promotion,
        candidates: [
          { secret: "api", version: NEXT, role, keys: ["a"] },
          { secret: "other", version: NEXT, role: "active", keys: ["a"] },
        ],
        staging: {},
        now: new Date("2025-07-30T18:00:00Z"),
        own,
      });
    const running = decide("canary");
    assert.deepEqual(
      running.map((d) => d.status),
      ["unchanged", "refused"],
    );
    assert.deepEqual(running[0].reasons, [
      "this stack already runs it: its canary version at its previous update",
    ]);
    assert.equal(unusedOverrides(promotion, running)[0].why, "this stack already runs it");
    assert.deepEqual(
      decide("active").map((d) => d.status),
      ["overridden", "refused"],
      "its own canary promoted to active is a move: checked (here let through by the override)",
    );
    assert.ok("problem" in readStagingSecrets("not a map"));
    assert.ok("problem" in readStagingSecrets({ api: { activeVersion: 1 } }));
  });
});
