/**
 * What the reference guard asks before the update plans: every version the state table would
 * prune (expired, or removed from the config), from the plan inputs alone (`prunable`), so
 * the preflight reads the cluster without planning and the update plans once, with the holds.
 */
import { kubernetesSecretName, awsSecretName } from "../../core/names";
import type { StackMemory } from "../lifecycle/memory";
import { type SecretPlanInput, prunable } from "../lifecycle/plan";
import type { GuardQuestion } from "./guard";

/** Every version the plans would prune: the expired ones, and those removed from config. */
export function guardQuestions(
  inputs: readonly SecretPlanInput[],
  memory: StackMemory | undefined,
): GuardQuestion[] {
  return inputs.flatMap((input) => {
    const { expired, removed } = prunable(input);
    const declaredBefore = (v: string) => {
      const h = memory?.[input.name]?.versions[v];
      return h !== undefined && h.prunedAt === undefined;
    };
    const ask = (version: string, isRemoved: boolean): GuardQuestion => ({
      secret: input.name,
      version,
      kubernetesName: kubernetesSecretName(input.name, version),
      awsName: awsSecretName(input.environment, input.name, version),
      removed: isRemoved,
      declaredBefore: declaredBefore(version),
    });
    return [...expired.map((v) => ask(v, false)), ...removed.map((v) => ask(v, true))];
  });
}
