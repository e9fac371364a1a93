/**
 * The stored format (plan/lifecycle/stored.ts): one zod schema types what the outputs write,
 * and the same schema reads them back as the next update's memory, as staging's `secrets` for
 * the promotion gate, and from the offline plan's outputs files.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { type SecretMemory, readMemory } from "../plan/lifecycle/memory";
import { secretsOutput, workloadsOutput } from "../plan/lifecycle/outputs";
import { type SecretPlanInput, planSecret } from "../plan/lifecycle/plan";
import {
  readFingerprints,
  storedFingerprints,
  storedSecret,
  storedWorkload,
} from "../plan/lifecycle/stored";
import { planWorkload } from "../plan/lifecycle/workloadPlan";
import { readStagingSecrets } from "../plan/promotion/gate";
import { loadOutputsFile } from "../scripts/plan";

const NOW = new Date("2025-09-01T00:00:00Z");

/** A null-prototype map as a plain object, to compare. */
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

/** A secret with a history: an expired, a referenced, a retained, an active and a canary version. */
function plans() {
  const base: SecretPlanInput = {
    name: "api",
    environment: "production",
    versioned: true,
    active: "20250801000000",
    versions: ["20250101000000", "20250201000000", "20250601000000", "20250801000000"],
    canary: { version: "20250820000000", percent: 25 },
    keys: ["token", "password"],
    retentionDays: 30,
    now: NOW,
    delivery: "externalSecrets",
    held: { "20250201000000": ["Deployment x/y"] },
    memory: {
      activeVersion: "20250601000000",
      versions: {
        "20250101000000": { activatedAt: "2025-01-01T00:00:00.000Z", delivery: "direct" },
        "20250201000000": { supersededAt: "2025-02-02T00:00:00.000Z", delivery: "direct" },
        "20250601000000": {
          activatedAt: "2025-06-01T00:00:00.000Z",
          firstActivatedAt: "2025-06-01T00:00:00.000Z",
          delivery: "direct",
        },
        "20250501000000": { prunedAt: "2025-05-20T00:00:00.000Z" },
      },
    },
  };
  return [
    planSecret({ ...base, versions: [...base.versions, "20250820000000"] }),
    planSecret({ ...base, name: "constructor", canary: undefined, held: undefined }),
  ];
}

describe("stored format: one schema writes and reads the outputs", () => {
  it("describes exactly what the outputs write (secrets, workloads, fingerprints)", () => {
    const secretPlans = plans();
    const written = JSON.parse(JSON.stringify(secretsOutput(secretPlans))) as Record<
      string,
      unknown
    >;
    for (const [name, secret] of Object.entries(written)) {
      assert.deepEqual(storedSecret.parse(secret), secret, name);
    }
    const states = new Set(secretPlans.flatMap((p) => p.versions.map((v) => v.state as string)));
    for (const state of ["expired", "referenced", "pruned", "canary", "active"]) {
      assert.ok(states.has(state), `the example covers ${state}`);
    }
    const workloads = workloadsOutput([
      planWorkload({ name: "web", kind: "Deployment", secrets: ["api"], replicas: 4 }, secretPlans),
      planWorkload({ name: "job", kind: "CronJob", secrets: ["api", "constructor"] }, secretPlans),
      planWorkload(
        { name: "db", kind: "StatefulSet", owner: "external", namespace: "data", secrets: ["api"] },
        secretPlans,
      ),
    ]);
    const workloadsJson = JSON.parse(JSON.stringify(workloads)) as Record<string, unknown>;
    assert.ok((workloads.web.canary?.replicas ?? 0) > 0, "the example covers a canary");
    for (const name of ["web", "job", "db"]) {
      assert.deepEqual(storedWorkload.parse(workloadsJson[name]), workloadsJson[name], name);
    }
    const digests = { api: { "20250801000000": "sha256:abc" } };
    assert.deepEqual(storedFingerprints.parse(digests), digests);
    assert.deepEqual(plain(readFingerprints(digests)), digests);
  });

  it("reads back, as the next update's memory, exactly the history the plan wrote", () => {
    const secretPlans = plans();
    const memory = readMemory(JSON.parse(JSON.stringify(secretsOutput(secretPlans))));
    assert.ok(memory);
    for (const plan of secretPlans) {
      const remembered: SecretMemory = memory[plan.name];
      assert.equal(remembered.activeVersion, plan.activeVersion);
      assert.equal(remembered.canaryVersion, plan.canary?.version);
      assert.deepEqual(
        Object.keys(remembered.versions),
        plan.versions.map((v) => v.version),
      );
      for (const v of plan.versions) {
        const written = {
          ...(v.activatedAt && { activatedAt: v.activatedAt }),
          ...(v.firstActivatedAt && { firstActivatedAt: v.firstActivatedAt }),
          ...(v.supersededAt && { supersededAt: v.supersededAt }),
          ...(v.prunedAt && { prunedAt: v.prunedAt }),
          delivery: v.delivery,
        };
        assert.deepEqual({ ...remembered.versions[v.version] }, written, v.version);
      }
    }
    // A secret named `constructor` is an ordinary entry, not Object's own.
    assert.equal(memory["constructor" as string].activeVersion, "20250801000000");
  });

  it("reads back, as staging's for the promotion gate, the versions, keys and activations", () => {
    const secretPlans = plans();
    const read = readStagingSecrets(JSON.parse(JSON.stringify(secretsOutput(secretPlans))));
    assert.ok("secrets" in read);
    const api = read.secrets.api;
    assert.equal(api.activeVersion, "20250801000000");
    assert.equal(api.canaryVersion, "20250820000000");
    assert.deepEqual(
      api.versions,
      secretPlans[0].versions.map((v) => v.version),
    );
    assert.deepEqual(api.keys, ["password", "token"]);
    assert.equal(api.firstActivatedAt["20250601000000"], "2025-06-01T00:00:00.000Z");
    assert.equal(api.firstActivatedAt["20250801000000"], NOW.toISOString());
  });

  it("skips what it cannot read, field by field, and never guesses", () => {
    const memory = readMemory({
      api: {
        activeVersion: 7,
        canary: { version: "20250201000000" },
        versions: [
          null,
          "20250101000000",
          { state: "active" },
          {
            version: "20250101000000",
            state: "expired",
            activatedAt: "not a time",
            delivery: "carrier pigeon",
          },
          { version: "20250201000000", state: "canary", supersededAt: "2025-03-01" },
        ],
      },
      broken: "not a secret",
    });
    assert.ok(memory);
    assert.deepEqual(Object.keys(memory), ["api"]);
    assert.equal(memory.api.activeVersion, undefined);
    assert.equal(memory.api.canaryVersion, "20250201000000");
    // `expired` without a date: pruned by an update of an older release, at the epoch.
    assert.deepEqual(
      { ...memory.api.versions["20250101000000"] },
      {
        prunedAt: new Date(0).toISOString(),
      },
    );
    assert.deepEqual(
      { ...memory.api.versions["20250201000000"] },
      {
        supersededAt: "2025-03-01",
      },
    );
    assert.equal(readMemory("not a map"), undefined);
    assert.deepEqual(plain(readFingerprints({ api: { v1: 3, v2: "d" }, x: "y" })), {
      api: { v2: "d" },
    });
  });

  it("keeps a secret named __proto__ (zod's z.record would drop it)", () => {
    const value: unknown = JSON.parse(
      '{"__proto__":{"activeVersion":"20250101000000","versions":[{"version":"20250101000000","state":"active"}]}}',
    );
    const memory = readMemory(value);
    assert.ok(memory && Object.hasOwn(memory, "__proto__"));
    const staging = readStagingSecrets(value);
    assert.ok("secrets" in staging && Object.hasOwn(staging.secrets, "__proto__"));
  });

  it("refuses a malformed staging output with today's messages", () => {
    assert.deepEqual(readStagingSecrets(undefined), {
      problem: "it has no `secrets` output (has it run pulumi up with secret-rotation?)",
    });
    assert.deepEqual(readStagingSecrets([]), {
      problem: "its `secrets` output is not a map of secret name to secret",
    });
    for (const api of [
      "x",
      { activeVersion: "20250101000000" },
      { activeVersion: "20250101000000", versions: [{ version: 1 }] },
      { activeVersion: "20250101000000", versions: [null] },
      { versions: [] },
    ]) {
      assert.deepEqual(
        readStagingSecrets({ api }),
        { problem: "its `secrets.api` output lacks activeVersion or versions" },
        JSON.stringify(api),
      );
    }
  });

  it("finds the outputs in an outputs file, and names the file that has none", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stored-"));
    const outputs = { secrets: {}, environment: "production" };
    const plain = path.join(dir, "plain.json");
    fs.writeFileSync(plain, JSON.stringify(outputs));
    assert.deepEqual(loadOutputsFile("--previous-outputs", plain).outputs, outputs);
    const wrapped = path.join(dir, "plan.json");
    fs.writeFileSync(wrapped, JSON.stringify({ stack: "production", outputs }));
    assert.deepEqual(loadOutputsFile("--previous-outputs", wrapped).outputs, outputs);
    const none = path.join(dir, "none.json");
    fs.writeFileSync(none, JSON.stringify({ outputs: { secrets: [] } }));
    assert.throws(() => loadOutputsFile("--staging-outputs", none), {
      message: `--staging-outputs ${none}: no "secrets" output; write it with: pulumi stack output --json --stack <stack> > ${none} (or this plan's --json)`,
    });
    fs.rmSync(dir, { recursive: true });
  });
});
