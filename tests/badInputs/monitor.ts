/** Bad values of `secrets.<name>.monitor`. */
import { type BadInput, auth } from "./shared";
import { goodMonitor } from "../helpers";

export const MONITOR: BadInput[] = [
  {
    name: "a monitor without a metric name",
    edit: (c) => (auth(c).monitor = { ...goodMonitor(), metricName: undefined }),
    path: "secrets.auth-api-secrets.monitor.metricName",
    says: ["is required"],
  },
  {
    name: "a monitor statistic CloudWatch does not have",
    edit: (c) => (auth(c).monitor = { ...goodMonitor(), statistic: "Mean" }),
    path: "secrets.auth-api-secrets.monitor.statistic",
    // Text under secret-rotation:secrets is not quoted: that key is handed over decrypted.
    says: ["the value (not shown", "is not allowed", "Average, Maximum, Minimum, SampleCount, Sum"],
  },
  {
    name: "a monitor period CloudWatch refuses",
    edit: (c) => (auth(c).monitor = { ...goodMonitor(), period: 45 }),
    path: "secrets.auth-api-secrets.monitor.period",
    says: ["10, 20, 30 or a multiple of 60"],
  },
  {
    name: "monitor periods under an hour spanning more than a day",
    edit: (c) => (auth(c).monitor = { ...goodMonitor(), period: 1800, evaluationPeriods: 49 }),
    path: "secrets.auth-api-secrets.monitor.evaluationPeriods",
    says: ["more than one day"],
  },
  {
    name: "monitor periods spanning more than seven days",
    edit: (c) => (auth(c).monitor = { ...goodMonitor(), period: 3600, evaluationPeriods: 169 }),
    path: "secrets.auth-api-secrets.monitor.evaluationPeriods",
    says: ["more than seven days"],
  },
  {
    name: "more datapoints to alarm than periods",
    edit: (c) => (auth(c).monitor = { ...goodMonitor(), datapointsToAlarm: 9 }),
    path: "secrets.auth-api-secrets.monitor.datapointsToAlarm",
    says: ["from 1 to evaluationPeriods (5)"],
  },
  {
    name: "a monitor threshold that is not a number",
    edit: (c) => (auth(c).monitor = { ...goodMonitor(), threshold: "high" }),
    path: "secrets.auth-api-secrets.monitor.threshold",
    says: ["the value (not shown", "is not allowed; a number"],
  },
  {
    name: "an alarm action that is not an ARN",
    edit: (c) => (auth(c).monitor = { ...goodMonitor(), alarmActions: ["oncall@example.com"] }),
    path: "secrets.auth-api-secrets.monitor.alarmActions[0]",
    says: ["is not an ARN"],
  },
  {
    name: "an alarm action whose account is not an account id",
    edit: (c) =>
      (auth(c).monitor = {
        ...goodMonitor(),
        alarmActions: ["arn:aws:sns:us-east-1:12345:oncall"],
      }),
    path: "secrets.auth-api-secrets.monitor.alarmActions[0]",
    says: ["is not an ARN", 'the account "12345"'],
  },
  {
    name: "a monitor without alarm actions",
    edit: (c) => (auth(c).monitor = { ...goodMonitor(), alarmActions: undefined }),
    path: "secrets.auth-api-secrets.monitor.alarmActions",
    says: ["is required"],
  },
  // CloudWatch PutMetricAlarm limits (terraform-provider-aws metric_alarm.go resourceMetricAlarm)
  {
    name: "a monitor namespace of 256 characters (CloudWatch: 1 to 255)",
    edit: (c) => (auth(c).monitor = { ...goodMonitor(), namespace: "N".repeat(256) }),
    path: "secrets.auth-api-secrets.monitor.namespace",
    says: ["has 256 characters", "at most 255"],
  },
  {
    name: "a monitor namespace starting with a colon (API pattern [^:].*)",
    edit: (c) => (auth(c).monitor = { ...goodMonitor(), namespace: ":Payments" }),
    path: "secrets.auth-api-secrets.monitor.namespace",
    says: ['starts with ":"'],
  },
  {
    name: "a monitor metricName of 256 characters (CloudWatch: 1 to 255)",
    edit: (c) => (auth(c).monitor = { ...goodMonitor(), metricName: "M".repeat(256) }),
    path: "secrets.auth-api-secrets.monitor.metricName",
    says: ["has 256 characters", "at most 255"],
  },
  {
    name: "a monitor dimension with an empty name",
    edit: (c) => (auth(c).monitor = { ...goodMonitor(), dimensions: { "": "x" } }),
    path: 'secrets.auth-api-secrets.monitor.dimensions[""]',
    says: ["empty dimension name", "1 to 255 characters"],
  },
  {
    name: "a monitor dimension value of 1,025 characters (CloudWatch: 1 to 1024)",
    edit: (c) =>
      (auth(c).monitor = { ...goodMonitor(), dimensions: { LoadBalancer: "v".repeat(1025) } }),
    path: "secrets.auth-api-secrets.monitor.dimensions.LoadBalancer",
    says: ["has 1025 characters", "at most 1024"],
  },
  {
    name: "a monitor field typo",
    edit: (c) => (auth(c).monitor = { ...goodMonitor(), metric: "Errors" }),
    path: "secrets.auth-api-secrets.monitor.metric",
    says: ["unknown field", "metricName"],
  },
];
