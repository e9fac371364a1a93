/**
 * The slot decision of a `strategy: blueGreen` workload (docs/blue-green.md): given what the
 * workload must run now and what each slot ran after the previous update, which slot the
 * Service selects, what each slot's Deployment runs, and which slot stays warm until when.
 * Pure: the component only declares what this returns.
 *
 * `version` is opaque here: what a slot's pods run (the caller's identity of the pod template,
 * e.g. the active version of each linked secret). Two equal versions mean a slot can serve
 * without any change to its Deployment.
 *
 * How the declaration must order a switch (pulumi-kubernetes after v4.32.0 at 94977969): the
 * Service depends on the live slot's Deployment, whose await needs readyReplicas >= replicas
 * (provider/pkg/await/deployment.go), because the Service's own await succeeds even when it
 * selects no ready pod (await/service.go serviceInitAwaiter: success needs serviceReady and
 * settled endpoints, not endpointsReady). The other slot's Deployment depends on the Service,
 * so that a scale to 0 of the slot that served runs only after the Service moved away.
 */
import { SLOTS, type Slot, otherSlot } from "../../core/names";

const HOUR_MS = 3600 * 1000;

/** What one slot's Deployment runs. */
export interface SlotRun {
  version: string;
  replicas: number;
}

/** What the memory recorded after the previous update, from what ran. */
export interface SlotsMemory {
  /** The slot the Service selected. */
  live: Slot;
  /**
   * What each slot's Deployment ran; undefined when not known (the update that last changed it
   * did not finish): such a slot is never switched to without being rolled first.
   */
  slots: Record<Slot, SlotRun | undefined>;
  /** When the Service last switched slots; absent: it never did (first update only). */
  switchedAt?: Date;
}

export interface BlueGreenInput {
  /** The configured replicas. */
  replicas: number;
  /** The configured warmHours. */
  warmHours: number;
  /** What the workload must run now. */
  version: string;
  /** The memory of the previous update; absent for the first. */
  previous?: SlotsMemory;
  now: Date;
}

/**
 * - `first`: no slot existed: one runs the version, the other no pods.
 * - `stay`: the live slot already runs the version; it follows `replicas`.
 * - `instant`: the warm slot runs the version: only the Service's selector changes.
 * - `roll`: the idle slot is rolled to the version at `replicas`, then the Service switches.
 */
export type SlotChange = "first" | "stay" | "instant" | "roll";

export interface BlueGreenDecision {
  change: SlotChange;
  /** The slot the Service selects after this update. */
  live: Slot;
  /** What each slot's Deployment is declared to run. */
  slots: Record<Slot, SlotRun>;
  /** The slot that keeps the previous version's pods, and until when; absent: none. */
  warm?: { slot: Slot; version: string; until: Date };
  /** When the Service last switched: `now` when this update switches it. */
  switchedAt?: Date;
}

export { otherSlot };

/** Until when the slot the Service left at `switchedAt` stays warm. */
export const warmUntil = (switchedAt: Date, warmHours: number): Date =>
  new Date(switchedAt.getTime() + warmHours * HOUR_MS);

/** Whether `slot` (not the live one) still has the pods it served with, within the window. */
function isWarm(previous: SlotsMemory, slot: Slot, warmHours: number, now: Date): boolean {
  const run = previous.slots[slot];
  if (!run || run.replicas === 0 || previous.switchedAt === undefined) return false;
  return now.getTime() < warmUntil(previous.switchedAt, warmHours).getTime();
}

/**
 * The slot that served until now, after a switch at `now`: left exactly as it was and warm
 * for `warmHours`, or (warmHours 0) scaled to 0, which the declaration orders after the switch.
 */
function leftBehind(run: SlotRun | undefined, input: BlueGreenInput, fallback: string) {
  const kept = run ?? { version: fallback, replicas: 0 };
  if (input.warmHours === 0 || kept.replicas === 0) {
    return { run: { ...kept, replicas: 0 }, warm: undefined };
  }
  return {
    run: kept,
    warm: { version: kept.version, until: warmUntil(input.now, input.warmHours) },
  };
}

export function decideSlots(input: BlueGreenInput): BlueGreenDecision {
  const { previous, version, replicas, warmHours, now } = input;
  if (!previous) {
    const [live, idle] = SLOTS;
    return {
      change: "first",
      live,
      slots: { [live]: { version, replicas }, [idle]: { version, replicas: 0 } },
    };
  }
  const was = previous.live;
  const other = otherSlot(was);
  const serving = previous.slots[was];
  if (serving && serving.version === version) {
    const run = previous.slots[other];
    const warm = isWarm(previous, other, warmHours, now);
    return {
      change: "stay",
      live: was,
      slots: {
        [was]: { version, replicas },
        // Past the window the slot is scaled only: its template stays, so no rollout starts.
        [other]: warm ? run! : { version: run?.version ?? version, replicas: 0 },
      } as Record<Slot, SlotRun>,
      ...(warm && {
        warm: {
          slot: other,
          version: run!.version,
          until: warmUntil(previous.switchedAt!, warmHours),
        },
      }),
      ...(previous.switchedAt && { switchedAt: previous.switchedAt }),
    };
  }
  const instant =
    previous.slots[other]?.version === version && isWarm(previous, other, warmHours, now);
  const behind = leftBehind(serving, input, version);
  return {
    change: instant ? "instant" : "roll",
    live: other,
    slots: {
      // A warm slot already runs the version at the size it served with; `replicas` applies
      // (a scale, no rollout) only when the config changed it in the same update.
      [other]: { version, replicas },
      [was]: behind.run,
    } as Record<Slot, SlotRun>,
    ...(behind.warm && { warm: { slot: was, ...behind.warm } }),
    switchedAt: now,
  };
}

/** The versions the slots hold (pods run them): the live slot's and the warm slot's. */
export function heldVersions(decision: BlueGreenDecision): string[] {
  const live = decision.slots[decision.live].version;
  const warm = decision.warm?.version;
  return warm === undefined || warm === live ? [live] : [live, warm];
}
