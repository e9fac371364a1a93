/**
 * Limits the real systems enforce on names and keys, which the mock runtime does not: CloudWatch
 * PutMetricAlarm's field limits. Each is modelled from its upstream source and the program's
 * check is held to it at the boundary.
 * Versions: terraform-provider-aws main 055611a6 (internal/service/cloudwatch/metric_alarm.go),
 * CloudWatch API reference (PutMetricAlarm, Dimension).
 */
import { strict as assert } from "assert";
import {
  dimensionNameProblem,
  dimensionValueProblem,
  namespaceProblem,
} from "../components/config/contract/monitor";
import { assertRefused, baseConfig, declare, secretOf } from "./helpers";

function monitor(fields: Record<string, unknown>): Record<string, unknown> {
  return {
    namespace: "AWS/ApplicationELB",
    metricName: "HTTPCode_Target_5XX_Count",
    dimensions: { LoadBalancer: "app/ingress/0123456789abcdef" },
    statistic: "Sum",
    threshold: 25,
    period: 60,
    evaluationPeriods: 5,
    alarmActions: ["arn:aws:sns:us-east-1:123456789012:oncall"],
    ...fields,
  };
}

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

  it('refuses one character more, and a colon in the namespace (StringMatch `[^:].*` "must not contain colon characters")', async () => {
    assert.match(
      namespaceProblem("N".repeat(256)) ?? "",
      /256 characters; CloudWatch allows at most 255/,
    );
    assert.match(namespaceProblem("Acme:Payments") ?? "", /contains ":"/);
    assert.equal(namespaceProblem("Acme/Payments"), undefined);
    assert.match(dimensionValueProblem("v".repeat(1025)) ?? "", /at most 1024/);
    const config = baseConfig();
    secretOf(config).monitor = monitor({ metricName: "M".repeat(256) });
    assertRefused(await declare(config), "secrets.auth-api-secrets.monitor.metricName");
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
