/**
 * Secrecy: with distinctive sentinel values in every version, no value appears in clear in any
 * declared input (component resources included), output, log line or error. A value may only
 * travel inside Pulumi's secret marker, which the engine encrypts in state.
 */
import { strict as assert } from "assert";
import { SIG_KEY } from "../offline";
import {
  ProgramRun,
  baseConfig,
  declare,
  declareOk,
  redactSecrets,
  runHistory,
  secretOf,
} from "./helpers";

const SENTINELS = ["SENTINEL-v1-3b9f", "SENTINEL-v2-77c1", "SENTINEL-v3-e05d"];

function sentinelConfig() {
  const config = baseConfig();
  secretOf(config).versions = {
    "20250701090000": { api_token: SENTINELS[0] },
    "20250715100000": { api_token: SENTINELS[1] },
    "20250723110000": { api_token: SENTINELS[2] },
  };
  secretOf(config).generate = { signing_key: { length: 64 } };
  return config;
}

/** Every place a value could leak, as text, with secret-marked values redacted. */
function everythingInClear(run: ProgramRun): string {
  return JSON.stringify({
    inputs: run.resources.map((r) => ({
      type: r.type,
      name: r.name,
      inputs: redactSecrets(r.inputs),
    })),
    outputs: run.outputs,
    logs: run.logs,
    error: run.error?.message ?? null,
  });
}

/** Sentinels, also as they would look base64-encoded in a Secret's data or inside JSON. */
function forms(value: string): string[] {
  return [
    value,
    Buffer.from(value).toString("base64"),
    Buffer.from(value).toString("base64").slice(0, 16),
  ];
}

describe("secret values never in clear", () => {
  it("production with a canary, an alarm and the staging gate: no sentinel anywhere", async () => {
    // Staging ran the canary version first, then the active one, each over a day ago.
    const earlier = sentinelConfig();
    secretOf(earlier).active = "20250715100000";
    delete secretOf(earlier).versions["20250723110000"];
    const [, staging] = await runHistory(
      [
        { config: earlier, now: "20250716000000" },
        { config: sentinelConfig(), now: "20250724000000" },
      ],
      { stack: "staging" },
    );
    assert.equal(staging.error, undefined, staging.error?.message);
    const config = sentinelConfig();
    secretOf(config).canary = { version: "20250715100000", percent: 50 };
    secretOf(config).monitor = {
      namespace: "AWS/ApplicationELB",
      metricName: "HTTPCode_Target_5XX_Count",
      statistic: "Sum",
      threshold: 1,
      period: 60,
      evaluationPeriods: 1,
      alarmActions: [],
    };
    config.promotion = { fromStack: "acme/secret-rotation/staging" };
    const run = await declareOk(config, {
      stack: "production",
      now: "20250801000000",
      stackOutputs: { "acme/secret-rotation/staging": staging.outputs },
    });
    const text = everythingInClear(run);
    for (const sentinel of SENTINELS.flatMap(forms)) {
      assert.ok(!text.includes(sentinel), `${sentinel} appears in clear`);
    }
    // Staging exports key names for the gate, never values.
    assert.deepEqual((staging.outputs.secrets as any)["auth-api-secrets"].keys, [
      "api_token",
      "signing_key",
    ]);
  });

  for (const stack of ["staging", "dev"]) {
    it(`${stack}: no sentinel in any declared input, output or log line`, async () => {
      const run = await declareOk(sentinelConfig(), { stack });
      const text = everythingInClear(run);
      for (const sentinel of SENTINELS.flatMap(forms)) {
        assert.ok(!text.includes(sentinel), `${sentinel} appears in clear`);
      }
      // The values are there, but only inside the secret marker.
      assert.ok(
        JSON.stringify(run.resources).includes(Buffer.from(SENTINELS[2]).toString("base64")),
      );
    });
  }

  it("stores generated values only as secrets too", async () => {
    const run = await declareOk(sentinelConfig());
    const generated = run.resources
      .filter((r) => r.type === "aws:secretsmanager/secretVersion:SecretVersion")
      .map((r) => JSON.stringify(r.inputs));
    assert.ok(generated.length > 0);
    for (const inputs of generated) {
      assert.match(
        inputs,
        /"secretString":\{"4dabf18193072939515e22adb298388d":"1b47061264138c4ac30d75fd1eb44270"/,
      );
    }
  });

  it("component resources carry no inputs at all", async () => {
    const run = await declareOk(sentinelConfig());
    const components = run.resources.filter((r) => !r.custom);
    assert.ok(components.length >= 3);
    for (const component of components) assert.deepEqual(component.inputs, {}, component.name);
  });

  it("with External Secrets delivery, no value reaches the Kubernetes provider at all", async () => {
    const config = {
      ...sentinelConfig(),
      delivery: "externalSecrets",
      externalSecrets: {
        storeRef: { name: "aws-secrets-manager", kind: "ClusterSecretStore" },
        store: { region: "us-east-1" },
      },
    };
    for (const stack of ["staging", "dev"]) {
      const run = await declareOk(config, { stack });
      const kubernetes = run.resources.filter((r) => r.type.startsWith("kubernetes:"));
      assert.ok(kubernetes.some((r) => r.type.endsWith(":ExternalSecret")));
      // Not even inside the secret marker: Pulumi's state of the Kubernetes provider holds no
      // value, encrypted or not (the generated ones included).
      const text = JSON.stringify(kubernetes.map((r) => r.inputs));
      assert.ok(!text.includes(SIG_KEY), `${stack}: a secret-marked input reaches Kubernetes`);
      for (const sentinel of SENTINELS) {
        for (const form of forms(sentinel)) assert.ok(!text.includes(form), `${stack}: ${form}`);
      }
      // The values travel to AWS only, as secrets.
      const aws = JSON.stringify(
        run.resources.filter((r) => r.type.startsWith("aws:secretsmanager")).map((r) => r.inputs),
      );
      assert.ok(aws.includes(SIG_KEY));
      const clear = everythingInClear(run);
      for (const sentinel of SENTINELS) assert.ok(!clear.includes(sentinel));
    }
  });

  it("no sentinel in the error of a refused config", async () => {
    const config = sentinelConfig();
    secretOf(config).versions["20250723110000"].other = SENTINELS[0];
    const run = await declare(config);
    assert.ok(run.error);
    const text = everythingInClear(run);
    for (const sentinel of SENTINELS) assert.ok(!text.includes(sentinel));
  });
});
