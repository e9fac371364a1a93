/**
 * Engine rules for numbers and text as they reach the program: rollout percentages, alarm
 * action ARNs, plain numbers as yaml.v3 reads them, timestamps and out-of-range floats. Each
 * block names the upstream source it pins. Versions: gopkg.in/yaml.v3 v3.0.1 (resolve.go,
 * decode.go), Kubernetes master (pkg/apis/apps/validation/validation.go, apimachinery
 * pkg/util/validation/validation.go), terraform-provider-aws main (internal/service/cloudwatch,
 * internal/verify/validate.go).
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { arnProblem } from "../config/rules";
import { PROJECT_DIR, runProgram, stackConfigFromYaml } from "../offline";
import { emptyConfigWarning } from "../offline/stackFiles";
import { yamlV3Number, yamlV3Timestamp } from "../offline/yamlV3Scalars";
import {
  TYPES,
  assertRefused,
  baseConfig,
  declare,
  declareOk,
  find,
  goodMonitor,
  inputsOf,
  ofType,
  secretOf,
  workloadOf,
  runPlan,
} from "./helpers";

describe("engine rules: rollout percentages (Kubernetes pkg/apis/apps/validation/validation.go ValidateRollingUpdateDeployment, IsNotMoreThan100Percent; apimachinery pkg/util/validation/validation.go IsValidPercent)", () => {
  it('accepts maxSurge "150%" (no cap on maxSurge) and declares it as given', async () => {
    const config = baseConfig();
    workloadOf(config, "auth-service").rollout = { maxUnavailable: 0, maxSurge: "150%" };
    const run = await declareOk(config);
    const deployment = ofType(run, TYPES.deployment).find((d) => d.name.startsWith("auth-service"));
    assert.deepEqual(inputsOf(deployment!).spec.strategy.rollingUpdate, {
      maxUnavailable: 0,
      maxSurge: "150%",
    });
  });

  it('refuses maxUnavailable "150%" (at most 100%), and percentages IsValidPercent refuses', async () => {
    const refused = async (rollout: Record<string, unknown>, field: string, ...says: string[]) => {
      const config = baseConfig();
      workloadOf(config, "auth-service").rollout = rollout;
      assertRefused(await declare(config), `workloads.auth-service.rollout.${field}`, ...says);
    };
    await refused({ maxUnavailable: "150%" }, "maxUnavailable", "at most 100%");
    await refused({ maxSurge: "25.5%" }, "maxSurge", '"150%"');
    await refused({ maxSurge: " 25%" }, "maxSurge");
    await refused({ maxSurge: "-5%" }, "maxSurge");
  });

  it('counts "00%" as zero (getIntOrPercentValue): both zero cannot progress', async () => {
    const config = baseConfig();
    workloadOf(config, "auth-service").rollout = { maxUnavailable: "00%", maxSurge: 0 };
    assertRefused(await declare(config), "workloads.auth-service.rollout", "cannot both be 0");
  });
});

describe("engine rules: alarm action ARNs (terraform-provider-aws internal/service/cloudwatch/metric_alarm.go alarm_actions validation.Any(verify.ValidARN, validEC2AutomateARN); internal/verify/validate.go ValidARNCheck; CloudWatch PutMetricAlarm AlarmActions)", () => {
  it("accepts every action form the PutMetricAlarm reference lists", () => {
    for (const arn of [
      "arn:aws:automate:us-east-1:ec2:stop",
      "arn:aws:automate:eu-west-2:ec2:terminate",
      "arn:aws:automate:us-east-1:ec2:reboot",
      "arn:aws:automate:us-east-1:ec2:recover",
      "arn:aws:swf:us-east-1:123456789012:action/actions/AWS_EC2.InstanceId.Stop/1.0",
      "arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:0c1ab2cd-3456-789e-f012-34567890abcd:autoScalingGroupName/web:policyName/up",
      "arn:aws:lambda:us-east-1:123456789012:function:notify:live",
      "arn:aws:sns:us-east-1:123456789012:oncall",
      "arn:aws:ssm:us-east-1:123456789012:opsitem:3#CATEGORY=Security",
      "arn:aws:ssm-incidents::123456789012:responseplan/pager",
      "arn:aws-cn:sns:cn-north-1:123456789012:oncall",
      "arn:aws-us-gov:sns:us-gov-west-1:123456789012:oncall",
    ]) {
      assert.equal(arnProblem(arn), undefined, arn);
    }
  });

  it("refuses what both rules refuse, saying which part is wrong", () => {
    const cases: [string, RegExp][] = [
      ["oncall@example.com", /does not start with arn:/],
      ["arn:aws:automate:us-east-1:ec2:hibernate", /the account "ec2"/],
      ["arn:aws:sns:us-east-1:12345:oncall", /the account "12345"/],
      ["arn:azure:sns:us-east-1:123456789012:oncall", /the partition "azure"/],
      ["arn:aws:sns:useast1:123456789012:oncall", /the region "useast1"/],
      ["arn:aws:sns:us-east-1:123456789012:", /the resource part is empty/],
      ["arn:aws:sns:us-east-1", /fewer than six/],
      [`arn:aws:sns:us-east-1:123456789012:${"t".repeat(1000)}`, /at most 1024/],
    ];
    for (const [arn, why] of cases) assert.match(arnProblem(arn) ?? "", why, arn);
  });

  it("declares an alarm whose action is an EC2 action (it used to be refused)", async () => {
    const config = baseConfig();
    secretOf(config).monitor = {
      ...goodMonitor(),
      alarmActions: ["arn:aws:automate:us-east-1:ec2:reboot"],
    };
    const run = await declareOk(config);
    const alarm = ofType(run, TYPES.alarm)[0];
    assert.deepEqual(inputsOf(alarm).alarmActions, ["arn:aws:automate:us-east-1:ec2:reboot"]);
    assert.ok(find(run, TYPES.alarm, alarm.name));
  });
});

describe("engine rules: plain numbers as yaml.v3 reads them (gopkg.in/yaml.v3 resolve.go resolve, hints 'D'/'S': underscores removed, strconv.ParseInt(plain, 0, 64), ParseUint, yamlStyleFloat, v3.0.1)", () => {
  it("reads 1_0 as 10, 0777 as 511, 0b101 as 5, 09 as 9, where the YAML 1.2 core schema differs", () => {
    const cases: [string, number | undefined][] = [
      ["1_0", 10],
      ["0777", 511],
      ["0o17", 15],
      ["0x10", 16],
      ["0b101", 5],
      ["-0b101", -5],
      ["09", 9],
      ["+7", 7],
      ["7.0", 7],
      ["1_000.5", 1000.5],
      ["2001-12-14", undefined],
      ["12abc", undefined],
    ];
    for (const [text, want] of cases) assert.equal(yamlV3Number(text), want, text);
  });

  it("hands the program what Pulumi hands it: unquoted retentionDays: 1_0 is 10, 0777 is 511 (refused by range), quoted '1_0' is refused", async () => {
    const file = (value: string) =>
      fs
        .readFileSync(path.join(PROJECT_DIR, "Pulumi.staging.yaml"), "utf8")
        .replace(/^(\s*secret-rotation:retentionDays:).*$/m, `$1 ${value}`);
    const keyed = (value: string) => {
      const text = file(value);
      return text.includes("secret-rotation:retentionDays:")
        ? text
        : text.replace("config:\n", `config:\n  secret-rotation:retentionDays: ${value}\n`);
    };
    assert.equal(stackConfigFromYaml(keyed("1_0")).config["secret-rotation:retentionDays"], "10");
    assert.equal(stackConfigFromYaml(keyed("0777")).config["secret-rotation:retentionDays"], "511");
    const ok = await runProgram({
      stack: "staging",
      config: stackConfigFromYaml(keyed("1_0")),
      now: "2026-11-20T00:00:00Z",
    });
    assert.equal(ok.error, undefined, ok.error?.message);
    const quoted = await runProgram({
      stack: "staging",
      config: stackConfigFromYaml(keyed("'1_0'")),
      now: "2026-11-20T00:00:00Z",
    });
    assert.match(
      quoted.error?.message ?? "",
      /secret-rotation:retentionDays: "1_0" is not allowed/,
    );
  });

  it('refuses two keys of one map that Pulumi would merge into one (1 and 01, 1.0 and "1.0"), naming the path', () => {
    for (const [a, b] of [
      ["1", "01"],
      ["1.0", '"1.0"'],
      ["1_0", "10"],
    ]) {
      const text = `config:\n  secret-rotation:workloads:\n    ${a}: {}\n    ${b}: {}\n`;
      assert.throws(
        () => stackConfigFromYaml(text, "f"),
        /is written twice in one map/,
        `${a} ${b}`,
      );
    }
  });
});

describe("engine rules: timestamps, out-of-range floats and empty keys as Pulumi hands them over (gopkg.in/yaml.v3 resolve.go parseTimestamp, decimalValue; pulumi sdk/go/common/resource/config/object.go unmarshalObject time.Time -> v.String(); workspace/loaders.go checkForEmptyConfig, v3.248.0)", () => {
  const configOf = (body: string) => stackConfigFromYaml(`config:\n${body}`).config;

  it("an unquoted date becomes Go's time.Time text; a quoted one stays as written", () => {
    const cases: [string, string | undefined][] = [
      ["2026-11-10", "2026-11-10 00:00:00 +0000 UTC"],
      ["2026-1-2", "2026-01-02 00:00:00 +0000 UTC"],
      ["2026-11-10T10:00:00Z", "2026-11-10 10:00:00 +0000 UTC"],
      ["2026-11-10t10:00:00.500Z", "2026-11-10 10:00:00.5 +0000 UTC"],
      ["2026-11-10T10:00:00+02:00", "2026-11-10 10:00:00 +0200 +0200"],
      ["2026-11-10 10:00:00", "2026-11-10 10:00:00 +0000 UTC"],
      ["2026-11-10T10:00:00", undefined],
      ["2026-02-30", undefined],
      ["20261110", undefined],
    ];
    for (const [text, want] of cases) assert.equal(yamlV3Timestamp(text), want, text);
    const env = (value: string) =>
      JSON.parse(
        configOf(`  secret-rotation:workloads:\n    a:\n      env: { START: ${value} }\n`)[
          "secret-rotation:workloads"
        ],
      ).a.env.START;
    assert.equal(env("2026-11-10"), "2026-11-10 00:00:00 +0000 UTC");
    assert.equal(env('"2026-11-10"'), "2026-11-10");
  });

  it("1e400 and .5e400 are text to yaml.v3 (ParseFloat out of range), not an infinity; an explicit !!str tag keeps the text", () => {
    const env = JSON.parse(
      configOf(
        "  secret-rotation:workloads:\n    a:\n      env: { BIG: 1e400, DOT: .5e400, SMALL: -.5, OCT: !!str 0777, DAY: !!str 2026-11-10 }\n",
      )["secret-rotation:workloads"],
    ).a.env;
    assert.deepEqual(
      { ...env },
      { BIG: "1e400", DOT: ".5e400", SMALL: -0.5, OCT: "0777", DAY: "2026-11-10" },
    );
  });

  it("a key with no value is the empty text, which the program refuses by name", async () => {
    const file = fs
      .readFileSync(path.join(PROJECT_DIR, "Pulumi.staging.yaml"), "utf8")
      .replace("config:\n", "config:\n  secret-rotation:namespace:\n");
    const config = stackConfigFromYaml(file);
    assert.equal(config.config["secret-rotation:namespace"], "");
    const run = await runProgram({ stack: "staging", config, now: "2026-11-20T00:00:00Z" });
    assert.match(run.error?.message ?? "", /secret-rotation:namespace: /);
    // The CLI's own warning (checkForEmptyConfig), which the plan prints beside the error.
    assert.deepEqual(config.emptyKeys, ["secret-rotation:namespace"]);
    assert.equal(
      emptyConfigWarning(["a:b", "a:c"]),
      'No value for configuration keys "a:b" and "a:c". This is currently treated as an empty string `""`, but will be treated as `null` in a future version of pulumi.\nSet the values to `""` to avoid this warning.',
    );
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "empty-key-"));
    try {
      fs.writeFileSync(path.join(dir, "Pulumi.staging.yaml"), file);
      const { code, err } = await runPlan("staging", "--dir", dir);
      assert.equal(code, 1);
      assert.match(err, /^warning: No value for configuration key "secret-rotation:namespace"\./);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
