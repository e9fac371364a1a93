/**
 * Parses and validates the whole stack config in one pass, collecting every problem, so that
 * a bad config fails before the first resource is declared and `pulumi up` changes nothing.
 * Each section's fields and rules live in `contract/` (stack, secret, version, canary,
 * monitor, promotion, workload); this file walks the sections in order and adds the checks
 * that span them. Pure: no Pulumi import. Secret values are handed to `wrapValue` the moment
 * they are checked and never appear in a message.
 */
import { checkBlueGreen } from "./contract/blueGreen";
import { checkCanaries, checkSecretsDeclared } from "./contract/crossChecks";
import { type ConfigProblem, Problems, join, pathKeys } from "../core/problems";
import { parseSecret } from "./contract/secret";
import { checkNamespaces, stackFields } from "./contract/stack";
import { parseWorkload } from "./contract/workload";
import { ConfigError } from "./errors";
import { checkUniqueUrns, declaredNames } from "./urns";
import type { SecretSpec, StackSpec, WorkloadSpec } from "./types";

export { STACK_FIELDS } from "./contract/stack";
export { versionFingerprint } from "./contract/version";

export interface ParseContext {
  /** The stack name: the default environment, and named in every error. */
  stack: string;
  /**
   * The stack's config keys outside the project namespace (`aws:region`), to catch a
   * misspelled namespace (`secret_rotation:secrets`). Default: none.
   */
  otherKeys?: readonly string[];
  /** The clock (version ids may not be in the future). */
  now: Date;
  /** `aws:region`, when set: the default region of a declared ClusterSecretStore. */
  awsRegion?: string;
  /**
   * The project's keys (without the namespace) the CLI handed as secret: holding a `secure:`
   * value somewhere inside. Default: none.
   */
  secretKeys?: readonly string[];
}

/**
 * Only `secrets` carries secret values through the program (each wrapped in `pulumi.secret`).
 * Any other key is read as plain config: a `secure:` value under `workloads` (an `env` value,
 * say) would reach a Deployment's spec and the blue-green slots' memory in the stack outputs in
 * clear, so it is refused.
 */
function checkSecretKeys(p: Problems, secretKeys: readonly string[]): void {
  for (const key of secretKeys) {
    if (key === "secrets") continue;
    p.add(
      join("", key),
      `holds a secure value, but only secret-rotation:secrets keeps values secret (anything else reaches resource specs and stack outputs in clear); ${
        key === "workloads"
          ? "put the value in a version of a secret under secrets and link that secret to the workload"
          : "set it without --secret"
      }`,
    );
  }
}

/**
 * Validates `raw` (the project's config keys without the namespace prefix, as the Pulumi CLI
 * gives them: objects already parsed, scalars possibly as text). Throws one `ConfigError`
 * listing every problem.
 */
export function parseStackConfig<V>(
  raw: Readonly<Record<string, unknown>>,
  ctx: ParseContext,
  wrapValue: (value: string) => V,
): StackSpec<V> {
  const p = new Problems();
  const f = stackFields(p, raw, {
    stack: ctx.stack,
    ...(ctx.awsRegion !== undefined && { awsRegion: ctx.awsRegion }),
  });
  f.checkKeys();
  checkNamespaces(p, ctx.otherKeys ?? []);
  checkSecretKeys(p, ctx.secretKeys ?? []);

  const beforeEnvironment = p.list.length;
  const environment = f.parse("environment");
  // A refused environment reads as "staging" where later keys need one; no rule judges that
  // stand-in (a stack meant as dev is not told that staging needs secrets).
  const environmentValid = p.list.length === beforeEnvironment;
  const namespace = f.parse("namespace");
  const retentionDays = f.parse("retentionDays");
  const maxAgeDays = f.parse("maxAgeDays");
  const awsRecoveryWindowDays = f.parse("awsRecoveryWindowDays");
  const awsKmsKeyId = f.parse("awsKmsKeyId");
  const delivery = f.parse("delivery");

  const secretsRaw = f.parse("secrets");
  const secrets: SecretSpec<V>[] = [];
  for (const name of Object.keys(secretsRaw ?? {}).sort()) {
    const secret = parseSecret(p, name, secretsRaw![name], {
      now: ctx.now,
      environment,
      retentionDays,
      ...(maxAgeDays !== undefined && { maxAgeDays }),
      delivery,
      wrapValue,
    });
    if (secret) secrets.push(secret);
  }

  const workloadsRaw = f.parse("workloads");
  const secretNames = new Set(Object.keys(secretsRaw ?? {}));
  const secretKeys = new Map(secrets.map((secret) => [secret.name, secret.keys]));
  const workloads: WorkloadSpec[] = [];
  for (const name of Object.keys(workloadsRaw ?? {}).sort()) {
    const workload = parseWorkload(
      p,
      name,
      workloadsRaw![name],
      secretNames,
      secretKeys,
      namespace,
    );
    if (workload) workloads.push(workload);
  }

  if (environmentValid) checkSecretsDeclared(p, environment, secretNames);
  checkCanaries(p, secrets, workloads, Object.keys(workloadsRaw ?? {}));
  const slotted = workloads.filter((w) => "blueGreen" in w);
  checkBlueGreen(
    p,
    environmentValid ? environment : undefined,
    secrets,
    slotted,
    Object.keys(workloadsRaw ?? {}),
  );
  const promotion = f.parse("promotion", { secrets, secretNames });

  const guard = f.parse("guard");
  // Every secret delivered by ESO, whether valid or not, so a broken one still asks for the store.
  const usedBy = Object.keys(secretsRaw ?? {})
    .sort()
    .filter((name) => {
      const own = (secretsRaw![name] as { delivery?: unknown } | null)?.delivery;
      return (own ?? delivery) === "externalSecrets";
    });
  const externalSecrets = f.parse("externalSecrets", { usedBy });

  const spec: StackSpec<V> = {
    stack: ctx.stack,
    environment,
    versioned: environment !== "dev",
    namespace,
    retentionDays,
    ...(maxAgeDays !== undefined && { maxAgeDays }),
    awsRecoveryWindowDays,
    ...(awsKmsKeyId !== undefined && { awsKmsKeyId }),
    delivery,
    ...(externalSecrets && { externalSecrets }),
    ...(promotion && { promotion }),
    guard,
    secrets,
    workloads,
  };
  // Names the engine would refuse as duplicate URNs (config/urns.ts says which rule).
  checkUniqueUrns(p, declaredNames(spec));
  if (p.list.length > 0) {
    const secretKeys = new Set(ctx.secretKeys ?? []);
    const secretValue = (top: string): { value: unknown } | undefined =>
      top === "secrets"
        ? { value: secretsRaw }
        : secretKeys.has(top) && Object.hasOwn(raw, top)
          ? { value: raw[top] }
          : undefined;
    throw new ConfigError(ctx.stack, hideSecretsValues(p.list, secretValue));
  }
  return spec;
}

/** Text written as a number (`7`, `7.0`, `-1`, `1e3`): a version id, a count; shown as given. */
const NUMBER_TEXT = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

/**
 * `secret-rotation:secrets` is a secret key, and so is any other key holding a `secure:` value
 * (refused, but still parsed so that every problem is reported at once): `pulumi up` hands them
 * over decrypted, so a value pasted at the wrong `--secret --path` (a password as
 * `monitor.namespace`) would reach the error in clear. A problem under such a key quotes the
 * text at its own path only when that text is a number; any other is replaced, whichever check
 * wrote the message.
 */
function hideSecretsValues(
  problems: readonly ConfigProblem[],
  secretValue: (top: string) => { value: unknown } | undefined,
) {
  return problems.map((problem) => {
    const [top, ...keys] = pathKeys(problem.path);
    const secret = secretValue(String(top));
    if (!secret) return problem;
    let value: unknown = secret.value;
    for (const key of keys) {
      value =
        value !== null && typeof value === "object"
          ? (value as Record<string | number, unknown>)[key]
          : undefined;
    }
    if (typeof value !== "string" || value.trim() === "" || NUMBER_TEXT.test(value)) {
      return problem;
    }
    const hidden = `the value (not shown: secret-rotation:${String(top)} is a secret key)`;
    const message = problem.message
      .split(JSON.stringify(value))
      .join(hidden)
      .split(`"${value}"`)
      .join(hidden);
    return { ...problem, message };
  });
}
