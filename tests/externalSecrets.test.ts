/**
 * Delivery through the External Secrets Operator: the rotation checklist (rotate, roll out,
 * roll back, clean up) with an ExternalSecret per version in place of a Kubernetes Secret;
 * changing the mode; the store; dev; and every ESO object checked against ESO's own CRD.
 */
import { strict as assert } from "assert";
import { externalSecretManifest, readyAnnotations } from "../components/delivery/manifests";
import * as path from "path";
import { PROJECT_DIR, projectConfig, readStackFile, runProgram } from "../offline";
import { main as plan } from "../scripts/plan";
import { celRulesOn, esoProblems } from "./esoSchema";
import { upAll } from "../fakes/copyLifecycle";
import { liveWorkload } from "../fakes/linkedObjects";
import { fakeCluster } from "../fakes/world";
import {
  ProgramRun,
  TestConfig,
  assertRefused,
  assertRefusedByMemory,
  baseConfig,
  declare,
  declareOk,
  find,
  inputsOf,
  kubeSecretValues,
  ofType,
  runHistory,
  secretOf,
  versionReport,
} from "./helpers";

const ES = "kubernetes:external-secrets.io/v1:ExternalSecret";
const STORE = "kubernetes:external-secrets.io/v1:ClusterSecretStore";
const KUBE_SECRET = "kubernetes:core/v1:Secret";
const AWS_SECRET = "aws:secretsmanager/secret:Secret";

/** The base staging config, delivered by ESO through an existing ClusterSecretStore. */
function esoConfig(): TestConfig {
  return {
    ...baseConfig(),
    delivery: "externalSecrets",
    externalSecrets: { storeRef: { name: "aws-secrets-manager", kind: "ClusterSecretStore" } },
  };
}

/** The ExternalSecrets a run declares, by Kubernetes name. */
function externalSecrets(run: ProgramRun): Record<string, any> {
  return Object.fromEntries(
    ofType(run, ES).map((r) => [inputsOf(r).metadata.name, inputsOf(r)] as const),
  );
}

function envFromNames(run: ProgramRun, resource = "auth-service-deployment"): string[] {
  const deployment = inputsOf(find(run, "kubernetes:apps/v1:Deployment", resource));
  return deployment.spec.template.spec.containers[0].envFrom.map(
    (e: any) => e.secretRef.name as string,
  );
}

/** Every ESO object of a run is valid against ESO's CRD, and no CEL rule applies to it. */
function assertValidEso(run: ProgramRun): number {
  const objects = [...ofType(run, ES), ...ofType(run, STORE)];
  for (const r of objects) {
    const object = inputsOf(r);
    assert.deepEqual(esoProblems(object), [], `${r.name} breaks ESO's CRD schema`);
    assert.deepEqual(celRulesOn(object), [], `${r.name}: a CEL rule applies that ajv cannot check`);
  }
  return objects.length;
}

/**
 * The ESO config's staging run, shared by the tests that only read it: the fake cluster and AWS
 * are empty at each test's start (tests/rootHooks.ts), so running it again gives the same run.
 */
let esoRunShared: Promise<ProgramRun> | undefined;
const esoRun = (): Promise<ProgramRun> => (esoRunShared ??= declareOk(esoConfig()));

describe("delivery through External Secrets: rotate", () => {
  it("declares an ExternalSecret per live version in place of a Kubernetes Secret", async () => {
    const run = await esoRun();
    assert.equal(ofType(run, KUBE_SECRET).length, 0, "no Kubernetes Secret is written");
    assert.deepEqual(Object.keys(externalSecrets(run)).sort(), [
      "auth-api-secrets-20250701090000",
      "auth-api-secrets-20250715100000",
      "auth-api-secrets-20250723110000",
    ]);
    // AWS is still the store of record, one secret per version.
    assert.equal(ofType(run, AWS_SECRET).length, 3);
    const es = externalSecrets(run)["auth-api-secrets-20250723110000"];
    assert.deepEqual(es, {
      apiVersion: "external-secrets.io/v1",
      kind: "ExternalSecret",
      metadata: {
        name: "auth-api-secrets-20250723110000",
        namespace: "staging",
        labels: {
          "app.kubernetes.io/managed-by": "secret-rotation",
          "secret-rotation/secret": "auth-api-secrets",
          "secret-rotation/version": "20250723110000",
        },
        annotations: {
          "pulumi.com/timeoutSeconds": "300",
          "pulumi.com/waitFor": "condition=Ready",
        },
      },
      spec: {
        secretStoreRef: { kind: "ClusterSecretStore", name: "aws-secrets-manager" },
        refreshInterval: "0s",
        target: {
          name: "auth-api-secrets-20250723110000",
          creationPolicy: "Owner",
          deletionPolicy: "Retain",
          immutable: true,
          template: {
            type: "Opaque",
            metadata: {
              labels: {
                "app.kubernetes.io/managed-by": "secret-rotation",
                "secret-rotation/secret": "auth-api-secrets",
                "secret-rotation/version": "20250723110000",
              },
            },
          },
        },
        dataFrom: [{ extract: { key: "staging/auth-api-secrets-20250723110000" } }],
      },
    });
    assert.equal(assertValidEso(run), 3);
  });

  it("names each ExternalSecret <secret>-<version>-eso under the secret's component", async () => {
    const run = await esoRun();
    assert.deepEqual(
      ofType(run, ES)
        .map((r) => r.name)
        .sort(),
      [
        "auth-api-secrets-20250701090000-eso",
        "auth-api-secrets-20250715100000-eso",
        "auth-api-secrets-20250723110000-eso",
      ],
    );
  });

  it("takes the ready timeout from externalSecrets.readyTimeoutSeconds", async () => {
    const config = esoConfig();
    (config.externalSecrets as any).readyTimeoutSeconds = 90;
    const run = await declareOk(config);
    for (const es of Object.values(externalSecrets(run))) {
      assert.deepEqual(es.metadata.annotations, readyAnnotations(90));
    }
  });

  it("reports the delivery of the secret and of every version in the outputs", async () => {
    const run = await esoRun();
    const secret = (run.outputs.secrets as any)["auth-api-secrets"];
    assert.equal(secret.delivery, "externalSecrets");
    assert.deepEqual(
      secret.versions.map((v: any) => v.delivery),
      ["externalSecrets", "externalSecrets", "externalSecrets"],
    );
  });
});

describe("delivery through External Secrets: roll out", () => {
  it("points workloads at the Secret ESO writes, named like a direct one", async () => {
    const run = await esoRun();
    assert.deepEqual(envFromNames(run), ["auth-api-secrets-20250723110000"]);
    assert.deepEqual((run.outputs.workloads as any)["auth-service"].secretNames, [
      "auth-api-secrets-20250723110000",
    ]);
  });

  it("runs a canary on the version under test", async () => {
    const config = esoConfig();
    secretOf(config).active = "20250715100000";
    secretOf(config).canary = { version: "20250723110000", percent: 34 };
    const run = await declareOk(config);
    assert.deepEqual(envFromNames(run), ["auth-api-secrets-20250715100000"]);
    assert.deepEqual(envFromNames(run, "auth-service-canary"), ["auth-api-secrets-20250723110000"]);
    assert.ok(externalSecrets(run)["auth-api-secrets-20250723110000"]);
  });

  it("passes the staging gate the same way (names and keys only)", async () => {
    const staging = await declareOk(esoConfig(), { now: "20250726000000" });
    const production = esoConfig();
    production.promotion = { fromStack: "acme/secret-rotation/staging", soakHours: 24 };
    const run = await declareOk(production, {
      stack: "production",
      now: "20250728000000",
      stackOutputs: { "acme/secret-rotation/staging": staging.outputs },
    });
    assert.equal((run.outputs.promotion as any).decisions[0].status, "passed");
    assert.equal(
      externalSecrets(run)["auth-api-secrets-20250723110000"].metadata.namespace,
      "production",
    );
  });

  it("watches the rotation with the same alarm", async () => {
    const config = esoConfig();
    secretOf(config).monitor = {
      namespace: "AWS/ApplicationELB",
      metricName: "HTTPCode_Target_5XX_Count",
      statistic: "Sum",
      threshold: 25,
      period: 60,
      evaluationPeriods: 5,
      alarmActions: [],
    };
    const run = await declareOk(config);
    assert.equal(ofType(run, "aws:cloudwatch/metricAlarm:MetricAlarm").length, 1);
  });
});

describe("delivery through External Secrets: linked workloads", () => {
  it("link a workload it does not own to the Secret ESO writes", async () => {
    const config = esoConfig();
    (config.workloads as Record<string, unknown>).billing = {
      owner: "external",
      kind: "Deployment",
      namespace: "staging",
      containers: ["api"],
      secrets: ["auth-api-secrets"],
    };
    // The linked Deployment exists (its live object is checked before the patch).
    fakeCluster.load({ Deployment: [liveWorkload("Deployment", "billing")] });
    const run = await declareOk(config);
    const patch = inputsOf(find(run, "kubernetes:apps/v1:DeploymentPatch", "billing-link"));
    assert.deepEqual(patch.spec.template.spec.containers[0].env, [
      {
        name: "api_token",
        valueFrom: {
          secretKeyRef: { name: "auth-api-secrets-20250723110000", key: "api_token" },
        },
      },
    ]);
  });
});

describe("delivery through External Secrets: roll back", () => {
  it("moves workloads back and leaves every ExternalSecret as it was", async () => {
    const [before, after] = await runHistory([
      { config: esoConfig(), now: "20250724000000" },
      {
        config: (() => {
          const c = esoConfig();
          secretOf(c).active = "20250715100000";
          return c;
        })(),
        now: "20250724010000",
      },
    ]);
    assert.deepEqual(envFromNames(after), ["auth-api-secrets-20250715100000"]);
    assert.deepEqual(externalSecrets(after), externalSecrets(before));
  });
});

describe("delivery through External Secrets: clean up", () => {
  it("stops declaring an expired version's ExternalSecret (ESO's ownership removes its Secret)", async () => {
    const run = await declareOk(esoConfig(), { now: "20250820000000" });
    assert.equal(versionReport(run, "20250701090000").state, "expired");
    assert.equal(externalSecrets(run)["auth-api-secrets-20250701090000"], undefined);
    assert.ok(!ofType(run, AWS_SECRET).some((r) => inputsOf(r).name.endsWith("20250701090000")));
  });
});

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

describe("the ClusterSecretStore the program may declare", () => {
  const withStore = (store: Record<string, unknown>): TestConfig => {
    const config = esoConfig();
    (config.externalSecrets as any).store = store;
    return config;
  };

  it("declares an AWS Secrets Manager store for the stack's namespace, with Pod Identity", async () => {
    const run = await declareOk(withStore({ region: "eu-central-1" }));
    const store = inputsOf(find(run, STORE, "aws-secrets-manager-store"));
    assert.deepEqual(store, {
      apiVersion: "external-secrets.io/v1",
      kind: "ClusterSecretStore",
      metadata: {
        name: "aws-secrets-manager",
        labels: { "app.kubernetes.io/managed-by": "secret-rotation" },
        annotations: readyAnnotations(300),
      },
      spec: {
        conditions: [{ namespaces: ["staging"] }],
        provider: { aws: { service: "SecretsManager", region: "eu-central-1" } },
      },
    });
    assert.ok(
      find(run, "secret-rotation:delivery:AwsSecretStore", "aws-secrets-manager"),
      "inside its component",
    );
    assert.equal(assertValidEso(run), 4);
  });

  it("uses IRSA through a service account, and an optional role", async () => {
    const run = await declareOk(
      withStore({
        region: "us-east-1",
        auth: "irsa",
        serviceAccount: { name: "eso-reader", namespace: "external-secrets" },
        role: "arn:aws:iam::123456789012:role/secret-reader",
      }),
    );
    const store = inputsOf(find(run, STORE, "aws-secrets-manager-store"));
    assert.deepEqual(store.spec.provider.aws, {
      service: "SecretsManager",
      region: "us-east-1",
      role: "arn:aws:iam::123456789012:role/secret-reader",
      auth: { jwt: { serviceAccountRef: { name: "eso-reader", namespace: "external-secrets" } } },
    });
    assertValidEso(run);
  });

  it("takes aws:region when the store names no region", async () => {
    const config = projectConfig(withStore({}));
    config.config["aws:region"] = "ap-southeast-2";
    const run = await runProgram({ stack: "staging", config, now: "20250724000000" });
    assert.equal(run.error, undefined);
    const store = inputsOf(find(run, STORE, "aws-secrets-manager-store"));
    assert.equal(store.spec.provider.aws.region, "ap-southeast-2");
  });
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

describe("External Secrets config is checked before anything is declared", () => {
  const cases: [string, (c: TestConfig) => void, string, string][] = [
    [
      "externalSecrets mode without a store",
      (c) => delete c.externalSecrets,
      "externalSecrets.storeRef",
      "auth-api-secrets is delivered by externalSecrets",
    ],
    [
      "a delivery mode that does not exist",
      (c) => (c.delivery = "eso"),
      "delivery",
      "allowed: direct, externalSecrets",
    ],
    [
      "a store kind that does not exist",
      (c) => ((c.externalSecrets as any).storeRef.kind = "VaultStore"),
      "externalSecrets.storeRef.kind",
      "allowed: ClusterSecretStore, SecretStore",
    ],
    [
      "a store ref without a name",
      (c) => delete (c.externalSecrets as any).storeRef.name,
      "externalSecrets.storeRef.name",
      "is required",
    ],
    [
      "a declared store behind a SecretStore ref",
      (c) =>
        Object.assign(c.externalSecrets as any, {
          storeRef: { name: "s", kind: "SecretStore" },
          store: { region: "us-east-1" },
        }),
      "externalSecrets.store",
      "storeRef.kind must be ClusterSecretStore",
    ],
    [
      "IRSA without a service account",
      (c) => ((c.externalSecrets as any).store = { region: "us-east-1", auth: "irsa" }),
      "externalSecrets.store.serviceAccount",
      "is required with auth: irsa",
    ],
    [
      "Pod Identity with a service account",
      (c) =>
        ((c.externalSecrets as any).store = {
          region: "us-east-1",
          serviceAccount: { name: "a", namespace: "b" },
        }),
      "externalSecrets.store.serviceAccount",
      "cannot impersonate",
    ],
    [
      "a store without a region and no aws:region",
      (c) => ((c.externalSecrets as any).store = {}),
      "externalSecrets.store.region",
      "is required when aws:region is not set",
    ],
    [
      "a role that is not an IAM role ARN",
      (c) => ((c.externalSecrets as any).store = { region: "us-east-1", role: "admin" }),
      "externalSecrets.store.role",
      "is not an IAM role ARN",
    ],
    [
      "a ready timeout out of range",
      (c) => ((c.externalSecrets as any).readyTimeoutSeconds = 5),
      "externalSecrets.readyTimeoutSeconds",
      "from 30 to 3600",
    ],
    [
      "a per-secret delivery that does not exist",
      (c) => (secretOf(c).delivery = "gitops"),
      "secrets.auth-api-secrets.delivery",
      "is not a delivery mode",
    ],
  ];
  for (const [what, edit, path, fragment] of cases) {
    it(`${what}: names ${path}`, async () => {
      const config = esoConfig();
      edit(config);
      assertRefused(await declare(config), path, fragment);
    });
  }
});

describe("ESO's CRD schema", () => {
  it("catches a misspelt field and a wrong type (the check can fail)", () => {
    const object = externalSecretManifest({
      secretName: "s",
      version: "20250723110000",
      namespace: "n",
      awsName: "staging/s-20250723110000",
      storeRef: { name: "store", kind: "ClusterSecretStore" },
      timeoutSeconds: 300,
    }) as any;
    assert.deepEqual(esoProblems(object), []);
    object.spec.refreshIntervall = "0s";
    object.spec.target.immutable = "yes";
    object.spec.target.creationPolicy = "Adopt";
    const problems = esoProblems(object).join("\n");
    assert.match(problems, /refreshIntervall/);
    assert.match(problems, /\/spec\/target\/immutable: must be boolean/);
    assert.match(
      problems,
      /\/spec\/target\/creationPolicy: must be equal to one of the allowed values/,
    );
  });

  it("refuses v1beta1, which current ESO no longer serves", () => {
    assert.throws(
      () => esoProblems({ apiVersion: "external-secrets.io/v1beta1", kind: "ExternalSecret" }),
      /not served by ESO v2\.9\.0/,
    );
  });

  it("finds a CEL rule the object fills (the check can fail)", () => {
    const store = {
      apiVersion: "external-secrets.io/v1",
      kind: "ClusterSecretStore",
      spec: { provider: { aws: { service: "SecretsManager", region: "us-east-1" } } },
    };
    assert.deepEqual(celRulesOn(store), []);
    const tagged = JSON.parse(JSON.stringify(store));
    tagged.spec.provider.aws.customSessionTags = { team: "a" };
    assert.equal(celRulesOn(tagged).length, 1);
    assert.match(celRulesOn(tagged)[0], /^\.spec\.provider\.aws\.customSessionTags: /);
  });
});

describe("the example stack file examples/external-secrets/Pulumi.production.yaml", () => {
  const dir = path.join(PROJECT_DIR, "examples", "external-secrets");
  const at = "20261120000000";

  it("declares an ExternalSecret per live version, the store, and one direct secret", async () => {
    // Staging, the example beside it, ran both active versions first.
    const staging = await runProgram({
      stack: "staging",
      config: readStackFile("staging", dir),
      now: "20261111000000",
    });
    assert.equal(staging.error, undefined, staging.error?.message);
    assert.deepEqual(
      inputsOf(find(staging, STORE, "secret-rotation-staging-store")).spec.provider.aws,
      { service: "SecretsManager", region: "eu-central-1" },
      "Pod Identity: no auth block",
    );
    assertValidEso(staging);
    const run = await runProgram({
      stack: "production",
      config: readStackFile("production", dir),
      now: at,
      stackOutputs: { "acme/secret-rotation/staging": staging.outputs },
    });
    assert.equal(run.error, undefined, run.error?.message);
    assert.deepEqual(Object.keys(externalSecrets(run)).sort(), [
      "auth-api-secrets-20261020100000",
      "auth-api-secrets-20261110100000",
    ]);
    assert.deepEqual(
      ofType(run, KUBE_SECRET).map((r) => inputsOf(r).metadata.name),
      ["legacy-webhook-secret-20261101090000"],
    );
    const store = inputsOf(find(run, STORE, "secret-rotation-production-store"));
    assert.equal(store.spec.provider.aws.region, "eu-central-1", "from aws:region");
    assert.deepEqual(store.spec.provider.aws.auth.jwt.serviceAccountRef, {
      name: "secret-rotation-reader",
      namespace: "external-secrets",
    });
    assert.deepEqual(run.outputs.delivery, {
      mode: "externalSecrets",
      storeRef: { kind: "ClusterSecretStore", name: "secret-rotation-production" },
      storeDeclared: true,
      readyTimeoutSeconds: 180,
    });
    assert.equal(assertValidEso(run), 3);
    assert.deepEqual(
      (run.outputs.promotion as any).decisions.map((d: any) => d.status),
      ["passed", "passed"],
    );
  });

  it("plans offline with --dir, showing the delivery mode of the stack and of every version", async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await plan(["node", "plan", "production", "--dir", dir, "--at", at], {
      out: (t) => out.push(t),
      err: (t) => err.push(t),
    });
    assert.equal(code, 0, err.join("\n"));
    const text = out.join("\n");
    assert.match(
      text,
      /Delivery: externalSecrets .*; store ClusterSecretStore secret-rotation-production \(declared by this stack\), Ready within 180 s/,
    );
    assert.match(text, /auth-api-secrets: .*, delivery externalSecrets/);
    assert.match(text, /20261110100000 +active +ExternalSecret +auth-api-secrets-20261110100000/);
    assert.match(text, /20261101090000 +active +Secret +legacy-webhook-secret-20261101090000/);
    assert.match(text, /2 +kubernetes:external-secrets\.io\/v1:ExternalSecret/);
  });
});
