/**
 * Every bad input is refused before the first resource: one error that names the stack and
 * each field path with what is allowed, and nothing declared, so `pulumi up` changes nothing.
 * The rows live in tests/badInputs/, one file per part of the contract.
 */
import { strict as assert } from "assert";
import { parseStackConfig } from "../config/parse";
import { awsSecretNameProblem } from "../config/rules";
import { versionIdToDate } from "../plan/lifecycle";
import { assertRefused, baseConfig, declare, goodMonitor, secretOf, workloadOf } from "./helpers";
import { MONITOR } from "./badInputs/monitor";
import { CANARY, SECRETS } from "./badInputs/secrets";
import { PROMOTION, STACK } from "./badInputs/stack";
import { BLUE_GREEN, ROLLOUT, WORKLOADS } from "./badInputs/workloads";

const badInputs = [
  ...STACK,
  ...SECRETS,
  ...WORKLOADS,
  ...ROLLOUT,
  ...BLUE_GREEN,
  ...CANARY,
  ...MONITOR,
  ...PROMOTION,
];

describe("bad input is refused before the first resource", () => {
  for (const bad of badInputs) {
    it(`${bad.name}: names ${bad.path}`, async () => {
      const config = baseConfig();
      bad.edit(config);
      const run = await declare(config, { stack: bad.stack });
      assertRefused(run, bad.path, ...bad.says);
    });
  }

  it("lists every problem at once, in one error", async () => {
    const config = baseConfig();
    config.retentionDays = 0;
    secretOf(config).active = "20990101000000";
    workloadOf(config, "token-refresh").schedule = "often";
    const run = await declare(config);
    const message = assertRefused(run, "retentionDays");
    assert.match(message, /has 3 problems; nothing was changed/);
    assert.ok(message.includes("secret-rotation:secrets.auth-api-secrets.active:"));
    assert.ok(message.includes("secret-rotation:workloads.token-refresh.schedule:"));
  });

  it("checks a canary against the workloads that parsed, beside another workload's problem", async () => {
    const config = baseConfig();
    secretOf(config).canary = { version: "20250715100000", percent: 10 };
    workloadOf(config, "auth-service").replicas = 1;
    workloadOf(config, "token-refresh").schedule = "often";
    const message = assertRefused(await declare(config), "workloads.token-refresh.schedule");
    assert.match(message, /has 2 problems/);
    assert.ok(message.includes('secrets.auth-api-secrets.canary.percent: workload "auth-service"'));
  });

  it("does not say no Deployment runs a canary while a workload that may be it failed", async () => {
    const config = baseConfig();
    secretOf(config).canary = { version: "20250715100000", percent: 50 };
    workloadOf(config, "auth-service").image = "";
    const message = assertRefused(await declare(config), "workloads.auth-service.image");
    assert.match(message, /has 1 problem;/);
  });

  it("judges no rule by a stand-in for a value that failed: each failure is one problem", async () => {
    const config = baseConfig();
    secretOf(config).retentionDays = 0;
    secretOf(config).monitor = { ...goodMonitor(), period: 7, evaluationPeriods: 100000 };
    config.promotion = {
      fromStack: "acme/secret-rotation/staging",
      override: { "auth-api-secrets": { version: "20250723110000", reason: "INC-1" } },
    };
    Object.assign(workloadOf(config, "auth-service"), {
      minReadySeconds: 700,
      progressDeadlineSeconds: "y",
    });
    const message = assertRefused(
      await declare(config, { stack: "production" }),
      "secrets.auth-api-secrets.retentionDays",
    );
    const lines = message.split("\n").slice(1);
    assert.deepEqual(
      lines.map((l) => /secret-rotation:(\S+): /.exec(l)?.[1]).sort(),
      [
        "secrets.auth-api-secrets.monitor.period",
        "secrets.auth-api-secrets.retentionDays",
        "workloads.auth-service.progressDeadlineSeconds",
      ],
      message,
    );
    assert.doesNotMatch(message, /listed: none|must be greater than minReadySeconds|span more/);
  });

  it("judges nothing by the stand-in of a refused environment", async () => {
    const config = { environment: "Dev" };
    const message = assertRefused(await declare(config, { stack: "feature-x" }), "environment");
    assert.match(message, /has 1 problem;/);
  });

  it("refuses a bad ROTATION_NOW, naming the stack", async () => {
    const run = await declare(baseConfig(), { now: "next tuesday" });
    assert.match(run.error?.message ?? "", /^stack "staging": ROTATION_NOW=next tuesday/);
    assert.equal(run.resources.length, 0);
  });

  it("never quotes a secret value in an error", async () => {
    const config = baseConfig();
    const sentinel = "SENTINEL-do-not-print-7f3a";
    secretOf(config).versions["20250723110000"] = { api_token: sentinel, extra: sentinel };
    secretOf(config).versions["20251340110000"] = { api_token: sentinel };
    const run = await declare(config);
    assert.ok(run.error);
    assert.ok(!run.error.message.includes(sentinel), run.error.message);
    assert.ok(!run.logs.join("\n").includes(sentinel));
  });

  it("never quotes text pasted anywhere under secret-rotation:secrets (pulumi up decrypts that key)", async () => {
    const config = baseConfig();
    const sentinel = "SENTINEL-pasted-4c1e";
    Object.assign(secretOf(config), {
      active: sentinel,
      keep: [sentinel],
      delivery: sentinel,
      canary: { version: sentinel, percent: sentinel },
      monitor: {
        ...goodMonitor(),
        namespace: `:${sentinel}`,
        statistic: sentinel,
        alarmActions: [sentinel],
      },
    });
    const message = assertRefused(await declare(config), "secrets.auth-api-secrets.active");
    assert.ok(!message.includes("SENTINEL"), message);
    assert.match(
      message,
      /keep\[0\]: the value \(not shown: secret-rotation:secrets is a secret key\) is not among/,
    );
    assert.match(message, /has [89] problems/);
  });

  it("still quotes text written as a number under secrets, and any value elsewhere", async () => {
    const config = baseConfig();
    secretOf(config).active = "20990101000000";
    config.promotion = { fromStack: "acme/secret-rotation/staging", soakHours: "soon" };
    const message = assertRefused(
      await declare(config, { stack: "production" }),
      "promotion.soakHours",
    );
    assert.match(message, /"20990101000000" is not among the versions/);
    assert.match(message, /"soon" is not allowed/);
  });
});

describe("config forms the Pulumi CLI produces", () => {
  it("accepts version ids and numbers given as YAML numbers or text", async () => {
    const config = baseConfig();
    secretOf(config).active = 20250723110000;
    secretOf(config).keep = [20250701090000];
    config.retentionDays = "14";
    const run = await declare(config);
    assert.equal(run.error, undefined);
  });

  it("accepts what the real systems accept: an integer with a sign, maxSurge above 100%, an EC2 alarm action", async () => {
    const config = baseConfig();
    config.retentionDays = "+14";
    config.awsRecoveryWindowDays = "007";
    workloadOf(config, "auth-service").rollout = { maxUnavailable: "100%", maxSurge: "150%" };
    secretOf(config).monitor = {
      ...goodMonitor(),
      alarmActions: ["arn:aws:automate:us-east-1:ec2:stop"],
    };
    const run = await declare(config);
    assert.equal(run.error, undefined, run.error?.message);
  });

  it("checks AWS names against AWS's own limits", () => {
    assert.equal(awsSecretNameProblem("production/auth-api-secrets-20250723110000"), undefined);
    assert.match(awsSecretNameProblem(`production/${"a".repeat(520)}`) ?? "", /at most 512/);
    assert.match(awsSecretNameProblem("production/auth secrets") ?? "", /characters AWS refuses/);
  });

  it("parses without Pulumi, handing each value to the wrapper and to nothing else", () => {
    const seen: string[] = [];
    const spec = parseStackConfig(
      { secrets: { x: { active: "20250101000000", versions: { "20250101000000": { k: "v1" } } } } },
      { stack: "staging", now: versionIdToDate("20250801000000") },
      (v) => {
        seen.push(v);
        return { wrapped: true };
      },
    );
    assert.deepEqual(seen, ["v1"]);
    assert.deepEqual({ ...spec.secrets[0].versions[0].values }, { k: { wrapped: true } });
    assert.equal(spec.namespace, "staging");
    assert.equal(spec.versioned, true);
  });
});
