/**
 * What the Pulumi CLI tells a program about secret config, which the mock runtime takes as
 * given: every value decrypted, and only the list of keys holding a `secure:` value anywhere
 * inside (pkg/resource/deploy/source_eval.go evalSource.Iterate `Target.Config.SecureKeys()`;
 * sdk/go/common/resource/config/object.go `object.Secure`: a map is secure when any value inside
 * is; sdk/nodejs/cmd/pulumi-language-nodejs/main.go constructConfigSecretKeys →
 * PULUMI_CONFIG_SECRET_KEYS → sdk/nodejs/runtime/config.ts isConfigSecret; pulumi v3.248.0).
 * So the program can tell a plain secret value only when the whole `secrets` key is not secret.
 */
import { strict as assert } from "assert";
import { oneVersionStackFile } from "./helpers";
import { runProgram, stackConfigFromYaml } from "../offline";

const PLAIN = "plain-hunter2-do-not-print";

describe("engine rules: config secret keys (pulumi sdk/go/common/resource/config/object.go object.Secure, map.go Map.SecureKeys; sdk/nodejs/runtime/config.ts isConfigSecret; v3.248.0)", () => {
  it("a key holding one secure value among plain ones is secret as a whole (Map.SecureKeys over object.Secure)", () => {
    const mixed = stackConfigFromYaml(
      oneVersionStackFile({ api_token: PLAIN, other: "{ secure: v1:AAAABBBB }" }),
    );
    assert.deepEqual(mixed.secretKeys, ["secret-rotation:secrets"]);
    assert.equal(
      stackConfigFromYaml(oneVersionStackFile({ api_token: PLAIN })).secretKeys.length,
      0,
    );
  });

  it("the program warns from the secret keys it is handed (isConfigSecret): none secret means every configured value is plain; a secret key hides which are", async () => {
    const { config } = stackConfigFromYaml(oneVersionStackFile({ api_token: PLAIN }));
    const plain = await runProgram({
      stack: "staging",
      config: { config, secretKeys: [] },
      now: "20261201000000",
    });
    assert.equal(plain.error, undefined);
    assert.equal(plain.logs.filter((l) => l.includes("is not encrypted")).length, 1);
    assert.ok(!plain.logs.join("\n").includes(PLAIN), "the value never appears");
    const secret = await runProgram({
      stack: "staging",
      config: { config, secretKeys: ["secret-rotation:secrets"] },
      now: "20261201000000",
    });
    assert.equal(secret.error, undefined);
    assert.deepEqual(
      secret.logs.filter((l) => l.includes("is not encrypted")),
      [],
      "the key is secret: the program cannot tell a plain value inside",
    );
  });

  it("a secure value anywhere outside secrets (a workload's env) is refused, naming the key: the program would write it in clear", async () => {
    const yaml = [
      oneVersionStackFile({ api_token: "{ secure: v1:AAAABBBB }" }),
      "  secret-rotation:workloads:",
      "    api:",
      "      kind: Deployment",
      "      image: api:1",
      "      port: 8080",
      "      strategy: blueGreen",
      "      secrets: [auth-api-secrets]",
      "      env:",
      "        DB_PASSWORD: { secure: v1:CCCCDDDD }",
    ].join("\n");
    const stackConfig = stackConfigFromYaml(yaml);
    assert.deepEqual([...stackConfig.secretKeys].sort(), [
      "secret-rotation:secrets",
      "secret-rotation:workloads",
    ]);
    const run = await runProgram({ stack: "staging", config: stackConfig, now: "20261201000000" });
    assert.match(
      run.error?.message ?? "",
      /secret-rotation:workloads: holds a secure value, but only secret-rotation:secrets keeps values secret/,
    );
    assert.deepEqual(
      run.resources.filter((r) => r.type !== "pulumi:pulumi:Stack"),
      [],
    );
  });

  it("a value under a refused secret key is not quoted in any other problem, and the advice fits the key", async () => {
    const { config } = stackConfigFromYaml(
      oneVersionStackFile({ api_token: "{ secure: v1:AAAA }" }),
    );
    const workloads = {
      api: { kind: "Deployment", image: "api:1", replicas: PLAIN, secrets: ["auth-api-secrets"] },
    };
    const run = await runProgram({
      stack: "staging",
      config: {
        config: {
          ...config,
          "secret-rotation:workloads": JSON.stringify(workloads),
          "secret-rotation:awsKmsKeyId": PLAIN,
        },
        secretKeys: [
          "secret-rotation:secrets",
          "secret-rotation:workloads",
          "secret-rotation:awsKmsKeyId",
        ],
      },
      now: "20261201000000",
    });
    const message = run.error?.message ?? "";
    assert.match(
      message,
      /secret-rotation:workloads: holds a secure value.*link that secret to the workload/,
    );
    assert.match(
      message,
      /secret-rotation:awsKmsKeyId: holds a secure value.*set it without --secret/,
    );
    assert.match(
      message,
      /workloads\.api\.replicas: .*the value \(not shown: secret-rotation:workloads is a secret key\)/,
    );
    assert.ok(!message.includes(PLAIN), message);
  });
});
