/**
 * Delivery through the External Secrets Operator: the ClusterSecretStore the program may
 * declare, the config checked before anything is declared, every ESO object checked against
 * ESO's own CRD, and the committed example stack.
 */
import { strict as assert } from "assert";
import { externalSecretManifest, readyAnnotations } from "../components/delivery/manifests";
import * as path from "path";
import { PROJECT_DIR, projectConfig, readStackFile, runProgram } from "../offline";
import { main as plan } from "../scripts/plan";
import { celRulesOn, esoProblems } from "./esoSchema";
import {
  TestConfig,
  assertRefused,
  declare,
  declareOk,
  find,
  inputsOf,
  ofType,
  secretOf,
} from "./helpers";
import {
  STORE,
  KUBE_SECRET,
  esoConfig,
  externalSecrets,
  assertValidEso,
} from "./externalSecretsHelpers";

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

  it("refuses an empty store region beside aws:region without saying aws:region is missing", async () => {
    const config = projectConfig(withStore({ region: "" }));
    config.config["aws:region"] = "ap-southeast-2";
    const run = await runProgram({ stack: "staging", config, now: "20250724000000" });
    assert.match(
      run.error?.message ?? "",
      /externalSecrets\.store\.region: must be an AWS region \(such as us-east-1\), or left out to use aws:region/,
    );
  });
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
