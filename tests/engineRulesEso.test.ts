/**
 * The engine, provider and operator rules behind the External Secrets delivery's copies, which
 * the mock runtime does not enforce, each pinned with the upstream path and version it was
 * read from: pulumi v3.248.0, pulumi-kubernetes master 94977969 (after 4.32.0), ESO v2.9.0,
 * controller-runtime v0.24.1 (ESO's), Kubernetes master 02830ed2. The model of what `pulumi up`
 * does with them is fakes/copyLifecycle.ts; the program's options come from
 * components/secrets/versionCopy.ts copyOptions.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { COPY_RESOURCES, copyOptions } from "../components/secrets/versionCopy";
import { servedSchema } from "./esoSchema";
import { changedPaths, copiesOf, optionsBefore, upAll } from "../fakes/copyLifecycle";
import { type TestConfig, baseConfig, runHistory, secretOf } from "./helpers";

const root = path.resolve(__dirname, "..");

function eso(): TestConfig {
  return {
    ...baseConfig(),
    delivery: "externalSecrets",
    externalSecrets: { storeRef: { name: "aws-secrets-manager", kind: "ClusterSecretStore" } },
  };
}

/** A dev history: one config per update, an hour apart. */
function devHistory(...configs: TestConfig[]) {
  return runHistory(
    configs.map((config, i) => ({ config, now: `2025072400${String(i).padStart(2, "0")}00` })),
    { stack: "dev" },
  );
}

/** The same config with another value for the active version. */
function newValue(config: TestConfig): TestConfig {
  secretOf(config).versions["20250723110000"] = { api_token: "token-v3-rotated" };
  return config;
}

describe("engine rules: a create whose name is taken fails (pulumi-kubernetes await.go Creation, 4.29.0)", () => {
  it("the pinned provider creates client-side: 4.29.0 or later (CHANGELOG.md #2926)", () => {
    // Before 4.29.0 a create under server-side apply upserted; since then client.Create returns
    // AlreadyExists unless the provider sets upsertExistingObjects (default false).
    const manifest = path.join(root, "node_modules", "@pulumi", "kubernetes", "package.json");
    const { version } = JSON.parse(fs.readFileSync(manifest, "utf8")) as { version: string };
    const [major, minor] = version.split(".").map(Number);
    assert.ok(major > 4 || (major === 4 && minor >= 29), `@pulumi/kubernetes ${version}`);
  });

  it("dev going from externalSecrets to direct as two resources fails: ESO's Secret is still there", async () => {
    // The engine creates the new `-k8s` Secret before it deletes the `-eso` ExternalSecret it
    // no longer sees (step_generator.go), and ESO's Secret of the same name goes only with it.
    const runs = await devHistory(eso(), baseConfig());
    const before = upAll(runs, {}, optionsBefore);
    assert.match(
      before.results[1].error ?? "",
      /Secret "auth-api-secrets" already exists \(creating auth-api-secrets-k8s\)/,
    );
    const now = upAll(runs);
    assert.equal(now.results[1].error, undefined);
  });

  it("dev going from direct to externalSecrets as two resources ends without the Secret", async () => {
    // ESO takes over the Secret the program wrote (applyOwnership: no other controller), then
    // the engine deletes that Secret as the old `-k8s` resource; ESO writes it again only later.
    const runs = await devHistory(baseConfig(), eso());
    const before = upAll(runs, {}, optionsBefore);
    assert.equal(before.results[1].error, undefined);
    assert.equal(before.cluster.get("Secret", "auth-api-secrets"), undefined);
    const now = upAll(runs);
    assert.equal(now.cluster.get("Secret", "auth-api-secrets")?.controller, "auth-api-secrets");
  });
});

describe("engine rules: a dev copy that changes delivery is one resource (pulumi v3.248.0 step_generator.go getOldResource, applyReplaceOnChanges)", () => {
  it("each dev copy aliases the resource the other delivery declares (type and name)", async () => {
    const runs = await devHistory(eso(), baseConfig(), eso());
    const [esoCopy, direct, esoAgain] = runs.map((run) => {
      const copies = copiesOf(run);
      assert.equal(copies.length, 1);
      return copies[0];
    });
    assert.deepEqual(direct.options.aliases, [{ type: esoCopy.type, name: esoCopy.name }]);
    assert.deepEqual(esoAgain.options.aliases, [{ type: direct.type, name: direct.name }]);
    assert.deepEqual(
      [direct.type, esoCopy.type],
      [COPY_RESOURCES.direct.type, COPY_RESOURCES.externalSecrets.type],
    );
  });

  it("a changed type alone is an in-place update (lifecycletest/alias_test.go TestAliases); the kind is a replaceOnChanges path", async () => {
    const runs = await devHistory(eso(), baseConfig());
    const [before, after] = runs.map((run) => copiesOf(run)[0]);
    // With enableSecretMutable the provider asks for no replacement (diff.go forceNewProperties).
    const aliasOnly = (...args: Parameters<typeof copyOptions>) => {
      const { aliases, deleteBeforeReplace } = copyOptions(...args);
      return { aliases, deleteBeforeReplace };
    };
    const updated = upAll(runs, { enableSecretMutable: true }, aliasOnly);
    assert.match(updated.results[1].error ?? "", /update of auth-api-secrets-k8s changes its kind/);
    assert.ok(changedPaths(before.inputs, after.inputs).includes("kind"));
    assert.deepEqual(after.options.replaceOnChanges, ["kind"]);
    const replaced = upAll(runs, { enableSecretMutable: true });
    assert.equal(replaced.results[1].error, undefined);
    // Only the kind: a new value still updates the dev Secret in place under enableSecretMutable.
    const values = await devHistory(baseConfig(), newValue(baseConfig()));
    assert.deepEqual(upAll(values, { enableSecretMutable: true }).results[1].steps, [
      "update auth-api-secrets-k8s",
    ]);
    assert.deepEqual(upAll(values).results[1].steps, [
      "delete auth-api-secrets-k8s",
      "create auth-api-secrets-k8s",
    ]);
  });

  it("delete before create: ESO's Secret is gone before the direct one is created (await.go Deletion, foreground; garbagecollector.go processDeletingDependentsItem)", async () => {
    // ESO's owner reference blocks owner deletion (controller-runtime v0.24.1
    // controllerutil.SetControllerReference), so the ExternalSecret's Deleted event comes after
    // its Secret's; with deletionPolicy Retain ESO's finalizer deletes nothing itself
    // (externalsecret_controller.go cleanupManagedSecrets).
    const runs = await devHistory(eso(), baseConfig());
    const { results, cluster } = upAll(runs);
    assert.deepEqual(results[1].steps, [
      "delete auth-api-secrets-eso",
      "create auth-api-secrets-k8s",
    ]);
    assert.equal(cluster.get("ExternalSecret", "auth-api-secrets"), undefined);
    assert.equal(cluster.get("Secret", "auth-api-secrets")?.controller, undefined);
  });

  it("versioned copies take no option: each version keeps its delivery and its own name", async () => {
    for (const delivery of ["direct", "externalSecrets"] as const) {
      assert.deepEqual(copyOptions(delivery, "auth-api-secrets-20250723110000", true), {});
    }
    const rotated = eso();
    secretOf(rotated).versions["20250725110000"] = { api_token: "token-v4" };
    secretOf(rotated).active = "20250725110000";
    const runs = await runHistory([
      { config: baseConfig(), now: "20250724000000" },
      { config: rotated, now: "20250725120000" },
    ]);
    const { results, cluster } = upAll(runs);
    assert.equal(results[1].error, undefined);
    assert.deepEqual([...results[1].steps].sort(), [
      "create auth-api-secrets-20250725110000-eso",
      "same auth-api-secrets-20250701090000-k8s",
      "same auth-api-secrets-20250715100000-k8s",
      "same auth-api-secrets-20250723110000-k8s",
    ]);
    assert.equal(
      cluster.get("Secret", "auth-api-secrets-20250725110000")?.controller,
      "auth-api-secrets-20250725110000",
    );
  });
});

/**
 * pulumi-kubernetes await/condition/kubectl.go checkCondition (vendored from kubectl wait): the
 * condition's status decides, unless an observedGeneration (on the condition, else on the
 * status) is below metadata.generation.
 */
function conditionMet(object: any, type: string): boolean {
  const condition = object.status?.conditions?.find(
    (c: any) => String(c.type).toLowerCase() === type.toLowerCase(),
  );
  if (!condition) return false;
  const observed = condition.observedGeneration ?? object.status?.observedGeneration;
  if (object.metadata?.generation !== undefined && observed !== undefined) {
    if (observed < object.metadata.generation) return false;
  }
  return String(condition.status).toLowerCase() === "true";
}

/** Every property name declared anywhere under a schema node. */
function propertyNames(schema: any): string[] {
  if (typeof schema !== "object" || schema === null) return [];
  const own = Object.keys(schema.properties ?? {});
  return [
    ...own,
    ...Object.values(schema.properties ?? {}).flatMap(propertyNames),
    ...propertyNames(schema.items),
  ];
}

describe("engine rules: Ready after an update (pulumi-kubernetes await/condition/kubectl.go checkCondition; ESO v2.9.0 externalsecret_types.go)", () => {
  it("ESO's status records no observedGeneration: refreshTime, syncedResourceVersion, conditions, binding", () => {
    const status = (servedSchema("external-secrets.io/v1", "ExternalSecret") as any).properties
      .status;
    assert.deepEqual(Object.keys(status.properties).sort(), [
      "binding",
      "conditions",
      "refreshTime",
      "syncedResourceVersion",
    ]);
    assert.ok(!propertyNames(status).includes("observedGeneration"));
  });

  it("so an ExternalSecret updated in place meets condition=Ready with its previous sync", () => {
    const afterUpdate = {
      metadata: { generation: 2 },
      status: { conditions: [{ type: "Ready", status: "True", reason: "SecretSynced" }] },
    };
    assert.equal(conditionMet(afterUpdate, "Ready"), true, "ESO's status: stale Ready counts");
    const withGeneration = {
      ...afterUpdate,
      status: { ...afterUpdate.status, observedGeneration: 1 },
    };
    assert.equal(
      conditionMet(withGeneration, "Ready"),
      false,
      "what an observedGeneration would do",
    );
  });

  it("the dev ExternalSecret is replaced, not updated, so the rollout reads the new value", async () => {
    const runs = await devHistory(eso(), newValue(eso()));
    const fresh = copiesOf(runs[1])[0];

    const inPlace = upAll(runs, {}, optionsBefore);
    assert.deepEqual(inPlace.results[1].staleReady, ["auth-api-secrets-eso"]);
    assert.notEqual(inPlace.results[1].readyContent.get("auth-api-secrets"), fresh.content);

    const replaced = upAll(runs);
    assert.deepEqual(replaced.results[1].steps, [
      "delete auth-api-secrets-eso",
      "create auth-api-secrets-eso",
    ]);
    assert.deepEqual(replaced.results[1].staleReady, []);
    assert.equal(replaced.results[1].readyContent.get("auth-api-secrets"), fresh.content);
    assert.deepEqual(fresh.options.replaceOnChanges, ["*"]);
  });
});
