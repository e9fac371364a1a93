/**
 * Each secret's plan input, from the validated config, the memory (with AWS's deletions) and
 * the AWS read: what `planSecret` decides from. Pure. The reference guard's questions are
 * derived from the same inputs before any plan (`prunable`), and the update then plans every
 * secret once, with the guard's holds (program/planStack.ts).
 */
import type { StackSpec } from "../../config/types";
import { awsSecretName } from "../../core/names";
import type { AwsIndex, GuardRead } from "../guard/guard";
import type { StackMemory } from "./memory";
import { type SecretPlan, type SecretPlanInput, planSecret } from "./plan";

/** The guard's holds: per secret, per version, what still uses it. */
export type Holds = Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;

/** Every secret's plan input, in config order. */
export function secretInputs(
  config: StackSpec<unknown>,
  memory: StackMemory | undefined,
  now: Date,
  aws: GuardRead<AwsIndex> | undefined,
  held?: Holds,
): SecretPlanInput[] {
  return config.secrets.map((secret) => {
    const versions = secret.versions.map((v) => v.id);
    const goneFromAws =
      aws?.status === "read"
        ? new Set(
            versions.filter((id) => {
              const listed = aws.value[awsSecretName(config.environment, secret.name, id)];
              return listed === undefined || listed.deletedDate !== undefined;
            }),
          )
        : undefined;
    return {
      ...secret,
      versions,
      environment: config.environment,
      versioned: config.versioned,
      now,
      memory: memory?.[secret.name],
      ...(goneFromAws && { goneFromAws }),
      ...(held?.[secret.name] && { held: held[secret.name] }),
    };
  });
}

/** Every secret's plan, in config order (pure): the update calls it once. */
export function planSecrets(inputs: readonly SecretPlanInput[]): SecretPlan[] {
  return inputs.map((input) => planSecret(input));
}
