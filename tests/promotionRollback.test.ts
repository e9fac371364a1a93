/**
 * The staging gate never blocks a rollback, lets a break-glass override through with its
 * reason, and decides per candidate (pure). See tests/promotion.test.ts for the gate itself.
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
import { TYPES, baseConfig, declareOk, runHistory, secretOf, versionReport } from "./helpers";
import {
  ACTIVE,
  LATER,
  NEXT,
  NOW,
  STAGING,
  assertGateRefused,
  inProduction,
  production,
  stagingExports,
  withNext,
} from "./promotionFixtures";

describe("the staging gate: rollbacks, overrides, decisions", () => {
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
