/**
 * Monitoring after rotation: one CloudWatch alarm per secret with a `monitor`, whose name never
 * changes (a rotation updates it in place) and whose description tells on-call which version
 * runs and the exact command that rolls back.
 */
import { strict as assert } from "assert";
import { alarmDescription, rollbackCommand } from "../components/monitoring/alarmText";
import {
  ProgramRun,
  TYPES,
  TestConfig,
  baseConfig,
  declareOk,
  diffStates,
  find,
  inputsOf,
  ofType,
  secretOf,
} from "./helpers";

const NEXT = "20250730120000";
const NOW = "20250801000000";

function monitored(): TestConfig {
  const config = baseConfig();
  secretOf(config).monitor = {
    namespace: "AWS/ApplicationELB",
    metricName: "HTTPCode_Target_5XX_Count",
    dimensions: { TargetGroup: "targetgroup/auth/0123", LoadBalancer: "app/ingress/4567" },
    statistic: "Sum",
    threshold: 25,
    period: 60,
    evaluationPeriods: 5,
    datapointsToAlarm: 3,
    alarmActions: ["arn:aws:sns:us-east-1:123456789012:oncall"],
  };
  return config;
}

const alarm = (run: ProgramRun) => inputsOf(find(run, TYPES.alarm, "auth-api-secrets-alarm"));

describe("the rotation alarm", () => {
  it("watches the configured metric and pages the configured actions", async () => {
    const run = await declareOk(monitored(), { now: NOW });
    const a = alarm(run);
    assert.equal(a.name, "secret-rotation/staging/auth-api-secrets");
    assert.equal(a.namespace, "AWS/ApplicationELB");
    assert.equal(a.metricName, "HTTPCode_Target_5XX_Count");
    assert.deepEqual(Object.keys(a.dimensions), ["LoadBalancer", "TargetGroup"], "sorted");
    assert.equal(a.statistic, "Sum");
    assert.equal(a.threshold, 25);
    assert.equal(a.comparisonOperator, "GreaterThanOrEqualToThreshold");
    assert.equal(a.period, 60);
    assert.equal(a.evaluationPeriods, 5);
    assert.equal(a.datapointsToAlarm, 3);
    assert.equal(a.treatMissingData, "notBreaching");
    assert.deepEqual(a.alarmActions, ["arn:aws:sns:us-east-1:123456789012:oncall"]);
    assert.deepEqual(a.okActions, []);
    const component = find(run, TYPES.rotationAlarm, "auth-api-secrets");
    assert.deepEqual(component.inputs, {}, "no args in component state");
  });

  it("names the active and previous version and the exact rollback command", async () => {
    const run = await declareOk(monitored(), { now: NOW });
    const a = alarm(run);
    assert.match(
      a.alarmDescription,
      /runs version 20250723110000; the previous version is 20250715100000/,
    );
    assert.ok(
      a.alarmDescription.includes(
        `roll back: pulumi config set --stack staging --path 'secret-rotation:secrets["auth-api-secrets"].active' 20250715100000 && pulumi up --stack staging`,
      ),
      a.alarmDescription,
    );
    assert.ok(a.alarmDescription.length <= 1024, "CloudWatch's limit");
    assert.deepEqual(a.tags, {
      "canary-version": "none",
      environment: "staging",
      "managed-by": "secret-rotation",
      "previous-version": "20250715100000",
      secret: "auth-api-secrets",
      version: "20250723110000",
    });
  });

  it("is updated in place by a rotation: same resource, same alarm name, only description and tags change", async () => {
    const before = await declareOk(monitored(), { now: NOW });
    const rotated = monitored();
    secretOf(rotated).versions[NEXT] = { api_token: "token-v4" };
    secretOf(rotated).active = NEXT;
    const after = await declareOk(rotated, { now: NOW });
    assert.ok(diffStates(before, after).changed.includes(`${TYPES.alarm}::auth-api-secrets-alarm`));
    const [a, b] = [alarm(before), alarm(after)];
    assert.equal(b.name, a.name);
    const changed = Object.keys(b).filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
    assert.deepEqual(changed.sort(), ["alarmDescription", "tags"]);
    assert.equal(b.tags.version, NEXT);
    assert.equal(b.tags["previous-version"], "20250723110000");
    assert.ok(
      b.alarmDescription.includes("' 20250723110000 && pulumi up"),
      "rolls back to the old active",
    );
  });

  it("tells how to abort a running canary", async () => {
    const config = monitored();
    secretOf(config).versions[NEXT] = { api_token: "token-v4" };
    secretOf(config).canary = { version: NEXT, percent: 10 };
    const a = alarm(await declareOk(config, { now: NOW }));
    assert.ok(
      a.alarmDescription.includes(
        `A canary runs version ${NEXT} on 10% of pods. If it caused this, abort it: pulumi config rm --stack staging --path 'secret-rotation:secrets["auth-api-secrets"].canary' && pulumi up --stack staging. If the rotation caused this, roll back:`,
      ),
      a.alarmDescription,
    );
    // Each command ends its own sentence.
    assert.doesNotMatch(a.alarmDescription, /--stack staging [A-Z]/);
    assert.match(a.alarmDescription, /--stack staging\.$/);
    assert.equal(a.tags["canary-version"], NEXT);
  });

  it("is declared only for a secret with a monitor", async () => {
    const run = await declareOk(baseConfig(), { now: NOW });
    assert.equal(ofType(run, TYPES.alarm).length, 0);
  });

  it("says when there is no rollback target", () => {
    const text = alarmDescription({
      stack: "production",
      environment: "production",
      secret: "api",
      activeVersion: "20250101000000",
    });
    assert.match(text, /it has no previous version\.$/);
    assert.ok(!text.includes("roll back"));
    assert.equal(
      rollbackCommand("production", "api", "20241201000000"),
      `pulumi config set --stack production --path 'secret-rotation:secrets.api.active' 20241201000000 && pulumi up --stack production`,
    );
  });
});
