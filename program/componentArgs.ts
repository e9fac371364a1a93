/**
 * The program's validated config mapped onto the components' own arguments. The components
 * are a library (components/index.ts) and borrow no config type: each owns its arguments and
 * their defaults, and the program passes every value its config settled, so a component's
 * default never decides what the program declares.
 */
import type * as pulumi from "@pulumi/pulumi";
import type {
  Delivery,
  ExternalSecretsSpec,
  MonitorSpec,
  SecretSpec,
  StackSpec,
  VersionSpec,
} from "../config/types";
import type { ExternalWorkloadSpec, OwnedWorkloadSpec } from "../config/contract/workload";
import type { SecretPlan } from "../plan/lifecycle/plan";
import type { LinkPlan, WorkloadPlan } from "../plan/lifecycle/workloadPlan";
import type { AwsSecretStore } from "../components/delivery/awsSecretStore";
import type { RotationAlarmArgs } from "../components/monitoring/rotationAlarm";
import type {
  RotatedSecret,
  RotatedSecretArgs,
  SecretVersionInput,
} from "../components/secrets/rotatedSecret";
import type { SecretDelivery } from "../components/secrets/versionCopy";
import type { LinkedWorkloadArgs } from "../components/workloads/linkedWorkload";
import type { SecretLink } from "../components/workloads/secretBinding";
import type { WorkloadArgs } from "../components/workloads/workload";
import type { BlueGreenArgs, Slot } from "../components/workloads/slots";
import { type SlotsPlan, containerArgsOf } from "../plan/workloads/slotPlan";

/**
 * Each delivery mode as a RotatedSecret's plain delivery config; externalSecrets is undefined
 * without `externalSecrets` config (a version delivered by ESO is then refused before this).
 */
export function secretDeliveries(
  eso: ExternalSecretsSpec | undefined,
  store: AwsSecretStore | undefined,
): Record<Delivery, SecretDelivery | undefined> {
  return {
    direct: { kind: "direct" },
    externalSecrets: eso && {
      kind: "externalSecrets",
      storeRef: eso.storeRef,
      timeoutSeconds: eso.readyTimeoutSeconds,
      ...(store && { store: store.resource }),
    },
  };
}

type Config = StackSpec<pulumi.Output<string>>;

/** A secret's component arguments: the stack's settings and its declared versions. */
export function rotatedSecretArgs(
  config: Config,
  secret: SecretSpec<pulumi.Output<string>>,
  versions: (VersionSpec<pulumi.Output<string>> & SecretVersionInput)[],
): RotatedSecretArgs {
  return {
    environment: config.environment,
    namespace: config.namespace,
    versions,
    activeVersion: secret.active,
    generate: secret.generate,
    versioned: config.versioned,
    awsRecoveryWindowDays: config.awsRecoveryWindowDays,
    retentionDays: secret.retentionDays,
    // Only with promotion: a stack that promotes from none writes no tag (no change to it).
    ...(config.promotion && { promotedFrom: config.promotion.fromStack }),
    awsKmsKeyId: config.awsKmsKeyId,
  };
}

/**
 * The version of `secret` that blue-green workloads keep warm after this update, if any (not
 * the active one), with the earliest end and the workloads that keep it. Named only when
 * rolling back to it starts no pod anywhere: every Deployment linking the secret is blue-green
 * and keeps that same version warm, in a slot that differs from the live one in this secret's
 * version alone (another secret or the image would make the rollback roll a slot, and the
 * description would promise what it does not do).
 */
export function warmVersion(
  secret: string,
  active: string,
  workloads: readonly WorkloadPlan[],
): RotationAlarmArgs["warm"] {
  const warm: { workload: string; version: string; until: Date }[] = [];
  for (const w of workloads) {
    if (!w.links.some((l) => l.secret === secret)) continue;
    // A CronJob's next run takes the version; no pod starts at the rollback itself.
    if (w.kind === "CronJob" && !w.external) continue;
    const slots = w.slots;
    // Any other workload on this secret would roll: the rollback would not be instant.
    if (!slots?.warm) return undefined;
    const kept = slots.slots[slots.warm.slot];
    const live = slots.slots[slots.live];
    const link = kept.links.find((l) => l.secret === secret);
    const onlyThis =
      kept.digest === live.digest &&
      kept.links.every((l, i) => l.secret === secret || l.version === live.links[i]?.version);
    if (!link || link.version === active || !onlyThis) return undefined;
    warm.push({ workload: w.name, version: link.version, until: slots.warm.until });
  }
  // Every Deployment on the secret must keep the same version warm.
  const version = warm[0]?.version;
  if (version === undefined || warm.some((w) => w.version !== version)) return undefined;
  const until = new Date(Math.min(...warm.map((w) => w.until.getTime())));
  return { version, until: until.toISOString(), workloads: warm.map((w) => w.workload) };
}

/** A monitored secret's alarm arguments: its plan says which versions the description names. */
export function rotationAlarmArgs(
  config: Config,
  secret: SecretSpec<pulumi.Output<string>>,
  monitor: MonitorSpec,
  plan: SecretPlan,
  workloads: readonly WorkloadPlan[] = [],
): RotationAlarmArgs {
  const warm = warmVersion(secret.name, plan.activeVersion, workloads);
  return {
    stack: config.stack,
    environment: config.environment,
    secret: secret.name,
    activeVersion: plan.activeVersion,
    previousVersion: plan.previousVersion,
    canary: secret.canary,
    ...(warm && { warm }),
    // The config's monitor is the alarm's, field for field (config/contract/monitor.ts).
    monitor,
  };
}

/**
 * Links to the declared versions: each names its version's Secret through the Secret's
 * output, so a workload waits for it.
 */
export function boundLinks(
  rotated: ReadonlyMap<string, RotatedSecret>,
): (links: readonly LinkPlan[]) => SecretLink[] {
  return (links) =>
    links.map((l) => {
      const kubernetesName = rotated.get(l.secret)?.kubernetesNames[l.version];
      if (!kubernetesName) {
        // planWorkload links only declared versions of declared secrets: a bug if reached.
        throw new Error(`a workload links ${l.secret} ${l.version}, which is not declared`);
      }
      return { secret: l.secret, version: l.version, kubernetesName };
    });
}

/** A workload's component arguments: its validated config and its plan. */
export function workloadArgs(
  workload: OwnedWorkloadSpec,
  plan: WorkloadPlan,
  namespace: string,
  bound: (links: readonly LinkPlan[]) => SecretLink[],
): WorkloadArgs {
  const container = containerArgsOf(workload);
  const links = bound(plan.links);
  if (workload.kind === "CronJob") {
    return { kind: "CronJob", namespace, container, links, schedule: workload.schedule };
  }
  return {
    kind: "Deployment",
    namespace,
    container,
    links,
    replicas: plan.replicas,
    rollout: workload.rollout,
    minReadySeconds: workload.minReadySeconds,
    progressDeadlineSeconds: workload.progressDeadlineSeconds,
    ...(plan.canary && {
      canary: { replicas: plan.canary.replicas, links: bound(plan.canary.links) },
    }),
    ...(plan.slots && { blueGreen: slotArgs(plan.slots, bound) }),
  };
}

/** A blue-green workload's slots as the component takes them: each with its own container. */
function slotArgs(
  plan: SlotsPlan,
  bound: (links: readonly LinkPlan[]) => SecretLink[],
): BlueGreenArgs {
  const slot = (s: Slot) => ({
    links: bound(plan.slots[s].links),
    replicas: plan.slots[s].replicas,
    container: plan.slots[s].container,
  });
  return { live: plan.live, blue: slot("blue"), green: slot("green") };
}

/**
 * A linked workload's component arguments: its links with the keys of each linked secret, and
 * the wait bound the check of its live object settled (plan/workloads/linkedCheck.ts).
 */
export function linkedWorkloadArgs(
  workload: ExternalWorkloadSpec,
  links: readonly SecretLink[],
  keys: ReadonlyMap<string, readonly string[]>,
  checked: { timeouts: Readonly<Record<string, LinkedWorkloadArgs["timeouts"]>> },
): LinkedWorkloadArgs {
  return {
    kind: workload.kind,
    namespace: workload.namespace,
    containers: workload.containers,
    links: links.map((l) => ({ ...l, keys: keys.get(l.secret) ?? [] })),
    timeouts: checked.timeouts[workload.name],
  };
}
