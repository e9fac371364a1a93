/**
 * `secrets.<name>.monitor`: the CloudWatch metric that tells whether a rotation hurt, and who
 * to page. Limits are CloudWatch's own (PutMetricAlarm).
 */
import { dict, plain, protoKeyProblem } from "../../core/dict";
import { alarmPeriodProblem, arnProblem } from "../../config/rules";
import {
  type Infer,
  Problems,
  STRING_LIST_SCHEMA,
  checkFields,
  contract,
  intSchema,
  join,
  mapSchema,
  objectField,
  objectSchema,
  oneOf,
  requiredInt,
  scalarText,
  stringList,
  wholeNumber,
} from "../../config/contract/kernel";

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

function requiredText(what: string, problem: (text: string) => string | undefined) {
  return (p: Problems, path: string, value: unknown): string => {
    if (typeof value === "string" && value.trim() !== "") {
      const why = problem(value);
      if (why) p.add(path, why);
      return value;
    }
    p.add(path, `is required: ${what}`);
    return "";
  };
}

function arnList(p: Problems, path: string, value: unknown): string[] {
  const arns = stringList(p, path, value ?? []) ?? [];
  if (arns.length > MAX_ACTIONS) {
    p.add(path, `lists ${arns.length} actions; CloudWatch allows at most ${MAX_ACTIONS}`);
  }
  arns.forEach((arn, i) => {
    const problem = arnProblem(arn);
    if (problem) p.add(`${path}[${i}]`, problem);
  });
  return arns;
}

const ARN_LIST_SCHEMA = { ...STRING_LIST_SCHEMA, maxItems: MAX_ACTIONS };

export const MONITOR_FIELDS = contract({
  namespace: {
    presence: "required",
    defaultText: "required",
    doc: "the CloudWatch namespace, such as `AWS/ApplicationELB`",
    schema: { type: "string", minLength: 1, maxLength: MAX_NAME_LENGTH, pattern: "^[^:]" },
    parse: requiredText("the CloudWatch namespace, such as AWS/ApplicationELB", namespaceProblem),
  },
  metricName: {
    presence: "required",
    defaultText: "required",
    doc: "the metric, such as `HTTPCode_Target_5XX_Count`",
    schema: { type: "string", minLength: 1, maxLength: MAX_NAME_LENGTH },
    parse: requiredText("the metric, such as HTTPCode_Target_5XX_Count", (name) =>
      tooLong(name, MAX_NAME_LENGTH),
    ),
  },
  dimensions: {
    presence: "default",
    defaultText: "none",
    doc: `the metric's dimensions, name to value (at most ${MAX_DIMENSIONS})`,
    schema: { ...mapSchema({ type: ["string", "number", "boolean"] }), maxProperties: 30 },
    parse: (p: Problems, path: string, value: unknown): Record<string, string> => {
      const raw = objectField(p, path, value, "a map of dimension name to value") ?? {};
      const dimensions = dict<string>();
      for (const name of Object.keys(raw).sort()) {
        const text = scalarText(raw[name]);
        const proto = protoKeyProblem(name);
        const nameProblem = proto ? `the dimension ${proto}` : dimensionNameProblem(name);
        const valueProblem =
          text === undefined ? "must be a non-empty string" : dimensionValueProblem(text);
        // `pulumi config set --path` writes a blank key as `dimensions[""]`.
        const at = name.trim() === "" ? `${path}[${JSON.stringify(name)}]` : join(path, name);
        if (nameProblem) p.add(at, nameProblem);
        else if (valueProblem) p.add(at, valueProblem);
        else if (text !== undefined) dimensions[name] = text;
      }
      if (Object.keys(raw).length > MAX_DIMENSIONS) {
        p.add(path, `CloudWatch allows at most ${MAX_DIMENSIONS} dimensions`);
      }
      return plain(dimensions);
    },
  },
  statistic: oneOf(ALARM_STATISTICS, { doc: "how the metric's datapoints are aggregated" }),
  threshold: {
    presence: "required",
    defaultText: "required",
    doc: "the number the statistic is compared with",
    schema: { type: ["number", "string"] },
    parse: (p: Problems, path: string, value: unknown): number => {
      const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
      if (typeof n !== "number" || !Number.isFinite(n)) {
        p.add(
          path,
          `${JSON.stringify(value)} is not allowed; a number the statistic is compared with`,
        );
        return 0;
      }
      return n;
    },
  },
  comparisonOperator: oneOf(ALARM_COMPARISONS, {
    default: "GreaterThanOrEqualToThreshold",
    doc: "how the statistic is compared with the threshold",
  }),
  period: requiredInt({
    min: 10,
    allowed: "a whole number of seconds: 10, 20, 30 or a multiple of 60",
    doc: "seconds per datapoint: 10, 20, 30 or a multiple of 60",
  }),
  evaluationPeriods: requiredInt({
    min: 1,
    allowed: "a whole number >= 1 (how many periods are evaluated)",
    doc: "how many periods are evaluated; `period` × `evaluationPeriods` at most one day (seven days for a period of an hour or more)",
  }),
  datapointsToAlarm: {
    presence: "default",
    defaultText: "`evaluationPeriods`",
    doc: "how many of the evaluated periods must breach, 1 to `evaluationPeriods`",
    schema: intSchema(1),
    parse: (p: Problems, path: string, value: unknown, evaluationPeriods: number): number =>
      wholeNumber(p, path, value, {
        min: 1,
        max: evaluationPeriods,
        fallback: evaluationPeriods,
        allowed: `a whole number from 1 to evaluationPeriods (${evaluationPeriods}); default evaluationPeriods`,
      }),
  },
  treatMissingData: oneOf(ALARM_MISSING_DATA, {
    default: "notBreaching",
    doc: "what a period without data counts as (no traffic is not an outage signal)",
  }),
  alarmActions: {
    presence: "required",
    defaultText: "required",
    doc: `ARNs notified when the alarm fires (at most ${MAX_ACTIONS}), or \`[]\` to only record it`,
    schema: ARN_LIST_SCHEMA,
    parse: (p: Problems, path: string, value: unknown): string[] => {
      const arns = arnList(p, path, value);
      if (value === undefined) {
        p.add(
          path,
          "is required: the ARNs to notify (an SNS topic), or [] to only record the alarm",
        );
      }
      return arns;
    },
  },
  okActions: {
    presence: "default",
    defaultText: "`[]`",
    doc: `ARNs notified when it recovers (at most ${MAX_ACTIONS})`,
    schema: ARN_LIST_SCHEMA,
    parse: arnList,
  },
});

/** The CloudWatch metric that tells whether a rotation hurt, and who to page. */
export type MonitorSpec = Infer<typeof MONITOR_FIELDS>;

export const MONITOR_SCHEMA = objectSchema(MONITOR_FIELDS);

export function parseMonitor(p: Problems, path: string, value: unknown): MonitorSpec | undefined {
  const raw = objectField(p, path, value, "an object with the CloudWatch metric and alarm actions");
  if (!raw) return undefined;
  const f = MONITOR_FIELDS;
  checkFields(p, path, raw, f);
  const at = (name: keyof typeof f) => join(path, name);
  const namespace = f.namespace.parse(p, at("namespace"), raw.namespace);
  const metricName = f.metricName.parse(p, at("metricName"), raw.metricName);
  const dimensions = f.dimensions.parse(p, at("dimensions"), raw.dimensions);
  const statistic = f.statistic.parse(p, at("statistic"), raw.statistic);
  const threshold = f.threshold.parse(p, at("threshold"), raw.threshold);
  const comparisonOperator = f.comparisonOperator.parse(
    p,
    at("comparisonOperator"),
    raw.comparisonOperator,
  );
  const period = f.period.parse(p, at("period"), raw.period) ?? 60;
  const periodProblem = alarmPeriodProblem(period);
  if (periodProblem) p.add(at("period"), periodProblem);
  const evaluationPeriods =
    f.evaluationPeriods.parse(p, at("evaluationPeriods"), raw.evaluationPeriods) ?? 1;
  const spanProblem = evaluationSpanProblem(period, evaluationPeriods);
  if (spanProblem) p.add(at("evaluationPeriods"), spanProblem);
  const datapointsToAlarm = f.datapointsToAlarm.parse(
    p,
    at("datapointsToAlarm"),
    raw.datapointsToAlarm,
    evaluationPeriods,
  );
  const treatMissingData = f.treatMissingData.parse(
    p,
    at("treatMissingData"),
    raw.treatMissingData,
  );
  const alarmActions = f.alarmActions.parse(p, at("alarmActions"), raw.alarmActions);
  const okActions = f.okActions.parse(p, at("okActions"), raw.okActions);
  return {
    namespace,
    metricName,
    dimensions,
    statistic,
    threshold,
    comparisonOperator,
    period,
    evaluationPeriods,
    datapointsToAlarm,
    treatMissingData,
    alarmActions,
    okActions,
  };
}
