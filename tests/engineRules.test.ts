/**
 * The rules of the real engine, providers and API server that the mock runtime does not
 * enforce, each pinned with the upstream path and version it was read from. A mock run passes
 * whatever these say; a real `pulumi preview` does not. Versions: pulumi v3.248.0 (the SDK
 * this project pins; the CLI's config merge is unchanged at v3.260.0, where it moved to
 * pkg/workspace/config.go), pulumi-kubernetes master 94977969 (after 4.32.0), Kubernetes
 * master, terraform-provider-aws main (the bridge under @pulumi/aws 7.48.0). Here: the
 * engine's config merge, replacement, await, wire format and self StackReference; the API
 * server's and providers' limits are in engineRulesProviders.test.ts, the guard's reads in
 * engineRulesGuard.test.ts, External Secrets delivery in engineRulesDelivery.test.ts.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { ConfigError } from "../config/errors";
import { kubernetesCopyOptions } from "../components/secrets/kubernetesCopy";
import {
  ROLLOUT_TIMEOUT_GRACE_SECONDS,
  deploymentTimeouts,
} from "../components/workloads/workload";
import { readStackFile, selfStackReference } from "../offline";
import {
  TYPES,
  baseConfig,
  declare,
  declareOk,
  diffStates,
  ofType,
  runHistory,
  secretOf,
} from "./helpers";

const root = path.resolve(__dirname, "..");
const project = YAML.parse(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as {
  config: Record<string, { default?: unknown }>;
};
const committedStacks = fs
  .readdirSync(root)
  .filter((f) => /^Pulumi\.[^.]+\.yaml$/.test(f))
  .map((f) => f.slice("Pulumi.".length, -".yaml".length));

/**
 * pulumi sdk/go/common/workspace/config.go (v3.248.0) mergeConfig: a declared key of the
 * project's namespace with neither `value` nor `default` and no stack value is missing, and
 * the update fails ("Stack '...' is missing configuration value ..."); a declared default is
 * set into the stack config when the stack has no value.
 */
function mergeConfig(stackKeys: readonly string[]): { missing: string[]; injected: string[] } {
  const missing: string[] = [];
  const injected: string[] = [];
  for (const [key, declared] of Object.entries(project.config)) {
    if (stackKeys.includes(key)) continue;
    if (declared.default === undefined) missing.push(key);
    else injected.push(key);
  }
  return { missing, injected };
}

describe("engine rules: config merge (pulumi workspace/config.go mergeConfig)", () => {
  for (const stack of committedStacks) {
    it(`Pulumi.${stack}.yaml misses no declared key, so preview and up can start`, () => {
      const { missing } = mergeConfig(Object.keys(readStackFile(stack).config));
      assert.deepEqual(missing, [], `the engine would refuse stack ${stack}`);
    });
  }

  it("the defaults the engine injects change nothing the program declares", async () => {
    const config = baseConfig();
    delete config.retentionDays;
    const injected = { ...config };
    for (const key of mergeConfig([]).injected) {
      injected[key.slice("secret-rotation:".length)] = project.config[key].default;
    }
    const diff = diffStates(await declareOk(config), await declareOk(injected));
    assert.deepEqual(diff, { added: [], removed: [], changed: [] });
  });
});

describe("engine rules: replacement (pulumi step_generator.go, pulumi-kubernetes diff.go)", () => {
  it("a versioned Kubernetes Secret leaves deleteBeforeReplace to the provider; dev asks for it", () => {
    // step_generator.go: an explicit resource option, even false, overrides the provider's
    // DeleteBeforeReplace; runtime/resource.ts sends it whenever it is not undefined.
    assert.deepEqual(kubernetesCopyOptions(true), {});
    assert.ok(!("deleteBeforeReplace" in kubernetesCopyOptions(true)));
    assert.deepEqual(kubernetesCopyOptions(false), { deleteBeforeReplace: true });
  });

  it("an edited version is refused in preview, before either store changes (secret_string is ForceNew)", async () => {
    const edited = baseConfig();
    secretOf(edited).versions["20250723110000"].api_token = "token-v3-edited";
    const [, second] = await runHistory([
      { config: baseConfig(), now: "20250724000000" },
      { config: edited, now: "20250725000000" },
    ]);
    assert.ok(second.error instanceof ConfigError, second.error?.message);
    assert.match(
      second.error.message,
      /secret-rotation:secrets.auth-api-secrets.versions.20250723110000: the values of version 20250723110000 differ from what the last update stored/,
    );
    assert.ok(!second.error.message.includes("token-v3"), "no value in the error");
    assert.deepEqual(
      [...new Set(second.resources.map((r) => r.type))],
      [TYPES.stackReference],
      "nothing but the preflight's StackReference is declared",
    );
  });

  it("adding a generated key to existing versions is an edit too, and is refused", async () => {
    const more = baseConfig();
    secretOf(more).generate = { signing_key: { length: 32 } };
    const [, second] = await runHistory([
      { config: baseConfig(), now: "20250724000000" },
      { config: more, now: "20250725000000" },
    ]);
    assert.match(second.error?.message ?? "", /differ from what the last update stored/);
  });

  it("an unchanged version passes, and the digests are secret outputs, stable across updates", async () => {
    const [first, second] = await runHistory([
      { config: baseConfig(), now: "20250724000000" },
      { config: baseConfig(), now: "20250725000000" },
    ]);
    assert.equal(second.error, undefined, second.error?.message);
    assert.deepEqual(second.outputs.versionFingerprints, first.outputs.versionFingerprints);
    const digests = (second.outputs.versionFingerprints as any)["auth-api-secrets"];
    assert.deepEqual(Object.keys(digests), ["20250701090000", "20250715100000", "20250723110000"]);
    assert.ok(Object.values(digests).every((d) => /^sha256:[0-9a-f]{64}$/.test(String(d))));
  });
});

describe("engine rules: await (pulumi-kubernetes await/deployment.go)", () => {
  it("a Deployment's timeout is its progress deadline plus a minute, under the provider's 10-minute default", () => {
    // deployment.go: ProgressDeadlineExceeded is only logged; the awaiter fails at its timeout,
    // which customTimeouts set (metadata/overrides.go TimeoutDuration).
    assert.deepEqual(deploymentTimeouts({ progressDeadlineSeconds: 120 }), {
      create: `${120 + ROLLOUT_TIMEOUT_GRACE_SECONDS}s`,
      update: `${120 + ROLLOUT_TIMEOUT_GRACE_SECONDS}s`,
    });
    assert.equal(ROLLOUT_TIMEOUT_GRACE_SECONDS, 60);
  });

  it("no Deployment skips the awaiter (pulumi.com/skipAwait would hide a crashing rollout)", async () => {
    const run = await declareOk(baseConfig());
    for (const d of ofType(run, TYPES.deployment)) {
      const annotations = (d.inputs.metadata as any).annotations ?? {};
      assert.ok(!("pulumi.com/skipAwait" in annotations));
    }
  });
});

describe("engine rules: the SDK's wire format (pulumi sdk/nodejs/runtime/rpc.ts serializeAllKeys)", () => {
  it("drops an object key named __proto__, so such a key is refused in config", async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the SDK's own serializer
    const rpc = require("@pulumi/pulumi/runtime/rpc") as {
      serializeProperty: (
        ctx: string,
        prop: unknown,
        deps: Set<unknown>,
        opts: object,
      ) => Promise<unknown>;
    };
    const sent = (await rpc.serializeProperty(
      "data",
      JSON.parse('{"__proto__":"a","toString":"b","constructor":"c"}'),
      new Set(),
      {},
    )) as Record<string, unknown>;
    assert.deepEqual(Object.keys(sent).sort(), ["constructor", "toString"]);
    const config = baseConfig();
    secretOf(config).versions["20250723110000"] = JSON.parse('{"api_token":"x","__proto__":"y"}');
    const run = await declare(config);
    assert.match(run.error?.message ?? "", /cannot be named __proto__/);
  });
});

describe("engine rules: memory through a StackReference to the stack itself (pulumi builtins.go)", () => {
  it("reads the running stack by its fully qualified name, which a DIY backend parses with organization 'organization'", async () => {
    // pkg/backend/diy/store.go projectReferenceStore.ParseReference accepts
    // <org>/<project>/<stack> only with org "organization"; Pulumi Cloud takes the real org.
    const run = await declareOk(baseConfig(), { stack: "staging" });
    const names = ofType(run, TYPES.stackReference).map((r) => r.inputs.name);
    assert.deepEqual(names, [selfStackReference("staging")]);
    assert.equal(selfStackReference("staging"), "organization/secret-rotation/staging");
  });

  it("on a stack's first update the reference exports nothing: no memory, today's rules", async () => {
    // pkg/backend/diy/state.go getSnapshotStackOutputs: no checkpoint, empty outputs.
    const run = await declareOk(baseConfig(), { previous: {} });
    assert.equal(
      (run.outputs.secrets as any)["auth-api-secrets"].previousVersion,
      "20250715100000",
    );
  });
});
