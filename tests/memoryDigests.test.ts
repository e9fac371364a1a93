/**
 * The versions' digests in the memory (what makes a changed value of an existing version an
 * error) when they could not be decrypted: the update is refused before anything is declared,
 * naming each version, except where there is nothing to compare.
 */
import { strict as assert } from "assert";
import {
  rememberedFingerprints,
  undecryptedFingerprintsProblem,
} from "../plan/lifecycle/immutability";
import { SECRET_SIG, SIG_KEY, referencedOutputs } from "../offline";
import { assertRefusedByMemory, baseConfig, declare, runHistory } from "./helpers";

const OLD = "20250701090000";
const PREVIOUS = "20250715100000";
const ACTIVE = "20250723110000";

describe("memory: digests that could not be decrypted", () => {
  const listed = [
    { name: "auth-api-secrets", versions: [OLD, PREVIOUS, ACTIVE].map((id) => ({ id })) },
  ];
  /** A previous `secrets` output: each version with its state and Kubernetes name. */
  const secretsOutput = (states: Record<string, string>, versioned = true) => ({
    "auth-api-secrets": {
      versions: Object.entries(states).map(([version, state]) => ({
        version,
        state,
        kubernetesName: versioned ? `auth-api-secrets-${version}` : "auth-api-secrets",
      })),
    },
  });
  const retained = { [OLD]: "retained", [PREVIOUS]: "previous", [ACTIVE]: "active" };

  it("{} beside versions the last update declared is an undecrypted output, naming each", () => {
    const read = rememberedFingerprints(
      { secrets: secretsOutput(retained), versionFingerprints: {} },
      listed,
    );
    assert.deepEqual(read.undecrypted, [
      `auth-api-secrets ${OLD}`,
      `auth-api-secrets ${PREVIOUS}`,
      `auth-api-secrets ${ACTIVE}`,
    ]);
    assert.deepEqual({ ...read.fingerprints }, {});
    const problem = undecryptedFingerprintsProblem(read.undecrypted);
    assert.equal(problem.path, "secrets");
    assert.match(problem.message, /PULUMI_CONFIG_PASSPHRASE/);
  });

  it("is no refusal on a first update, after a release without digests, or offline", () => {
    for (const previous of [undefined, {}, { secrets: secretsOutput(retained) }]) {
      assert.deepEqual(rememberedFingerprints(previous, listed).undecrypted, []);
    }
  });

  it("is no refusal when there is nothing to compare: dev's unversioned Secret, only expired or pruned versions, versions no longer listed", () => {
    const cases = [
      { secrets: secretsOutput({ [ACTIVE]: "active" }, false), versionFingerprints: {} },
      {
        secrets: secretsOutput({ [OLD]: "expired", [PREVIOUS]: "pruned" }),
        versionFingerprints: {},
      },
      { secrets: secretsOutput({ "20240101000000": "active" }), versionFingerprints: {} },
    ];
    for (const previous of cases) {
      assert.deepEqual(rememberedFingerprints(previous, listed).undecrypted, []);
    }
  });

  it("reads digests that were decrypted, whatever the secret is called", () => {
    const read = rememberedFingerprints(
      { secrets: secretsOutput(retained), versionFingerprints: { constructor: { [ACTIVE]: "d" } } },
      [{ name: "constructor", versions: [{ id: ACTIVE }] }],
    );
    assert.deepEqual(read.undecrypted, []);
    assert.deepEqual({ ...read.fingerprints.constructor }, { [ACTIVE]: "d" });
    assert.equal(rememberedFingerprints(undefined, listed).fingerprints.constructor, undefined);
  });

  it("refuses the update before anything is declared, and runs once the digests can be read", async () => {
    const [first] = await runHistory([{ config: baseConfig(), now: "20250724000000" }]);
    assert.equal(first.error, undefined, first.error?.message);
    assert.ok(first.secretOutputs.includes("versionFingerprints"));
    const previous = referencedOutputs(first);
    // What the engine hands over when it cannot decrypt the secret output: `{}`, still secret.
    const elided = { ...previous, versionFingerprints: { [SIG_KEY]: SECRET_SIG, value: {} } };
    const refused = await declare(baseConfig(), { now: "20250725000000", previous: elided });
    const message = assertRefusedByMemory(
      refused,
      "secrets",
      `auth-api-secrets ${ACTIVE}`,
      "versionFingerprints",
      "PULUMI_CONFIG_PASSPHRASE",
    );
    assert.match(message, /^stack "staging": /);
    const again = await declare(baseConfig(), { now: "20250725000000", previous });
    assert.equal(again.error, undefined, again.error?.message);
  });
});
