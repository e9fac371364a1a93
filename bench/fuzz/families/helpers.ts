/**
 * Builders shared by the fuzz families: spec lists per value, the paths of the first
 * Deployment's and CronJob's fields, the integer forms a user may type, and a valid CloudWatch
 * monitor to mutate.
 */
import { type Base, type Editor, type Key, type Spec, type Verdict, cfg } from "../model";

/** `n` characters of `c`. */
export const chars = (n: number, c = "a") => c.repeat(n);

export const INT_FORMS = [
  "''",
  "' 7 '",
  "'7'",
  "7",
  "'7.0'",
  "7.0",
  "'1e1'",
  "1e1",
  "'0x10'",
  "0x10",
  "'+7'",
  "+7",
  "1_0",
  "'1_0'",
  ".nan",
  ".inf",
  "true",
];

// A valid CloudWatch monitor, added to stacks that have none (the production stack's).
export const MONITOR = {
  namespace: "AWS/ApplicationELB",
  metricName: "HTTPCode_Target_5XX_Count",
  dimensions: { LoadBalancer: "app/ingress/0123456789abcdef" },
  statistic: "Sum",
  threshold: 25,
  period: 60,
  evaluationPeriods: 5,
  datapointsToAlarm: 3,
  alarmActions: ["arn:aws:sns:us-east-1:123456789012:oncall"],
};

/** Edits of the first secret's monitor, adding the valid one first when the stack has none. */
export function monitor(b: Base, e: Editor, field: string, value: unknown): void {
  if (e.get(cfg("secrets", b.secret, "monitor")) === undefined) {
    e.set(cfg("secrets", b.secret, "monitor"), MONITOR);
  }
  e.set(cfg("secrets", b.secret, "monitor", field), value);
}
export const monitorPath = (b: Base, field: string) => `secrets.${b.secret}.monitor.${field}`;

/** A spec per value, with the value's verdict. */
export function values(
  at: (b: Base) => { doc: Key[]; path: string } | undefined,
  cases: readonly (readonly [string, Verdict])[],
  what = "",
): (b: Base) => Spec[] {
  return (b) => {
    const target = at(b);
    if (!target) return [];
    return cases.map(([yaml, verdict]) => ({
      what: `${what || target.path}: ${yaml.length > 40 ? `${yaml.slice(0, 20)}...(${yaml.length})` : yaml}`,
      path: target.path,
      verdict,
      edit: (e) => e.set(target.doc, e.raw(yaml)),
    }));
  };
}

export const dep = (field: string) => (b: Base) =>
  b.deployment
    ? {
        doc: cfg("workloads", b.deployment, field),
        path: `workloads.${b.deployment}.${field}`,
      }
    : undefined;
export const cron = (field: string) => (b: Base) =>
  b.cronJob
    ? { doc: cfg("workloads", b.cronJob, field), path: `workloads.${b.cronJob}.${field}` }
    : undefined;
export const versioned = (b: Base) => b.environment !== "dev";
