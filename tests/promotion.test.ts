/**
 * Staging before production: with `promotion`, production runs a version (active or canary)
 * only when staging's `secrets` output shows that staging activated it, at least soakHours
 * ago, with the same keys. The staging stack is answered by the mock's StackReference, from
 * what staging really exports after its own history of updates.
 */
import { strict as assert } from "assert";
import { checkPromotion, gateCandidates, readStagingSecrets } from "../components/promotion/gate";
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

  it("refuses a version staging listed and ran ahead, then rolled back from, only by its activation", async () => {
    // Staging activates NEXT, then rolls back to ACTIVE: NEXT was activated, so it may pass.
    const rolledBack = withNext(baseConfig());
    const runs = await runHistory(
      [
        { config: baseConfig(), now: ACTIVE },
        { config: withNext(baseConfig(), true), now: NEXT },
        { config: rolledBack, now: "20250731120000" },
      ],
      { stack: "staging" },
    );
    const stackOutputs = { [STAGING]: runs[2].outputs };
    const run = await inProduction(withNext(production(), true), { stackOutputs, now: LATER });
    assert.equal(run.error, undefined, run.error?.message);
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
      staging: { api: { activeVersion: ACTIVE, versions: [ACTIVE], keys: ["a"], activatedAt: {} } },
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
    assert.ok("problem" in readStagingSecrets("not a map"));
    assert.ok("problem" in readStagingSecrets({ api: { activeVersion: 1 } }));
  });
});
