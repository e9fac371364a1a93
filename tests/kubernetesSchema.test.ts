/**
 * Every Kubernetes object the program declares validates against the Kubernetes OpenAPI schema
 * (kubernetes-models), and its names follow Kubernetes naming rules.
 */
import { strict as assert } from "assert";
import { Deployment } from "kubernetes-models/apps/v1";
import { CronJob } from "kubernetes-models/batch/v1";
import { Secret, Service } from "kubernetes-models/v1";
import { ProgramRun, baseConfig, declareOk, secretOf, unwrapSecrets, workloadOf } from "./helpers";

/** The models of every Kubernetes kind the program may declare; a new kind must be added. */
const MODELS: Record<string, new (data: any) => { validate(): void }> = {
  "kubernetes:core/v1:Secret": Secret,
  "kubernetes:core/v1:Service": Service,
  "kubernetes:apps/v1:Deployment": Deployment,
  "kubernetes:batch/v1:CronJob": CronJob,
};

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** Kubernetes label rules: `[prefix/]name`, prefix a DNS subdomain, name and value at most 63. */
function assertLabels(labels: Record<string, unknown> | undefined, where: string): void {
  for (const [key, value] of Object.entries(labels ?? {})) {
    const [prefix, name] = key.includes("/") ? key.split("/") : [undefined, key];
    if (prefix !== undefined) {
      assert.match(prefix, DNS1123_SUBDOMAIN, `${where}: label prefix of ${key}`);
      assert.ok(prefix.length <= 253);
    }
    assert.match(name, LABEL_NAME, `${where}: label name of ${key}`);
    assert.ok(name.length <= 63, `${where}: label name of ${key} is longer than 63`);
    assert.match(String(value), LABEL_VALUE, `${where}: label ${key}`);
    assert.ok(String(value).length <= 63, `${where}: label ${key} is longer than 63`);
  }
}

function validateAll(run: ProgramRun): number {
  const kube = run.resources.filter((r) => r.type.startsWith("kubernetes:"));
  for (const resource of kube) {
    const Model = MODELS[resource.type];
    assert.ok(Model, `no schema model for ${resource.type}`);
    const object = unwrapSecrets(resource.inputs) as any;
    assert.doesNotThrow(
      () => new Model(object).validate(),
      `${resource.name} is not a valid ${resource.type}`,
    );
    assert.match(object.metadata.name, DNS1123_SUBDOMAIN);
    assert.ok(object.metadata.name.length <= 253);
    assertLabels(object.metadata.labels, resource.name);
    const pod = object.spec?.template ?? object.spec?.jobTemplate?.spec?.template;
    assertLabels(pod?.metadata?.labels, `${resource.name} pods`);
    assertLabels(object.spec?.selector?.matchLabels, `${resource.name} selector`);
  }
  return kube.length;
}

describe("Kubernetes schema", () => {
  it("validates every object of a versioned stack with all optional fields", async () => {
    const config = baseConfig();
    secretOf(config).generate = { signing_key: { length: 64 } };
    Object.assign(workloadOf(config, "auth-service"), {
      command: ["/app/server"],
      args: ["--verbose"],
      env: { LOG_LEVEL: "info" },
      resources: { requests: { cpu: "250m", memory: "256Mi" }, limits: { memory: "512Mi" } },
      rollout: { maxUnavailable: "25%", maxSurge: 2 },
    });
    Object.assign(workloadOf(config, "token-refresh"), { resources: { limits: { cpu: 1 } } });
    const run = await declareOk(config);
    assert.equal(validateAll(run), 3 + 3);
  });

  it("validates the dev stack", async () => {
    const run = await declareOk(baseConfig(), { stack: "dev" });
    assert.equal(validateAll(run), 1 + 3);
  });

  it("catches an invalid object (the check can fail)", () => {
    assert.throws(() =>
      new Secret({ metadata: { name: "x" }, data: { k: "not base64!" } }).validate(),
    );
  });

  it("validates a secret name at the longest allowed length", async () => {
    const config = baseConfig();
    const name = `a${"-b".repeat(31)}`; // 63 characters
    (config.secrets as Record<string, unknown>)[name] = {
      active: "20250723110000",
      versions: { "20250723110000": { other_token: "o" } },
    };
    workloadOf(config, "auth-service").secrets.push(name);
    const run = await declareOk(config);
    validateAll(run);
  });

  it("validates a canary Deployment beside its stable Deployment, with every rollout knob", async () => {
    const config = baseConfig();
    const name = `a${"-b".repeat(31)}`; // the longest secret name: the pod version label's name
    (config.secrets as Record<string, unknown>)[name] = {
      active: "20250715100000",
      canary: { version: "20250723110000", percent: 25 },
      versions: {
        "20250715100000": { other_token: "o1" },
        "20250723110000": { other_token: "o2" },
      },
    };
    Object.assign(workloadOf(config, "auth-service"), {
      secrets: ["auth-api-secrets", name],
      replicas: 8,
      minReadySeconds: 30,
      progressDeadlineSeconds: 900,
      rollout: { maxUnavailable: 0, maxSurge: "25%" },
    });
    const run = await declareOk(config);
    assert.equal(validateAll(run), 3 + 2 + 4, "Secrets, Deployments, Service and CronJob");
  });
});
