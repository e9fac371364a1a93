/**
 * The naming and format rules of Kubernetes and AWS that the program's inputs must meet, so
 * that a bad name fails in validation, before any resource, instead of half-way through an
 * update. Each returns why a value is refused (saying what is allowed), or undefined. Pure.
 */
import { GO_SPACE, kubernetesScheduleProblem } from "./cronSchedule";
import { protoKeyProblem } from "../core/dict";

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;
const AWS_SECRET_NAME = /^[A-Za-z0-9/_+=.@-]+$/;
const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const QUANTITY = /^[+]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+|Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$/;

/** Kubernetes label values, and so our secret names (a label carries them), are at most 63. */
export const MAX_LABEL_VALUE = 63;
/** AWS Secrets Manager: "The name can be up to 512 characters". */
export const MAX_AWS_SECRET_NAME = 512;

/** A Kubernetes object name that is a DNS-1123 label (namespaces, workloads). */
export function dns1123LabelProblem(name: string): string | undefined {
  if (name.length > 63 || !DNS1123_LABEL.test(name)) {
    return "must be a DNS-1123 label: at most 63 lowercase letters, digits or '-', starting and ending with a letter or digit";
  }
  return undefined;
}

/**
 * A CronJob name: the controller names each Job `<cronjob>-<11 characters>` and a Job name is a
 * 63-character label, so the API server refuses CronJob names over 52 (Kubernetes
 * pkg/apis/batch/validation/validation.go, ValidateCronJobCreate).
 */
export const MAX_CRONJOB_NAME = 52;

export function cronJobNameProblem(name: string): string | undefined {
  return name.length > MAX_CRONJOB_NAME
    ? `is ${name.length} characters; a CronJob name may have at most ${MAX_CRONJOB_NAME} (Kubernetes appends 11 characters to name each Job)`
    : undefined;
}

/** A Service name: a DNS-1035 label (starts with a letter). */
export function dns1035LabelProblem(name: string): string | undefined {
  if (name.length > 63 || !DNS1035_LABEL.test(name)) {
    return "must be a DNS-1035 label (it names a Service): at most 63 lowercase letters, digits or '-', starting with a letter";
  }
  return undefined;
}

/**
 * A logical secret name. It becomes the Kubernetes Secret `<name>-<version>` (a DNS-1123
 * subdomain of at most 253 characters) and the value of the `secret-rotation/secret` label
 * (at most 63 characters), which is the tighter bound.
 */
export function secretNameProblem(name: string): string | undefined {
  if (!DNS1123_SUBDOMAIN.test(name)) {
    return "must be a DNS-1123 subdomain: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit";
  }
  if (name.length > MAX_LABEL_VALUE) {
    return `is ${name.length} characters; at most ${MAX_LABEL_VALUE} are allowed (it is the value of a Kubernetes label, and <name>-<version> must stay within 253)`;
  }
  return undefined;
}

/** A Kubernetes object name that is a DNS-1123 subdomain (a SecretStore, a ServiceAccount). */
export function dns1123SubdomainProblem(name: string): string | undefined {
  if (name.length > 253 || !DNS1123_SUBDOMAIN.test(name)) {
    return "must be a DNS-1123 subdomain: at most 253 lowercase letters, digits, '-' and '.', starting and ending with a letter or digit";
  }
  return undefined;
}

/** An AWS region code (`us-east-1`, `eu-central-2`, `us-gov-west-1`). */
export function awsRegionProblem(value: string): string | undefined {
  return /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/.test(value)
    ? undefined
    : `"${value}" is not an AWS region code (such as us-east-1)`;
}

/** An IAM role ARN (`arn:aws:iam::123456789012:role/name`). */
export function iamRoleArnProblem(value: string): string | undefined {
  return /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(value)
    ? undefined
    : `"${value}" is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)`;
}

/** A key of a Kubernetes Secret's data (the same rule as a ConfigMap key). */
export function secretKeyProblem(key: string): string | undefined {
  const proto = protoKeyProblem(key);
  if (proto) return proto;
  if (key.length > 253 || !SECRET_KEY.test(key) || key === "." || key.startsWith("..")) {
    return "is not a valid Kubernetes Secret key: at most 253 of letters, digits, '-', '_' or '.', and not '.' or starting with '..'";
  }
  return undefined;
}

/** A name AWS Secrets Manager accepts. */
export function awsSecretNameProblem(name: string): string | undefined {
  if (name.length > MAX_AWS_SECRET_NAME) {
    return `the AWS secret name ${name.slice(0, 40)}... is ${name.length} characters; AWS allows at most ${MAX_AWS_SECRET_NAME}`;
  }
  if (!AWS_SECRET_NAME.test(name)) {
    return `the AWS secret name ${name} has characters AWS refuses; allowed are letters, digits and / _ + = . @ -`;
  }
  return undefined;
}

const KMS_KEY =
  /^(arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/[A-Za-z0-9/_-]+|alias\/[A-Za-z0-9/_-]+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/;

/** A KMS key reference Secrets Manager accepts: key id, key ARN, alias name or alias ARN. */
export function kmsKeyProblem(value: string): string | undefined {
  return KMS_KEY.test(value)
    ? undefined
    : "is not a KMS key: use a key id, a key ARN, alias/<name> or an alias ARN";
}

/** An environment variable name Kubernetes accepts. */
export function envVarNameProblem(name: string): string | undefined {
  const proto = protoKeyProblem(name);
  if (proto) return proto;
  if (!ENV_VAR_NAME.test(name)) {
    return "is not a valid environment variable name: letters, digits, '_', '-' or '.', not starting with a digit";
  }
  return undefined;
}

const GO_EDGE_SPACE = new RegExp(`^${GO_SPACE.source}|${GO_SPACE.source}$`);

/**
 * A container image the API server takes in a pod. Kubernetes pkg/apis/core/validation/
 * validation.go validateContainersOnlyForPod refuses an image that is not equal to its
 * strings.TrimSpace ("must not have leading or trailing whitespace"). It runs for pods only,
 * not for pod templates (kubernetes master, as indexed; also in the older pkg/api/validation),
 * so a Deployment with such an image is stored, every pod its ReplicaSet creates is refused,
 * and the rollout never completes: pulumi up fails at the Deployment's await.
 */
export function imageProblem(image: string): string | undefined {
  return GO_EDGE_SPACE.test(image)
    ? `${JSON.stringify(image)} has leading or trailing whitespace, which the Kubernetes API server refuses in a pod's image; write the image reference alone`
    : undefined;
}

/** A Kubernetes resource quantity such as `250m`, `0.5`, `512Mi`. */
export function quantityProblem(value: string): string | undefined {
  return QUANTITY.test(value)
    ? undefined
    : "is not a Kubernetes quantity (for example 250m, 0.5, 512Mi, 1Gi)";
}

const QUANTITY_SUFFIX: Record<string, number> = {
  "": 1,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/**
 * The numeric value of a quantity that passed `quantityProblem` (`250m` is 0.25, `1Gi` is
 * 1073741824), for comparing a request with its limit.
 */
export function quantityValue(value: string): number {
  // The same grammar as `quantityProblem`: a number, then an exponent or a suffix.
  const m = QUANTITY.exec(value);
  if (!m) return NaN;
  const tail = m[3] ?? "";
  return /^[eE]/.test(tail) ? Number(m[1] + tail) : Number(m[1]) * QUANTITY_SUFFIX[tail];
}

/**
 * A CronJob schedule as the Kubernetes API server reads it: robfig/cron v3 ParseStandard, five
 * fields (minute hour day-of-month month day-of-week) or a descriptor (see cronSchedule.ts for
 * the upstream sources). The schedule is checked exactly as it will be declared, untrimmed:
 * the API server validates and stores the string as sent.
 */
export function cronScheduleProblem(schedule: string): string | undefined {
  const allowed =
    'a cron schedule of five fields "minute hour day-of-month month day-of-week" (for example "0 3 * * 1"; day-of-week 0-6, Sunday is 0) or a macro (@yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly, @every <duration> such as "@every 1h")';
  const problem = kubernetesScheduleProblem(schedule);
  return problem === undefined
    ? undefined
    : `is not ${allowed}: the Kubernetes API server refuses it (${problem})`;
}

const STACK_NAME_PART = /^[A-Za-z0-9_.-]+$/;

/**
 * A stack a StackReference can name: `<stack>` (same organization and project) or the fully
 * qualified `<organization>/<project>/<stack>`.
 */
export function stackReferenceProblem(name: string): string | undefined {
  const parts = name.split("/");
  if ((parts.length !== 1 && parts.length !== 3) || !parts.every((p) => STACK_NAME_PART.test(p))) {
    return `"${name}" is not a stack name; allowed: <organization>/<project>/<stack> or <stack> (letters, digits, '-', '_', '.')`;
  }
  return undefined;
}

/**
 * The ARN parts pulumi-aws checks for an alarm action. aws.cloudwatch.MetricAlarm is bridged
 * from terraform-provider-aws, whose internal/service/cloudwatch/metric_alarm.go validates each
 * of alarm_actions / ok_actions / insufficient_data_actions with
 * `validation.Any(verify.ValidARN, validEC2AutomateARN)`: internal/verify/validate.go
 * ValidARNCheck (aws-sdk-go aws/arn Parse: "arn:" and six ':'-separated sections, the last
 * being the resource; then these patterns for partition, region when not empty, account when
 * not empty; a resource not empty) or internal/service/cloudwatch/validate.go
 * validEC2AutomateARN (the EC2 actions `arn:aws:automate:<region>:ec2:stop`, whose account
 * part is `ec2`). CloudWatch's PutMetricAlarm takes 1 to 1024 characters per action.
 */
const ARN_PARTITION = /^aws(-[a-z]+)*$/;
const ARN_REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const ARN_ACCOUNT = /^(aws|aws-managed|third-party|\d{12}|cw.{10})$/;
const EC2_AUTOMATE_ARN = /^arn:[\w-]+:automate:[\w-]+:ec2:(reboot|recover|stop|terminate)$/;
/** PutMetricAlarm AlarmActions / OKActions / InsufficientDataActions: "Maximum length of 1024". */
export const MAX_ALARM_ACTION_LENGTH = 1024;

/** Why verify.ValidARN refuses `value`, or undefined when it takes it. */
function genericArnProblem(value: string): string | undefined {
  if (!value.startsWith("arn:")) return "it does not start with arn:";
  // aws/arn Parse: strings.SplitN(arn, ":", 6); the resource keeps any further ':'.
  const parts = value.split(":");
  if (parts.length < 6) return "it has fewer than six ':'-separated parts";
  const [, partition, , region, account] = parts;
  const resource = parts.slice(5).join(":");
  if (!ARN_PARTITION.test(partition))
    return `the partition "${partition}" is not aws or aws-<name>`;
  if (region !== "" && !ARN_REGION.test(region)) {
    return `the region "${region}" is not a region code such as us-east-1`;
  }
  if (account !== "" && !ARN_ACCOUNT.test(account)) {
    return `the account "${account}" is not a 12-digit account id (or aws, aws-managed, third-party)`;
  }
  if (resource === "") return "the resource part is empty";
  return undefined;
}

/**
 * An ARN an alarm can notify: an SNS topic, an Auto Scaling policy, a Systems Manager or Lambda
 * action (any ARN that verify.ValidARN takes), or an EC2 action (`arn:aws:automate:...`).
 */
export function arnProblem(value: string): string | undefined {
  if (value.length > MAX_ALARM_ACTION_LENGTH) {
    return `is ${value.length} characters; CloudWatch allows at most ${MAX_ALARM_ACTION_LENGTH} per action`;
  }
  if (EC2_AUTOMATE_ARN.test(value)) return undefined;
  const why = genericArnProblem(value);
  if (why) {
    return `"${value}" is not an ARN (arn:<partition>:<service>:<region>:<account>:<resource>, or an EC2 action arn:aws:automate:<region>:ec2:stop|terminate|reboot|recover): ${why}`;
  }
  return undefined;
}

/** CloudWatch periods: 10, 20, 30 (high-resolution metrics) or a multiple of 60 seconds. */
export function alarmPeriodProblem(seconds: number): string | undefined {
  if ([10, 20, 30].includes(seconds) || (seconds >= 60 && seconds % 60 === 0)) return undefined;
  return `${seconds} is not allowed; 10, 20, 30 or a multiple of 60 seconds`;
}
