/**
 * Scalars as the real systems read them, which the mock runtime does not: Pulumi's
 * `type: integer` config check, NaN and infinity in a stack file, YAML merge keys (rollout
 * percentages, ARNs and plain numbers: tests/engineRulesNumbers.test.ts). Each is modelled
 * from its upstream source and the program's check (or the offline reader) is held to it at
 * the boundary.
 * Versions: pulumi v3.248.0 (sdk/go/common/workspace, sdk/go/common/resource/config),
 * gopkg.in/yaml.v3 v3.0.1 (decode.go).
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { runProgram, stackConfigFromYaml } from "../offline";
import {
  TYPES,
  assertRefused,
  baseConfig,
  declare,
  declareOk,
  inputsOf,
  ofType,
  secretOf,
} from "./helpers";

const STAGING_FILE = path.join(__dirname, "..", "Pulumi.staging.yaml");
const staging = () => fs.readFileSync(STAGING_FILE, "utf8");

/** Runs the program on a stack file's text, as `npm run plan` does. */
const runFile = (text: string) =>
  runProgram({ stack: "staging", config: stackConfigFromYaml(text), now: "20261124000000" });

describe("engine rules: Pulumi's type: integer (pulumi sdk/go/common/workspace/project.go ValidateConfigValue, config.go validateStackConfigValue, v3.248.0)", () => {
  const KEYS = ["retentionDays", "awsRecoveryWindowDays"] as const;

  it("Pulumi.yaml declares retentionDays and awsRecoveryWindowDays as type: integer", () => {
    const project = YAML.parse(
      fs.readFileSync(path.join(__dirname, "..", "Pulumi.yaml"), "utf8"),
    ) as { config: Record<string, { type: string }> };
    for (const key of KEYS) assert.equal(project.config[`secret-rotation:${key}`].type, "integer");
  });

  // The CLI hands a scalar's text to ValidateConfigValue, which takes it only when
  // strconv.Atoi parses it: digits with an optional sign, and nothing else.
  for (const text of ["", " 7 ", "7 ", "7.0", "1e1", "0x10", "1_0", "7days"]) {
    for (const key of KEYS) {
      it(`refuses ${JSON.stringify(text)} for ${key}, naming the field, before any resource`, async () => {
        const config = baseConfig();
        config[key] = text;
        const message = assertRefused(
          await declare(config),
          key,
          `${JSON.stringify(text)} is not allowed`,
          `declares secret-rotation:${key} as type integer`,
        );
        assert.match(message, /no spaces, decimal point, exponent or 0x/);
      });
    }
  }

  it('accepts what strconv.Atoi accepts: "7", "+7", "007" (then the program\'s own range)', async () => {
    for (const text of ["7", "+7", "007", "0030"]) {
      const config = baseConfig();
      config.retentionDays = text;
      config.awsRecoveryWindowDays = text === "7" ? "0" : text;
      const run = await declare(config);
      assert.equal(run.error, undefined, `${text}: ${run.error?.message}`);
    }
    const zero = baseConfig();
    zero.awsRecoveryWindowDays = "-0";
    const run = await declare(zero);
    assert.equal(run.error, undefined, run.error?.message);
    const config = baseConfig();
    config.retentionDays = "-7";
    assertRefused(await declare(config), "retentionDays", "whole number of days from 1 to 3650");
  });

  it("a YAML number is written out by encoding/json before the check: unquoted 7.0 and 1e1 pass (as 7 and 10), quoted they are refused", async () => {
    const numbers = staging()
      .replace("secret-rotation:retentionDays: 7", "secret-rotation:retentionDays: 7.0")
      .replace(
        "secret-rotation:awsRecoveryWindowDays: 7",
        "secret-rotation:awsRecoveryWindowDays: 1e1",
      );
    const parsed = stackConfigFromYaml(numbers);
    assert.equal(parsed.config["secret-rotation:retentionDays"], "7");
    assert.equal(parsed.config["secret-rotation:awsRecoveryWindowDays"], "10");
    const run = await runFile(numbers);
    assert.equal(run.error, undefined, run.error?.message);

    const quoted = staging().replace(
      "secret-rotation:retentionDays: 7",
      'secret-rotation:retentionDays: "7.0"',
    );
    const refused = await runFile(quoted);
    assert.match(
      refused.error?.message ?? "",
      /secret-rotation:retentionDays: "7\.0" is not allowed/,
    );
    assert.deepEqual(refused.resources, []);
  });

  it("per-secret retentionDays, a key Pulumi does not check (not declared in Pulumi.yaml), takes the same text; null means the stack's", async () => {
    const config = baseConfig();
    secretOf(config).retentionDays = " 7 ";
    assertRefused(
      await declare(config),
      "secrets.auth-api-secrets.retentionDays",
      '" 7 " is not allowed',
      "the rule of secret-rotation:retentionDays",
    );
    for (const value of [null, 7, "+7"]) {
      const ok = baseConfig();
      secretOf(ok).retentionDays = value;
      await declareOk(ok);
    }
  });
});

describe('engine rules: NaN and infinity in a stack file (pulumi sdk/go/common/resource/config/value.go Value.UnmarshalYAML -> object.go MarshalString -> encoding/json "unsupported value", v3.248.0)', () => {
  const cases = [
    {
      field: "secret-rotation:secrets.auth-api-secrets.generate.api_token.length",
      edit: (t: string) => t.replace("api_token: { length: 48 }", "api_token: { length: .nan }"),
      line: 14,
    },
    {
      field: "secret-rotation:workloads.auth-service.replicas",
      edit: (t: string) => t.replace("replicas: 2", "replicas: .inf"),
      line: 25,
    },
    {
      field: "secret-rotation:retentionDays",
      edit: (t: string) => t.replace("retentionDays: 7", "retentionDays: -.Inf"),
      line: 8,
    },
  ];
  for (const { field, edit, line } of cases) {
    it(`refuses a non-finite ${field.split(".").pop()} naming the config path and the line (it used to read as null, the default)`, () => {
      const text = edit(staging());
      assert.notEqual(text, staging());
      assert.throws(
        () => stackConfigFromYaml(text, "Pulumi.staging.yaml"),
        (err: Error) => {
          assert.match(err.message, new RegExp(`^Pulumi\\.staging\\.yaml:${line}:\\d+: `));
          assert.ok(err.message.includes(`: ${field} is `), err.message);
          assert.match(err.message, /JSON has no NaN or infinity/);
          return true;
        },
      );
    });
  }

  it("refuses one brought in by an alias (promotion.soakHours: *n), naming the config path", () => {
    const text = [
      "anchors:",
      "  n: &n .NaN",
      "config:",
      "  secret-rotation:promotion: { fromStack: acme/secret-rotation/staging, soakHours: *n }",
    ].join("\n");
    assert.throws(
      () => stackConfigFromYaml(text, "Pulumi.production.yaml"),
      /^Error: Pulumi\.production\.yaml: secret-rotation:promotion\.soakHours is NaN, which Pulumi refuses/,
    );
  });

  it('reads a quoted ".nan" as text, which the program refuses by name', async () => {
    const run = await runFile(staging().replace("replicas: 2", 'replicas: ".nan"'));
    assert.match(run.error?.message ?? "", /secret-rotation:workloads\.auth-service\.replicas: /);
    assert.deepEqual(run.resources, []);
  });
});

describe("engine rules: YAML merge keys (gopkg.in/yaml.v3 decode.go decoder.mapping / decoder.merge, isMerge, v3.0.1)", () => {
  /** The staging file with the Deployment's fields partly taken from an anchored map. */
  const merged = (workload: string[]) =>
    staging().replace(
      / {4}auth-service:\n(?: {6}.*\n)+/,
      ["    auth-service:", ...workload.map((l) => `      ${l}`), ""].join("\n"),
    );
  const DEFAULTS =
    "x-defaults: &defaults { kind: Deployment, image: registry.example.com/auth-service:1.8.0, replicas: 2, port: 8080, secrets: [auth-api-secrets] }";

  it("resolves <<: *defaults in a workload, and the workload's own keys win wherever they stand", async () => {
    for (const workload of [
      ["<<: *defaults", "replicas: 3"],
      ["replicas: 3", "<<: *defaults"],
      ["<<: [{ replicas: 3 }, *defaults]"],
    ]) {
      const text = merged(workload).replace("config:\n", `${DEFAULTS}\nconfig:\n`);
      const workloads = JSON.parse(
        stackConfigFromYaml(text).config["secret-rotation:workloads"],
      ) as Record<string, Record<string, unknown>>;
      assert.equal(workloads["auth-service"].replicas, 3, workload.join("; "));
      assert.equal(workloads["auth-service"].kind, "Deployment");
      assert.ok(!("<<" in workloads["auth-service"]));
      const run = await runFile(text);
      assert.equal(run.error, undefined, run.error?.message);
      const deployment = ofType(run, TYPES.deployment).find((d) =>
        d.name.startsWith("auth-service"),
      );
      assert.equal(inputsOf(deployment!).spec.replicas, 3);
    }
  });

  it("refuses a merge of something that is not a map, naming the path and line", () => {
    const text = merged(["<<: registry.example.com", "kind: Deployment"]);
    assert.throws(
      () => stackConfigFromYaml(text, "Pulumi.staging.yaml"),
      /^Error: Pulumi\.staging\.yaml:23:7: secret-rotation:workloads\.auth-service\.<<: a merge key \(<<\) takes a map.*"map merge requires map or sequence of maps as the value"/,
    );
  });

  it('refuses << written twice in one map, or << and "<<" (decoder.mapping compares every key by its text)', () => {
    for (const second of ["<<", '"<<"']) {
      const text = merged(["<<: { kind: Deployment }", `${second}: { replicas: 3 }`]);
      assert.throws(
        () => stackConfigFromYaml(text, "Pulumi.staging.yaml"),
        /^Error: Pulumi\.staging\.yaml:24:7: secret-rotation:workloads\.auth-service\.<< is written twice in one map \(first at 23:7\)/,
      );
    }
  });

  it('a quoted "<<" is an ordinary key (isMerge takes only a plain <<), so the program reports an unknown field', async () => {
    const text = merged(['"<<": { replicas: 3 }', "kind: Deployment"]);
    const run = await runFile(text);
    assert.match(
      run.error?.message ?? "",
      /secret-rotation:workloads\.auth-service\.<<: unknown field/,
    );
  });
});
