/**
 * The maximum age (`maxAgeDays`): whether a secret's active version has run too long, so the
 * update warns and the `secrets` output marks it. Pure: a warning only, it never blocks an update
 * and never changes which resources are declared (a rotation must never be forced at deploy
 * time).
 */
import type { SecretMemory } from "./memory";
import { DAY_MS } from "./states";
import { versionIdToDate } from "../../core/versionId";

/** How an overdue active version is marked in the `secrets` output (stored.ts `overdue`). */
export interface Overdue {
  /** ISO time the age counts from: its first activation (memory), else its id. */
  since: string;
  /** Whole days since `since`. */
  ageDays: number;
  /** The maximum that applies: the secret's own, else the stack's. */
  maxAgeDays: number;
  /** ISO time it became overdue: `since` plus `maxAgeDays`. */
  dueAt: string;
}

/** What the age counts from: the memory's activation, or the version's id (no memory). */
export type AgeOrigin = "activation" | "id";

/** The decision: the output's mark, what the age counts from, and the age in tenths of days. */
export type OverdueDecision = Overdue & { from: AgeOrigin; ageTenths: number };

export interface MaxAgeInput {
  /** The active version's id (a UTC timestamp). */
  active: string;
  /** Absent: off, nothing is ever overdue. */
  maxAgeDays?: number;
  /**
   * When the version became active as the memory records it (ISO), or undefined without
   * memory: then the age counts from the id.
   */
  activatedAt?: string;
  now: Date;
}

/**
 * The active version's mark, or undefined when it is not overdue (or `maxAgeDays` is off).
 * Overdue when more than `maxAgeDays` days have passed since its activation (memory wins), else
 * since its id: exactly, to the millisecond, as a retention runs out.
 */
export function overdueOf(input: MaxAgeInput): OverdueDecision | undefined {
  if (input.maxAgeDays === undefined) return undefined;
  const remembered = input.activatedAt === undefined ? undefined : new Date(input.activatedAt);
  const fromMemory = remembered !== undefined && !Number.isNaN(remembered.getTime());
  const since = fromMemory ? remembered : versionIdToDate(input.active);
  const ageMs = input.now.getTime() - since.getTime();
  if (ageMs <= input.maxAgeDays * DAY_MS) return undefined;
  return {
    since: since.toISOString(),
    ageDays: Math.floor(ageMs / DAY_MS),
    maxAgeDays: input.maxAgeDays,
    dueAt: new Date(since.getTime() + input.maxAgeDays * DAY_MS).toISOString(),
    from: fromMemory ? "activation" : "id",
    // For the log: "90.5 days" past a maxAgeDays of 90 reads right where whole days would not.
    ageTenths: Math.floor((ageMs * 10) / DAY_MS),
  };
}

/**
 * When the memory says `active` became active: its first activation (a rollback to it does not
 * make a credential younger), else its last. A version the previous update did not run is
 * activated by this update (`now`), unless it ran before. Undefined without memory of the
 * secret, or when the memory holds no time for the version it ran (then its id counts).
 */
export function rememberedActivation(
  memory: SecretMemory | undefined,
  active: string,
  now: Date,
): string | undefined {
  if (memory === undefined) return undefined;
  const h = memory.versions[active];
  const at = h?.firstActivatedAt ?? h?.activatedAt;
  if (at !== undefined) return at;
  return memory.activeVersion === active ? undefined : now.toISOString();
}
