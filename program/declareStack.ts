/**
 * The wiring: from the validated config and the preflight's facts, decide every secret's
 * versions (pure), refuse what memory forbids, pass the staging gate, then declare the
 * components and return the stack outputs. Nothing here reads the outside world.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "../config/errors";
import type { StackSpec } from "../config/types";
import { isOwned } from "../config/contract/workload";
import {
  rememberedFingerprints,
  revivalProblems,
  undecryptedFingerprintsProblem,
  valueEditProblems,
} from "../plan/lifecycle/immutability";
import { type GuardOutcome, decideGuard, guardQuestions } from "../plan/guard/guard";
import { readFingerprints, readMemory } from "../plan/lifecycle/memory";
import { secretsOutput, workloadsOutput } from "../plan/lifecycle/outputs";
import { type UpdateReceipts, type WorkloadReceipt, recordMemory } from "../plan/lifecycle/record";
import type { SecretPlan, VersionReport } from "../plan/lifecycle/plan";
import { planWorkload } from "../plan/lifecycle/workloadPlan";
import { RotationAlarm } from "../components/monitoring/rotationAlarm";
import { enforceStagingGate } from "../plan/promotion/stagingGate";
import { AwsSecretStore } from "../components/delivery/awsSecretStore";
import { RotatedSecret } from "../components/secrets/rotatedSecret";
import type { ConfigProblem } from "../core/problems";
import { checkLinked } from "../plan/workloads/linkedCheck";
import { LinkedWorkload } from "../components/workloads/linkedWorkload";
import { Workload } from "../components/workloads/workload";
import { settled } from "../components/outputState";
import { type StackFacts, planSecrets, stackMemory } from "./preflight";
import {
  boundLinks,
  linkedWorkloadArgs,
  rotatedSecretArgs,
  rotationAlarmArgs,
  secretDeliveries,
  workloadArgs,
} from "./componentArgs";

/** Every secret's plan, and the reference guard's verdict when it ran. */
export interface StackPlan {
  secrets: SecretPlan[];
  guard?: GuardOutcome;
}

/**
 * The plans of every secret, after the checks memory makes and the reference guard's holds;
 * throws before any resource when memory or the guard refuses the config.
 */
export function planStack(config: StackSpec<unknown>, facts: StackFacts, now: Date): StackPlan {
  const memory = stackMemory(config, facts);
  // Digests that could not be decrypted refuse the update: the value-edit check never runs
  // silently off.
  const { fingerprints, undecrypted } = rememberedFingerprints(facts.previous, config.secrets);
  const problems = config.versioned
    ? [
        ...(undecrypted.length > 0 ? [undecryptedFingerprintsProblem(undecrypted)] : []),
        ...config.secrets.flatMap((secret) => [
          ...revivalProblems(secret, memory?.[secret.name], config.environment),
          ...valueEditProblems(secret, fingerprints[secret.name]),
        ]),
      ]
    : [];
  if (problems.length > 0) throw new ConfigError(config.stack, problems);
  const planned = planSecrets(config, memory, now, facts.guard?.aws);
  if (!facts.guard) return { secrets: checkedDeliveries(config, planned) };
  const guard = decideGuard(guardQuestions(planned, memory), facts.guard, {
    now,
    ...(config.guard.awsReadWithinDays !== undefined && {
      awsReadWithinDays: config.guard.awsReadWithinDays,
    }),
  });
  if (guard.problems.length > 0) throw new ConfigError(config.stack, guard.problems);
  // Holds change only the states of held versions: without any, the plans stand as they are.
  const held = Object.keys(guard.held).length > 0;
  const secrets = held ? planSecrets(config, memory, now, facts.guard?.aws, guard.held) : planned;
  return { secrets: checkedDeliveries(config, secrets), guard };
}

/** The versions of a plan that are declared, with how each reaches the cluster. */
export function declaredDeliveries(plan: SecretPlan): VersionReport[] {
  const declared = new Set(plan.declared);
  return plan.versions.filter((v) => declared.has(v.version));
}

/**
 * A version keeps the delivery it was created with: one still delivered by ESO needs the store
 * even once the config has gone back to `direct`.
 */
function checkedDeliveries(config: StackSpec<unknown>, plans: SecretPlan[]): SecretPlan[] {
  const problems = deliveryProblems(config, plans);
  if (problems.length > 0) throw new ConfigError(config.stack, problems);
  return plans;
}

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

/** Logs what each secret runs, and what this update prunes or finds already pruned. */
function logPlan(config: StackSpec<unknown>, plans: readonly SecretPlan[]): void {
  config.secrets.forEach((secret, i) => {
    const plan = plans[i];
    void pulumi.log.info(
      `${secret.name}: active version ${plan.activeVersion} (${plan.activeName})` +
        (plan.previousVersion
          ? `, rollback target ${plan.previousVersion}`
          : ", no rollback target") +
        (secret.canary ? `, canary ${secret.canary.version} at ${secret.canary.percent}%` : ""),
    );
    const kept = declaredDeliveries(plan).filter((v) => v.delivery !== plan.delivery);
    if (kept.length > 0) {
      void pulumi.log.info(
        `${secret.name}: ${kept.map((v) => v.version).join(", ")} keep${kept.length === 1 ? "s" : ""} ${kept[0].delivery} delivery (a version keeps the delivery it was created with); new versions use ${plan.delivery}`,
      );
    }
    for (const version of plan.expired) {
      void pulumi.log.warn(
        `${secret.name}: version ${version.version} expired on ${version.expiresAt} (retention ${secret.retentionDays} days) and is pruned; ` +
          `remove it from secret-rotation:secrets.${secret.name}.versions`,
      );
    }
    for (const version of plan.removed) {
      void pulumi.log.warn(
        `${secret.name}: version ${version} is no longer listed in secret-rotation:secrets.${secret.name}.versions, so this update deletes it; it is remembered as pruned and cannot be listed again`,
      );
    }
    for (const version of plan.pruned) {
      void pulumi.log.warn(
        `${secret.name}: version ${version.version} was pruned by the update of ${version.prunedAt} and is not declared again; ` +
          `remove it from secret-rotation:secrets.${secret.name}.versions`,
      );
    }
  });
}

/**
 * Declares the whole stack and returns its outputs. Throws, before any resource but the
 * preflight's StackReferences, when memory or the staging gate refuses the config.
 */
export function declareStack(
  config: StackSpec<pulumi.Output<string>>,
  facts: StackFacts,
  now: Date,
): Record<string, unknown> {
  const { secrets: plans, guard } = planStack(config, facts, now);
  // Each linked workload against its live object, before any resource (linkedCheck.ts).
  const links = checkLinked({
    stack: config.stack,
    workloads: config.workloads,
    secretKeys: new Map(config.secrets.map((s) => [s.name, s.keys])),
    previousWorkloads: facts.previous?.workloads,
    read: facts.linked,
    preview: pulumi.runtime.isDryRun(),
  });
  if (links.problems.length > 0) throw new ConfigError(config.stack, links.problems);
  // The gate checks only what this update moves the stack to: its own memory says what runs.
  const promotion = enforceStagingGate(
    config,
    facts.staging,
    now,
    readMemory(facts.previous?.secrets),
  );
  logPlan(config, plans);
  for (const warning of [...(guard?.warnings ?? []), ...links.warnings]) {
    void pulumi.log.warn(warning);
  }

  // The store first: every ExternalSecret waits for it.
  const eso = config.externalSecrets;
  const store =
    eso?.store &&
    new AwsSecretStore(eso.storeRef.name, {
      store: eso.store,
      namespace: config.namespace,
      timeoutSeconds: eso.readyTimeoutSeconds,
    });
  const deliveries = secretDeliveries(eso, store);

  // Each secret's versions whose resources exist after this update, in config order, each
  // with its own delivery.
  const declared = config.secrets.map((secret, i) => {
    const kinds = new Map(declaredDeliveries(plans[i]).map((v) => [v.version, v.delivery]));
    return secret.versions
      .filter((v) => kinds.has(v.id))
      .map((v) => ({ ...v, delivery: deliveries[kinds.get(v.id)!] }));
  });
  const rotated = new Map<string, RotatedSecret>();
  const alarms: RotationAlarm[] = [];
  config.secrets.forEach((secret, i) => {
    const plan = plans[i];
    rotated.set(
      secret.name,
      new RotatedSecret(secret.name, rotatedSecretArgs(config, secret, declared[i])),
    );
    if (secret.monitor) {
      alarms.push(
        new RotationAlarm(secret.name, rotationAlarmArgs(config, secret, secret.monitor, plan)),
      );
    }
  });

  const bound = boundLinks(rotated);
  const workloadPlans = config.workloads.map((workload) => planWorkload(workload, plans));
  const keys = new Map(plans.map((p) => [p.name, p.keys]));
  const workloads = config.workloads.map((workload, i) => {
    if (isOwned(workload)) {
      return new Workload(
        workload.name,
        workloadArgs(workload, workloadPlans[i], config.namespace, bound),
      );
    }
    const linked = bound(workloadPlans[i].links);
    return new LinkedWorkload(workload.name, linkedWorkloadArgs(workload, linked, keys, links));
  });

  // The memory: what this update means to record, kept only as far as the resources' own
  // output state shows it was done (lifecycle/record.ts says why). The resources it does not
  // describe complete the update too: a prune is recorded only once they resolve, so a failure
  // anywhere leaves the memory unresolved.
  const others = [
    ...alarms.map((a) => a.alarmArn),
    ...(store ? [store.storeName] : []),
    ...workloads.flatMap((w) => (w instanceof Workload && w.serviceName ? [w.serviceName] : [])),
  ];
  const completed = settled(
    pulumi.all(others).apply(() => true),
    true,
  );
  const memory = receiptsOf(
    rotated,
    workloads.map((component, i) => ({ name: config.workloads[i].name, component })),
    completed,
  ).apply((receipts) =>
    recordMemory(
      {
        secrets: secretsOutput(plans),
        workloadPlans,
        workloadsOutput: workloadsOutput(workloadPlans),
        fingerprints: Object.fromEntries(
          config.versioned
            ? config.secrets.map((secret, i) => [
                secret.name,
                Object.fromEntries(declared[i].map((v) => [v.id, v.fingerprint])),
              ])
            : [],
        ),
        ...(facts.previous && {
          previous: {
            secrets: facts.previous.secrets,
            workloads: facts.previous.workloads,
            fingerprints: readFingerprints(facts.previous.versionFingerprints),
          },
        }),
      },
      receipts,
    ),
  );

  return {
    /**
     * Per secret: active, previous and canary version, key names, every version's state and
     * history. Resolves once the update applied what it records.
     */
    secrets: memory.apply((m) => m.secrets),
    /** Per workload: its kind, the Secret names (and versions) it references, its canary. */
    workloads: memory.apply((m) => m.workloads),
    /** The staging gate's verdict on every active and canary version, or null without one. */
    promotion,
    /** The reference guard: what it read, what it asked about and kept; null in dev. */
    guard: guard?.report ?? null,
    /** How new versions reach the cluster by default, and through which ESO store. */
    delivery: {
      mode: config.delivery,
      storeRef: eso ? { kind: eso.storeRef.kind, name: eso.storeRef.name } : null,
      storeDeclared: Boolean(store),
      ...(eso && { readyTimeoutSeconds: eso.readyTimeoutSeconds }),
    },
    /** The environment and namespace the stack wrote to. */
    environment: config.environment,
    namespace: config.namespace,
    /**
     * Digests of each declared version's values (secret): the next update refuses a version
     * whose values changed. Empty in dev, where the one Secret is updated in place.
     */
    versionFingerprints: pulumi.secret(memory.apply((m) => m.versionFingerprints)),
  };
}

/**
 * The receipts of an update: each secret's declared versions and each workload's applied pod
 * templates, read from their resources' outputs, once `completed` (the update's other
 * resources) resolved. Pairs, not `pulumi.all` over an object, so a secret named `constructor`
 * stays an ordinary key; Maps built after unwrapping, which would turn them into records.
 */
function receiptsOf(
  rotated: ReadonlyMap<string, RotatedSecret>,
  workloads: readonly { name: string; component: Workload | LinkedWorkload }[],
  completed: pulumi.Output<boolean>,
): pulumi.Output<UpdateReceipts> {
  const versions = [...rotated].flatMap(([secret, r]) =>
    Object.entries(r.applied).map(([version, applied]) => ({ secret, version, applied })),
  );
  return pulumi
    .all([
      pulumi.all(versions.map((v) => v.applied)),
      pulumi.all(
        workloads.map(({ component: w }) =>
          pulumi.all([w.runs, w instanceof Workload ? (w.canaryRuns ?? null) : null]),
        ),
      ),
      completed,
    ])
    .apply(([applied, runs]) => {
      const byVersion = new Map<string, Map<string, boolean>>();
      versions.forEach((v, i) => {
        const of = byVersion.get(v.secret) ?? new Map<string, boolean>();
        byVersion.set(v.secret, of.set(v.version, applied[i]));
      });
      const byWorkload = new Map<string, WorkloadReceipt>(
        workloads.map(({ name, component: w }, i) => [
          name,
          {
            stable: runs[i][0],
            ...(w instanceof Workload && w.canaryRuns && { canary: runs[i][1] }),
          },
        ]),
      );
      return { versions: byVersion, workloads: byWorkload };
    });
}
