/**
 * The program's memory across updates: it reads its own previous outputs, remembers when each
 * version was activated, superseded and pruned, and never declares a pruned version again.
 * Read like the runbook: rotate, roll back, clean up, over successive `pulumi up`s.
 */
import { strict as assert } from "assert";
import { projectConfig, referencedOutputs, stackConfigFromYaml } from "../offline";
import {
  ProgramRun,
  TYPES,
  TestConfig,
  assertRefusedByMemory,
  baseConfig,
  committedConfig,
  declare,
  declaredVersions,
  runHistory,
  secretOf,
  versionReport,
} from "./helpers";
import { fakeAws } from "../fakes/world";

const OLD = "20250701090000";
const PREVIOUS = "20250715100000";
const ACTIVE = "20250723110000";
const NEXT = "20250801090000";

function withVersion(config: TestConfig, id: string, active = false): TestConfig {
  secretOf(config).versions[id] = { api_token: `token-${id}` };
  if (active) secretOf(config).active = id;
  return config;
}

function activate(config: TestConfig, id: string): TestConfig {
  const copy = structuredClone(config);
  secretOf(copy).active = id;
  return copy;
}

describe("memory: rotate, roll back, clean up", () => {
  it("on the committed staging stack, a rollback does not bring back the version the rotation pruned", async () => {
    // 2026-11-24: create 20261124090000 ahead and activate it; 20261020100000 (superseded on
    // 11-10, retention 7 days) is pruned. Then roll back to 20261110100000.
    const start = committedConfig("staging");
    const rotated = withVersion(structuredClone(start), "20261124090000", true);
    secretOf(rotated).versions["20261124090000"] = {};
    const rolledBack = activate(rotated, "20261110100000");
    const runs = await runHistory([
      { config: start, now: "20261120000000" },
      { config: rotated, now: "20261124100000" },
      { config: rolledBack, now: "20261124110000" },
      { config: rolledBack, now: "20261124120000" },
    ]);
    runs.forEach((r) => assert.equal(r.error, undefined, r.error?.message));
    const [, afterRotation, afterRollback, again] = runs;
    assert.equal(versionReport(afterRotation, "20261020100000").state, "expired");
    assert.deepEqual(declaredVersions(afterRotation), ["20261110100000", "20261124090000"]);
    assert.equal(versionReport(afterRollback, "20261020100000").state, "pruned");
    assert.deepEqual(declaredVersions(afterRollback), ["20261110100000", "20261124090000"]);
    assert.equal((afterRollback.outputs.secrets as any)["auth-api-secrets"].previousVersion, null);
    assert.ok(
      afterRollback.logs.some((l) =>
        l.includes("20261020100000 was pruned by the update of 2026-11-24T10:00:00.000Z"),
      ),
      afterRollback.logs.join("\n"),
    );
    // The rolled-back-from version stays, pending; repeated updates change nothing.
    assert.equal(versionReport(afterRollback, "20261124090000").state, "pending");
    assert.deepEqual(again.outputs, afterRollback.outputs);
    // No generator is declared again for the pruned id.
    assert.ok(
      !again.resources.some((r) => r.type === TYPES.generator && r.name.includes("20261020100000")),
    );
  });

  it("without memory (first update, or a plan without previous outputs), a rollback keeps the rollback target unless AWS shows it gone", async () => {
    // Without memory, versions newer than active may be created ahead or rolled back from, and
    // the one before active may have been pruned by an update whose memory is gone. It is kept
    // (as the guard keeps what it cannot check) unless the AWS read shows it gone. With memory,
    // the test above shows a pruned one stays pruned.
    const start = committedConfig("staging");
    const rotated = withVersion(structuredClone(start), "20261124090000", true);
    secretOf(rotated).versions["20261124090000"] = {};
    const rollback = async () =>
      (
        await runHistory([{ config: activate(rotated, "20261110100000"), now: "20261124110000" }])
      )[0];
    // The tests' AWS (fakes/world.ts) lists every version: kept.
    fakeAws.secrets = ["20261020100000", "20261110100000", "20261124090000"].map((v) => ({
      Name: `staging/auth-api-secrets-${v}`,
      LastChangedDate: new Date("2026-11-10T10:00:00Z"),
    }));
    const listed = await rollback();
    assert.equal(versionReport(listed, "20261020100000").state, "previous");
    assert.deepEqual(declaredVersions(listed), [
      "20261020100000",
      "20261110100000",
      "20261124090000",
    ]);
    // AWS lists nothing for it (pruned by an update whose memory is gone): not declared again.
    fakeAws.secrets = fakeAws.secrets.filter((s) => !s.Name?.endsWith("20261020100000"));
    const gone = await rollback();
    assert.equal(versionReport(gone, "20261020100000").state, "expired");
    assert.deepEqual(declaredVersions(gone), ["20261110100000", "20261124090000"]);
  });

  it("keeps the version active before a change for the retention counted from that change", async () => {
    const base = baseConfig();
    const LATE = "20250825000000";
    const runs = await runHistory([
      { config: activate(base, PREVIOUS), now: "20250801000000" },
      { config: base, now: "20250820000000" },
      { config: withVersion(structuredClone(base), LATE, true), now: LATE },
    ]);
    runs.forEach((r) => assert.equal(r.error, undefined, r.error?.message));
    assert.equal(versionReport(runs[1], PREVIOUS).supersededAt, "2025-08-20T00:00:00.000Z");
    // After LATE is activated, ACTIVE is previous and PREVIOUS is retained until 08-20 + 14
    // days = 09-03, although its successor was created on 07-23 (which would give 08-06).
    assert.equal(versionReport(runs[2], ACTIVE).state, "previous");
    assert.equal(versionReport(runs[2], PREVIOUS).state, "retained");
    assert.equal(versionReport(runs[2], PREVIOUS).expiresAt, "2025-09-03T00:00:00.000Z");
    assert.equal(versionReport(runs[2], OLD).state, "pruned");
  });

  it("refuses to activate, canary or pin a pruned version, saying how to run its value again", async () => {
    const rotated = withVersion(baseConfig(), NEXT, true);
    const [, pruning] = await runHistory([
      { config: baseConfig(), now: "20250724000000" },
      { config: rotated, now: "20250802000000" },
    ]);
    assert.equal(versionReport(pruning, OLD).state, "expired");
    const previous = pruning.outputs;
    for (const [edit, path, role] of [
      [(c: any) => (c.active = OLD), "secrets.auth-api-secrets.active", "active"],
      [(c: any) => (c.keep = [OLD]), "secrets.auth-api-secrets.keep[0]", "pinned (keep)"],
      [
        (c: any) => (c.canary = { version: OLD, percent: 10 }),
        "secrets.auth-api-secrets.canary.version",
        "a canary",
      ],
    ] as const) {
      const config = structuredClone(rotated);
      edit(secretOf(config));
      const refused: ProgramRun = await declare(config, { now: "20250803000000", previous });
      assert.ok(refused.error, `${path} should be refused`);
      const message = refused.error.message;
      assert.ok(
        message.includes(`secret-rotation:${path}: version ${OLD} cannot be ${role}`),
        message,
      );
      assert.ok(message.includes("add it as a new version"), message);
      assert.ok(
        message.includes(
          `aws secretsmanager restore-secret --secret-id staging/auth-api-secrets-${OLD}`,
        ),
      );
      assert.deepEqual([...new Set(refused.resources.map((r) => r.type))], [TYPES.stackReference]);
    }
  });

  it("for a pruned version with generated keys, says to create a new version, and to set only the keys that are set (issue 17 §5)", async () => {
    // The committed staging stack generates every key; the second case sets api_token.
    const allGenerated = committedConfig("staging");
    const oneSet = committedConfig("staging");
    delete secretOf(oneSet).generate.api_token;
    for (const v of Object.keys(secretOf(oneSet).versions)) {
      secretOf(oneSet).versions[v] = { api_token: `token-${v}` };
    }
    const hints: string[] = [];
    for (const start of [allGenerated, oneSet]) {
      const rotated = structuredClone(start);
      secretOf(rotated).versions["20261124090000"] = structuredClone(
        secretOf(rotated).versions["20261110100000"],
      );
      secretOf(rotated).active = "20261124090000";
      const [, pruning] = await runHistory([
        { config: start, now: "20261120000000" },
        { config: rotated, now: "20261124100000" },
      ]);
      assert.equal(versionReport(pruning, "20261020100000").state, "expired");
      const pinned = structuredClone(rotated);
      secretOf(pinned).keep = ["20261020100000"];
      const refused = await declare(pinned, {
        now: "20261124110000",
        previous: referencedOutputs(pruning),
      });
      hints.push(
        assertRefusedByMemory(
          refused,
          "secrets.auth-api-secrets.keep[0]",
          "version 20261020100000 cannot be pinned (keep)",
          "restore-secret --secret-id staging/auth-api-secrets-20261020100000",
        ),
      );
    }
    const [generatedHint, mixedHint] = hints;
    assert.ok(generatedHint.includes("(api_token, signing_key) are all generated"), generatedHint);
    assert.ok(
      generatedHint.includes(
        'create a new version instead (add "<new id>": {} under secret-rotation:secrets["auth-api-secrets"].versions',
      ),
      generatedHint,
    );
    assert.ok(!generatedHint.includes("pulumi config set"), generatedHint);
    assert.ok(
      mixedHint.includes(
        `pulumi config set --secret --path 'secret-rotation:secrets["auth-api-secrets"].versions["<new id>"]["<key>"]' <value> for each of api_token,`,
      ),
      mixedHint,
    );
    assert.ok(mixedHint.includes("its generated keys (signing_key) cannot be set"), mixedHint);
  });

  it("remembers a pruned version after it leaves the config, and refuses it if it is listed again", async () => {
    const rotated = withVersion(baseConfig(), NEXT, true);
    const dropped = structuredClone(rotated);
    delete secretOf(dropped).versions[OLD];
    const readded = activate(structuredClone(rotated), OLD);
    const runs = await runHistory([
      { config: baseConfig(), now: "20250724000000" },
      { config: rotated, now: "20250802000000" },
      { config: dropped, now: "20250803000000" },
      { config: readded, now: "20250804000000" },
    ]);
    assert.equal(versionReport(runs[2], OLD).state, "pruned", "still reported");
    assert.match(runs[3].error?.message ?? "", /version 20250701090000 cannot be active/);
  });

  it("a live version removed from the config is deleted, remembered as pruned, and never declared again", async () => {
    const withNext = withVersion(baseConfig(), NEXT);
    const runs = await runHistory([
      { config: withNext, now: "20250802000000" },
      { config: baseConfig(), now: "20250803000000" },
      { config: withNext, now: "20250804000000" },
    ]);
    assert.equal(versionReport(runs[1], NEXT).state, "pruned");
    assert.equal(versionReport(runs[1], NEXT).prunedAt, "2025-08-03T00:00:00.000Z");
    assert.ok(runs[1].logs.some((l) => l.includes(`version ${NEXT} is no longer listed`)));
    // Listed again (not active): reported pruned and not declared, never recreated.
    assert.equal(versionReport(runs[2], NEXT).state, "pruned");
    assert.ok(!declaredVersions(runs[2]).includes(NEXT));
  });

  it("records activation and supersession times, stable across repeated updates", async () => {
    const rotated = withVersion(baseConfig(), NEXT, true);
    const runs = await runHistory([
      { config: baseConfig(), now: "20250724000000" },
      { config: rotated, now: "20250802000000" },
      { config: rotated, now: "20250803000000" },
      { config: rotated, now: "20250804000000" },
    ]);
    assert.equal(versionReport(runs[0], ACTIVE).activatedAt, "2025-07-24T00:00:00.000Z");
    assert.equal(versionReport(runs[1], NEXT).activatedAt, "2025-08-02T00:00:00.000Z");
    assert.equal(versionReport(runs[1], ACTIVE).supersededAt, "2025-08-02T00:00:00.000Z");
    assert.equal(versionReport(runs[1], ACTIVE).activatedAt, "2025-07-24T00:00:00.000Z");
    // The update after the prune records it as pruned; from then on nothing moves.
    assert.equal(versionReport(runs[2], OLD).state, "pruned");
    assert.deepEqual(runs[3].outputs.secrets, runs[2].outputs.secrets, "nothing moves");
  });

  it("parses stack files and config maps whatever the secret is called", () => {
    // (The memory reader and the stack file reader both meet user-chosen names.)
    const config = stackConfigFromYaml(
      'config:\n  secret-rotation:secrets:\n    constructor:\n      active: "20250101000000"\n      versions: { "20250101000000": { toString: a } }\n',
    );
    assert.deepEqual(Object.keys(JSON.parse(config.config["secret-rotation:secrets"])), [
      "constructor",
    ]);
    assert.ok(projectConfig({ a: 1 }).config["secret-rotation:a"]);
  });
});
