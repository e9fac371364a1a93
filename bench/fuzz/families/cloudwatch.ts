/**
 * Fuzz families: the CloudWatch monitor of a secret: the fields PutMetricAlarm checks. Each
 * family cites the upstream rule that decides its verdicts.
 */
import { type Family, type Verdict, type Editor } from "../model";
import { chars, monitor, monitorPath } from "./helpers";

export const CLOUDWATCH_FAMILIES: Family[] = [
  {
    name: "cloudwatch-namespace",
    rule: "AWS CloudWatch API PutMetricAlarm Namespace: 1-255 characters, pattern [^:].* (no leading ':'; the CloudWatch concepts page lists ':' among a namespace's characters); terraform-provider-aws internal/service/cloudwatch/metric_alarm.go namespace: StringLenBetween(1,255) counts bytes (Go len())",
    make: (b) =>
      (
        [
          [chars(255), "accepted"],
          [chars(256), "refused"],
          ["Custom:Auth", "accepted"],
          [":Custom", "refused"],
          ["é".repeat(128), "refused"],
          ["Custom/Auth", "accepted"],
        ] as const
      ).map(([v, verdict]) => ({
        what: `monitor.namespace: ${v.length > 40 ? `${v.length} characters` : v}`,
        path: monitorPath(b, "namespace"),
        verdict,
        edit: (e) => monitor(b, e, "namespace", v),
      })),
  },
  {
    name: "cloudwatch-metricName",
    rule: "AWS CloudWatch API PutMetricAlarm MetricName: 1-255 characters (terraform-provider-aws internal/service/cloudwatch/metric_alarm.go metric_name StringLenBetween(1,255))",
    make: (b) =>
      (
        [
          [chars(255), "accepted"],
          [chars(256), "refused"],
        ] as const
      ).map(([v, verdict]) => ({
        what: `monitor.metricName: ${v.length} characters`,
        path: monitorPath(b, "metricName"),
        verdict,
        edit: (e) => monitor(b, e, "metricName", v),
      })),
  },
  {
    name: "cloudwatch-dimensions",
    rule: "AWS CloudWatch API Dimension: Name 1-255, Value 1-1024 characters; PutMetricAlarm Dimensions at most 30",
    make: (b) => {
      const thirty = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`D${i}`, "v"]));
      const cases: [string, Record<string, unknown>, Verdict, string][] = [
        ["value of 1024", { LoadBalancer: chars(1024) }, "accepted", "dimensions.LoadBalancer"],
        ["value of 1025", { LoadBalancer: chars(1025) }, "refused", "dimensions.LoadBalancer"],
        ["empty name", { "": "x" }, "refused", "dimensions"],
        ["30 dimensions", thirty, "accepted", "dimensions"],
        ["31 dimensions", { ...thirty, D30: "v" }, "refused", "dimensions"],
        ["name of 255", { [chars(255, "N")]: "v" }, "accepted", "dimensions"],
        ["name of 256", { [chars(256, "N")]: "v" }, "refused", "dimensions"],
      ];
      return cases.map(([what, value, verdict, at]) => ({
        what: `monitor.dimensions: ${what}`,
        path: monitorPath(b, at),
        verdict,
        edit: (e) => monitor(b, e, "dimensions", value),
      }));
    },
  },
  {
    name: "cloudwatch-alarmActions",
    rule: "AWS CloudWatch API PutMetricAlarm AlarmActions: at most 5 ARNs (terraform-provider-aws metric_alarm.go alarm_actions MaxItems 5, verify.ValidARN)",
    make: (b) => {
      const sns = (i: number) => `arn:aws:sns:us-east-1:123456789012:topic-${i}`;
      const cases: [string, unknown, Verdict][] = [
        ["5 ARNs", [1, 2, 3, 4, 5].map(sns), "accepted"],
        ["6 ARNs", [1, 2, 3, 4, 5, 6].map(sns), "refused"],
        ["not an ARN", ["oncall-topic"], "refused"],
        ["none", [], "accepted"],
      ];
      return cases.map(([what, value, verdict]) => ({
        what: `monitor.alarmActions: ${what}`,
        path: monitorPath(b, "alarmActions"),
        verdict,
        edit: (e) => monitor(b, e, "alarmActions", value),
      }));
    },
  },
  {
    name: "cloudwatch-automate-arn",
    rule: "AWS CloudWatch API PutMetricAlarm AlarmActions: arn:aws:automate:<region>:ec2:stop|terminate|reboot|recover are valid actions (the API reference lists them)",
    make: (b) =>
      ["stop", "recover"].map((action) => ({
        what: `monitor.alarmActions: arn:aws:automate:us-east-1:ec2:${action}`,
        path: monitorPath(b, "alarmActions"),
        verdict: "accepted" as const,
        edit: (e: Editor) =>
          monitor(b, e, "alarmActions", [`arn:aws:automate:us-east-1:ec2:${action}`]),
      })),
  },
  {
    name: "cloudwatch-period",
    rule: "AWS CloudWatch API PutMetricAlarm Period: 10, 30 or a multiple of 60 (high-resolution 10/30); Period x EvaluationPeriods at most 86400; DatapointsToAlarm at most EvaluationPeriods",
    make: (b) => {
      const cases: [string, Record<string, unknown>, Verdict, string][] = [
        ["period 10", { period: 10 }, "accepted", "period"],
        ["period 30", { period: 30 }, "accepted", "period"],
        ["period 120", { period: 120 }, "accepted", "period"],
        ["period 15", { period: 15 }, "refused", "period"],
        ["period 90", { period: 90 }, "refused", "period"],
        [
          "1441 periods of 60 s",
          { evaluationPeriods: 1441, datapointsToAlarm: 1 },
          "refused",
          "evaluationPeriods",
        ],
        ["datapointsToAlarm 6 of 5", { datapointsToAlarm: 6 }, "refused", "datapointsToAlarm"],
      ];
      return cases.map(([what, value, verdict, at]) => ({
        what: `monitor: ${what}`,
        path: monitorPath(b, at),
        verdict,
        edit: (e) => {
          for (const [k, v] of Object.entries(value)) monitor(b, e, k, v);
        },
      }));
    },
  },
  {
    name: "cloudwatch-statistic",
    rule: "AWS CloudWatch API PutMetricAlarm Statistic: enum SampleCount|Average|Sum|Minimum|Maximum (case-sensitive)",
    make: (b) =>
      (
        [
          ["Average", "accepted"],
          ["sum", "refused"],
          ["p99", "refused"],
        ] as const
      ).map(([v, verdict]) => ({
        what: `monitor.statistic: ${v}`,
        path: monitorPath(b, "statistic"),
        verdict,
        edit: (e) => monitor(b, e, "statistic", v),
      })),
  },
];
