/**
 * What each slot of a blue-green workload runs in this update, in two pure steps around the
 * secrets' plan (program/planStack.ts):
 * 1. `planSlots`, before the secrets are planned: the slot decision (blueGreen.ts) from the
 *    config and the slots the previous update recorded; its warm slot holds its versions
 *    (`warmHolds`), so no version a warm slot runs expires while it is warm.
 * 2. `settleSlots`, once the secrets are planned: a slot that is not live and runs a version
 *    this update no longer declares (expired, pruned, removed from the config) is emptied onto
 *    the live slot's run at 0 pods, so no Deployment ever references a deleted Secret.
 *
 * What a slot runs is its pod template less nothing: the version of each linked secret and
 * the container. A slot can take traffic without a change only when both are what the config
 * asks for now (so an image change goes through the idle slot too, and is as instant to undo).
 */
import { dict, plain } from "../../core/dict";
import { type ConfigProblem, join } from "../../core/problems";
import {
  SLOTS,
  type Slot,
  kubernetesSecretName,
  otherSlot,
  versionsAnnotation,
} from "../../core/names";
import type { DeploymentSpec, OwnedWorkloadSpec } from "../../config/contract/workload";
import { type ContainerArgs, containerDigest } from "../../components/workloads/podTemplate";
import { type StoredSlots, hasSlotsRecord, readSlots } from "../lifecycle/storedSlots";
import type { LinkPlan } from "../lifecycle/workloadPlan";
import type { Holds } from "../lifecycle/secretInputs";
import { type SlotChange, type SlotsMemory, decideSlots } from "./blueGreen";

/** What one slot's Deployment is declared to run. */
export interface SlotRunPlan {
  links: LinkPlan[];
  replicas: number;
  container: ContainerArgs;
  /** The container's digest (its Deployment's `secret-rotation/container` annotation). */
  digest: string;
}

export interface SlotsPlan {
  change: SlotChange;
  /** The slot the Service selects after this update. */
  live: Slot;
  /** When the Service last switched (this update's time when it switches now). */
  switchedAt?: Date;
  slots: Record<Slot, SlotRunPlan>;
  /** The slot that keeps the previous run at full size, and until when. */
  warm?: { slot: Slot; until: Date };
}

/** The container of an owned workload, as the component takes it (a port: Deployments only). */
export function containerArgsOf(workload: OwnedWorkloadSpec): ContainerArgs {
  // Plain copies of the maps: this container is also a stack output (the slots' memory), and
  // Pulumi serializes a null-prototype object as no map (core/dict.ts plain).
  const { resources } = workload;
  return {
    image: workload.image,
    ...(workload.command && { command: workload.command }),
    ...(workload.args && { args: workload.args }),
    env: plain(workload.env),
    ...(resources && {
      resources: {
        ...(resources.requests && { requests: plain(resources.requests) }),
        ...(resources.limits && { limits: plain(resources.limits) }),
      },
    }),
    ...(workload.kind === "Deployment" && workload.port !== undefined && { port: workload.port }),
  };
}

/** The identity of what a slot runs: its linked versions and its container. */
const runKey = (versions: Readonly<Record<string, string>>, digest: string) =>
  `${versionsAnnotation(versions)}#${digest}`;

const linksOf = (secrets: readonly string[], versions: Readonly<Record<string, string>>) =>
  secrets.map((secret) => ({
    secret,
    version: versions[secret],
    kubernetesName: kubernetesSecretName(secret, versions[secret]),
  }));

/**
 * A recorded slot run, or undefined when it does not describe this workload's secrets in
 * order, or its container does not digest to what was recorded (a field lost on the way).
 */
function recordedRun(run: StoredSlots["blue"], secrets: readonly string[]) {
  const sameSecrets =
    Object.keys(run.versions).length === secrets.length &&
    secrets.every((s) => Object.hasOwn(run.versions, s));
  if (!sameSecrets || containerDigest(run.container) !== run.digest) return undefined;
  return { ...run, key: runKey(run.versions, run.digest) };
}

/** Step 1: the slots of one blue-green workload, before the secrets are planned. */
export function planSlots(input: {
  workload: DeploymentSpec & { blueGreen: { warmHours: number } };
  /** The active version of each linked secret. */
  active: Readonly<Record<string, string>>;
  previous: StoredSlots | undefined;
  now: Date;
}): SlotsPlan {
  const { workload, active, previous, now } = input;
  const container = containerArgsOf(workload);
  const digest = containerDigest(container);
  const current = { versions: active, container, digest, key: runKey(active, digest) };
  const runs = new Map<string, typeof current>([[current.key, current]]);
  let memory: SlotsMemory | undefined;
  if (previous) {
    const recorded = Object.fromEntries(
      SLOTS.map((slot) => [slot, recordedRun(previous[slot], workload.secrets)]),
    ) as Record<Slot, ReturnType<typeof recordedRun>>;
    for (const run of Object.values(recorded))
      if (run && !runs.has(run.key)) runs.set(run.key, run);
    memory = {
      live: previous.live,
      slots: Object.fromEntries(
        SLOTS.map((slot) => {
          const run = recorded[slot];
          return [slot, run && { version: run.key, replicas: run.replicas }];
        }),
      ) as SlotsMemory["slots"],
      ...(previous.switchedAt !== null && { switchedAt: new Date(previous.switchedAt) }),
    };
  }
  const decision = decideSlots({
    replicas: workload.replicas,
    warmHours: workload.blueGreen.warmHours,
    version: current.key,
    ...(memory && { previous: memory }),
    now,
  });
  const slots = Object.fromEntries(
    SLOTS.map((slot) => {
      const run = runs.get(decision.slots[slot].version)!;
      return [
        slot,
        {
          links: linksOf(workload.secrets, run.versions),
          replicas: decision.slots[slot].replicas,
          container: run.container,
          digest: run.digest,
        },
      ];
    }),
  ) as Record<Slot, SlotRunPlan>;
  return {
    change: decision.change,
    live: decision.live,
    ...(decision.switchedAt && { switchedAt: decision.switchedAt }),
    slots,
    ...(decision.warm && { warm: { slot: decision.warm.slot, until: decision.warm.until } }),
  };
}

/** The holds of the warm slots: each version a warm slot runs, naming the slot. */
export function warmHolds(
  workloads: readonly { name: string; slots?: SlotsPlan }[],
  namespace: string,
): Holds {
  const holds = dict<Record<string, string[]>>();
  for (const { name, slots } of workloads) {
    if (!slots?.warm) continue;
    for (const link of slots.slots[slots.warm.slot].links) {
      const of = (holds[link.secret] ??= dict<string[]>());
      (of[link.version] ??= []).push(
        `Deployment ${namespace}/${name}-${slots.warm.slot} (warm slot until ${slots.warm.until.toISOString()})`,
      );
    }
  }
  return holds;
}

/** Step 2: a slot that is not live and runs an undeclared version is emptied onto the live run. */
export function settleSlots(
  plan: SlotsPlan,
  declared: (secret: string, version: string) => boolean,
): SlotsPlan {
  const live = plan.slots[plan.live];
  const other = otherSlot(plan.live);
  if (plan.slots[other].links.every((l) => declared(l.secret, l.version))) return plan;
  const { warm: _dropped, ...rest } = plan;
  void _dropped;
  return { ...rest, slots: { ...plan.slots, [other]: { ...live, replicas: 0 } } };
}

/** A blue-green workload of the config. */
export type BlueGreenWorkload = DeploymentSpec & { blueGreen: { warmHours: number } };

export const isBlueGreen = (w: { kind: string }): w is BlueGreenWorkload =>
  w.kind === "Deployment" && "blueGreen" in w && (w as DeploymentSpec).blueGreen !== undefined;

/** Step 1 for every workload of the stack (undefined for all but blue-green ones), in order. */
export function stackSlots(
  config: {
    secrets: readonly { name: string; active: string }[];
    workloads: readonly { kind: string; name: string }[];
  },
  previousWorkloads: unknown,
  now: Date,
): (SlotsPlan | undefined)[] {
  const active = new Map(config.secrets.map((s) => [s.name, s.active]));
  return config.workloads.map((w) =>
    isBlueGreen(w)
      ? planSlots({
          workload: w,
          active: Object.fromEntries(w.secrets.map((s) => [s, active.get(s) ?? ""])),
          previous: readSlots(previousWorkloads, w.name),
          now,
        })
      : undefined,
  );
}

/**
 * Step 1 for the whole stack, with the holds of its warm slots: what the preflight needs to
 * know which versions the guard must ask about, and what the plan starts from.
 */
export function stackSlotsAndHolds(
  config: Parameters<typeof stackSlots>[0] & { namespace: string },
  previousWorkloads: unknown,
  now: Date,
): { slots: (SlotsPlan | undefined)[]; holds: Holds } {
  const slots = stackSlots(config, previousWorkloads, now);
  const holds = warmHolds(
    config.workloads.map((w, i) => ({ name: w.name, slots: slots[i] })),
    config.namespace,
  );
  return { slots, holds };
}

/** Two sets of holds as one: every referrer of a version, from either. */
export function mergeHolds(a: Holds | undefined, b: Holds): Holds {
  const out = dict<Record<string, string[]>>();
  for (const holds of [a ?? {}, b]) {
    for (const [secret, versions] of Object.entries(holds)) {
      const of = (out[secret] ??= dict<string[]>());
      for (const [version, by] of Object.entries(versions)) (of[version] ??= []).push(...by);
    }
  }
  return out;
}

/**
 * A workload moving from blueGreen back to rolling while the slot that is not live still runs
 * pods (warm, or past its window but not yet scaled to 0 by an update): the rolling Service
 * selects every pod of the app, so that slot's pods would serve beside the live ones until the
 * slots are deleted at the end of the update. Refused, with the way round.
 */
export function leavingWarmSlotProblems(
  workloads: readonly { kind: string; name: string }[],
  previousWorkloads: unknown,
): ConfigProblem[] {
  return workloads.flatMap((w) => {
    if (isBlueGreen(w)) return [];
    const slots = readSlots(previousWorkloads, w.name);
    const path = join(join("workloads", w.name), "strategy");
    if (!slots) {
      // A record that does not read: which slot has pods is unknown, so nothing is assumed.
      return hasSlotsRecord(previousWorkloads, w.name)
        ? [
            {
              path,
              message:
                "cannot leave blueGreen: the previous update's record of its slots cannot be read, so whether both slots run pods is unknown; first run pulumi up with strategy: blueGreen and warmHours: 0 (one slot keeps pods, and the record is written again), then change the strategy",
            },
          ]
        : [];
    }
    const other = otherSlot(slots.live);
    const left = slots[other];
    if (left.replicas === 0) return [];
    const until = slots.warm?.slot === other ? `, warm until ${slots.warm.until}` : "";
    return [
      {
        path,
        message: `cannot leave blueGreen while the ${other} slot still runs ${left.replicas} pods of ${versionsAnnotation(left.versions)}${until}: the Service would send traffic to them beside the live slot until the slots are deleted; first set warmHours: 0 and run pulumi up (that slot is scaled to 0), then change the strategy`,
      },
    ];
  });
}
