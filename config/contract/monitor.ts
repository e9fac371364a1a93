/**
 * `secrets.<name>.monitor`: the CloudWatch metric that tells whether a rotation hurt, and who
 * to page. Limits are CloudWatch's own (PutMetricAlarm).
 */
import { z } from "zod";
import { dict, plain, protoKeyProblem } from "../../core/dict";
import { alarmPeriodProblem, arnProblem } from "../rules";
import { Problems } from "../../core/problems";
import { intSchema, scalarText } from "../zod/vocabulary";
import { contractOf } from "../zod/view";
import { always, bracketed, defaulted, fields, oneOf, required, wholeNumber } from "../zod/field";
import { nested } from "../zod/nested";

export const ALARM_STATISTICS = ["Average", "Maximum", "Minimum", "SampleCount", "Sum"] as const;
export const ALARM_COMPARISONS = [
  "GreaterThanOrEqualToThreshold",
  "GreaterThanThreshold",
  "LessThanOrEqualToThreshold",
  "LessThanThreshold",
] as const;
export const ALARM_MISSING_DATA = ["breaching", "ignore", "missing", "notBreaching"] as const;

/** CloudWatch: "You can specify up to 5 actions per alarm state". */
const MAX_ACTIONS = 5;
const MAX_DIMENSIONS = 30;

/*
 * CloudWatch PutMetricAlarm limits (API reference: PutMetricAlarm, Dimension), the same as
 * terraform-provider-aws internal/service/cloudwatch/metric_alarm.go resourceMetricAlarm
 * (`namespace`: StringLenBetween(1, 255) and StringMatch(`[^:].*`); `metric_name`:
 * StringLenBetween(1, 255)): a namespace or metric name of 1 to 255 bytes (Go's len() counts
 * UTF-8 bytes), a namespace not starting with `:`. terraform-plugin-sdk
 * helper/validation/strings.go StringMatch uses the unanchored r.MatchString, so despite its
 * message ("must not contain colon characters") only an all-colon namespace fails it; the API
 * reference's Namespace pattern `[^:].*` matches the whole value, refusing a leading colon only,
 * and the CloudWatch concepts page lists `:` among a namespace's characters. A dimension name
 * of 1 to 255 ASCII characters with one non-space, not starting with `:`; a dimension value of
 * 1 to 1024 ASCII characters with one non-space. ASCII control characters are refused in both.
 */
const MAX_NAME_LENGTH = 255;
const MAX_DIMENSION_VALUE_LENGTH = 1024;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** Over `max` UTF-8 bytes, as terraform's StringLenBetween counts (Go len()). */
function tooLong(text: string, max: number): string | undefined {
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes <= max) return undefined;
  return bytes === text.length
    ? `has ${text.length} characters; CloudWatch allows at most ${max}`
    : `takes ${bytes} bytes in UTF-8; CloudWatch allows at most ${max}`;
}

/**
 * Why CloudWatch refuses this evaluation span, if it does. PutMetricAlarm (API reference,
 * Period): "Period multiplied by EvaluationPeriods can't be more than 604,800 seconds. For
 * alarms with a period of less than one hour (3,600 seconds), the total evaluation period can't
 * be longer than one day (86,400 seconds)."
 */
export function evaluationSpanProblem(
  period: number,
  evaluationPeriods: number,
): string | undefined {
  const span = period * evaluationPeriods;
  if (period < 3600 && span > 86400) {
    return `${evaluationPeriods} periods of ${period} s span more than one day (86400 s), which CloudWatch refuses for a period under one hour`;
  }
  if (span > 604800) {
    return `${evaluationPeriods} periods of ${period} s span more than seven days (604800 s), which CloudWatch refuses`;
  }
  return undefined;
}

/** Why CloudWatch refuses this namespace, if it does. */
export function namespaceProblem(namespace: string): string | undefined {
  if (namespace.startsWith(":")) {
    return `${JSON.stringify(namespace)} starts with ":", which CloudWatch refuses in a namespace (API pattern [^:].*)`;
  }
  return tooLong(namespace, MAX_NAME_LENGTH);
}

/** Why CloudWatch refuses this dimension name, if it does. */
export function dimensionNameProblem(name: string): string | undefined {
  if (name.trim() === "") {
    return "has an empty dimension name; CloudWatch needs 1 to 255 characters with one that is not a space";
  }
  if (!PRINTABLE_ASCII.test(name))
    return "is not allowed: CloudWatch dimension names are printable ASCII";
  if (name.startsWith(":"))
    return 'is not allowed: a CloudWatch dimension name cannot start with ":"';
  return tooLong(name, MAX_NAME_LENGTH);
}

/** Why CloudWatch refuses this dimension value, if it does. */
export function dimensionValueProblem(value: string): string | undefined {
  if (value.trim() === "") return "must be a non-empty string";
  if (!PRINTABLE_ASCII.test(value)) {
    return "is not allowed: CloudWatch dimension values are printable ASCII";
  }
  return tooLong(value, MAX_DIMENSION_VALUE_LENGTH);
}

/** A non-blank string CloudWatch takes, or `is required: <what>`. */
function requiredText(
  what: string,
  problem: (text: string) => string | undefined,
  description: string,
  schema: Record<string, unknown> = {},
) {
  const missing = `is required: ${what}`;
  return z
    .string({ error: () => missing })
    .superRefine((s, ctx) => {
      const why = s.trim() === "" ? missing : problem(s);
      if (why) ctx.addIssue(why);
    })
    .meta({ description, minLength: 1, maxLength: MAX_NAME_LENGTH, ...schema });
}

/** At most five ARNs, each one CloudWatch takes (one problem for a list that is not strings). */
function arnList(description: string, extra: Record<string, unknown> = {}) {
  return z
    .unknown()
    .meta({
      description,
      type: "array",
      items: { type: "string" },
      maxItems: MAX_ACTIONS,
      ...extra,
    })
    .superRefine((arns, ctx) => {
      if (!Array.isArray(arns) || !arns.every((a) => typeof a === "string")) {
        ctx.addIssue("must be a list of strings");
        return;
      }
      if (arns.length > MAX_ACTIONS) {
        ctx.addIssue(`lists ${arns.length} actions; CloudWatch allows at most ${MAX_ACTIONS}`);
      }
      arns.forEach((arn: string, i) => {
        const problem = arnProblem(arn);
        if (problem) ctx.addIssue({ code: "custom", path: [i], message: problem });
      });
    })
    .transform((arns) => [...(arns as string[])]);
}

/** The dimensions, name by name in sorted order: the name's problem, else the value's. */
const dimensions = z
  .unknown()
  .meta({
    description: `the metric's dimensions, name to value (at most ${MAX_DIMENSIONS})`,
    defaultText: "none",
    default: {},
    type: "object",
    additionalProperties: { type: ["string", "number", "boolean"] },
    maxProperties: MAX_DIMENSIONS,
  })
  .superRefine((raw, ctx) => {
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
      ctx.addIssue("must be a map of dimension name to value");
      return;
    }
    const map = raw as Record<string, unknown>;
    for (const name of Object.keys(map).sort()) {
      const text = scalarText(map[name]);
      const proto = protoKeyProblem(name);
      const why =
        (proto ? `the dimension ${proto}` : dimensionNameProblem(name)) ??
        (text === undefined ? "must be a non-empty string" : dimensionValueProblem(text));
      if (why)
        ctx.addIssue({
          code: "custom",
          path: [name.trim() === "" ? bracketed(name) : name],
          message: why,
        });
    }
    if (Object.keys(map).length > MAX_DIMENSIONS) {
      ctx.addIssue(`CloudWatch allows at most ${MAX_DIMENSIONS} dimensions`);
    }
  })
  .transform((raw) => {
    const out = dict<string>();
    const map = raw as Record<string, unknown>;
    for (const name of Object.keys(map).sort()) out[name] = scalarText(map[name])!;
    return plain(out);
  });

const PERIOD = "a whole number of seconds: 10, 20, 30 or a multiple of 60";
const EVALUATION = "a whole number >= 1 (how many periods are evaluated)";

const MONITOR_SHAPE = {
  namespace: requiredText(
    "the CloudWatch namespace, such as AWS/ApplicationELB",
    namespaceProblem,
    "the CloudWatch namespace, such as `AWS/ApplicationELB`",
    { pattern: "^[^:]" },
  ),
  metricName: requiredText(
    "the metric, such as HTTPCode_Target_5XX_Count",
    (name) => tooLong(name, MAX_NAME_LENGTH),
    "the metric, such as `HTTPCode_Target_5XX_Count`",
  ),
  dimensions: defaulted(dimensions, {}),
  statistic: oneOf(ALARM_STATISTICS, { description: "how the metric's datapoints are aggregated" }),
  // Absent or null is refused as any other non-number, as the wording always said.
  threshold: z
    .unknown()
    .meta({ description: "the number the statistic is compared with", type: ["number", "string"] })
    .transform((v, ctx) => {
      const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
      if (typeof n === "number" && Number.isFinite(n)) return n;
      ctx.addIssue(`${JSON.stringify(v)} is not allowed; a number the statistic is compared with`);
      return z.NEVER;
    }),
  comparisonOperator: oneOf(ALARM_COMPARISONS, {
    default: "GreaterThanOrEqualToThreshold",
    description: "how the statistic is compared with the threshold",
  }),
  period: required(
    wholeNumber(10, undefined, PERIOD, "seconds per datapoint: 10, 20, 30 or a multiple of 60"),
    `is required: ${PERIOD}`,
    { emptyIsAbsent: true },
  ),
  evaluationPeriods: required(
    wholeNumber(
      1,
      undefined,
      EVALUATION,
      "how many periods are evaluated; `period` × `evaluationPeriods` at most one day (seven days for a period of an hour or more)",
    ),
    `is required: ${EVALUATION}`,
    { emptyIsAbsent: true },
  ),
  // Its range depends on evaluationPeriods, so the object checks it (below).
  datapointsToAlarm: z
    .unknown()
    .meta({
      ...intSchema(1),
      description: "how many of the evaluated periods must breach, 1 to `evaluationPeriods`",
      defaultText: "`evaluationPeriods`",
    })
    .optional(),
  treatMissingData: oneOf(ALARM_MISSING_DATA, {
    default: "notBreaching",
    description: "what a period without data counts as (no traffic is not an outage signal)",
  }),
  alarmActions: z.preprocess(
    (v, ctx) => {
      if (v !== undefined) return v ?? [];
      ctx.addIssue(
        "is required: the ARNs to notify (an SNS topic), or [] to only record the alarm",
      );
      return z.NEVER;
    },
    arnList(
      `ARNs notified when the alarm fires (at most ${MAX_ACTIONS}), or \`[]\` to only record it`,
    ),
  ),
  okActions: defaulted(
    arnList(`ARNs notified when it recovers (at most ${MAX_ACTIONS})`, { default: [] }),
    [],
  ),
};

/** The reference rows of `monitor`, from the same schemas. */
export const MONITOR_FIELDS = contractOf(MONITOR_SHAPE);

type Checked = { period: unknown; evaluationPeriods: unknown; datapointsToAlarm?: unknown };

/**
 * The period's CloudWatch rule, the evaluation span and datapointsToAlarm, checked across
 * fields. A field that failed is reported once and judged no further: a rule runs only on the
 * values it reads that parsed (the result then uses period 60, evaluationPeriods 1, but a
 * failed object's result is never used).
 */
function acrossFields(m: Checked, failed: ReadonlySet<unknown>, p: Problems) {
  const given = (key: "period" | "evaluationPeriods") => {
    const v = m[key];
    return !failed.has(key) && typeof v === "number" ? v : undefined;
  };
  const givenPeriod = given("period");
  const givenEvaluation = given("evaluationPeriods");
  const period = givenPeriod ?? 60;
  const evaluationPeriods = givenEvaluation ?? 1;
  const periodProblem = givenPeriod === undefined ? undefined : alarmPeriodProblem(period);
  if (periodProblem) p.add("period", periodProblem);
  const span =
    givenPeriod === undefined || givenEvaluation === undefined
      ? undefined
      : evaluationSpanProblem(period, evaluationPeriods);
  if (span) p.add("evaluationPeriods", span);
  // Absent (not given, null, or the empty text `pulumi config set` stores): evaluationPeriods.
  const dp = m.datapointsToAlarm;
  let datapointsToAlarm = evaluationPeriods;
  if (dp !== undefined && dp !== null && dp !== "") {
    const allowed = `a whole number from 1 to evaluationPeriods${givenEvaluation === undefined ? "" : ` (${evaluationPeriods})`}; default evaluationPeriods`;
    const r = wholeNumber(1, givenEvaluation, allowed, allowed).safeParse(dp);
    if (r.success) datapointsToAlarm = r.data;
    else p.add("datapointsToAlarm", r.error.issues[0].message);
  }
  return { period, evaluationPeriods, datapointsToAlarm };
}

const WHAT = "an object with the CloudWatch metric and alarm actions";

const MONITOR = fields(MONITOR_SHAPE, WHAT)
  .superRefine((m, ctx) => {
    const p = new Problems();
    acrossFields(m, new Set(ctx.issues.map((i) => i.path?.[0])), p);
    for (const { path, message } of p.list) ctx.addIssue({ code: "custom", path: [path], message });
  }, always)
  // Runs only when nothing failed: the values in the order the alarm reads them.
  .transform((m) => {
    const { namespace, metricName, dimensions, statistic, threshold, comparisonOperator } = m;
    const { period, evaluationPeriods, datapointsToAlarm } = acrossFields(
      m,
      new Set(),
      new Problems(),
    );
    const { treatMissingData, alarmActions, okActions } = m;
    return {
      ...{ namespace, metricName, dimensions, statistic, threshold, comparisonOperator },
      ...{
        period,
        evaluationPeriods,
        datapointsToAlarm,
        treatMissingData,
        alarmActions,
        okActions,
      },
    };
  });

/** The CloudWatch metric that tells whether a rotation hurt, and who to page. */
export type MonitorSpec = z.output<typeof MONITOR>;

/** `monitor` as a secret's field; absent: no alarm (built once: it has no context). */
export const MONITOR_FIELD = nested(MONITOR, Object.keys(MONITOR_SHAPE), WHAT, {
  description: "a CloudWatch alarm (see [Monitoring after rotation](monitoring.md))",
});
