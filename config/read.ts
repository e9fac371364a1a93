/**
 * Reads the stack's config from the Pulumi runtime and validates it. The only place a secret
 * value is seen in clear: each is wrapped in `pulumi.secret` as soon as its type is checked.
 */
import * as pulumi from "@pulumi/pulumi";
import { CLOCK_ENV, resolveNow } from "../core/clock";
import { dict } from "../core/dict";
import { PROJECT } from "../core/project";
import { namespaceWarnings } from "./contract/stack";
import { parseStackConfig } from "./parse";
import { configuredValues, plainValueWarnings } from "./plainValues";
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
  // A key is user input: `secret-rotation:__proto__` must stay a key (and be refused as an
  // unknown field), not become the object's prototype and lend it fields nobody wrote.
  const raw = dict<unknown>();
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

/**
 * Whether the CLI handed `key` as a secret: it holds a `secure:` value somewhere inside
 * (plainValues.ts says how the CLI decides). `isConfigSecret` is exported by the SDK's runtime
 * but marked internal (sdk/nodejs/runtime/config.ts, @pulumi/pulumi 3.248.0), so it is looked
 * up; undefined when this SDK does not have it, and then nothing is claimed.
 */
export function configKeyIsSecret(key: string): boolean | undefined {
  const runtime = pulumi.runtime as { isConfigSecret?: (k: string) => boolean };
  return typeof runtime.isConfigSecret === "function" ? runtime.isConfigSecret(key) : undefined;
}

/** The validated config of the current stack, values secret. Throws before any resource. */
export function readStackConfig(now: Date): StackSpec<pulumi.Output<string>> {
  const { raw, otherKeys, awsRegion } = stackConfigKeys();
  // Logged before the config is parsed, so they show beside a refused config too.
  for (const warning of namespaceWarnings(otherKeys)) void pulumi.log.warn(warning);
  const secretKeys = Object.keys(raw).filter((k) => configKeyIsSecret(`${PROJECT}:${k}`) === true);
  const spec = parseStackConfig(
    raw,
    { stack: pulumi.getStack(), now, otherKeys, ...(awsRegion && { awsRegion }), secretKeys },
    (value) => pulumi.secret(value),
  );
  // When no value under `secrets` is secure, every configured value is plain text; when one
  // is, the CLI does not say which others are not (the offline plan reads the file for that).
  if (configKeyIsSecret(`${PROJECT}:secrets`) === false) {
    for (const warning of plainValueWarnings(spec.stack, configuredValues(spec.secrets))) {
      void pulumi.log.warn(warning);
    }
  }
  return spec;
}
