/**
 * Delivery through the External Secrets Operator: changing the delivery mode (direct and
 * externalSecrets share no name), and dev delivered by ESO.
 */
import { strict as assert } from "assert";
import { upAll } from "../fakes/copyLifecycle";
import {
  TestConfig,
  assertRefusedByMemory,
  baseConfig,
  declareOk,
  find,
  inputsOf,
  kubeSecretValues,
  ofType,
  runHistory,
  secretOf,
  versionReport,
} from "./helpers";
import {
  ES,
  KUBE_SECRET,
  esoConfig,
  externalSecrets,
  envFromNames,
  assertValidEso,
} from "./externalSecretsHelpers";

describe("changing the delivery mode", () => {
  const direct = (): TestConfig => baseConfig();
  const rotated = (config: TestConfig): TestConfig => {
    secretOf(config).versions["20250725110000"] = { api_token: "token-v4" };
    secretOf(config).active = "20250725110000";
    return config;
  };

  it("keeps every live version's delivery and delivers new versions the new way", async () => {
    const [, run] = await runHistory([
      { config: direct(), now: "20250724000000" },
      { config: rotated(esoConfig()), now: "20250725120000" },
    ]);
    assert.deepEqual(
      ofType(run, KUBE_SECRET)
        .map((r) => inputsOf(r).metadata.name)
        .sort(),
      [
        "auth-api-secrets-20250701090000",
        "auth-api-secrets-20250715100000",
        "auth-api-secrets-20250723110000",
      ],
      "the Secrets of existing versions stay where workloads may read them",
    );
    assert.deepEqual(Object.keys(externalSecrets(run)), ["auth-api-secrets-20250725110000"]);
    assert.equal(versionReport(run, "20250723110000").delivery, "direct");
    assert.equal(versionReport(run, "20250725110000").delivery, "externalSecrets");
    assert.ok(
      run.logs.some((l) =>
        l.includes(
          "20250701090000, 20250715100000, 20250723110000 keep direct delivery (a version keeps the delivery it was created with); new versions use externalSecrets",
        ),
      ),
      run.logs.join("\n"),
    );
  });

  it("reads memory written before delivery modes as direct", async () => {
    const first = await declareOk(direct(), { now: "20250724000000" });
    const secrets = JSON.parse(JSON.stringify(first.outputs.secrets));
    for (const v of secrets["auth-api-secrets"].versions) delete v.delivery;
    const run = await declareOk(esoConfig(), {
      now: "20250724010000",
      previous: { ...first.outputs, secrets },
    });
    assert.equal(ofType(run, KUBE_SECRET).length, 3);
    assert.equal(ofType(run, ES).length, 0);
  });

  it("refuses going back to direct without the store while ESO versions are live", async () => {
    const [, run] = await runHistory([
      { config: esoConfig(), now: "20250724000000" },
      { config: rotated(direct()), now: "20250725120000" },
    ]);
    assertRefusedByMemory(
      run,
      "externalSecrets.storeRef",
      "auth-api-secrets 20250701090000, auth-api-secrets 20250715100000, auth-api-secrets 20250723110000 are delivered by externalSecrets",
      "until it is pruned",
    );
  });

  it("goes back to direct for new versions while the store stays configured", async () => {
    const config = rotated(esoConfig());
    config.delivery = "direct";
    const [, run] = await runHistory([
      { config: esoConfig(), now: "20250724000000" },
      { config, now: "20250725120000" },
    ]);
    assert.equal(ofType(run, ES).length, 3);
    assert.deepEqual(
      ofType(run, KUBE_SECRET).map((r) => inputsOf(r).metadata.name),
      ["auth-api-secrets-20250725110000"],
    );
  });

  it("lets one secret differ from the stack's mode", async () => {
    const config = baseConfig();
    config.externalSecrets = { storeRef: { name: "team-store", kind: "SecretStore" } };
    (config.secrets as any)["db-credentials"] = {
      active: "20250723110000",
      delivery: "externalSecrets",
      versions: { "20250723110000": { password: "p" } },
    };
    const run = await declareOk(config);
    assert.deepEqual(Object.keys(externalSecrets(run)), ["db-credentials-20250723110000"]);
    assert.equal(
      externalSecrets(run)["db-credentials-20250723110000"].spec.secretStoreRef.kind,
      "SecretStore",
    );
    assert.equal(ofType(run, KUBE_SECRET).length, 3);
    assertValidEso(run);
  });
});

describe("changing the delivery mode of a versioned stack shares no name", () => {
  const rotatedTo = (config: TestConfig, version: string): TestConfig => {
    secretOf(config).versions[version] = { api_token: `token-${version}` };
    secretOf(config).active = version;
    return config;
  };

  for (const [from, to] of [
    ["direct", "externalSecrets"],
    ["externalSecrets", "direct"],
  ] as const) {
    it(`${from} to ${to}: only the new version gets the new copy; every existing copy stays as it is`, async () => {
      const make = (mode: string) => (mode === "direct" ? baseConfig() : esoConfig());
      const next = rotatedTo(make(to), "20250725110000");
      // Going back to direct keeps the store configured while ESO versions are live.
      if (to === "direct") next.externalSecrets = esoConfig().externalSecrets;
      const runs = await runHistory([
        { config: make(from), now: "20250724000000" },
        { config: next, now: "20250725120000" },
      ]);
      const { results, cluster } = upAll(runs);
      assert.equal(results[1].error, undefined);
      const suffix = (mode: string) => (mode === "direct" ? "k8s" : "eso");
      assert.deepEqual([...results[1].steps].sort(), [
        `create auth-api-secrets-20250725110000-${suffix(to)}`,
        `same auth-api-secrets-20250701090000-${suffix(from)}`,
        `same auth-api-secrets-20250715100000-${suffix(from)}`,
        `same auth-api-secrets-20250723110000-${suffix(from)}`,
      ]);
      const secrets = [...cluster.objects.values()].filter((o) => o.kind === "Secret");
      assert.equal(secrets.length, 4, "one Secret per version, none taken over");
    });
  }
});

describe("dev through External Secrets", () => {
  const devRuns = (...configs: TestConfig[]) =>
    runHistory(
      configs.map((config, i) => ({ config, now: `2025072400${String(i).padStart(2, "0")}00` })),
      { stack: "dev" },
    );
  const rotated = (config: TestConfig): TestConfig => {
    secretOf(config).active = "20250715100000";
    return config;
  };

  it("keeps one ExternalSecret pinned to the AWS value, replaced whenever that value changes", async () => {
    const before = await declareOk(esoConfig(), { stack: "dev" });
    const es = externalSecrets(before)["auth-api-secrets"];
    assert.equal(es.spec.refreshPolicy, "OnChange");
    assert.equal(es.spec.target.immutable, false);
    assert.equal(es.spec.dataFrom[0].extract.key, "dev/auth-api-secrets");
    // ESO reads `uuid/<id>` as a VersionId whatever the id's shape (ESO v2.9.0
    // providers/v1/aws/secretsmanager/secretsmanager.go); the provider's ids are `terraform-...`.
    assert.match(es.spec.dataFrom[0].extract.version, /^uuid\/terraform-\d{18}[0-9a-f]{8}$/);
    assertValidEso(before);

    const after = await declareOk(rotated(esoConfig()), { stack: "dev" });
    const changed = externalSecrets(after)["auth-api-secrets"];
    assert.notEqual(
      changed.spec.dataFrom[0].extract.version,
      es.spec.dataFrom[0].extract.version,
      "a new value is a new AWS version id, so the spec changes",
    );
    assert.deepEqual(
      ofType(after, ES).map((r) => r.name),
      ofType(before, ES).map((r) => r.name),
      "one resource under the same name",
    );
  });

  it("rolls a new value out only once ESO has synced it: the ExternalSecret is deleted, then created", async () => {
    const runs = await devRuns(esoConfig(), rotated(esoConfig()));
    const { results, cluster } = upAll(runs);
    assert.deepEqual(results[1].steps, [
      "delete auth-api-secrets-eso",
      "create auth-api-secrets-eso",
    ]);
    const extract = externalSecrets(runs[1])["auth-api-secrets"].spec.dataFrom[0].extract;
    const synced = `aws ${extract.key} ${extract.version}`;
    assert.equal(results[1].readyContent.get("auth-api-secrets"), synced);
    assert.equal(cluster.get("Secret", "auth-api-secrets")?.content, synced);
    assert.deepEqual(envFromNames(runs[1]), ["auth-api-secrets"]);
  });

  it("goes back to direct in one update: the ExternalSecret and its Secret go first", async () => {
    const direct = baseConfig();
    const runs = await devRuns(esoConfig(), direct);
    assert.equal(runs[1].error, undefined, "no store needed for the copy it deletes");
    const { results, cluster } = upAll(runs);
    assert.equal(results[1].error, undefined);
    assert.deepEqual(results[1].steps, [
      "delete auth-api-secrets-eso",
      "create auth-api-secrets-k8s",
    ]);
    assert.equal(cluster.get("ExternalSecret", "auth-api-secrets"), undefined);
    const secret = cluster.get("Secret", "auth-api-secrets");
    assert.equal(secret?.controller, undefined, "the program's own Secret, not ESO's");
    assert.deepEqual(kubeSecretValues(find(runs[1], KUBE_SECRET, "auth-api-secrets-k8s")), {
      api_token: "token-v3",
    });
    assert.deepEqual(envFromNames(runs[1]), ["auth-api-secrets"]);
  });

  it("moves to externalSecrets in one update: the direct Secret goes first, then ESO writes its own", async () => {
    const runs = await devRuns(baseConfig(), esoConfig());
    const { results, cluster } = upAll(runs);
    assert.deepEqual(results[1].steps, [
      "delete auth-api-secrets-k8s",
      "create auth-api-secrets-eso",
    ]);
    assert.equal(cluster.get("Secret", "auth-api-secrets")?.controller, "auth-api-secrets");
    assert.equal(cluster.pendingSyncs.size, 0, "nothing left for ESO to rewrite after the update");
  });

  it("switches and rotates in the same update, and switches back", async () => {
    const runs = await devRuns(baseConfig(), rotated(esoConfig()), baseConfig());
    const { results } = upAll(runs);
    assert.deepEqual(
      results.map((r) => r.error),
      [undefined, undefined, undefined],
    );
    assert.deepEqual(results[2].steps, [
      "delete auth-api-secrets-eso",
      "create auth-api-secrets-k8s",
    ]);
  });
});
