/**
 * The program under the mock runtime: what it declares in AWS and Kubernetes for versioned
 * stacks and for dev, how workloads link to versions, and the stack outputs.
 */
import { strict as assert } from "assert";
import {
  TYPES,
  awsSecretValues,
  baseConfig,
  declareOk,
  find,
  inputsOf,
  kubeSecretValues,
  ofType,
  secretOf,
  workloadOf,
} from "./helpers";
import { baseRun } from "./baseRuns";

describe("versioned secrets (staging, production)", () => {
  it("declares each live version in AWS and Kubernetes under its own name", async () => {
    const run = await baseRun("production");
    const versions = ["20250701090000", "20250715100000", "20250723110000"];
    assert.deepEqual(
      ofType(run, TYPES.awsSecret).map((r) => inputsOf(r).name),
      versions.map((v) => `production/auth-api-secrets-${v}`),
    );
    assert.deepEqual(
      ofType(run, TYPES.kubeSecret).map((r) => inputsOf(r).metadata.name),
      versions.map((v) => `auth-api-secrets-${v}`),
    );
    assert.equal(ofType(run, TYPES.awsValue).length, 3);
  });

  it("makes every Kubernetes version immutable, Opaque, labelled and in the namespace", async () => {
    const config = baseConfig();
    config.namespace = "auth";
    const run = await declareOk(config);
    for (const secret of ofType(run, TYPES.kubeSecret)) {
      const { metadata, immutable, type } = inputsOf(secret);
      assert.equal(immutable, true);
      assert.equal(type, "Opaque");
      assert.equal(metadata.namespace, "auth");
      assert.deepEqual(metadata.labels, {
        "app.kubernetes.io/managed-by": "secret-rotation",
        "secret-rotation/secret": "auth-api-secrets",
        "secret-rotation/version": metadata.name.slice(-14),
      });
    }
  });

  it("tags every AWS secret and sets the recovery window", async () => {
    const config = baseConfig();
    config.awsRecoveryWindowDays = 7;
    const run = await declareOk(config);
    const secret = find(run, TYPES.awsSecret, "auth-api-secrets-20250723110000-aws");
    assert.deepEqual(inputsOf(secret).tags, {
      environment: "staging",
      "managed-by": "secret-rotation",
      "retention-days": "14",
      secret: "auth-api-secrets",
      version: "20250723110000",
    });
    assert.equal(inputsOf(secret).recoveryWindowInDays, 7);
    const defaults = await baseRun();
    for (const s of ofType(defaults, TYPES.awsSecret)) {
      assert.equal(inputsOf(s).recoveryWindowInDays, 30);
      assert.equal(inputsOf(s).kmsKeyId, undefined, "the account's default key");
    }
  });

  it("encrypts the AWS secrets with the configured KMS key", async () => {
    const config = baseConfig();
    config.awsKmsKeyId = "alias/secret-rotation";
    const run = await declareOk(config);
    for (const s of ofType(run, TYPES.awsSecret)) {
      assert.equal(inputsOf(s).kmsKeyId, "alias/secret-rotation");
    }
  });

  it("stores each version's own values in both stores", async () => {
    const run = await baseRun();
    for (const [version, token] of [
      ["20250701090000", "token-v1"],
      ["20250715100000", "token-v2"],
      ["20250723110000", "token-v3"],
    ]) {
      const kube = find(run, TYPES.kubeSecret, `auth-api-secrets-${version}-k8s`);
      const aws = find(run, TYPES.awsValue, `auth-api-secrets-${version}-aws-value`);
      assert.deepEqual(kubeSecretValues(kube), { api_token: token });
      assert.deepEqual(awsSecretValues(aws), { api_token: token });
    }
  });

  it("generates keys once per version: one generator per version and key, never updated", async () => {
    const config = baseConfig();
    secretOf(config).generate = {
      signing_key: { length: 64 },
      hmac_key: { length: 32, special: true },
    };
    const run = await declareOk(config);
    const generators = ofType(run, TYPES.generator);
    assert.equal(generators.length, 6);
    const signing = find(
      run,
      TYPES.generator,
      "auth-api-secrets-20250723110000-signing_key-generated",
    );
    assert.equal(inputsOf(signing).length, 64);
    assert.equal(inputsOf(signing).special, false);
    const v2 = kubeSecretValues(find(run, TYPES.kubeSecret, "auth-api-secrets-20250715100000-k8s"));
    const v3 = kubeSecretValues(find(run, TYPES.kubeSecret, "auth-api-secrets-20250723110000-k8s"));
    assert.deepEqual(Object.keys(v3), ["api_token", "hmac_key", "signing_key"]);
    assert.notEqual(v2.signing_key, v3.signing_key, "each version has its own generated value");
    assert.deepEqual(
      awsSecretValues(find(run, TYPES.awsValue, "auth-api-secrets-20250723110000-aws-value")),
      v3,
    );
  });

  it("does not declare expired versions, and warns to remove them from config", async () => {
    const run = await declareOk(baseConfig(), { now: "20250730000000" });
    assert.deepEqual(
      ofType(run, TYPES.kubeSecret).map((r) => inputsOf(r).metadata.name),
      ["auth-api-secrets-20250715100000", "auth-api-secrets-20250723110000"],
    );
    const warnings = run.logs.filter((l) => l.startsWith("warning:"));
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /version 20250701090000 expired on 2025-07-29T10:00:00.000Z/);
    assert.match(warnings[0], /remove it from secret-rotation:secrets.auth-api-secrets.versions/);
    assert.ok(
      run.logs.some(
        (l) =>
          l ===
          "info: auth-api-secrets: active version 20250723110000 (auth-api-secrets-20250723110000), rollback target 20250715100000",
      ),
    );
  });

  it("uses a secret's own retention over the stack's", async () => {
    const config = baseConfig();
    secretOf(config).retentionDays = 35;
    const run = await declareOk(config, { now: "20250815000000" });
    assert.equal(ofType(run, TYPES.kubeSecret).length, 3);
  });
});

describe("workloads", () => {
  it("point a Deployment's envFrom at the active version, with the rollout defaults that keep capacity", async () => {
    const run = await baseRun();
    const deployment = inputsOf(find(run, TYPES.deployment, "auth-service-deployment"));
    assert.equal(deployment.metadata.name, "auth-service");
    assert.equal(deployment.metadata.namespace, "staging");
    assert.equal(deployment.spec.replicas, 3);
    assert.deepEqual(deployment.spec.strategy, {
      type: "RollingUpdate",
      rollingUpdate: { maxUnavailable: 0, maxSurge: 1 },
    });
    // Each track selects its own pods: the stable and canary selectors never overlap.
    assert.deepEqual(deployment.spec.selector.matchLabels, {
      "app.kubernetes.io/name": "auth-service",
      "secret-rotation/track": "stable",
    });
    assert.deepEqual(deployment.spec.template.metadata.labels, {
      "app.kubernetes.io/name": "auth-service",
      "app.kubernetes.io/managed-by": "secret-rotation",
      "secret-rotation/track": "stable",
      "version.secret-rotation/auth-api-secrets": "20250723110000",
    });
    // A pod counts only once it has stayed ready a while; a stuck rollout fails in 10 minutes.
    assert.equal(deployment.spec.minReadySeconds, 10);
    assert.equal(deployment.spec.progressDeadlineSeconds, 600);
    const container = deployment.spec.template.spec.containers[0];
    assert.deepEqual(container.envFrom, [
      { secretRef: { name: "auth-api-secrets-20250723110000" } },
    ]);
    assert.equal(
      deployment.spec.template.metadata.annotations["secret-rotation/versions"],
      "auth-api-secrets=20250723110000",
    );
    assert.equal(
      deployment.metadata.annotations["kubernetes.io/change-cause"],
      "secret-rotation: auth-api-secrets=20250723110000",
    );
  });

  it("point a CronJob's containers at the active version", async () => {
    const run = await baseRun();
    const cronJob = inputsOf(find(run, TYPES.cronJob, "token-refresh-cronjob"));
    assert.equal(cronJob.spec.schedule, "0 3 * * 1");
    const pod = cronJob.spec.jobTemplate.spec.template;
    assert.equal(pod.spec.restartPolicy, "OnFailure");
    assert.deepEqual(pod.spec.containers[0].envFrom, [
      { secretRef: { name: "auth-api-secrets-20250723110000" } },
    ]);
    assert.equal(
      pod.metadata.annotations["secret-rotation/versions"],
      "auth-api-secrets=20250723110000",
    );
  });

  it("link several secrets, each at its own active version, in the listed order", async () => {
    const config = baseConfig();
    (config.secrets as Record<string, unknown>)["payments-db"] = {
      active: "20250710000000",
      versions: { "20250710000000": { password: "p1" } },
    };
    workloadOf(config, "auth-service").secrets = ["payments-db", "auth-api-secrets"];
    const run = await declareOk(config);
    const deployment = inputsOf(find(run, TYPES.deployment, "auth-service-deployment"));
    assert.deepEqual(deployment.spec.template.spec.containers[0].envFrom, [
      { secretRef: { name: "payments-db-20250710000000" } },
      { secretRef: { name: "auth-api-secrets-20250723110000" } },
    ]);
    assert.equal(
      deployment.spec.template.metadata.annotations["secret-rotation/versions"],
      "auth-api-secrets=20250723110000,payments-db=20250710000000",
    );
    assert.deepEqual(run.outputs.workloads, {
      "auth-service": {
        kind: "Deployment",
        secretNames: ["payments-db-20250710000000", "auth-api-secrets-20250723110000"],
        versions: { "payments-db": "20250710000000", "auth-api-secrets": "20250723110000" },
        replicas: 3,
        canary: null,
      },
      "token-refresh": {
        kind: "CronJob",
        secretNames: ["auth-api-secrets-20250723110000"],
        versions: { "auth-api-secrets": "20250723110000" },
        canary: null,
      },
    });
  });

  it("give a workload with a port a Service, and pass command, args, env and resources", async () => {
    const config = baseConfig();
    Object.assign(workloadOf(config, "auth-service"), {
      command: ["/app/server"],
      args: ["--listen", ":8080"],
      env: { LOG_LEVEL: "info", FEATURE_X: true },
      resources: { requests: { cpu: "250m", memory: "256Mi" }, limits: { memory: "512Mi" } },
      rollout: { maxUnavailable: "25%", maxSurge: "50%" },
    });
    const run = await declareOk(config);
    const service = inputsOf(find(run, TYPES.service, "auth-service-service"));
    assert.equal(service.metadata.name, "auth-service");
    assert.deepEqual(service.spec.selector, { "app.kubernetes.io/name": "auth-service" });
    assert.deepEqual(service.spec.ports, [
      { name: "http", port: 8080, targetPort: "http", protocol: "TCP" },
    ]);
    const deployment = inputsOf(find(run, TYPES.deployment, "auth-service-deployment"));
    const container = deployment.spec.template.spec.containers[0];
    assert.deepEqual(container.command, ["/app/server"]);
    assert.deepEqual(container.args, ["--listen", ":8080"]);
    assert.deepEqual(container.env, [
      { name: "FEATURE_X", value: "true" },
      { name: "LOG_LEVEL", value: "info" },
    ]);
    assert.deepEqual(container.resources, {
      requests: { cpu: "250m", memory: "256Mi" },
      limits: { memory: "512Mi" },
    });
    assert.deepEqual(deployment.spec.strategy.rollingUpdate, {
      maxUnavailable: "25%",
      maxSurge: "50%",
    });
    assert.equal(ofType(run, TYPES.service).length, 1, "the CronJob has no Service");
  });
});

describe("dev: unversioned, updated in place", () => {
  it("declares one mutable Secret per name holding the active version's values", async () => {
    const run = await baseRun("dev");
    const kube = ofType(run, TYPES.kubeSecret);
    assert.equal(kube.length, 1);
    const secret = inputsOf(kube[0]);
    assert.equal(secret.metadata.name, "auth-api-secrets");
    assert.equal(secret.metadata.namespace, "dev");
    assert.equal(secret.immutable, false);
    assert.equal(secret.metadata.labels["secret-rotation/version"], undefined);
    assert.deepEqual(kubeSecretValues(kube[0]), { api_token: "token-v3" });
    const aws = ofType(run, TYPES.awsSecret);
    assert.deepEqual(
      aws.map((r) => inputsOf(r).name),
      ["dev/auth-api-secrets"],
    );
    assert.deepEqual(awsSecretValues(ofType(run, TYPES.awsValue)[0]), { api_token: "token-v3" });
    const deployment = inputsOf(find(run, TYPES.deployment, "auth-service-deployment"));
    assert.deepEqual(deployment.spec.template.spec.containers[0].envFrom, [
      { secretRef: { name: "auth-api-secrets" } },
    ]);
    // The active version is still in the pod template, so a rotation in dev restarts pods.
    assert.equal(
      deployment.spec.template.metadata.annotations["secret-rotation/versions"],
      "auth-api-secrets=20250723110000",
    );
  });

  it("keeps the resource names when the active version changes, so the values update in place", async () => {
    const before = await baseRun("dev");
    const config = baseConfig();
    secretOf(config).active = "20250715100000";
    const after = await declareOk(config, { stack: "dev" });
    const names = (run: typeof before) =>
      ofType(run, TYPES.kubeSecret)
        .concat(ofType(run, TYPES.awsSecret))
        .map((r) => r.name);
    assert.deepEqual(names(after), names(before));
    assert.deepEqual(kubeSecretValues(ofType(after, TYPES.kubeSecret)[0]), {
      api_token: "token-v2",
    });
  });
});
