/**
 * The words of a rotation alarm: its stable name, and a description that tells whoever is
 * paged which version is live and the exact command that rolls back. Pure.
 */
import { configPathArgument } from "../../core/project";

export interface AlarmSubject {
  /** The stack the commands target. */
  stack: string;
  environment: string;
  secret: string;
  activeVersion: string;
  /**
   * The rollback target.
   * @default none: the description says there is no previous version
   */
  previousVersion?: string;
  /**
   * The canary rollout, when one runs.
   * @default none
   */
  canary?: { version: string; percent: number };
  /**
   * A version blue-green workloads keep warm (docs/blue-green.md): rolling back to it before
   * `until` only moves their Services' selectors.
   * @default none
   */
  warm?: { version: string; until: string; workloads: readonly string[] };
}

/** CloudWatch alarm names allow 255 characters; ours are at most about 100. */
export function alarmName(environment: string, secret: string): string {
  return `secret-rotation/${environment}/${secret}`;
}

/** The command that makes `version` the active version again. */
export function rollbackCommand(
  stack: string,
  secret: string,
  version: string,
  short = false,
): string {
  const path = configPathArgument(["secrets", secret, "active"]);
  const flag = short ? "-s" : "--stack";
  return `pulumi config set ${flag} ${stack} --path '${path}' ${version} && pulumi up ${flag} ${stack}`;
}

/** The command that ends a canary without promoting it. */
export function abortCanaryCommand(stack: string, secret: string, short = false): string {
  const path = configPathArgument(["secrets", secret, "canary"]);
  const flag = short ? "-s" : "--stack";
  return `pulumi config rm ${flag} ${stack} --path '${path}' && pulumi up ${flag} ${stack}`;
}

/**
 * CloudWatch's limit on a description (terraform-provider-aws
 * internal/service/cloudwatch/metric_alarm.go: `alarm_description` StringLenBetween(0, 1024)).
 */
export const MAX_ALARM_DESCRIPTION = 1024;

/** Workloads a description names as keeping a version warm; the rest are counted. */
const MAX_WARM_NAMES = 2;

/**
 * The alarm description: which version runs, and the commands that abort a canary and roll
 * back, each its own sentence. With the longest names Pulumi and Kubernetes allow (a
 * 100-character stack, a 63-character secret) the full text would pass CloudWatch's 1024
 * characters, so a text too long drops the stack from the opening sentence and then uses the
 * CLI's short `-s` flag; the commands stay whole, because they are what on-call needs.
 */
export function alarmDescription(s: AlarmSubject): string {
  // Shorter forms, in order, until one fits: without the stack in the opening sentence and
  // with `-s`; then, while a warm slot keeps a version, without the slower rollback to a
  // previous version that is not warm (the opening sentence still names it) and without the
  // names of the workloads that keep the warm one; last, the warm rollback in a few words.
  const forms: Form[] = [
    { header: true, slowRollback: true, warmNames: true },
    { header: false, slowRollback: true, warmNames: true },
    { header: false, slowRollback: false, warmNames: true },
    { header: false, slowRollback: false, warmNames: false },
    { header: false, slowRollback: false, warmNames: false, warmTerse: true },
  ];
  const texts = forms.map((form) => describe(s, form));
  return texts.find((t) => t.length <= MAX_ALARM_DESCRIPTION) ?? texts[texts.length - 1];
}

interface Form {
  header: boolean;
  slowRollback: boolean;
  warmNames: boolean;
  warmTerse?: boolean;
}

function describe(s: AlarmSubject, form: Form): string {
  const parts = [
    `secret-rotation: ${s.secret} in ${s.environment}${form.header ? ` (stack ${s.stack})` : ""} runs version ${s.activeVersion}; ` +
      (s.previousVersion
        ? `the previous version is ${s.previousVersion}.`
        : "it has no previous version."),
  ];
  const short = !form.header;
  if (s.canary) {
    parts.push(
      `A canary runs version ${s.canary.version} on ${s.canary.percent}% of pods. If it caused this, abort it: ${abortCanaryCommand(s.stack, s.secret, short)}.`,
    );
  }
  if (s.warm) {
    const names = s.warm.workloads;
    const shown = !form.warmNames
      ? `${names.length} blue-green workload${names.length === 1 ? "" : "s"}`
      : names.length <= MAX_WARM_NAMES
        ? names.join(", ")
        : `${names.slice(0, MAX_WARM_NAMES).join(", ")} and ${names.length - MAX_WARM_NAMES} more`;
    const command = rollbackCommand(s.stack, s.secret, s.warm.version, short);
    parts.push(
      form.warmTerse
        ? `Instant rollback to ${s.warm.version} (warm until ${s.warm.until}): ${command}.`
        : `${shown} keep version ${s.warm.version} warm until ${s.warm.until}: rolling back to it only switches their Services, no pod starts: ${command}.`,
    );
  }
  const slow = s.previousVersion && s.previousVersion !== s.warm?.version;
  if (slow && (form.slowRollback || !s.warm)) {
    parts.push(
      `If the rotation caused this, roll back: ${rollbackCommand(s.stack, s.secret, s.previousVersion!, short)}.`,
    );
  }
  return parts.join(" ");
}
