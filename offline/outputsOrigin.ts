/**
 * Which stack a stack-outputs file seems to come from, for the offline plan's
 * `--previous-outputs` and `--staging-outputs`. Under `pulumi up` the engine reads each by
 * name (this stack's own, and `promotion.fromStack`, which the config refuses to be this
 * stack: program/preflight.ts); offline, any file can be passed, and another
 * stack's memory or another source for the gate would plan the wrong prunes or verdicts.
 *
 * What identifies a stack in its outputs (program/declareStack.ts exports them):
 * the stack name only in this plan's own `--json` (its top-level `stack`); in
 * `pulumi stack output --json`, the `environment` output, and the `<environment>/` prefix of
 * every AWS name in `secrets` (lifecycle/names.ts), which an older or trimmed file still has.
 * The namespace is not used: a stack may move to another namespace and keep its memory.
 * The check only warns: a file that names nothing is taken as it is.
 */
import { Problems } from "../core/problems";
import { parseEnvironment } from "../config/contract/stack";
import { decode } from "../config/read";
import { ENVIRONMENTS } from "../config/types";
import { configKey } from "../core/project";
import { awsNamesIn } from "../plan/lifecycle/stored";
import type { StackConfig } from "./stackFiles";

/** What a stack-outputs file says about the stack that wrote it. */
export interface OutputsOrigin {
  /** The stack name, from this plan's `--json` (`stack`). */
  stack?: string;
  /** The environment the stack wrote to. */
  environment?: string;
  /** How the environment was read, for the warning. */
  evidence?: string;
}

const isMap = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** The environments the `secrets` output's AWS names start with (`production/...`). */
function awsPrefixes(secrets: unknown): Set<string> {
  const prefixes = new Set<string>();
  // The stored format's reader (plan/lifecycle/stored.ts) lists the names.
  for (const name of awsNamesIn(secrets)) {
    const slash = name.indexOf("/");
    if (slash > 0) prefixes.add(name.slice(0, slash));
  }
  return prefixes;
}

/**
 * The origin of a parsed outputs file: `file` as read (this plan's `--json` wraps the
 * outputs in `outputs`), `outputs` the stack outputs in it.
 */
export function outputsOrigin(file: unknown, outputs: Record<string, unknown>): OutputsOrigin {
  const stack = isMap(file) && typeof file.stack === "string" ? file.stack : undefined;
  const named = stack === undefined ? {} : { stack };
  if (typeof outputs.environment === "string") {
    return {
      ...named,
      environment: outputs.environment,
      evidence: `its environment output is "${outputs.environment}"`,
    };
  }
  // Only one prefix says something; several would be a hand-made file.
  const prefixes = [...awsPrefixes(outputs.secrets)];
  if (prefixes.length === 1) {
    return {
      ...named,
      environment: prefixes[0],
      evidence: `its AWS secret names start with "${prefixes[0]}/"`,
    };
  }
  return named;
}

/** The stack being planned, as far as its stack file says. */
export interface PlannedStack {
  stack: string;
  /** Its environment; undefined when the config's is not valid (the run reports that). */
  environment?: string;
  /** `promotion.fromStack`, when it is set as text. */
  fromStack?: string;
}

/** The planned stack's environment and promotion source, by the contract's own rules. */
export function plannedStack(stack: string, config: StackConfig): PlannedStack {
  const text = (key: string) => {
    const value = config.config[configKey(key)];
    return value === undefined ? undefined : decode(value);
  };
  const p = new Problems();
  // The environment field's own parse: its default (the stack name) and allowed values.
  const environment = parseEnvironment(p, text("environment"), stack);
  const promotion = text("promotion");
  const fromStack = isMap(promotion) ? promotion.fromStack : undefined;
  return {
    stack,
    ...(p.list.length === 0 && { environment }),
    ...(typeof fromStack === "string" && { fromStack }),
  };
}

/** "stack production (its environment output is ...)" or "a production stack (...)". */
function describe(origin: OutputsOrigin): string {
  if (origin.stack !== undefined) {
    return `stack ${origin.stack}${origin.environment ? ` (environment ${origin.environment})` : ""}`;
  }
  return `a ${origin.environment} stack (${origin.evidence})`;
}

/**
 * A warning when `--previous-outputs` seems to be another stack's: its stack name, or else
 * its environment, differs from the stack being planned.
 */
export function previousOutputsWarning(
  file: string,
  origin: OutputsOrigin,
  planned: PlannedStack,
): string | undefined {
  const other =
    origin.stack !== undefined
      ? origin.stack !== planned.stack
      : origin.environment !== undefined &&
        planned.environment !== undefined &&
        origin.environment !== planned.environment;
  if (!other) return undefined;
  const environment = planned.environment ? ` (environment ${planned.environment})` : "";
  return (
    `--previous-outputs ${file} seems to be the outputs of ${describe(origin)}, not of stack ${planned.stack}${environment}, the stack being planned: ` +
    `the plan would take another stack's memory of activations and prunes. ` +
    `Write this stack's with: pulumi stack output --json --stack ${planned.stack} > ${file}`
  );
}

/**
 * A warning when `--staging-outputs` seems not to be `promotion.fromStack`'s: its stack name
 * differs from that stack's, or its environment differs from the one that stack has by
 * default (its name, when that is an environment), or, for a source named otherwise, it is
 * the planned stack's own environment.
 */
export function stagingOutputsWarning(
  file: string,
  origin: OutputsOrigin,
  planned: PlannedStack,
): string | undefined {
  if (planned.fromStack === undefined) return undefined;
  const source = planned.fromStack.slice(planned.fromStack.lastIndexOf("/") + 1);
  const sourceEnvironment = (ENVIRONMENTS as readonly string[]).includes(source)
    ? source
    : undefined;
  let other: boolean;
  if (origin.stack !== undefined) other = origin.stack !== source;
  else if (origin.environment === undefined) other = false;
  else if (sourceEnvironment !== undefined) other = origin.environment !== sourceEnvironment;
  else other = origin.environment === planned.environment;
  if (!other) return undefined;
  return (
    `--staging-outputs ${file} seems to be the outputs of ${describe(origin)}, not of ${planned.fromStack} ` +
    `(${configKey("promotion.fromStack")}), the stack ${planned.stack} promotes from: ` +
    `the staging gate would check this stack's versions against another stack. ` +
    `Write it with: pulumi stack output --json --stack ${planned.fromStack} > ${file}`
  );
}
