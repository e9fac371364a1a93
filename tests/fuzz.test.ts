/**
 * Stack files as a fuzzer writes them: names that are JavaScript's own (`constructor`,
 * `toString`, `__proto__`), numbers past every sane bound, a misspelled namespace, an empty
 * secrets map, a YAML alias bomb. Each gets either a working stack or a clear error naming
 * the field, never an internal error, and never a silently dropped value.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runProgram, stackConfigFromYaml } from "../offline";
import { main } from "../scripts/plan";
import {
  TYPES,
  assertRefused,
  baseConfig,
  declare,
  declareOk,
  find,
  kubeSecretValues,
  secretOf,
  workloadOf,
} from "./helpers";

/** A config object whose own keys come from JSON, as YAML and the CLI hand them over. */
const json = (text: string): any => JSON.parse(text);

describe("fuzzed stack files", () => {
  it("a secret named constructor is an ordinary secret", async () => {
    const config = baseConfig();
    config.secrets = json(JSON.stringify({ constructor: secretOf(config) }));
    for (const w of ["auth-service", "token-refresh"])
      workloadOf(config, w).secrets = ["constructor"];
    const run = await declareOk(config);
    assert.ok(
      run.resources.some(
        (r) => r.type === TYPES.kubeSecret && r.name === "constructor-20250723110000-k8s",
      ),
    );
  });

  it("a secret named __proto__ is refused by name, not dropped", async () => {
    const config = baseConfig();
    config.secrets = json(`{"__proto__": ${JSON.stringify(secretOf(config))}}`);
    config.workloads = {};
    assertRefused(await declare(config), "secrets.__proto__", "DNS-1123 subdomain");
  });

  it("version keys toString and constructor are stored like any key", async () => {
    const config = baseConfig();
    for (const id of Object.keys(secretOf(config).versions)) {
      secretOf(config).versions[id] = json(`{"toString":"t-${id}","constructor":"c-${id}"}`);
    }
    const run = await declareOk(config);
    const values = kubeSecretValues(
      find(run, TYPES.kubeSecret, "auth-api-secrets-20250723110000-k8s"),
    );
    assert.deepEqual(values, {
      constructor: "c-20250723110000",
      toString: "t-20250723110000",
    });
  });

  it("a version key __proto__ is refused, saying why, instead of vanishing on the wire", async () => {
    const config = baseConfig();
    secretOf(config).versions["20250723110000"] = json('{"api_token":"x","__proto__":"y"}');
    assertRefused(
      await declare(config),
      "secrets.auth-api-secrets.versions.20250723110000.__proto__",
      "cannot be named __proto__",
    );
  });

  it("a generated key named toString is generated, and no version key is mistaken for one", async () => {
    const config = baseConfig();
    secretOf(config).generate = json('{"toString":{"length":16}}');
    const run = await declareOk(config);
    assert.ok(
      run.resources.some(
        (r) => r.type === TYPES.generator && r.name.endsWith("-toString-generated"),
      ),
    );
  });

  for (const [name, edit, field, says] of [
    [
      "retentionDays: 1000000000",
      (c: any) => (c.retentionDays = 1000000000),
      "retentionDays",
      "from 1 to 3650",
    ],
    [
      "a per-secret retentionDays: 1e9",
      (c: any) => (secretOf(c).retentionDays = 1e9),
      "secrets.auth-api-secrets.retentionDays",
      "from 1 to 3650",
    ],
    [
      "soakHours: 10000000000",
      (c: any) => (c.promotion = { fromStack: "acme/secret-rotation/staging", soakHours: 1e10 }),
      "promotion.soakHours",
      "from 0 to 8760",
    ],
  ] as const) {
    it(`${name} is refused by name, not turned into an invalid date`, async () => {
      const config = baseConfig();
      edit(config);
      assertRefused(
        await declare(config, { stack: field.startsWith("promotion") ? "production" : "staging" }),
        field,
        says,
      );
    });
  }

  it("keys under a misspelled namespace are refused, naming the key and the right name", async () => {
    const text = fs
      .readFileSync(path.join(__dirname, "..", "Pulumi.staging.yaml"), "utf8")
      .replace(/secret-rotation:secrets:/, "secret_rotation:secrets:");
    const run = await runProgram({
      stack: "staging",
      config: stackConfigFromYaml(text),
      now: "20261124000000",
    });
    assert.ok(run.error, "a typo must not read as an empty stack");
    assert.match(
      run.error.message,
      /secret_rotation:secrets: the namespace "secret_rotation" looks like a misspelling of "secret-rotation"/,
    );
    assert.match(
      run.error.message,
      /secret-rotation:secrets: is empty: a staging stack must declare at least one secret/,
    );
    assert.deepEqual(run.resources, []);
    const unrelated = stackConfigFromYaml(
      "config:\n  aws:region: us-east-1\n  kubernetes:context: kind\n",
    );
    const fine = await runProgram({ stack: "dev", config: unrelated, now: "20261124000000" });
    assert.equal(fine.error, undefined, "dev without secrets, other namespaces: fine");
  });

  it("a versioned stack with no secrets is refused: teardown is pulumi destroy", async () => {
    const config = baseConfig();
    config.secrets = {};
    config.workloads = {};
    for (const stack of ["staging", "production"]) {
      assertRefused(await declare(config, { stack }), "secrets", "pulumi destroy");
    }
  });

  it("a YAML alias bomb is refused naming the file and the first alias", () => {
    const rows = ["config:", "  a: &a [x,x,x,x,x,x,x,x,x]"];
    for (const [name, prev] of [
      ["b", "a"],
      ["c", "b"],
      ["d", "c"],
      ["e", "d"],
    ]) {
      rows.push(`  ${name}: &${name} [${Array(9).fill(`*${prev}`).join(",")}]`);
    }
    assert.throws(
      () => stackConfigFromYaml(rows.join("\n"), "Pulumi.bomb.yaml"),
      /^Error: Pulumi.bomb.yaml:3:\d+ \(first alias\): Excessive alias count/,
    );
  });

  it("promotion given as a string, with --staging-outputs, is a config error naming promotion", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fuzz-"));
    try {
      const text = fs
        .readFileSync(path.join(__dirname, "..", "Pulumi.production.yaml"), "utf8")
        .replace(
          / {2}secret-rotation:promotion:\n {4}fromStack: .*\n {4}soakHours: 24\n/,
          "  secret-rotation:promotion: acme/secret-rotation/staging\n",
        );
      assert.match(text, /secret-rotation:promotion: acme/);
      const outputs = path.join(dir, "staging.json");
      fs.writeFileSync(outputs, JSON.stringify({ secrets: {} }));
      const err: string[] = [];
      const stackFile = path.join(__dirname, "..", "Pulumi.fuzzpromo.yaml");
      // The plan reads Pulumi.<stack>.yaml beside the program: a stack of its own, removed after.
      fs.writeFileSync(stackFile, text);
      try {
        const code = await main(
          ["node", "plan", "fuzzpromo", "--staging-outputs", outputs, "--at", "20261201000000"],
          {
            out: () => undefined,
            err: (t) => err.push(t),
          },
        );
        assert.equal(code, 1);
        assert.match(
          err.join("\n"),
          /secret-rotation:promotion: must be an object \{ fromStack, soakHours, override \}/,
        );
      } finally {
        fs.rmSync(stackFile);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
