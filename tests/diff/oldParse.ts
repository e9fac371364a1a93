/**
 * Parses and validates the whole stack config in one pass, collecting every problem, so that
 * a bad config fails before the first resource is declared and `pulumi up` changes nothing.
 * Each section's fields and rules live in `contract/` (stack, secret, version, canary,
 * monitor, promotion, workload); this file walks the sections in order and adds the checks
 * that span them. Pure: no Pulumi import. Secret values are handed to `wrapValue` the moment
 * they are checked and never appear in a message.
 */
import { checkCanaries, checkSecretsDeclared } from "../../config/contract/crossChecks";
import { DEFAULT_DELIVERY } from "../../config/contract/delivery";
import { Problems, checkFields } from "../../config/contract/kernel";
import { parseSecret } from "../../config/contract/secret";
import { STACK_FIELDS, checkNamespaces } from "./oldStack";
import { parseWorkload } from "../../config/contract/workload";
import { ConfigError } from "../../config/errors";
import { checkUniqueUrns, declaredNames } from "../../config/urns";
import type { SecretSpec, StackSpec, WorkloadSpec } from "../../config/types";

export { STACK_FIELDS } from "./oldStack";
export { versionFingerprint } from "../../config/contract/version";

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
  const f = STACK_FIELDS;
  checkFields(p, "", raw, f);
  checkNamespaces(p, ctx.otherKeys ?? []);

  const environment = f.environment.parse(p, "environment", raw.environment, ctx.stack);
  const namespace = f.namespace.parse(p, "namespace", raw.namespace, environment);
  const retentionDays = f.retentionDays.parse(p, "retentionDays", raw.retentionDays);
  const awsRecoveryWindowDays = f.awsRecoveryWindowDays.parse(
    p,
    "awsRecoveryWindowDays",
    raw.awsRecoveryWindowDays,
  );
  const awsKmsKeyId = f.awsKmsKeyId.parse(p, "awsKmsKeyId", raw.awsKmsKeyId);

  const delivery = f.delivery.parse(p, "delivery", raw.delivery, DEFAULT_DELIVERY);

  const secretsRaw = f.secrets.parse(p, "secrets", raw.secrets);
  const secrets: SecretSpec<V>[] = [];
  for (const name of Object.keys(secretsRaw ?? {}).sort()) {
    const secret = parseSecret(p, name, secretsRaw![name], {
      now: ctx.now,
      environment,
      retentionDays,
      delivery,
      wrapValue,
    });
    if (secret) secrets.push(secret);
  }

  const workloadsRaw = f.workloads.parse(p, "workloads", raw.workloads);
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

  checkSecretsDeclared(p, environment, secretNames);
  checkCanaries(p, secrets, workloads, Object.keys(workloadsRaw ?? {}));
  const promotion = f.promotion.parse(
    p,
    "promotion",
    raw.promotion,
    ctx.stack,
    secrets,
    secretNames,
  );

  const guard = f.guard.parse(p, "guard", raw.guard);
  // Every secret delivered by ESO, whether valid or not, so a broken one still asks for the store.
  const usedBy = Object.keys(secretsRaw ?? {})
    .sort()
    .filter((name) => {
      const own = (secretsRaw![name] as { delivery?: unknown } | null)?.delivery;
      return (own ?? delivery) === "externalSecrets";
    });
  const externalSecrets = f.externalSecrets.parse(p, "externalSecrets", raw.externalSecrets, {
    usedBy,
    ...(ctx.awsRegion !== undefined && { awsRegion: ctx.awsRegion }),
  });

  const spec: StackSpec<V> = {
    stack: ctx.stack,
    environment,
    versioned: environment !== "dev",
    namespace,
    retentionDays,
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
  if (p.list.length > 0) throw new ConfigError(ctx.stack, p.list);
  return spec;
}
