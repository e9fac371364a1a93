/**
 * Staging before production: with `promotion`, production runs a version (active or canary)
 * only when staging's `secrets` output shows that staging activated it, at least soakHours
 * ago, with the same keys. The staging stack is answered by the mock's StackReference, from
 * what staging really exports after its own history of updates.
 */
import { strict as assert } from "assert";
import { checkPromotion } from "../plan/promotion/gate";
import { referencedOutputs } from "../offline";
import { TYPES, baseConfig, runHistory, secretOf } from "./helpers";
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
});
