/**
 * The components used directly, as a library: type tokens, child names under the component's
 * name, and argument checks that declare nothing when they fail (Workload and RotationAlarm:
 * tests/componentsWorkload.test.ts).
 */
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { AwsSecretStore, RotatedSecret, Workload } from "../components";
import { promiseOf } from "../offline";
import { TYPES, declareWith, inputsOf } from "./helpers";

describe("components as a library: RotatedSecret", () => {
  it("RotatedSecret names every child after the component and takes no inputs into state", async () => {
    const resources = await declareWith(() => {
      new RotatedSecret("payments-db", {
        environment: "staging",
        namespace: "payments",
        versions: [
          { id: "20250101000000", values: { password: pulumi.secret("a") } },
          { id: "20250201000000", values: { password: pulumi.secret("b") } },
        ],
        activeVersion: "20250201000000",
        generate: { api_key: { length: 40, special: false } },
      });
    });
    const component = resources.find((r) => r.type === TYPES.rotatedSecret);
    assert.deepEqual(component?.inputs, {});
    const children = resources.filter((r) => r.custom).map((r) => r.name);
    assert.ok(
      children.every((n) => n.startsWith("payments-db-")),
      children.join(", "),
    );
    assert.equal(children.length, 2 * 4);
    const kube = resources.filter((r) => r.type === TYPES.kubeSecret).map((r) => inputsOf(r));
    assert.deepEqual(
      kube.map((k) => [k.metadata.name, k.metadata.namespace]),
      [
        ["payments-db-20250101000000", "payments"],
        ["payments-db-20250201000000", "payments"],
      ],
    );
  });

  it("RotatedSecret delivers through External Secrets (plain delivery config) after AWS and the store", async () => {
    const resources = await declareWith(() => {
      const store = new AwsSecretStore("payments-store", {
        store: { region: "eu-west-1" },
        namespace: "payments",
      });
      const secret = new RotatedSecret("payments-db", {
        environment: "staging",
        namespace: "payments",
        versions: [{ id: "20250101000000", values: { password: pulumi.secret("a") } }],
        activeVersion: "20250101000000",
        delivery: {
          kind: "externalSecrets",
          storeRef: { name: "payments-store", kind: "ClusterSecretStore" },
          store: store.resource,
        },
      });
      assert.ok(secret.activeKubernetesName);
    });
    assert.deepEqual(
      resources.filter((r) => r.custom).map((r) => [r.type, r.name]),
      [
        ["kubernetes:external-secrets.io/v1:ClusterSecretStore", "payments-store-store"],
        ["aws:secretsmanager/secret:Secret", "payments-db-20250101000000-aws"],
        ["aws:secretsmanager/secretVersion:SecretVersion", "payments-db-20250101000000-aws-value"],
        ["kubernetes:external-secrets.io/v1:ExternalSecret", "payments-db-20250101000000-eso"],
      ],
    );
    const [storeObject, , , externalSecret] = resources
      .filter((r) => r.custom)
      .map((r) => inputsOf(r));
    // The defaults: podIdentity (no auth block) and the 300-second wait, on both objects.
    assert.deepEqual(storeObject.spec.provider.aws, {
      service: "SecretsManager",
      region: "eu-west-1",
    });
    for (const object of [storeObject, externalSecret]) {
      assert.equal(object.metadata.annotations["pulumi.com/timeoutSeconds"], "300");
    }
    assert.deepEqual(externalSecret.spec.secretStoreRef, {
      kind: "ClusterSecretStore",
      name: "payments-store",
    });
    // The ExternalSecret names the AWS secret, never a value.
    assert.ok(!JSON.stringify(externalSecret).includes('"a"'));
    for (const r of resources.filter((x) => !x.custom)) assert.deepEqual(r.inputs, {}, r.name);
  });

  it("RotatedSecret lets a version keep its own delivery beside the secret's", async () => {
    const resources = await declareWith(() => {
      new RotatedSecret("payments-db", {
        environment: "staging",
        namespace: "payments",
        versions: [
          {
            id: "20250101000000",
            values: { password: pulumi.secret("a") },
            delivery: {
              kind: "externalSecrets",
              storeRef: { name: "shared", kind: "SecretStore" },
              timeoutSeconds: 60,
            },
          },
          { id: "20250201000000", values: { password: pulumi.secret("b") } },
        ],
        activeVersion: "20250201000000",
      });
    });
    assert.deepEqual(
      resources
        .filter((r) => r.type.startsWith("kubernetes:"))
        .map((r) => [r.type, r.name])
        .sort(),
      [
        ["kubernetes:core/v1:Secret", "payments-db-20250201000000-k8s"],
        ["kubernetes:external-secrets.io/v1:ExternalSecret", "payments-db-20250101000000-eso"],
      ],
    );
  });

  it("RotatedSecret exposes its key names and builds a workload's references to a version", async () => {
    let rotated: RotatedSecret | undefined;
    const resources = await declareWith(() => {
      rotated = new RotatedSecret("payments-db", {
        environment: "staging",
        namespace: "payments",
        versions: [
          { id: "20250101000000", values: { password: pulumi.secret("a"), user: "app" } },
          { id: "20250201000000", values: { password: pulumi.secret("b"), user: "app" } },
        ],
        activeVersion: "20250201000000",
        generate: { api_key: {} },
      });
    });
    const secret = rotated!;
    assert.deepEqual(secret.keys, ["api_key", "password", "user"]);
    assert.equal(secret.secretName, "payments-db");
    assert.deepEqual(
      { ...secret.link(), kubernetesName: await promiseOf(secret.link().kubernetesName) },
      {
        secret: "payments-db",
        version: "20250201000000",
        kubernetesName: "payments-db-20250201000000",
      },
    );
    const envFrom = await promiseOf(pulumi.output(secret.envFrom("20250101000000")));
    assert.deepEqual(envFrom, { secretRef: { name: "payments-db-20250101000000" } });
    const keyRef = await promiseOf(pulumi.output(secret.secretKeyRef("password")));
    assert.deepEqual(keyRef, { name: "payments-db-20250201000000", key: "password" });
    assert.throws(
      () => secret.link("20240101000000"),
      /RotatedSecret payments-db: version 20240101000000 is not declared \(declared: 20250101000000, 20250201000000\)/,
    );
    assert.throws(
      () => secret.secretKeyRef("passwd"),
      /RotatedSecret payments-db: no key passwd \(keys: api_key, password, user\)/,
    );
    // The defaults: a 32-character generated value without punctuation, 30 recovery days.
    const generated = resources.filter((r) => r.type === TYPES.generator).map((r) => r.inputs);
    assert.deepEqual(generated[0], { length: 32, special: false });
    const aws0 = inputsOf(resources.find((r) => r.type === TYPES.awsSecret)!);
    assert.equal(aws0.recoveryWindowInDays, 30);
    assert.ok(!("kmsKeyId" in aws0));
  });

  it("RotatedSecret, Workload and AwsSecretStore take the namespace and the KMS key as outputs", async () => {
    const resources = await declareWith(() => {
      const namespace = pulumi.output("payments");
      const secret = new RotatedSecret("payments-db", {
        environment: "staging",
        namespace,
        versions: [{ id: "20250101000000", values: { password: pulumi.secret("a") } }],
        activeVersion: "20250101000000",
        awsKmsKeyId: pulumi.output("alias/payments"),
      });
      new Workload("api", {
        kind: "Deployment",
        namespace,
        container: { image: "api:1" },
        links: [secret.link()],
      });
      new AwsSecretStore("store", { store: { region: "eu-west-1" }, namespace });
    });
    const of = (type: string) => inputsOf(resources.find((r) => r.type === type)!);
    assert.equal(of(TYPES.awsSecret).kmsKeyId, "alias/payments");
    assert.equal(of(TYPES.kubeSecret).metadata.namespace, "payments");
    assert.equal(of(TYPES.deployment).metadata.namespace, "payments");
    assert.deepEqual(of("kubernetes:external-secrets.io/v1:ClusterSecretStore").spec.conditions, [
      { namespaces: ["payments"] },
    ]);
    // Workload's defaults: one pod, a surge of one, 10 s ready, a 600 s deadline.
    const spec = of(TYPES.deployment).spec;
    assert.deepEqual(
      [
        spec.replicas,
        spec.strategy.rollingUpdate,
        spec.minReadySeconds,
        spec.progressDeadlineSeconds,
      ],
      [1, { maxUnavailable: 0, maxSurge: 1 }, 10, 600],
    );
  });

  it("RotatedSecret refuses an active version it does not declare, declaring nothing", async () => {
    const resources = await declareWith(() => {
      assert.throws(
        () =>
          new RotatedSecret("payments-db", {
            environment: "staging",
            namespace: "payments",
            versions: [{ id: "20250101000000", values: {} }],
            activeVersion: "20250201000000",
          }),
        /activeVersion 20250201000000 is not in versions/,
      );
    });
    assert.deepEqual(resources, []);
  });
});
