/**
 * The stack-file fuzzer: `npm run fuzz [-- --list CLASS] [--family NAME] [--sample N] [--seed S]`.
 *
 * Takes every committed stack (`Pulumi.<stack>.yaml`) and every example
 * (`examples/**\/Pulumi.<stack>.yaml`), applies deterministic mutations, and runs each mutated
 * file through what `npm run plan` runs (offline/stackFiles.ts stackConfigFromYaml, then the
 * program's steps under the mock runtime, as scripts/plan.ts main does with no outputs, cluster
 * or AWS file). Each mutation names the config path it touches and the verdict of the real
 * systems (the Pulumi CLI, the Kubernetes API server, AWS), decided by the upstream rule its
 * family cites, never by this project's parser. Each file lands in one class:
 *
 * - `ok-accepted`: accepted, and the real systems accept it;
 * - `ok-refused`: refused, the real systems refuse it, and the error names the mutated path;
 * - `accepted-but-refused-upstream`, `refused-but-accepted-upstream`: the plan disagrees;
 * - `refused-without-naming-field`: refused, rightly, but no problem names the path;
 * - `internal-error`: the program threw something other than a ConfigError.
 *
 * Prints the count per class and per family; `--list CLASS` prints the files of that class.
 */
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { ConfigError } from "../config/errors";
import { PROJECT } from "../core/project";
import { PROJECT_DIR, fileLiveReader, runProgram, stackConfigFromYaml } from "../offline";
import { fileReader } from "../scripts/plan";

/** The plan's clock for every file: after every committed version id, before any "future" one. */
export const FUZZ_NOW = "2026-11-20T00:00:00.000Z";

export type Verdict = "accepted" | "refused";
export const CLASSES = [
  "ok-accepted",
  "ok-refused",
  "accepted-but-refused-upstream",
  "refused-but-accepted-upstream",
  "refused-without-naming-field",
  "internal-error",
] as const;
export type FuzzClass = (typeof CLASSES)[number];

/** A family of mutations and the rule that decides their verdicts. */
export interface Family {
  name: string;
  /** The upstream rule: repository, path, function, version. */
  rule: string;
  make: (base: Base) => Spec[];
}

/** One mutation of a base stack file. */
export interface Spec {
  /** What was changed, for the listing. */
  what: string;
  /** The config path touched, as `pulumi config set --path` takes it (without the namespace). */
  path: string;
  /** Other paths an error may name instead (a renamed entry is reported at its new path). */
  alsoPaths?: string[];
  verdict: Verdict;
  edit: (e: Editor) => void;
}

/** A committed stack file and what the mutations aim at. */
export interface Base {
  /** Relative to the project folder. */
  file: string;
  stack: string;
  text: string;
  environment: string;
  /** The first secret, its active version and its versions. */
  secret: string;
  active: string;
  versions: string[];
  generated: string[];
  hasMonitor: boolean;
  hasPromotion: boolean;
  /** A Deployment and a CronJob the program owns, when the stack has them. */
  deployment?: string;
  cronJob?: string;
  secretNames: string[];
}

/** A mutated file and its verdict. */
export interface FuzzFile {
  id: string;
  family: Family;
  base: Base;
  spec: Spec;
  text: string;
}

export interface FuzzResult {
  file: FuzzFile;
  class: FuzzClass;
  /** The error's first lines, when refused. */
  message?: string;
}

const NS = `${PROJECT}:`;
type Key = string | number;
/** The document path of a project config key, then the keys inside it. */
const cfg = (field: string, ...rest: Key[]): Key[] => ["config", NS + field, ...rest];

/** A seeded PRNG (mulberry32): the same seed, the same files. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Edits one parsed stack file. `raw` puts YAML text in place verbatim (`7.0`, `.nan`, `''`),
 * so a scalar is written exactly as a user would type it; `text` edits the rendered file.
 */
export class Editor {
  readonly doc: YAML.Document;
  private readonly raws: string[] = [];
  private readonly textEdits: ((text: string) => string)[] = [];
  constructor(
    readonly base: Base,
    readonly random: () => number,
  ) {
    this.doc = YAML.parseDocument(base.text);
  }
  /** A placeholder scalar that becomes `yaml` verbatim in the file. */
  raw(yaml: string): YAML.Scalar {
    this.raws.push(yaml);
    return new YAML.Scalar(`fuzzraw${this.raws.length - 1}x`);
  }
  set(at: Key[], value: unknown): void {
    this.doc.setIn(at, value instanceof YAML.Scalar ? value : this.doc.createNode(value));
  }
  get(at: Key[]): unknown {
    const node = this.doc.getIn(at, true);
    return YAML.isNode(node) ? node.toJSON() : node;
  }
  delete(at: Key[]): void {
    this.doc.deleteIn(at);
  }
  /** Renames a map key in place (keeping its position and value). */
  renameKey(mapAt: Key[], from: string, to: string): void {
    const map = this.doc.getIn(mapAt, true);
    if (!YAML.isMap(map)) throw new Error(`no map at ${mapAt.join(".")}`);
    const pair = map.items.find((p) => YAML.isScalar(p.key) && String(p.key.value) === from);
    if (!pair) throw new Error(`no key ${from} at ${mapAt.join(".")}`);
    pair.key = new YAML.Scalar(to);
  }
  /** Renames a secret and every workload's reference to it. */
  renameSecret(from: string, to: string): void {
    this.renameKey(cfg("secrets"), from, to);
    const workloads = this.doc.getIn(cfg("workloads"), true);
    if (!YAML.isMap(workloads)) return;
    for (const pair of workloads.items) {
      const list = YAML.isMap(pair.value) ? pair.value.get("secrets", true) : undefined;
      if (!YAML.isSeq(list)) continue;
      list.items = list.items.map((item) =>
        YAML.isScalar(item) && item.value === from ? new YAML.Scalar(to) : item,
      );
    }
  }
  text(edit: (text: string) => string): void {
    this.textEdits.push(edit);
  }
  render(): string {
    let text = this.doc.toString({ lineWidth: 0 });
    this.raws.forEach((yaml, i) => {
      text = text.split(`fuzzraw${i}x`).join(yaml);
    });
    for (const edit of this.textEdits) text = edit(text);
    return text;
  }
}

// ---------------------------------------------------------------------------------------------
// Upstream rules, written from their sources (not from this project's parser).

/**
 * Pulumi's check of a project-declared `integer` key (Pulumi.yaml declares retentionDays and
 * awsRecoveryWindowDays so): pulumi v3.248.0 sdk/go/common/workspace/config.go
 * validateStackConfigValue hands sdk/go/common/workspace/project.go ValidateConfigValue the
 * value's TEXT, which must pass Go's strconv.Atoi. The text of an unquoted YAML number is its
 * JSON (sdk/go/common/resource/config/object.go object.MarshalString: bool, int64, uint64,
 * float64 through json.Marshal), so `7.0` becomes "7", `1e1` "10", `0x10` (yaml.v3 resolve.go:
 * strconv.ParseInt base 0, underscores dropped) "16"; `.nan` and `.inf` fail json.Marshal
 * ("unsupported value"). A quoted value is the text itself.
 */
function goAtoi(text: string): number | undefined {
  // strconv.Atoi: an optional sign, then decimal digits only (no spaces, no prefix, no `_`).
  return /^[+-]?\d+$/.test(text) ? Number(text) : undefined;
}

/** What the Pulumi CLI makes of an unquoted YAML scalar (yaml.v3 resolve, then JSON). */
function yamlV3PlainNumber(text: string): number | "nan" | undefined {
  if (/^[-+]?(\.inf|\.Inf|\.INF)$/.test(text) || /^(\.nan|\.NaN|\.NAN)$/.test(text)) return "nan";
  const noUnderscore = text.replace(/_/g, "");
  // strconv.ParseInt(s, 0, 64): 0x, 0o, 0b prefixes and a leading-0 octal.
  if (/^[-+]?(0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|[1-9]\d*|0)$/.test(noUnderscore)) {
    const sign = noUnderscore.startsWith("-") ? -1 : 1;
    const body = noUnderscore.replace(/^[-+]/, "");
    const n = /^0[0-7]+$/.test(body) ? parseInt(body, 8) : Number(body.replace(/^0[oO]/, "0o"));
    return sign * n;
  }
  if (/^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(text)) return Number(text);
  return undefined;
}

/** The verdict of the Pulumi CLI on a top-level integer key written as `yaml`. */
export function pulumiIntegerVerdict(yaml: string, inRange: (n: number) => boolean): Verdict {
  const quoted = /^'(.*)'$/.exec(yaml) ?? /^"(.*)"$/.exec(yaml);
  let text: string | undefined;
  if (quoted) text = quoted[1];
  else {
    const n = yamlV3PlainNumber(yaml);
    if (n === "nan") return "refused";
    text = n === undefined ? yaml : JSON.stringify(n);
  }
  const n = goAtoi(text);
  return n !== undefined && inRange(n) ? "accepted" : "refused";
}

/** `n` characters of `c`. */
const chars = (n: number, c = "a") => c.repeat(n);

const retentionOk = (n: number) => n >= 1 && n <= 3650;
const recoveryOk = (n: number) => n === 0 || (n >= 7 && n <= 30);

const INT_FORMS = [
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
const MONITOR = {
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
function monitor(b: Base, e: Editor, field: string, value: unknown): void {
  if (e.get(cfg("secrets", b.secret, "monitor")) === undefined) {
    e.set(cfg("secrets", b.secret, "monitor"), MONITOR);
  }
  e.set(cfg("secrets", b.secret, "monitor", field), value);
}
const monitorPath = (b: Base, field: string) => `secrets.${b.secret}.monitor.${field}`;

const K8S_VALIDATION =
  "kubernetes (master, as indexed) pkg/apis/apps/validation/validation.go ValidateDeploymentSpec and pkg/apis/core/validation/validation.go (the API server's validation)";

/** A spec per value, with the value's verdict. */
function values(
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

const dep = (field: string) => (b: Base) =>
  b.deployment
    ? {
        doc: cfg("workloads", b.deployment, field),
        path: `workloads.${b.deployment}.${field}`,
      }
    : undefined;
const cron = (field: string) => (b: Base) =>
  b.cronJob
    ? { doc: cfg("workloads", b.cronJob, field), path: `workloads.${b.cronJob}.${field}` }
    : undefined;
const versioned = (b: Base) => b.environment !== "dev";

export const FAMILIES: Family[] = [
  {
    name: "pulumi-integer-retentionDays",
    rule: "pulumi v3.248.0 sdk/go/common/workspace/config.go validateStackConfigValue -> project.go ValidateConfigValue (integer: strconv.Atoi of the value's text; object.go MarshalString gives an unquoted number's JSON)",
    make: values(
      () => ({ doc: cfg("retentionDays"), path: "retentionDays" }),
      INT_FORMS.map((f) => [f, pulumiIntegerVerdict(f, retentionOk)] as const),
    ),
  },
  {
    name: "pulumi-integer-awsRecoveryWindowDays",
    rule: "pulumi v3.248.0 sdk/go/common/workspace/project.go ValidateConfigValue (as above); AWS DeleteSecret RecoveryWindowInDays 7-30, 0 = ForceDeleteWithoutRecovery (terraform-provider-aws internal/service/secretsmanager/secret.go recovery_window_in_days)",
    make: values(
      () => ({ doc: cfg("awsRecoveryWindowDays"), path: "awsRecoveryWindowDays" }),
      INT_FORMS.map((f) => [f, pulumiIntegerVerdict(f, recoveryOk)] as const),
    ),
  },
  {
    name: "retentionDays-range",
    rule: "Pulumi.yaml description and README config reference: a whole number from 1 to 3650 (the product's contract)",
    make: values(
      () => ({ doc: cfg("retentionDays"), path: "retentionDays" }),
      [
        ["0", "refused"],
        ["1", "accepted"],
        ["3650", "accepted"],
        ["3651", "refused"],
        ["-1", "refused"],
      ],
    ),
  },
  {
    name: "secret-retentionDays-range",
    rule: "README config reference secrets.<name>.retentionDays: whole number 1-3650 (the product's contract)",
    make: values(
      (b) => ({
        doc: cfg("secrets", b.secret, "retentionDays"),
        path: `secrets.${b.secret}.retentionDays`,
      }),
      [
        ["0", "refused"],
        ["1", "accepted"],
        ["3650", "accepted"],
        ["3651", "refused"],
        ["'30'", "accepted"],
      ],
    ),
  },
  {
    name: "awsRecoveryWindowDays-range",
    rule: "AWS Secrets Manager DeleteSecret RecoveryWindowInDays: 7 to 30, or ForceDeleteWithoutRecovery (0); terraform-provider-aws internal/service/secretsmanager/secret.go recovery_window_in_days (IntBetween(7,30) or 0)",
    make: values(
      () => ({ doc: cfg("awsRecoveryWindowDays"), path: "awsRecoveryWindowDays" }),
      [
        ["0", "accepted"],
        ["6", "refused"],
        ["7", "accepted"],
        ["30", "accepted"],
        ["31", "refused"],
      ],
    ),
  },
  {
    name: "nested-nan",
    rule: "pulumi v3.248.0 sdk/go/common/resource/config/object.go object.MarshalString -> json.Marshal, which refuses NaN and +-Inf ('json: unsupported value'), so the CLI cannot hand such an object to the program",
    make: (b) => {
      const targets: { doc: Key[]; path: string }[] = [
        {
          doc: cfg("secrets", b.secret, "generate", b.generated[0] ?? "k", "length"),
          path: `secrets.${b.secret}.generate.${b.generated[0] ?? "k"}.length`,
        },
      ];
      const d = dep("replicas")(b);
      if (d) targets.push(d);
      const port = dep("port")(b);
      if (port) targets.push(port);
      if (b.hasPromotion)
        targets.push({ doc: cfg("promotion", "soakHours"), path: "promotion.soakHours" });
      return targets.flatMap((t) =>
        [".nan", ".inf", "-.inf"].map((yaml) => ({
          what: `${t.path}: ${yaml}`,
          path: t.path,
          verdict: "refused" as const,
          edit: (e: Editor) => e.set(t.doc, e.raw(yaml)),
        })),
      );
    },
  },
  {
    name: "nested-number-forms",
    rule: "pulumi v3.248.0 sdk/go/common/resource/config/object.go MarshalJSON: an object's numbers reach the program as JSON (7.0 -> 7, 1e1 -> 10, 0x10 -> 16 via yaml.v3 resolve.go); a fraction or a boolean is no int32 (k8s apps/v1 DeploymentSpec.Replicas *int32)",
    make: values(dep("replicas"), [
      ["7.0", "accepted"],
      ["1e1", "accepted"],
      ["0x10", "accepted"],
      ["'3'", "accepted"],
      ["7.5", "refused"],
      ["true", "refused"],
      ["'three'", "refused"],
      ["~", "accepted"],
    ]),
  },
  {
    name: "replicas-int32",
    rule: `${K8S_VALIDATION}: ValidateNonnegativeField(spec.replicas); replicas is int32 (staging/src/k8s.io/api/apps/v1/types.go)`,
    make: values(dep("replicas"), [
      ["-1", "refused"],
      ["0", "accepted"],
      ["2147483647", "accepted"],
      ["2147483648", "refused"],
      ["99999999999999999999", "refused"],
    ]),
  },
  {
    name: "port-range",
    rule: "kubernetes (master, as indexed) staging/src/k8s.io/apimachinery/pkg/util/validation/validation.go IsValidPortNum (1-65535), used by pkg/apis/core/validation validateContainerPorts",
    make: values(dep("port"), [
      ["0", "refused"],
      ["1", "accepted"],
      ["65535", "accepted"],
      ["65536", "refused"],
      ["-80", "refused"],
    ]),
  },
  {
    name: "minReadySeconds",
    rule: `${K8S_VALIDATION}: ValidateNonnegativeField(minReadySeconds); progressDeadlineSeconds must be greater than minReadySeconds`,
    make: (b) =>
      values(dep("minReadySeconds"), [
        ["-1", "refused"],
        ["0", "accepted"],
        ["599", "accepted"],
        ["600", "refused"],
      ])(b).map((s) => ({
        ...s,
        alsoPaths: [`workloads.${b.deployment}.progressDeadlineSeconds`],
      })),
  },
  {
    name: "progressDeadlineSeconds",
    rule: `${K8S_VALIDATION}: progressDeadlineSeconds > minReadySeconds (default 10), int32; 2147483647 means no deadline, which pulumi-kubernetes await/deployment.go never sees complete (README)`,
    make: values(dep("progressDeadlineSeconds"), [
      ["0", "refused"],
      ["10", "refused"],
      ["16", "accepted"],
      ["2147483646", "accepted"],
      ["2147483647", "refused"],
    ]),
  },
  {
    name: "rollout-maxUnavailable",
    rule: `${K8S_VALIDATION} ValidateRollingUpdateDeployment: ValidatePositiveIntOrPercent (percent: apimachinery IsValidPercent ^[0-9]+%$), IsNotMoreThan100Percent(maxUnavailable), not both 0`,
    make: values(dep("rollout"), [
      ["{ maxUnavailable: '25%', maxSurge: 1 }", "accepted"],
      ["{ maxUnavailable: '100%', maxSurge: 0 }", "accepted"],
      ["{ maxUnavailable: '101%', maxSurge: 1 }", "refused"],
      ["{ maxUnavailable: 0, maxSurge: 0 }", "refused"],
      ["{ maxUnavailable: '0%', maxSurge: '0%' }", "refused"],
      ["{ maxUnavailable: -1, maxSurge: 1 }", "refused"],
      ["{ maxUnavailable: 'abc', maxSurge: 1 }", "refused"],
    ]),
  },
  {
    name: "rollout-maxSurge-percent",
    rule: `${K8S_VALIDATION} ValidateRollingUpdateDeployment: maxSurge is ValidatePositiveIntOrPercent only (IsValidPercent ^[0-9]+%$, no 100% bound)`,
    make: values(dep("rollout"), [
      ["{ maxUnavailable: 0, maxSurge: '150%' }", "accepted"],
      ["{ maxUnavailable: 0, maxSurge: '1000%' }", "accepted"],
      ["{ maxUnavailable: 0, maxSurge: '007%' }", "accepted"],
      ["{ maxUnavailable: 0, maxSurge: '25%' }", "accepted"],
      ["{ maxUnavailable: 0, maxSurge: '1.5%' }", "refused"],
    ]),
  },
  {
    name: "cron-schedule-accepted",
    rule: "robfig/cron v3.0.1 parser.go ParseStandard (strings.Fields, `?` as `*`, names sun-sat, @every via time.ParseDuration, descriptors incl. @midnight) as kubernetes (master, as indexed) pkg/apis/batch/validation/validation.go validateScheduleFormat calls it",
    make: values(cron("schedule"), [
      ['"0 3 * * 1"', "accepted"],
      ['"*/15 * * * *"', "accepted"],
      ['"0 3 * * 0-6"', "accepted"],
      ['"0 3 * * SUN"', "accepted"],
      ['"0 3 * * mon-fri"', "accepted"],
      ['"0 3 ? * 1"', "accepted"],
      ['"0 3 1,15 * *"', "accepted"],
      ['"@every 1h"', "accepted"],
      ['"@every 90m"', "accepted"],
      ['"@midnight"', "accepted"],
      ['"@hourly"', "accepted"],
      ['"@weekly"', "accepted"],
      ['"  0 3 * * 1  "', "accepted"],
    ]),
  },
  {
    name: "cron-schedule-refused",
    rule: "robfig/cron v3.0.1 parser.go ParseStandard (dow 0-6, no L/#/H, five fields, descriptors yearly/annually/monthly/weekly/daily/midnight/hourly/every only) and kubernetes (master, as indexed) pkg/apis/batch/validation/validation.go validateScheduleFormat (no TZ)",
    make: values(cron("schedule"), [
      ['"0 3 * * 7"', "refused"],
      ['"0 3 * * 1-7"', "refused"],
      ['"0 3 * * 0-7"', "refused"],
      ['"0 3 * * 1,7"', "refused"],
      ['"0 3 L * *"', "refused"],
      ['"0 3 * * 1#2"', "refused"],
      ['"H 3 * * *"', "refused"],
      ['"@minutely"', "refused"],
      ['"@weekdays"', "refused"],
      ['"@weekends"', "refused"],
      ['"@secondly"', "refused"],
      ['"0 3 * *"', "refused"],
      ['"0 0 3 * * 1"', "refused"],
      ['"TZ=UTC 0 3 * * 1"', "refused"],
      ['"CRON_TZ=UTC 0 3 * * 1"', "refused"],
      ['"60 3 * * 1"', "refused"],
      ['" @daily"', "refused"],
      ['"@every 1x"', "refused"],
    ]),
  },
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
  {
    name: "yaml-duplicate-key",
    rule: "gopkg.in/yaml.v3 v3.0.1 decode.go decoder.mapping: 'mapping key ... already defined' (keys compared by text, quoting ignored), as pulumi sdk/go/common/encoding/marshal.go reads stack files",
    make: (b) => {
      const out: Spec[] = [
        {
          what: `versions: "${b.active}" and ${b.active}`,
          path: `secrets.${b.secret}.versions.${b.active}`,
          verdict: "refused",
          edit: (e) =>
            e.text((t) =>
              t.replace(
                new RegExp(`^(\\s*)"${b.active}": \\{\\}$`, "m"),
                `$1"${b.active}": {}\n$1${b.active}: {}`,
              ),
            ),
        },
      ];
      if (b.deployment) {
        out.push({
          what: "image written twice",
          path: `workloads.${b.deployment}.image`,
          verdict: "refused",
          edit: (e) =>
            e.text((t) =>
              t.replace(
                /^(\s*)image: (.*)$/m,
                "$1image: $2\n$1image: registry.example.com/other:1",
              ),
            ),
        });
      }
      return out;
    },
  },
  {
    name: "yaml-merge-key",
    rule: "gopkg.in/yaml.v3 v3.0.1 decode.go decoder.merge: `<<` merges the aliased map (the Pulumi CLI's reader resolves it)",
    make: (b) => {
      if (!b.deployment) return [];
      const d = b.deployment;
      return [
        {
          what: `a workload merging ${d} with <<`,
          path: "workloads.merged-worker",
          verdict: "accepted",
          edit: (e) => {
            // After the anchored workload: an alias refers back to an anchor already read.
            const workloads = e.doc.getIn(cfg("workloads"), true);
            const base = e.doc.getIn(cfg("workloads", d), true);
            if (!YAML.isMap(workloads) || !YAML.isMap(base)) throw new Error(`no workload ${d}`);
            const merged = new YAML.YAMLMap();
            merged.items.push(
              new YAML.Pair(new YAML.Scalar("<<"), e.doc.createAlias(base, "base")),
            );
            merged.set("replicas", 1);
            workloads.items.push(new YAML.Pair(new YAML.Scalar("merged-worker"), merged));
          },
        },
      ];
    },
  },
  {
    name: "pulumi-unqualified-key",
    rule: "pulumi v3.248.0 sdk/go/common/workspace/loaders.go LoadProjectStackBytes -> stackConfigNamespacedWithProject: a stack-file key without `<namespace>:` is the project's key",
    make: () =>
      ["workloads", "retentionDays"].map((field) => ({
        what: `${NS}${field} written as ${field}`,
        path: field,
        verdict: "accepted" as const,
        edit: (e: Editor) => {
          // The namespace left out: the key moves (or, absent, is added) without it.
          if (e.get(cfg(field)) === undefined) e.set(["config", field], 7);
          else e.renameKey(["config"], `${NS}${field}`, field);
        },
      })),
  },
  {
    name: "workload-kind-field-typo",
    rule: "kubernetes apps/v1 and batch/v1 need a kind (the object has no type without it); the product's typo guard names the unknown field (README: every unknown field is reported)",
    make: (b) =>
      [b.deployment, b.cronJob]
        .filter((w): w is string => w !== undefined)
        .flatMap((w) =>
          ["knd", "kid"].map((typo) => ({
            what: `workloads.${w}.kind written as ${typo}`,
            path: `workloads.${w}.${typo}`,
            verdict: "refused" as const,
            edit: (e: Editor) => e.renameKey(cfg("workloads", w), "kind", typo),
          })),
        ),
  },
  {
    name: "workload-kind-value",
    rule: "kubernetes apiVersion/kind are case-sensitive (apimachinery runtime scheme: no kind `deployment`); the product declares Deployment or CronJob only, StatefulSet/DaemonSet with owner: external (README)",
    // A Deployment made a CronJob is refused for its Deployment-only fields and its missing
    // schedule: any problem of that workload names it.
    make: (b) =>
      values(dep("kind"), [
        ["deployment", "refused"],
        ["Job", "refused"],
        ["StatefulSet", "refused"],
        ["CronJob", "refused"],
      ])(b).map((s) => ({ ...s, alsoPaths: [`workloads.${b.deployment}`] })),
  },
  {
    name: "duplicate-urn",
    rule: "pulumi v3.248.0 pkg/resource/deploy/step_generator.go stepGenerator.generateURN: 'Duplicate resource URN' (names built by joining config names with '-')",
    make: (b) => [
      {
        what: `secret a (key b-${b.active}-x) and secret a-${b.active}-b (key x)`,
        path: "secrets.a",
        alsoPaths: [`secrets.a-${b.active}-b`],
        verdict: "refused",
        edit: (e) => {
          e.set(cfg("secrets", "a"), {
            active: b.active,
            generate: { [`b-${b.active}-x`]: { length: 32 } },
            versions: { [b.active]: {} },
          });
          e.set(cfg("secrets", `a-${b.active}-b`), {
            active: b.active,
            generate: { x: { length: 32 } },
            versions: { [b.active]: {} },
          });
        },
      },
    ],
  },
  {
    name: "secret-name",
    rule: "kubernetes (master, as indexed) apimachinery/pkg/util/validation/validation.go IsDNS1123Subdomain (Secret names) and IsValidLabelValue (63 characters: the secret-rotation/secret label)",
    make: (b) =>
      (
        [
          [chars(63), "accepted"],
          [chars(64), "refused"],
          ["Auth", "refused"],
          ["auth.api", "accepted"],
          ["-auth", "refused"],
          ["auth_api", "refused"],
          ["constructor", "accepted"],
        ] as const
      ).map(([name, verdict]) => ({
        what: `secret renamed ${name.length > 40 ? `${name.length} characters` : name}`,
        path: `secrets.${name}`,
        verdict,
        edit: (e) => e.renameSecret(b.secret, name),
      })),
  },
  {
    name: "workload-name",
    rule: "kubernetes (master, as indexed) pkg/apis/core/validation ValidateServiceName (DNS-1035 label: a Deployment with a port gets a Service of its name), validateContainers (container name: DNS-1123 label), pkg/apis/batch/validation ValidateCronJobCreate (52 characters)",
    make: (b) => {
      const out: Spec[] = [];
      const rename = (from: string, to: string, verdict: Verdict) =>
        out.push({
          what: `workload ${from} renamed ${to.length > 40 ? `${to.length} characters` : to}`,
          path: `workloads.${to}`,
          verdict,
          edit: (e) => e.renameKey(cfg("workloads"), from, to),
        });
      if (b.deployment) {
        rename(b.deployment, chars(63, "d"), "accepted");
        rename(b.deployment, chars(64, "d"), "refused");
        rename(b.deployment, "9svc", "refused");
        rename(b.deployment, "Auth", "refused");
        rename(b.deployment, "constructor", "accepted");
      }
      if (b.cronJob) {
        rename(b.cronJob, chars(52, "c"), "accepted");
        rename(b.cronJob, chars(53, "c"), "refused");
      }
      return out;
    },
  },
  {
    name: "namespace",
    rule: "kubernetes (master, as indexed) pkg/apis/core/validation ValidateNamespaceName: a DNS-1123 label (63)",
    make: values(
      () => ({ doc: cfg("namespace"), path: "namespace" }),
      [
        [chars(63, "n"), "accepted"],
        [chars(64, "n"), "refused"],
        ["Prod", "refused"],
        ["team-a", "accepted"],
      ],
    ),
  },
  {
    name: "env-var-name",
    rule: "kubernetes (master, as indexed) apimachinery validation IsEnvVarName ([-._a-zA-Z][-._a-zA-Z0-9]*) and, when relaxed, RelaxedEnvVarName (printable ASCII without '='): both refuse '' and 'A=B'",
    make: (b) => {
      if (!b.deployment) return [];
      const d = b.deployment;
      return (
        [
          ["LOG_FORMAT", "accepted"],
          ["log.format-x", "accepted"],
          ["", "refused"],
          ["A=B", "refused"],
        ] as const
      ).map(([name, verdict]) => ({
        what: `env name ${JSON.stringify(name)}`,
        path: `workloads.${d}.env${name === "" ? "" : `.${name}`}`,
        verdict,
        edit: (e) => e.set(cfg("workloads", d, "env", name), "x"),
      }));
    },
  },
  {
    name: "env-var-value",
    rule: "kubernetes core/v1 EnvVar.value is a string (the product writes numbers and booleans as text; README env: plain values)",
    make: (b) => {
      if (!b.deployment) return [];
      const d = b.deployment;
      return (
        [
          ["7", "accepted"],
          ["true", "accepted"],
          ["'text'", "accepted"],
          ["{ a: 1 }", "refused"],
          ["[a, b]", "refused"],
        ] as const
      ).map(([yaml, verdict]) => ({
        what: `env value ${yaml}`,
        path: `workloads.${d}.env.EXTRA`,
        verdict,
        edit: (e) => e.set(cfg("workloads", d, "env", "EXTRA"), e.raw(yaml)),
      }));
    },
  },
  {
    name: "image-reference",
    rule: "kubernetes (master, as indexed) pkg/apis/core/validation/validation.go validateContainerOnlyForPod: an image 'must not have leading or trailing whitespace' (pods: the ReplicaSet's pods are refused, so the rollout never completes); otherwise the API server does not parse images",
    make: values(dep("image"), [
      ['"registry.example.com/auth-service@sha256:' + chars(64, "f") + '"', "accepted"],
      ['"auth-service"', "accepted"],
      ['"localhost:5000/auth-service:1.8.0"', "accepted"],
      ['" registry.example.com/auth-service:1.8.0"', "refused"],
      ['"registry.example.com/auth-service:1.8.0 "', "refused"],
      ['""', "refused"],
    ]),
  },
  {
    name: "version-id",
    rule: "PRODUCT.md: a version id is a UTC timestamp YYYYMMDDHHMMSS, a real date and time, at most a few minutes in the future (the product's contract; README: at most 5 minutes)",
    make: (b) =>
      !versioned(b)
        ? []
        : (
            [
              ["20261031235959", "accepted"],
              ["20261131000000", "refused"],
              ["20260230000000", "refused"],
              ["20261120000400", "accepted"],
              ["20261120000600", "refused"],
              ["20261201000000", "refused"],
              ["2026111010000", "refused"],
              ["20261110246000", "refused"],
            ] as const
          ).map(([id, verdict]) => ({
            what: `extra version ${id}`,
            path: `secrets.${b.secret}.versions.${id}`,
            verdict,
            edit: (e) => e.set(cfg("secrets", b.secret, "versions", id), {}),
          })),
  },
  {
    name: "active-and-keep",
    rule: "PRODUCT.md: active is one of the listed versions; keep lists versions never pruned (the product's contract)",
    make: (b) => [
      {
        what: "active not listed",
        path: `secrets.${b.secret}.active`,
        verdict: "refused",
        edit: (e) => e.set(cfg("secrets", b.secret, "active"), "20250101000000"),
      },
      {
        what: "active unquoted (a YAML number)",
        path: `secrets.${b.secret}.active`,
        verdict: "accepted",
        edit: (e) => e.set(cfg("secrets", b.secret, "active"), e.raw(b.active)),
      },
      {
        what: "keep a listed version",
        path: `secrets.${b.secret}.keep`,
        verdict: "accepted",
        edit: (e) => e.set(cfg("secrets", b.secret, "keep"), [b.versions[0]]),
      },
      {
        what: "keep an unlisted version",
        path: `secrets.${b.secret}.keep`,
        verdict: "refused",
        edit: (e) => e.set(cfg("secrets", b.secret, "keep"), ["20250101000000"]),
      },
    ],
  },
  {
    name: "generate",
    rule: "README config reference generate.<key>.length 16-4096, special boolean; kubernetes apimachinery IsConfigMapKey for the key ([-._a-zA-Z0-9]+, not '.' or '..'-prefixed, 253)",
    make: (b) => {
      const k = b.generated[0];
      if (!k) return [];
      const at = (...rest: Key[]) => cfg("secrets", b.secret, "generate", ...rest);
      const p = `secrets.${b.secret}.generate`;
      const len = (yaml: string, verdict: Verdict): Spec => ({
        what: `length ${yaml}`,
        path: `${p}.${k}.length`,
        verdict,
        edit: (e) => e.set(at(k, "length"), e.raw(yaml)),
      });
      const key = (name: string, verdict: Verdict): Spec => ({
        what: `generated key ${JSON.stringify(name)}`,
        path: `${p}.${name}`,
        verdict,
        edit: (e) => e.set(at(name), { length: 32 }),
      });
      return [
        len("15", "refused"),
        len("16", "accepted"),
        len("4096", "accepted"),
        len("4097", "refused"),
        {
          what: "special: yes (a string)",
          path: `${p}.${k}.special`,
          verdict: "refused",
          edit: (e) => e.set(at(k, "special"), "yes"),
        },
        {
          what: "special: true",
          path: `${p}.${k}.special`,
          verdict: "accepted",
          edit: (e) => e.set(at(k, "special"), true),
        },
        key("api.token-2", "accepted"),
        key("bad key", "refused"),
        key("..x", "refused"),
      ];
    },
  },
  {
    name: "resources-quantity",
    rule: "kubernetes (master, as indexed) apimachinery/pkg/api/resource/quantity.go ParseQuantity; pkg/apis/core/validation ValidateResourceRequirements (non-negative, request <= limit)",
    make: (b) => {
      if (!b.deployment) return [];
      const d = b.deployment;
      const cases: [string, Record<string, unknown>, Verdict, string][] = [
        ["cpu 250m", { requests: { cpu: "250m" } }, "accepted", "requests.cpu"],
        ["cpu 0.5", { requests: { cpu: "0.5" } }, "accepted", "requests.cpu"],
        ["cpu 1e3", { requests: { cpu: "1e3" } }, "accepted", "requests.cpu"],
        ["memory 1.5Gi", { limits: { memory: "1.5Gi" } }, "accepted", "limits.memory"],
        ["cpu abc", { requests: { cpu: "abc" } }, "refused", "requests.cpu"],
        ["memory 128MB", { limits: { memory: "128MB" } }, "refused", "limits.memory"],
        ["cpu -1", { requests: { cpu: "-1" } }, "refused", "requests.cpu"],
        [
          "request over limit",
          { requests: { memory: "1Gi" }, limits: { memory: "512Mi" } },
          "refused",
          "requests.memory",
        ],
      ];
      return cases.map(([what, value, verdict, at]) => ({
        what: `resources: ${what}`,
        path: `workloads.${d}.resources.${at}`,
        verdict,
        edit: (e) => e.set(cfg("workloads", d, "resources"), value),
      }));
    },
  },
  {
    name: "canary",
    rule: "README Canary rollouts: version is a listed version other than active, percent 1-100 (the product's contract)",
    make: (b) => {
      if (!versioned(b) || b.versions.length < 2) return [];
      const older = b.versions.find((v) => v !== b.active)!;
      const at = `secrets.${b.secret}.canary`;
      const c = (what: string, value: unknown, verdict: Verdict, path: string): Spec => ({
        what: `canary ${what}`,
        path,
        verdict,
        edit: (e) => e.set(cfg("secrets", b.secret, "canary"), value),
      });
      return [
        c("percent 0", { version: older, percent: 0 }, "refused", `${at}.percent`),
        c("percent 101", { version: older, percent: 101 }, "refused", `${at}.percent`),
        c("of the active version", { version: b.active, percent: 25 }, "refused", `${at}.version`),
        c(
          "of an unlisted version",
          { version: "20250101000000", percent: 25 },
          "refused",
          `${at}.version`,
        ),
      ];
    },
  },
  {
    name: "promotion",
    rule: "pulumi v3.248.0 sdk/go/common/tokens StackReference names (<org>/<project>/<stack>, [A-Za-z0-9_.-]); README promotion.soakHours whole number >= 0",
    make: (b) =>
      !b.hasPromotion
        ? []
        : [
            {
              what: "fromStack with a space",
              path: "promotion.fromStack",
              verdict: "refused",
              edit: (e) => e.set(cfg("promotion", "fromStack"), "acme/secret rotation/staging"),
            },
            {
              what: "soakHours -1",
              path: "promotion.soakHours",
              verdict: "refused",
              edit: (e) => e.set(cfg("promotion", "soakHours"), -1),
            },
            {
              what: "fromStack a bare stack name",
              path: "promotion.fromStack",
              verdict: "accepted",
              edit: (e) => e.set(cfg("promotion", "fromStack"), "staging"),
            },
          ],
  },
  {
    name: "environment",
    rule: "PRODUCT.md: environment is dev | staging | production (the product's contract)",
    make: values(
      () => ({ doc: cfg("environment"), path: "environment" }),
      [
        ["prod", "refused"],
        ["Production", "refused"],
      ],
    ),
  },
  {
    name: "awsKmsKeyId",
    rule: "AWS Secrets Manager CreateSecret KmsKeyId: a key id, key ARN, alias name (alias/...) or alias ARN",
    make: values(
      () => ({ doc: cfg("awsKmsKeyId"), path: "awsKmsKeyId" }),
      [
        ["alias/rotation", "accepted"],
        ["arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab", "accepted"],
        ["1234abcd-12ab-34cd-56ef-1234567890ab", "accepted"],
        ["rotation", "refused"],
      ],
    ),
  },
  {
    name: "unknown-field",
    rule: "README: every unknown field is reported by name (a typo would otherwise be silently ignored; kubernetes strict field validation refuses unknown fields too)",
    make: (b) => {
      const out: Spec[] = [
        {
          what: "retentionDay",
          path: "retentionDay",
          verdict: "refused",
          edit: (e) => e.set(cfg("retentionDay"), 7),
        },
        {
          what: "secret field verison",
          path: `secrets.${b.secret}.verison`,
          verdict: "refused",
          edit: (e) => e.set(cfg("secrets", b.secret, "verison"), "x"),
        },
      ];
      if (b.deployment) {
        out.push({
          what: "replica",
          path: `workloads.${b.deployment}.replica`,
          verdict: "refused",
          edit: (e) => e.set(cfg("workloads", b.deployment!, "replica"), 2),
        });
      }
      if (b.cronJob) {
        out.push({
          what: "replicas on a CronJob",
          path: `workloads.${b.cronJob}.replicas`,
          verdict: "refused",
          edit: (e) => e.set(cfg("workloads", b.cronJob!, "replicas"), 2),
        });
      }
      return out;
    },
  },
  {
    name: "namespace-near-miss",
    rule: "issue 17 section 1 and README: a near miss of the project namespace (secret_rotation:) is read by nobody, so pulumi up would delete every resource; refused (the product's contract)",
    make: () => [
      {
        what: "secret_rotation:secrets",
        path: "secrets",
        alsoPaths: ["secret_rotation:secrets"],
        verdict: "refused",
        edit: (e) => e.renameKey(["config"], `${NS}secrets`, "secret_rotation:secrets"),
      },
    ],
  },
  {
    name: "valid-rename",
    rule: "renaming a secret or workload (and its references) is a new name: accepted by every system",
    make: (b) => {
      const out: Spec[] = [
        {
          what: "secret renamed payments-keys",
          path: "secrets.payments-keys",
          verdict: "accepted",
          edit: (e) => e.renameSecret(b.secret, "payments-keys"),
        },
      ];
      if (b.deployment) {
        out.push({
          what: "workload renamed web",
          path: "workloads.web",
          verdict: "accepted",
          edit: (e) => e.renameKey(cfg("workloads"), b.deployment!, "web"),
        });
      }
      return out;
    },
  },
  {
    name: "valid-reorder",
    rule: "YAML 1.2 / yaml.v3: map key order carries no meaning",
    make: () =>
      [1, 2, 3].map((n) => ({
        what: `every map shuffled (${n})`,
        path: "",
        verdict: "accepted" as const,
        edit: (e: Editor) => {
          YAML.visit(e.doc, {
            Map(_k, map) {
              for (let i = map.items.length - 1; i > 0; i--) {
                const j = Math.floor(e.random() * (i + 1));
                [map.items[i], map.items[j]] = [map.items[j], map.items[i]];
              }
            },
          });
        },
      })),
  },
  {
    name: "valid-quoting",
    rule: "YAML 1.2 / yaml.v3: a quoted, single-quoted or plain string is the same string; flow and block style are the same map",
    make: () =>
      (
        [
          ["double-quoted strings", { defaultStringType: "QUOTE_DOUBLE", defaultKeyType: "PLAIN" }],
          ["single-quoted strings", { defaultStringType: "QUOTE_SINGLE", defaultKeyType: "PLAIN" }],
          [
            "JSON (flow maps, keys and strings double-quoted)",
            {
              collectionStyle: "flow",
              defaultStringType: "QUOTE_DOUBLE",
              defaultKeyType: "QUOTE_DOUBLE",
            },
          ],
          ["block maps", { collectionStyle: "block" }],
        ] as const
      ).map(([what, options]) => ({
        what,
        path: "",
        verdict: "accepted" as const,
        edit: (e: Editor) => {
          // Re-render the whole document in one style (a string that reads as a number, such
          // as a version id, stays quoted).
          e.text((t) => YAML.stringify(YAML.parse(t), { lineWidth: 0, ...options }));
        },
      })),
  },
  {
    name: "valid-comments-and-markers",
    rule: "YAML 1.2 / yaml.v3: comments, document markers and CRLF line breaks carry no data",
    make: () => [
      {
        what: "a comment after every line",
        path: "",
        verdict: "accepted",
        edit: (e) =>
          e.text((t) =>
            t
              .split("\n")
              .map((l) => (l.trim() === "" || /#/.test(l) || /["'|>]/.test(l) ? l : `${l} # fuzz`))
              .join("\n"),
          ),
      },
      {
        what: "--- and ... markers",
        path: "",
        verdict: "accepted",
        edit: (e) => e.text((t) => `---\n${t}...\n`),
      },
      {
        what: "CRLF line breaks",
        path: "",
        verdict: "accepted",
        edit: (e) => e.text((t) => t.replace(/\n/g, "\r\n")),
      },
    ],
  },
  {
    name: "valid-anchors",
    rule: "YAML 1.2 / yaml.v3: an alias is its anchored node",
    make: (b) =>
      !b.deployment || !b.cronJob
        ? []
        : [
            {
              what: "the CronJob's secrets list as an alias of the Deployment's",
              path: "",
              verdict: "accepted",
              edit: (e) => {
                const list = e.doc.getIn(cfg("workloads", b.deployment!, "secrets"), true);
                const cronList = e.doc.getIn(cfg("workloads", b.cronJob!, "secrets"), true);
                if (!YAML.isSeq(list) || !YAML.isSeq(cronList)) return;
                // Same content only: an alias may not change what the CronJob links.
                if (JSON.stringify(list.toJSON()) !== JSON.stringify(cronList.toJSON())) {
                  e.set(cfg("workloads", b.cronJob!, "secrets"), list.toJSON());
                  return;
                }
                list.anchor = "links";
                e.doc.setIn(cfg("workloads", b.cronJob!, "secrets"), e.doc.createAlias(list));
              },
            },
          ],
  },
  {
    name: "valid-versions",
    rule: "PRODUCT.md: versions newer than active are pending, older ones are previous/retained (accepted)",
    make: (b) =>
      !versioned(b)
        ? []
        : [
            {
              what: "a pending version 20261115100000",
              path: `secrets.${b.secret}.versions.20261115100000`,
              verdict: "accepted",
              edit: (e) => e.set(cfg("secrets", b.secret, "versions", "20261115100000"), {}),
            },
            {
              what: "an older version 20260101000000",
              path: `secrets.${b.secret}.versions.20260101000000`,
              verdict: "accepted",
              edit: (e) => e.set(cfg("secrets", b.secret, "versions", "20260101000000"), {}),
            },
            {
              what: "a configured key in every version, secure",
              path: `secrets.${b.secret}.versions`,
              verdict: "accepted",
              edit: (e) => {
                for (const v of b.versions) {
                  e.set(cfg("secrets", b.secret, "versions", v, "db_password"), {
                    secure: "v1:AAAA",
                  });
                }
              },
            },
            {
              what: "a configured key in one version only",
              path: `secrets.${b.secret}.versions.${b.active}`,
              verdict: "refused",
              edit: (e) =>
                e.set(cfg("secrets", b.secret, "versions", b.active, "db_password"), {
                  secure: "v1:AAAA",
                }),
            },
          ],
  },
];

// ---------------------------------------------------------------------------------------------

/** Every committed stack and example, relative to the project folder. */
export function baseFiles(dir = PROJECT_DIR): string[] {
  const stacks = fs
    .readdirSync(dir)
    .filter((f) => /^Pulumi\..+\.yaml$/.test(f))
    .sort();
  const examples: string[] = [];
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = path.join(rel, entry.name);
      if (entry.isDirectory()) walk(child);
      else if (/^Pulumi\..+\.yaml$/.test(entry.name)) examples.push(child);
    }
  };
  if (fs.existsSync(path.join(dir, "examples"))) walk("examples");
  return [...stacks, ...examples.sort()];
}

type Json = Record<string, unknown>;

/** What the mutations aim at in one stack file. */
export function readBase(file: string, dir = PROJECT_DIR): Base {
  const text = fs.readFileSync(path.join(dir, file), "utf8");
  const stack = /^Pulumi\.(.+)\.yaml$/.exec(path.basename(file))![1];
  const config = ((YAML.parse(text) as Json).config ?? {}) as Json;
  const secrets = (config[`${NS}secrets`] ?? {}) as Record<string, Json>;
  const workloads = (config[`${NS}workloads`] ?? {}) as Record<string, Json>;
  const secret = Object.keys(secrets)[0];
  const s = secrets[secret];
  const owned = (kind: string) =>
    Object.keys(workloads).find((w) => workloads[w].kind === kind && !workloads[w].owner);
  return {
    file,
    stack,
    text,
    environment:
      typeof config[`${NS}environment`] === "string"
        ? (config[`${NS}environment`] as string)
        : stack,
    secret,
    active: String(s.active),
    versions: Object.keys(s.versions ?? {}),
    generated: Object.keys(s.generate ?? {}),
    hasMonitor: s.monitor !== undefined,
    hasPromotion: config[`${NS}promotion`] !== undefined,
    deployment: owned("Deployment"),
    cronJob: owned("CronJob"),
    secretNames: Object.keys(secrets),
  };
}

/** Every mutated file, in a fixed order; the seed decides the shuffles. */
export function generate(seed = 17, dir = PROJECT_DIR): FuzzFile[] {
  const files: FuzzFile[] = [];
  for (const file of baseFiles(dir)) {
    // Only stacks of this project (a stack file of a `Pulumi.yaml` elsewhere is not ours).
    const base = readBase(file, dir);
    if (!base.secret) continue;
    for (const family of FAMILIES) {
      family.make(base).forEach((spec, i) => {
        const random = prng(seed * 7919 + files.length);
        const editor = new Editor(base, random);
        spec.edit(editor);
        files.push({
          id: `${base.file}#${family.name}/${i}`,
          family,
          base,
          spec,
          text: editor.render(),
        });
      });
    }
  }
  return files;
}

/** Whether a problem at `at` (or a file error's text) names the mutated path. */
function names(spec: Spec, at: string): boolean {
  if (spec.path === "") return true;
  return [spec.path, ...(spec.alsoPaths ?? [])].some(
    (p) => at === p || at.startsWith(`${p}.`) || at.startsWith(`${p}[`),
  );
}

/** Runs one file as `npm run plan -- <stack>` would, and classifies it. */
export async function classify(file: FuzzFile): Promise<FuzzResult> {
  const { spec } = file;
  const wrong = (accepted: boolean): FuzzClass =>
    accepted ? "accepted-but-refused-upstream" : "refused-but-accepted-upstream";
  let error: Error | undefined;
  let named = false;
  try {
    // As scripts/plan.ts main: the file's config, then the program with no outputs/live files.
    const config = stackConfigFromYaml(file.text, path.join(PROJECT_DIR, file.base.file));
    const run = await runProgram({
      stack: file.base.stack,
      config,
      now: FUZZ_NOW,
      readers: { outputs: fileReader({}), live: fileLiveReader({}) },
    });
    error = run.error;
    if (error instanceof ConfigError) {
      named = error.problems.some((p) => names(spec, p.key ? p.key : p.path));
    } else if (error) {
      return {
        file,
        class: "internal-error",
        message: error.stack?.split("\n").slice(0, 4).join("\n"),
      };
    }
  } catch (err) {
    // The stack file itself is refused (YAML syntax, a duplicate key): the plan's usage error.
    error = err as Error;
    const text = error.message;
    named =
      spec.path === "" ||
      [spec.path, ...(spec.alsoPaths ?? [])].some(
        (p) => text.includes(`${NS}${p}`) || text.includes(p),
      );
  }
  const message = error?.message.split("\n").slice(0, 6).join("\n");
  if (!error) {
    return { file, class: spec.verdict === "accepted" ? "ok-accepted" : wrong(true) };
  }
  if (spec.verdict === "accepted") return { file, class: wrong(false), message };
  return { file, class: named ? "ok-refused" : "refused-without-naming-field", message };
}

/**
 * Runs every file one at a time (the mock runtime is process-wide). A failed run's outputs
 * reject after the run returned (the SDK's root stack registers them in a `finally`); those
 * rejections are the run's own error, already classified, so they are swallowed here.
 */
export async function runAll(files: readonly FuzzFile[]): Promise<FuzzResult[]> {
  const swallow = () => undefined;
  process.on("unhandledRejection", swallow);
  try {
    const results: FuzzResult[] = [];
    for (const file of files) results.push(await classify(file));
    return results;
  } finally {
    process.off("unhandledRejection", swallow);
  }
}

/**
 * A seeded sample of `n` files (all of them when n is at least their number), taken in turn
 * from each family, so that every family is in it.
 */
export function sample(files: readonly FuzzFile[], n: number, seed = 17): FuzzFile[] {
  if (n >= files.length) return [...files];
  const random = prng(seed);
  const byFamily = FAMILIES.map((family) => {
    const own = files.filter((f) => f.family === family);
    for (let i = own.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [own[i], own[j]] = [own[j], own[i]];
    }
    return own;
  });
  const picked: FuzzFile[] = [];
  for (let round = 0; picked.length < n; round++) {
    for (const own of byFamily) {
      if (round < own.length && picked.length < n) picked.push(own[round]);
    }
  }
  return picked;
}

/** Counts per class, then per family and class, as text. */
export function report(results: readonly FuzzResult[]): string {
  const count = (rs: readonly FuzzResult[]) =>
    CLASSES.map((c) => rs.filter((r) => r.class === c).length);
  const lines = [`${results.length} files`, "", "CLASS                            FILES"];
  count(results).forEach((n, i) => lines.push(`${CLASSES[i].padEnd(33)}${n}`));
  lines.push(
    "",
    `FAMILY${" ".repeat(34)}${CLASSES.map((_, i) => `c${i + 1}`.padStart(5)).join("")}`,
  );
  for (const family of FAMILIES) {
    const rs = results.filter((r) => r.file.family === family);
    if (rs.length === 0) continue;
    lines.push(
      `${family.name.padEnd(40)}${count(rs)
        .map((n) => String(n).padStart(5))
        .join("")}`,
    );
  }
  lines.push("", CLASSES.map((c, i) => `c${i + 1} = ${c}`).join(", "));
  return lines.join("\n");
}

/** One line per file, with the error's first lines. */
export function listing(results: readonly FuzzResult[]): string {
  return results
    .map(
      (r) =>
        `${r.file.id} ${r.file.spec.what} (path ${r.file.spec.path || "-"}, upstream ${r.file.spec.verdict}: ${r.file.family.rule})` +
        (r.message ? `\n    ${r.message.split("\n").join("\n    ")}` : ""),
    )
    .join("\n");
}

async function main(argv: string[]): Promise<number> {
  const arg = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const list = arg("--list");
  if (list !== undefined && !(CLASSES as readonly string[]).includes(list)) {
    console.error(`--list takes one of: ${CLASSES.join(", ")}`);
    return 2;
  }
  const seed = Number(arg("--seed") ?? 17);
  const family = arg("--family");
  let files = generate(seed).filter((f) => !family || f.family.name === family);
  const n = arg("--sample");
  if (n !== undefined) files = sample(files, Number(n), seed);
  const results = await runAll(files);
  console.log(report(results));
  if (list !== undefined) {
    console.log("", `${list}:`, "", listing(results.filter((r) => r.class === list)));
  }
  return 0;
}

if (require.main === module) {
  // A refused program's error reaches runProgram (the run's `error`, classified here) and,
  // through the SDK's Stack resource, an unhandled rejection as well, which Pulumi's own
  // runner reports through its unhandledRejection handler (sdk/nodejs/cmd/run/run.ts).
  process.on("unhandledRejection", (reason) => {
    if (reason instanceof ConfigError) return;
    console.error(reason);
    process.exitCode = 2;
  });
  main(process.argv.slice(2)).then(
    // Exit when the event loop drains, not at once: the last program's Stack registration
    // settles first, so Pulumi's runtime reports no leaked promise at exit.
    (code) => (process.exitCode = code),
    (err: Error) => {
      console.error(err.stack);
      process.exit(2);
    },
  );
}
