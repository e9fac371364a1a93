/**
 * The stored format of a blue-green workload's slots, under its entry of the `workloads`
 * output (stored.ts has the rest): which slot the Service selected, when it last switched,
 * what each slot's Deployment ran (its links, size and container, so a warm slot can be
 * declared again exactly as it was) and the warm slot with its end. One zod schema writes it
 * (lifecycle/outputs.ts) and reads it back (`readSlots`). Reading is strict per entry: a
 * slots record that does not pass as a whole is taken as absent, and the next update then
 * plans the workload as a first update, which rolls nothing the Service serves before it is
 * ready (plan/workloads/slotPlan.ts).
 */
import { z } from "zod";
import { SLOTS, type Slot } from "../../core/names";

/** A time as the outputs write it (`Date.toISOString`); read back: any text `Date.parse` reads. */
export const isoTime = z.string().refine((v) => !Number.isNaN(Date.parse(v)), "not a time");

/** A container as the component takes it (components/workloads/podTemplate.ts ContainerArgs). */
export const storedContainer = z.object({
  image: z.string(),
  command: z.array(z.string()).optional(),
  args: z.array(z.string()).optional(),
  env: z.record(z.string(), z.string()).optional(),
  resources: z
    .object({
      requests: z.record(z.string(), z.string()).optional(),
      limits: z.record(z.string(), z.string()).optional(),
    })
    .optional(),
  port: z.number().optional(),
});

/** What one slot's Deployment ran after the update. */
export const storedSlotRun = z.object({
  /** Secret to version, as the pods' `secret-rotation/versions` annotation lists them. */
  versions: z.record(z.string(), z.string()),
  /** The Kubernetes Secret names, in the workload's `secrets` order. */
  secretNames: z.array(z.string()),
  replicas: z.number(),
  container: storedContainer,
  /** The container's digest, as the slot's Deployment is annotated with it. */
  digest: z.string(),
});

/** The slots of one blue-green workload. */
export const storedSlots = z.object({
  /** The slot the Service selects. */
  live: z.enum(SLOTS),
  /** When the Service last moved between slots (null: it never did). */
  switchedAt: isoTime.nullable(),
  blue: storedSlotRun,
  green: storedSlotRun,
  /** The slot that keeps the version that served before the switch, and until when. */
  warm: z
    .object({ slot: z.enum(SLOTS), versions: z.record(z.string(), z.string()), until: isoTime })
    .nullable(),
});

export type StoredSlotRun = z.output<typeof storedSlotRun>;
export type StoredSlots = z.output<typeof storedSlots>;
export type StoredContainer = z.output<typeof storedContainer>;

/**
 * The raw `slots` entry a previous `workloads` output has for `name`, or undefined when it has
 * none. Keys are looked up as own properties only (names are user input).
 */
function slotsEntry(previousWorkloads: unknown, name: string): { raw: unknown } | undefined {
  if (typeof previousWorkloads !== "object" || previousWorkloads === null) return undefined;
  if (!Object.hasOwn(previousWorkloads, name)) return undefined;
  const entry = (previousWorkloads as Record<string, unknown>)[name];
  if (typeof entry !== "object" || entry === null || !Object.hasOwn(entry, "slots")) {
    return undefined;
  }
  return { raw: (entry as Record<string, unknown>).slots };
}

/**
 * The slots a previous `workloads` output recorded for `name`, or undefined when it recorded
 * none or they cannot be read.
 */
export function readSlots(previousWorkloads: unknown, name: string): StoredSlots | undefined {
  const entry = slotsEntry(previousWorkloads, name);
  const read = entry && storedSlots.safeParse(entry.raw);
  return read?.success ? read.data : undefined;
}

/** Whether a previous `workloads` output has a `slots` record for `name`, readable or not. */
export function hasSlotsRecord(previousWorkloads: unknown, name: string): boolean {
  return slotsEntry(previousWorkloads, name) !== undefined;
}

export type { Slot };
