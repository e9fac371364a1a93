/**
 * The words of a rotation alarm: its stable name, and a description that tells whoever is
 * paged which version is live and the exact command that rolls back. Pure.
 */
import { configPathArgument } from "../config/errors";

export interface AlarmSubject {
  /** The stack the commands target. */
  stack: string;
  environment: string;
  secret: string;
  activeVersion: string;
  /** The rollback target. Default: none (the description says there is no previous version). */
  previousVersion?: string;
  /** The canary rollout, when one runs. Default: none. */
  canary?: { version: string; percent: number };
}

/** CloudWatch alarm names allow 255 characters; ours are at most about 100. */
export function alarmName(environment: string, secret: string): string {
  return `secret-rotation/${environment}/${secret}`;
}

/** The command that makes `version` the active version again. */
export function rollbackCommand(stack: string, secret: string, version: string): string {
  const path = configPathArgument(["secrets", secret, "active"]);
  return `pulumi config set --stack ${stack} --path '${path}' ${version} && pulumi up --stack ${stack}`;
}

/** The command that ends a canary without promoting it. */
export function abortCanaryCommand(stack: string, secret: string): string {
  const path = configPathArgument(["secrets", secret, "canary"]);
  return `pulumi config rm --stack ${stack} --path '${path}' && pulumi up --stack ${stack}`;
}

/** The alarm description (CloudWatch allows 1024 characters). */
export function alarmDescription(s: AlarmSubject): string {
  const parts = [
    `secret-rotation: ${s.secret} in ${s.environment} (stack ${s.stack}) runs version ${s.activeVersion}; ` +
      (s.previousVersion
        ? `the previous version is ${s.previousVersion}.`
        : "it has no previous version."),
  ];
  if (s.canary) {
    parts.push(
      `A canary runs version ${s.canary.version} on ${s.canary.percent}% of pods. If it caused this, abort it: ${abortCanaryCommand(s.stack, s.secret)}`,
    );
  }
  if (s.previousVersion) {
    parts.push(
      `If the rotation caused this, roll back: ${rollbackCommand(s.stack, s.secret, s.previousVersion)}`,
    );
  }
  return parts.join(" ");
}
