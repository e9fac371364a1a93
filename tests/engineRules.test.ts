/**
 * The rules of the real engine, providers and API server that the mock runtime does not
 * enforce, each pinned with the upstream path and version it was read from. A mock run passes
 * whatever these say; a real `pulumi preview` does not. Versions: pulumi v3.248.0 (the SDK
 * this project pins; the CLI's config merge is unchanged at v3.260.0, where it moved to
 * pkg/workspace/config.go), pulumi-kubernetes master 94977969 (after 4.32.0), Kubernetes
 * master, terraform-provider-aws main (the bridge under @pulumi/aws 7.48.0).
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import fc from "fast-check";
import * as YAML from "yaml";
import { ConfigError } from "../config/errors";
import { parseStackConfig } from "../config/parse";
import { loadKubeConfig } from "../reads/kubeconfig";
import { kubeconfigFor } from "../fakes/kubeApi";
import { esoCrd } from "./esoSchema";
import { linkedPatch } from "../components/workloads/linkedWorkload";
import { INT32_MAX } from "../config/types";
import { MAX_ALARM_DESCRIPTION, alarmDescription } from "../components/monitoring/alarmText";
import { kubernetesCopyOptions } from "../components/secrets/kubernetesCopy";
import {
  ROLLOUT_TIMEOUT_GRACE_SECONDS,
  deploymentTimeouts,
} from "../components/workloads/workload";
import { selectorLabels } from "../components/workloads/podTemplate";
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
  workloadOf,
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

describe("engine rules: API-server limits (kubernetes pkg/apis/.../validation.go)", () => {
  const refused = async (edit: (c: any) => void, path: string, words: string) => {
    const config = baseConfig();
    edit(config);
    const run = await declare(config);
    assert.ok(run.error, `${path} should be refused`);
    assert.ok(run.error.message.includes(`secret-rotation:${path}:`), run.error.message);
    assert.ok(run.error.message.includes(words), run.error.message);
    assert.deepEqual(run.resources, []);
  };

  it("a CronJob name over 52 characters (batch/validation ValidateCronJobCreate)", async () => {
    const rename = (length: number) => (c: any) => {
      c.workloads["a".repeat(length)] = c.workloads["token-refresh"];
      delete c.workloads["token-refresh"];
    };
    await refused(rename(53), `workloads.${"a".repeat(53)}`, "at most 52");
    const ok = baseConfig();
    rename(52)(ok);
    await declareOk(ok);
  });

  for (const field of ["replicas", "minReadySeconds", "progressDeadlineSeconds"]) {
    it(`${field} above int32 (${INT32_MAX})`, async () => {
      await refused(
        (c) => (workloadOf(c, "auth-service")[field] = INT32_MAX + 1),
        `workloads.auth-service.${field}`,
        String(INT32_MAX),
      );
    });
  }

  it("progressDeadlineSeconds of int32's maximum, which means no deadline and no Progressing condition (pkg/controller/deployment/progress.go syncRolloutStatus; pulumi-kubernetes await/deployment.go)", async () => {
    await refused(
      (c) => (workloadOf(c, "auth-service").progressDeadlineSeconds = INT32_MAX),
      "workloads.auth-service.progressDeadlineSeconds",
      "means no deadline",
    );
  });

  for (const field of ["maxSurge", "maxUnavailable"]) {
    it(`rollout.${field} above int32`, async () => {
      await refused(
        (c) => (workloadOf(c, "auth-service").rollout = { [field]: INT32_MAX + 1 }),
        `workloads.auth-service.rollout.${field}`,
        String(INT32_MAX),
      );
    });
  }

  it("a resource request above its limit (core/validation ValidateResourceRequirements)", async () => {
    await refused(
      (c) =>
        (workloadOf(c, "auth-service").resources = {
          requests: { memory: "1Gi", cpu: "500m" },
          limits: { memory: "512Mi", cpu: "1" },
        }),
      "workloads.auth-service.resources.requests.memory",
      "1Gi is more than the memory limit 512Mi",
    );
    const equal = baseConfig();
    workloadOf(equal, "auth-service").resources = {
      requests: { memory: "1024Mi", cpu: "1000m" },
      limits: { memory: "1Gi", cpu: "1" },
    };
    await declareOk(equal);
  });

  it("the stable and canary Deployments select disjoint pods (apps/v1 Deployment selectors must not overlap)", () => {
    const stable = selectorLabels("auth-service", "stable");
    const canary = selectorLabels("auth-service", "canary");
    const overlap = (a: Record<string, string>, b: Record<string, string>) =>
      Object.entries(a).every(([k, v]) => b[k] === undefined || b[k] === v) &&
      Object.entries(b).every(([k, v]) => a[k] === undefined || a[k] === v);
    assert.ok(!overlap(stable, canary), "a pod could match both selectors");
  });
});

describe("engine rules: provider limits (terraform-provider-aws)", () => {
  it("an alarm description never exceeds 1024 characters (cloudwatch/metric_alarm.go)", () => {
    // Stack names are at most 100 characters (pulumi sdk/go/common/tokens/stack_name.go),
    // secret names at most 63 (a label value).
    const name = (max: number) => fc.stringMatching(new RegExp(`^[a-z][a-z0-9-]{0,${max - 1}}$`));
    const id = fc.constantFrom("20250101000000", "20991231235959");
    fc.assert(
      fc.property(
        name(100),
        name(63),
        fc.constantFrom("staging", "production"),
        id,
        fc.option(id, { nil: undefined }),
        fc.option(fc.record({ version: id, percent: fc.integer({ min: 1, max: 100 }) }), {
          nil: undefined,
        }),
        (stack, secret, environment, activeVersion, previousVersion, canary) => {
          const text = alarmDescription({
            stack,
            environment,
            secret,
            activeVersion,
            previousVersion,
            canary,
          });
          assert.ok(text.length <= MAX_ALARM_DESCRIPTION, `${text.length} characters`);
          if (previousVersion) assert.match(text, /roll back: pulumi config set/);
        },
      ),
    );
    const longest = alarmDescription({
      stack: "s".repeat(100),
      environment: "production",
      secret: "a".repeat(63),
      activeVersion: "20250101000000",
      previousVersion: "20240101000000",
      canary: { version: "20250201000000", percent: 100 },
    });
    assert.ok(longest.length <= MAX_ALARM_DESCRIPTION, `${longest.length}`);
    assert.match(longest, /pulumi up -s s{100}\.$/, "the commands stay whole");
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

describe("engine rules: the reference guard's reads (pulumi-kubernetes v4.x, terraform-provider-aws)", () => {
  it("reads the kubeconfig as the provider does: a path when the file exists (~ expanded), else the contents (provider/pkg/provider/util.go parseKubeconfigString)", () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "rules-home-"));
    try {
      fs.writeFileSync(path.join(home, "kc"), kubeconfigFor("https://file:6443"));
      const server = (loaded: ReturnType<typeof loadKubeConfig>) =>
        "config" in loaded ? loaded.config.getCurrentCluster()?.server : loaded.unavailable;
      assert.equal(server(loadKubeConfig({ kubeconfig: "~/kc" }, {}, home)), "https://file:6443");
      assert.equal(
        server(loadKubeConfig({ kubeconfig: kubeconfigFor("https://inline:6443") }, {}, home)),
        "https://inline:6443",
      );
      // Without kubernetes:kubeconfig, client-go's loading rules (provider.go Configure): KUBECONFIG.
      assert.equal(
        server(loadKubeConfig({}, { KUBECONFIG: path.join(home, "kc") }, home)),
        "https://file:6443",
      );
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });

  it("a refresh reads every AWS version (secret_version.go Read calls GetSecretValue), so AWS reads count only when guard.awsReadWithinDays is set", () => {
    const config = parseStackConfig(
      { secrets: { s: { active: "20250101000000", versions: { "20250101000000": { k: "v" } } } } },
      { stack: "staging", now: new Date("2025-02-01T00:00:00Z") },
      (v) => v,
    );
    assert.deepEqual(config.guard, { kubernetes: true, aws: true });
  });

  it("a linked workload's patch names its field manager and never forces (provider.go fieldManagerName; await.go patchForce, Deletion → ssa.Relinquish)", () => {
    const body = linkedPatch("billing", {
      kind: "Deployment",
      namespace: "staging",
      containers: ["api"],
      links: [
        { secret: "s", version: "20250101000000", kubernetesName: "s-20250101000000", keys: ["k"] },
      ],
    });
    assert.deepEqual(body.metadata.annotations, {
      "pulumi.com/patchFieldManager": "secret-rotation",
    });
    assert.ok(!("pulumi.com/patchForce" in body.metadata.annotations));
  });

  it("links through env, merged by name, never envFrom, an atomic list a patch would take over (kubernetes staging/src/k8s.io/api/core/v1/types.go Container: env has patchMergeKey name, envFrom none)", () => {
    const body = linkedPatch("billing", {
      kind: "CronJob",
      namespace: "staging",
      containers: ["api"],
      links: [
        {
          secret: "s",
          version: "20250101000000",
          kubernetesName: "s-20250101000000",
          keys: ["b", "a"],
        },
      ],
    });
    const container = body.spec.jobTemplate!.spec.template.spec.containers[0] as Record<
      string,
      unknown
    >;
    assert.deepEqual(Object.keys(container).sort(), ["env", "name"]);
    assert.deepEqual(
      (container.env as { name: string }[]).map((e) => e.name),
      ["a", "b"],
    );
  });
});

/**
 * pulumi-kubernetes master 94977969 (after 4.32.0): provider/pkg/metadata/overrides.go
 * ReadyCondition. Without `pulumi.com/waitFor` (or PULUMI_K8S_AWAIT_ALL=true) a custom resource
 * is ready as soon as the API server accepts it; with `condition=<Type>[=<Status>]` the provider
 * waits, on create and on update, until `.status.conditions` has that type with that status
 * (await/condition/custom.go NewCustom: the prefix is optional, the status defaults to True;
 * kubectl.go checkCondition compares case-insensitively). The annotation came in 4.18.0
 * (CHANGELOG.md).
 */
function providerCustomCondition(expr: string): { type: string; status: string } {
  const body = expr.replace(/^condition=/, "");
  const at = body.indexOf("=");
  return at === -1
    ? { type: body, status: "True" }
    : { type: body.slice(0, at), status: body.slice(at + 1) };
}

/** overrides.go TimeoutDuration: the annotation is read with strconv.Atoi, else ignored. */
function providerTimeoutSeconds(annotations: Record<string, string>): number | undefined {
  const text = annotations["pulumi.com/timeoutSeconds"];
  return text !== undefined && /^[+-]?\d+$/.test(text) ? Number(text) : undefined;
}

describe("engine rules: External Secrets delivery (pulumi-kubernetes overrides.go, ESO v2.9.0)", () => {
  const eso = () => ({
    ...baseConfig(),
    delivery: "externalSecrets",
    externalSecrets: {
      storeRef: { name: "aws-secrets-manager", kind: "ClusterSecretStore" },
      store: { region: "us-east-1" },
      readyTimeoutSeconds: 240,
    },
  });
  const esoObjects = (run: Awaited<ReturnType<typeof declareOk>>) =>
    run.resources.filter((r) => r.type.startsWith("kubernetes:external-secrets.io/"));

  it("the pinned provider reads pulumi.com/waitFor (introduced in 4.18.0)", () => {
    const manifest = path.join(root, "node_modules", "@pulumi", "kubernetes", "package.json");
    const { version } = JSON.parse(fs.readFileSync(manifest, "utf8")) as { version: string };
    const [major, minor] = version.split(".").map(Number);
    assert.ok(major > 4 || (major === 4 && minor >= 18), `@pulumi/kubernetes ${version}`);
  });

  it("every ExternalSecret and store waits for Ready=True, within the configured seconds", async () => {
    const run = await declareOk(eso());
    const objects = esoObjects(run);
    assert.equal(objects.length, 3 + 1);
    for (const r of objects) {
      const annotations = (r.inputs.metadata as any).annotations as Record<string, string>;
      assert.deepEqual(providerCustomCondition(annotations["pulumi.com/waitFor"]), {
        type: "Ready",
        status: "True",
      });
      // ESO's condition type (apis/externalsecrets/v1 ExternalSecretReady, SecretStoreReady).
      assert.equal(providerTimeoutSeconds(annotations), 240);
      assert.ok(!("pulumi.com/skipAwait" in annotations), "skipAwait would win over waitFor");
    }
  });

  it("a workload's Secret name comes from the ExternalSecret, so it waits for Ready", async () => {
    // A dependent reads the ExternalSecret's output, which resolves only after the await.
    const run = await declareOk(eso());
    const deployment = run.resources.find(
      (r) => r.type === TYPES.deployment && r.name === "auth-service-deployment",
    )!;
    const names = esoObjects(run).map((r) => (r.inputs.metadata as any).name as string);
    const referenced = (deployment.inputs.spec as any).template.spec.containers[0].envFrom[0]
      .secretRef.name as string;
    assert.ok(names.includes(referenced));
  });

  it("ESO v2.9.0 serves only v1 (v1beta1 is served: false), the version the program writes", async () => {
    for (const kind of ["ExternalSecret", "ClusterSecretStore"]) {
      const crd = esoCrd(kind);
      assert.deepEqual(
        crd.spec.versions.filter((v) => v.served).map((v) => v.name),
        ["v1"],
      );
    }
    const run = await declareOk(eso());
    for (const r of esoObjects(run)) assert.equal(r.inputs.apiVersion, "external-secrets.io/v1");
  });

  it("refreshInterval 0s fetches a version once (externalsecret_controller.go shouldRefreshPeriodic)", async () => {
    // shouldRefreshPeriodic: interval <= 0 and already synced: no refresh, whatever changed.
    const shouldRefresh = (intervalSeconds: number, synced: boolean) =>
      !(intervalSeconds <= 0 && synced);
    const run = await declareOk(eso());
    for (const r of esoObjects(run).filter((o) => o.inputs.kind === "ExternalSecret")) {
      const spec = r.inputs.spec as any;
      assert.equal(spec.refreshInterval, "0s");
      assert.equal(spec.refreshPolicy, undefined, "Periodic, the default");
      assert.equal(shouldRefresh(0, true), false);
    }
  });
});
