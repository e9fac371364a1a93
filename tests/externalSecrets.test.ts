/**
 * Delivery through the External Secrets Operator: the rotation checklist (rotate, roll out,
 * roll back, clean up) with an ExternalSecret per version in place of a Kubernetes Secret.
 * Changing the mode and dev are in externalSecretsModes.test.ts; the store, the config checks,
 * ESO's CRD and the example in externalSecretsConfig.test.ts.
 */
import { strict as assert } from "assert";
import { readyAnnotations } from "../components/delivery/manifests";
import { liveWorkload } from "../fakes/linkedObjects";
import { fakeCluster } from "../fakes/world";
import {
  ProgramRun,
  declareOk,
  find,
  inputsOf,
  ofType,
  runHistory,
  secretOf,
  versionReport,
} from "./helpers";
import {
  ES,
  KUBE_SECRET,
  AWS_SECRET,
  esoConfig,
  externalSecrets,
  envFromNames,
  assertValidEso,
} from "./externalSecretsHelpers";

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
