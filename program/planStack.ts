/**
 * The one plan of an update, from the validated config and the preflight's facts: every
 * secret's versions (planned once, with the reference guard's holds), what memory forbids, the
 * guard's verdict, the workloads' links, the linked workloads' checks, the staging gate, the
 * log lines and what the memory records. Pure: it throws, before any resource is declared,
 * when memory, the guard, a linked workload or the staging gate refuses the config, and
 * `declareStack` declares from the result without deciding anything again.
 */
import { ConfigError } from "../config/errors";
import type { StackSpec } from "../config/types";
import type { ConfigProblem } from "../core/problems";
import { type GuardOutcome, decideGuard, withAwsDeletions } from "../plan/guard/guard";
import { guardQuestions } from "../plan/guard/questions";
import {
  rememberedFingerprints,
  revivalProblems,
  undecryptedFingerprintsProblem,
  valueEditProblems,
} from "../plan/lifecycle/immutability";
import type { StackMemory } from "../plan/lifecycle/memory";
import { type SecretPlan, declaredDeliveries } from "../plan/lifecycle/plan";
import { planSecrets, secretInputs } from "../plan/lifecycle/secretInputs";
import type { Fingerprints, StoredInventory } from "../plan/lifecycle/stored";
import { expectedWorkloads, secretInputs as inventorySecrets } from "../plan/inventory/expected";
import { buildInventory } from "../plan/inventory/inventory";
import { inventoryOutput } from "../plan/inventory/record";
import { type WorkloadPlan, planWorkload } from "../plan/lifecycle/workloadPlan";
import {
  type PromotionReport,
  type LogLine,
  enforceStagingGate,
} from "../plan/promotion/stagingGate";
import { type LinkedOutcome, checkLinked } from "../plan/workloads/linkedCheck";
import {
  type SlotsPlan,
  leavingWarmSlotProblems,
  mergeHolds,
  settleSlots,
  stackSlotsAndHolds,
} from "../plan/workloads/slotPlan";
import { planLogs, slotLogs } from "./planLogs";
import type { StackFacts } from "./preflight";

/** Everything one update decides; the declaration and the outputs read only this. */
export interface StackPlan {
  /** Every secret's plan, in config order. */
  secrets: SecretPlan[];
  /** The reference guard's verdict when it ran (versioned stacks). */
  guard?: GuardOutcome;
  /** Every workload's plan, in config order. */
  workloads: WorkloadPlan[];
  /** The linked workloads' checks against their live objects (their patches' timeouts). */
  links: LinkedOutcome;
  /** Per secret and version, what referenced it in the guard's cluster read; null without one. */
  inventory: StoredInventory;
  /** The staging gate's verdict, or null without `promotion`. */
  promotion: PromotionReport | null;
  /** What the update logs before it declares anything, in order. */
  logs: LogLine[];
  /** This update's digests of every declared version's values (empty in dev). */
  fingerprints: Fingerprints;
  /** The previous update's record, which stands for what this update does not apply. */
  previous?: { secrets: unknown; workloads: unknown; fingerprints: Fingerprints };
}

/** What memory the plan reads: the previous `secrets` output, with AWS's pending deletions. */
export function stackMemory(
  config: StackSpec<unknown>,
  facts: StackFacts,
): StackMemory | undefined {
  if (!config.versioned) return undefined;
  const remembered = facts.previous?.memory;
  return withAwsDeletions(config.environment, config.secrets, remembered, facts.guard?.aws);
}

/**
 * A version keeps the delivery it was created with: one still delivered by ESO needs the store
 * even once the config has gone back to `direct`.
 */
function deliveryProblems(
  config: StackSpec<unknown>,
  plans: readonly SecretPlan[],
): ConfigProblem[] {
  if (config.externalSecrets) return [];
  const byEso = plans.flatMap((plan) =>
    declaredDeliveries(plan)
      .filter((v) => v.delivery === "externalSecrets")
      .map((v) => `${plan.name} ${v.version}`),
  );
  if (byEso.length === 0) return [];
  return [
    {
      path: "externalSecrets.storeRef",
      message: `is required: ${byEso.join(", ")} ${byEso.length === 1 ? "is" : "are"} delivered by externalSecrets (a version keeps the delivery it was created with, until it is pruned); set it to { name, kind } of the store ESO reads AWS through`,
    },
  ];
}

const refuse = (stack: string, problems: readonly ConfigProblem[]) => {
  if (problems.length > 0) throw new ConfigError(stack, [...problems]);
};

/**
 * The plans of every secret, after the checks memory makes and the reference guard's holds:
 * the guard decides on the versions the plan would prune (`guardQuestions`, from the plan
 * inputs), so every secret is planned once, with the holds.
 */
export function planSecretsOnce(
  config: StackSpec<unknown>,
  facts: StackFacts,
  now: Date,
): {
  secrets: SecretPlan[];
  guard?: GuardOutcome;
  previousFingerprints: Fingerprints;
  slots: (SlotsPlan | undefined)[];
} {
  const memory = stackMemory(config, facts);
  refuse(
    config.stack,
    leavingWarmSlotProblems(config.workloads, facts.previous?.outputs.workloads),
  );
  // The blue-green slots first: a warm slot holds its versions (plan/workloads/slotPlan.ts).
  const { slots, holds: warm } = stackSlotsAndHolds(config, facts.previous?.outputs.workloads, now);
  // Digests that could not be decrypted refuse the update: the value-edit check never runs
  // silently off.
  const { fingerprints, undecrypted } = rememberedFingerprints(
    facts.previous?.outputs,
    config.secrets,
  );
  refuse(
    config.stack,
    config.versioned
      ? [
          ...(undecrypted.length > 0 ? [undecryptedFingerprintsProblem(undecrypted)] : []),
          ...config.secrets.flatMap((secret) => [
            ...revivalProblems(secret, memory?.[secret.name], config.environment),
            ...valueEditProblems(secret, fingerprints[secret.name]),
          ]),
        ]
      : [],
  );
  const aws = facts.guard?.aws;
  const guard =
    facts.guard &&
    decideGuard(guardQuestions(secretInputs(config, memory, now, aws, warm), memory), facts.guard, {
      now,
      ...(config.guard.awsReadWithinDays !== undefined && {
        awsReadWithinDays: config.guard.awsReadWithinDays,
      }),
    });
  if (guard) refuse(config.stack, guard.problems);
  const secrets = planSecrets(
    secretInputs(config, memory, now, aws, mergeHolds(guard?.held, warm)),
  );
  refuse(config.stack, deliveryProblems(config, secrets));
  const declared = new Map(secrets.map((p) => [p.name, new Set(p.declared)]));
  return {
    secrets,
    ...(guard && { guard }),
    previousFingerprints: fingerprints,
    slots: slots.map(
      (plan) => plan && settleSlots(plan, (s, v) => declared.get(s)?.has(v) ?? false),
    ),
  };
}

/** The whole plan of an update (pure); `preview` is `pulumi preview` (see checkLinked). */
export function planStack(
  config: StackSpec<unknown>,
  facts: StackFacts,
  now: Date,
  preview = false,
): StackPlan {
  const { secrets, guard, previousFingerprints, slots } = planSecretsOnce(config, facts, now);
  const previous = facts.previous?.outputs;
  // Each linked workload against its live object, before any resource (linkedCheck.ts).
  const links = checkLinked({
    stack: config.stack,
    workloads: config.workloads,
    secretKeys: new Map(config.secrets.map((s) => [s.name, s.keys])),
    previousWorkloads: previous?.workloads,
    read: facts.linked,
    preview,
  });
  refuse(config.stack, links.problems);
  // The gate checks only what this update moves the stack to: its own memory says what runs.
  const gate = enforceStagingGate(config, facts.staging, now, facts.previous?.memory);
  const workloads = config.workloads.map((workload, i) => ({
    ...planWorkload(workload, secrets),
    ...(slots[i] && { slots: slots[i] }),
  }));
  // The inventory, only when the guard read the cluster in this update (plan/inventory/record.ts).
  const inventory =
    facts.inventory && facts.guard?.kubernetes.status === "read"
      ? inventoryOutput(
          buildInventory({
            secrets: inventorySecrets(secrets, facts.previous?.memory),
            expected: expectedWorkloads(
              workloads,
              config.namespace,
              facts.previous?.outputs.workloads,
            ),
            cluster: facts.inventory,
            now,
          }),
        )
      : null;
  return {
    secrets,
    ...(guard && { guard }),
    workloads,
    links,
    inventory,
    promotion: gate.report,
    logs: [
      ...gate.logs,
      ...planLogs(config, secrets),
      ...slotLogs(workloads),
      ...[...(guard?.warnings ?? []), ...links.warnings].map((message): LogLine => ({
        level: "warn",
        message,
      })),
    ],
    fingerprints: Object.fromEntries(
      config.versioned
        ? config.secrets.map((secret, i) => {
            const declared = new Set(secrets[i].declared);
            return [
              secret.name,
              Object.fromEntries(
                secret.versions.filter((v) => declared.has(v.id)).map((v) => [v.id, v.fingerprint]),
              ),
            ];
          })
        : [],
    ),
    ...(previous && {
      previous: {
        secrets: previous.secrets,
        workloads: previous.workloads,
        fingerprints: previousFingerprints,
      },
    }),
  };
}
