/**
 * Rules the stack-file fuzzer (bench/fuzzStacks.ts, bench/fuzz/) found the plan missing, and
 * the upstream readings its verdicts rest on. Each is modelled from its upstream source.
 * Versions: kubernetes pkg/apis/core/validation/validation.go (master as indexed), gopkg.in/yaml.v3
 * v3.0.1, pulumi v3.248.0.
 */
import { strict as assert } from "assert";
import { imageProblem } from "../config/rules";
import { pulumiIntegerVerdict } from "../bench/fuzz/rules";
import { stackConfigFromYaml } from "../offline";
import { assertRefused, baseConfig, declare, declareOk, workloadOf } from "./helpers";

describe("engine rules: a container image without surrounding whitespace (kubernetes pkg/apis/core/validation/validation.go validateContainersOnlyForPod)", () => {
  it("refuses an image with a leading or trailing blank, which every pod of the Deployment would be refused for", async () => {
    for (const image of [" registry.example.com/a:1", "registry.example.com/a:1 ", "a:1\t"]) {
      const config = baseConfig();
      workloadOf(config, "auth-service").image = image;
      assertRefused(
        await declare(config),
        "workloads.auth-service.image",
        "leading or trailing whitespace",
      );
    }
  });

  it("accepts any image reference without one, as the API server does not parse images", async () => {
    assert.equal(imageProblem("localhost:5000/a@sha256:" + "f".repeat(64)), undefined);
    assert.equal(imageProblem("a b"), undefined);
    // Go's strings.TrimSpace trims U+0085 (unicode.IsSpace), which JavaScript's trim keeps.
    assert.match(imageProblem("a:1\u0085") ?? "", /whitespace/);
    const config = baseConfig();
    workloadOf(config, "token-refresh").image =
      "registry.example.com/token-refresh@sha256:" + "0".repeat(64);
    await declareOk(config);
  });
});

describe("engine rules: a stack-file key written twice alike (gopkg.in/yaml.v3 v3.0.1 decode.go decoder.mapping)", () => {
  it("names the config path of the duplicate, not only its line", () => {
    const text = [
      "config:",
      "  secret-rotation:workloads:",
      "    web:",
      "      kind: Deployment",
      "      image: a:1",
      "      image: a:2",
    ].join("\n");
    assert.throws(
      () => stackConfigFromYaml(text, "Pulumi.staging.yaml"),
      /Pulumi\.staging\.yaml:6:7: secret-rotation:workloads\.web\.image is written twice in one map \(first at 5:7\)/,
    );
  });
});

describe("engine rules: the Pulumi CLI's integer config type (pulumi v3.248.0 sdk/go/common/workspace/project.go ValidateConfigValue, resource/config/object.go MarshalString; yaml.v3 resolve.go)", () => {
  const any = () => true;
  it("checks the text with strconv.Atoi: a quoted value as written", () => {
    assert.equal(pulumiIntegerVerdict("'7'", any), "accepted");
    assert.equal(pulumiIntegerVerdict("'+7'", any), "accepted");
    for (const yaml of ["''", "' 7 '", "'7.0'", "'1e1'", "'0x10'", "'1_0'", "true"]) {
      assert.equal(pulumiIntegerVerdict(yaml, any), "refused", yaml);
    }
  });

  it("sees an unquoted number as its JSON (7.0 is 7, 1e1 is 10, 0x10 is 16, 1_0 is 10), and cannot marshal NaN or Inf", () => {
    for (const yaml of ["7.0", "1e1", "0x10", "1_0", "+7", "007"]) {
      assert.equal(pulumiIntegerVerdict(yaml, any), "accepted", yaml);
    }
    assert.equal(
      pulumiIntegerVerdict("010", (n) => n === 8),
      "accepted",
    );
    for (const yaml of [".nan", ".inf", "-.inf", "7.5"]) {
      assert.equal(pulumiIntegerVerdict(yaml, any), "refused", yaml);
    }
  });
});
