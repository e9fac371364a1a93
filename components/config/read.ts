/**
 * Reads the stack's config from the Pulumi runtime and validates it. The only place a secret
 * value is seen in clear: each is wrapped in `pulumi.secret` as soon as its type is checked.
 */
import * as pulumi from "@pulumi/pulumi";
import { CLOCK_ENV, resolveNow } from "../lifecycle/clock";
import { PROJECT } from "../project";
import { namespaceWarnings } from "./contract/stack";
import { parseStackConfig } from "./parse";
import { StackSpec } from "./types";

/** A config value as the CLI hands it over: objects and lists as JSON, scalars as text. */
export function decode(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      return JSON.parse(trimmed) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

/**
 * The stack's config in one read: every `secret-rotation:*` key without the namespace prefix
 * (unknown ones too, so a typo such as `retentionDay` is reported rather than ignored), and
 * every other key (`aws:region`), so a misspelled namespace can be caught.
 */
export function stackConfigKeys(): {
  raw: Record<string, unknown>;
  otherKeys: string[];
  awsRegion?: string;
} {
  const prefix = `${PROJECT}:`;
  const raw: Record<string, unknown> = {};
  const otherKeys: string[] = [];
  // Every key has a namespace here: the CLI gives a stack file's unqualified key the project's
  // (pulumi v3.248.0 sdk/go/common/workspace/loaders.go stackConfigNamespacedWithProject), and
  // the SDK hands keys over as `<namespace>:<name>` (sdk/nodejs/runtime/config.ts cleanKey).
  const all = pulumi.runtime.allConfig();
  for (const key of Object.keys(all).sort()) {
    if (key.startsWith(prefix)) raw[key.slice(prefix.length)] = decode(all[key]);
    else otherKeys.push(key);
  }
  // The AWS provider's region: where the secrets are written, so where ESO reads them.
  const awsRegion = all["aws:region"];
  return { raw, otherKeys, ...(awsRegion && { awsRegion }) };
}

/** The clock: `ROTATION_NOW` when set, else the current time. */
export function rotationNow(stack: string): Date {
  try {
    return resolveNow(process.env[CLOCK_ENV], new Date());
  } catch (err) {
    throw new Error(`stack "${stack}": ${(err as Error).message}`);
  }
}

/** The validated config of the current stack, values secret. Throws before any resource. */
export function readStackConfig(now: Date): StackSpec<pulumi.Output<string>> {
  const { raw, otherKeys, awsRegion } = stackConfigKeys();
  // Logged before the config is parsed, so they show beside a refused config too.
  for (const warning of namespaceWarnings(otherKeys)) void pulumi.log.warn(warning);
  return parseStackConfig(
    raw,
    { stack: pulumi.getStack(), now, otherKeys, ...(awsRegion && { awsRegion }) },
    (value) => pulumi.secret(value),
  );
}
