/**
 * Limits the real systems enforce on names and keys, which the mock runtime does not: CloudWatch
 * PutMetricAlarm's field limits. Each is modelled from its upstream source and the program's
 * check is held to it at the boundary.
 * Versions: terraform-provider-aws main 055611a6 (internal/service/cloudwatch/metric_alarm.go),
 * CloudWatch API reference (PutMetricAlarm, Dimension).
 */
import { strict as assert } from "assert";
import {
  evaluationSpanProblem,
  dimensionNameProblem,
  dimensionValueProblem,
  namespaceProblem,
} from "../config/contract/monitor";
import { Problems } from "../core/problems";
import { checkUniqueUrns, declaredNames } from "../config/urns";
import { parseStackConfig } from "../config/parse";
import { versionIdToDate } from "../plan/lifecycle";
import { stackConfigFromYaml } from "../offline";
import {
  type TestConfig,
  assertRefused,
  baseConfig,
  declare,
  goodMonitor,
  secretOf,
} from "./helpers";

const monitor = (fields: Record<string, unknown>) => ({ ...goodMonitor(), ...fields });

describe("engine rules: CloudWatch alarm fields (terraform-provider-aws internal/service/cloudwatch/metric_alarm.go resourceMetricAlarm, 055611a6; CloudWatch API Dimension)", () => {
  it("accepts a namespace and metricName of 255 characters and a dimension value of 1024 (StringLenBetween(1, 255); Dimension.Value 1 to 1024)", async () => {
    const config = baseConfig();
    secretOf(config).monitor = monitor({
      namespace: "N".repeat(255),
      metricName: "M".repeat(255),
      dimensions: { ["D".repeat(255)]: "v".repeat(1024) },
    });
    const run = await declare(config);
    assert.equal(run.error, undefined);
  });

  it("refuses one byte more, and a namespace starting with a colon (API Namespace pattern `[^:].*`; terraform StringMatch is unanchored)", async () => {
    assert.match(
      namespaceProblem("N".repeat(256)) ?? "",
      /256 characters; CloudWatch allows at most 255/,
    );
    assert.match(namespaceProblem(":Payments") ?? "", /starts with ":"/);
    // The CloudWatch concepts page lists ":" among a namespace's characters.
    assert.equal(namespaceProblem("Acme:Payments"), undefined);
    assert.equal(namespaceProblem("Acme/Payments"), undefined);
    // StringLenBetween counts bytes (Go len()): 200 "é" are 400 bytes.
    assert.match(
      namespaceProblem("é".repeat(200)) ?? "",
      /400 bytes in UTF-8; CloudWatch allows at most 255/,
    );
    assert.match(dimensionValueProblem("v".repeat(1025)) ?? "", /at most 1024/);
    const config = baseConfig();
    secretOf(config).monitor = monitor({ metricName: "M".repeat(256) });
    assertRefused(await declare(config), "secrets.auth-api-secrets.monitor.metricName");
  });

  it("bounds period × evaluationPeriods as PutMetricAlarm's Period reference says: one day under an hour, seven days from an hour", () => {
    assert.equal(evaluationSpanProblem(60, 1440), undefined);
    assert.match(evaluationSpanProblem(60, 1441) ?? "", /more than one day/);
    assert.equal(evaluationSpanProblem(3600, 48), undefined);
    assert.equal(evaluationSpanProblem(3600, 168), undefined);
    assert.match(evaluationSpanProblem(3600, 169) ?? "", /more than seven days/);
    assert.equal(evaluationSpanProblem(86400, 7), undefined);
    assert.match(evaluationSpanProblem(86400, 8) ?? "", /more than seven days/);
  });

  it("refuses dimension names CloudWatch refuses: blank, starting with a colon, non-ASCII, over 255 (API Dimension.Name)", () => {
    assert.match(dimensionNameProblem("") ?? "", /empty dimension name/);
    assert.match(dimensionNameProblem("  ") ?? "", /empty dimension name/);
    assert.match(dimensionNameProblem(":Service") ?? "", /cannot start with/);
    assert.match(dimensionNameProblem("Serviço") ?? "", /printable ASCII/);
    assert.match(dimensionNameProblem("D".repeat(256)) ?? "", /at most 255/);
    assert.equal(dimensionNameProblem("Service:Name"), undefined);
    assert.match(dimensionValueProblem("tab\there") ?? "", /printable ASCII/);
  });
});

const V = "20250723110000";

/** Two secrets whose generators build one name: `a` + `b-V-x` and `a-V-b` + `x`. */
function collidingGenerators(): TestConfig {
  const config = baseConfig();
  const secrets = config.secrets as Record<string, unknown>;
  secrets.a = { active: V, versions: { [V]: {} }, generate: { [`b-${V}-x`]: { length: 32 } } };
  secrets[`a-${V}-b`] = { active: V, versions: { [V]: {} }, generate: { x: { length: 32 } } };
  return config;
}

describe('engine rules: no two declared resources share a URN (pulumi pkg/resource/deploy/step_generator.go generateURN "Duplicate resource URN", sdk/go/common/resource/urn/urn.go New, v3.248.0)', () => {
  it("refuses generators of two secrets that build one name, naming both config paths, before any resource", async () => {
    const message = assertRefused(
      await declare(collidingGenerators()),
      `secrets.a-${V}-b.generate.x`,
      `"a-${V}-b-${V}-x-generated"`,
      `secrets.a.generate.b-${V}-x also declares`,
      "Duplicate resource URN",
    );
    assert.match(message, /rename one of them/);
  });

  it("accepts the same names under different types or versions (the URN holds the qualified type)", async () => {
    const config = collidingGenerators();
    secretOf(config, `a-${V}-b`).versions = { "20250715100000": {} };
    secretOf(config, `a-${V}-b`).active = "20250715100000";
    const run = await declare(config);
    assert.equal(run.error, undefined);
  });

  it("lists a name for every resource family the program declares, and the committed shapes do not collide", () => {
    const config = baseConfig();
    secretOf(config).generate = { signing_key: { length: 32 } };
    secretOf(config).monitor = monitor({});
    (config.workloads as Record<string, unknown>).billing = {
      owner: "external",
      kind: "Deployment",
      namespace: "staging",
      containers: ["api"],
      secrets: ["auth-api-secrets"],
    };
    const spec = parseStackConfig(
      config,
      { stack: "staging", now: versionIdToDate("20250801000000") },
      (v) => v,
    );
    const names = declaredNames(spec);
    const kinds = new Set(names.map((n) => n.type.split("$").pop()));
    for (const type of [
      "secret-rotation:secrets:RotatedSecret",
      "random:index/randomPassword:RandomPassword",
      "aws:secretsmanager/secret:Secret",
      "aws:secretsmanager/secretVersion:SecretVersion",
      "kubernetes:core/v1:Secret",
      "aws:cloudwatch/metricAlarm:MetricAlarm",
      "kubernetes:apps/v1:Deployment",
      "kubernetes:core/v1:Service",
      "kubernetes:batch/v1:CronJob",
      "kubernetes:apps/v1:DeploymentPatch",
    ]) {
      assert.ok(kinds.has(type), type);
    }
    const p = new Problems();
    checkUniqueUrns(p, names);
    assert.deepEqual(p.list, []);
  });

  it("compares the qualified type, not the name alone", () => {
    const p = new Problems();
    checkUniqueUrns(p, [
      { type: "T$A", name: "n", path: "one" },
      { type: "T$B", name: "n", path: "two" },
      { type: "T$A", name: "n", path: "three" },
      { type: "T$A", name: "n", path: "three" },
    ]);
    assert.deepEqual(
      p.list.map((x) => x.path),
      ["three"],
    );
  });
});

describe('engine rules: a key written twice in one YAML map (gopkg.in/yaml.v3 decode.go decoder.mapping "mapping key already defined", v3.0.1)', () => {
  const file = (first: string, second: string) =>
    [
      "config:",
      "  secret-rotation:secrets:",
      "    auth-api-secrets:",
      '      active: "20250101000000"',
      "      versions:",
      `        ${first}:`,
      "          api_token: one",
      `        ${second}:`,
      "          api_token: two",
      "",
    ].join("\n");

  it("refuses a version id written quoted and unquoted, naming the config path and both lines", () => {
    assert.throws(
      () => stackConfigFromYaml(file('"20250101000000"', "20250101000000"), "Pulumi.staging.yaml"),
      (err: Error) => {
        assert.match(
          err.message,
          /^Pulumi\.staging\.yaml:8:9: secret-rotation:secrets\.auth-api-secrets\.versions\.20250101000000 is written twice in one map \(first at 6:9\)/,
        );
        assert.match(err.message, /already defined/);
        return true;
      },
    );
  });

  it("still reads two different ids, and keeps both", () => {
    const config = stackConfigFromYaml(file('"20250101000000"', "20250102000000"));
    const secrets = JSON.parse(config.config["secret-rotation:secrets"]) as Record<string, any>;
    assert.deepEqual(Object.keys(secrets["auth-api-secrets"].versions), [
      "20250101000000",
      "20250102000000",
    ]);
  });
});
