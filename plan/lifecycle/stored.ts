/**
 * The stored format: the stack outputs that become the next update's memory (`secrets`,
 * `workloads`, `versionFingerprints`), the staging gate's input (staging's `secrets`) and the
 * offline plan's `--previous-outputs` / `--staging-outputs` files. One zod schema types what
 * the outputs write (lifecycle/outputs.ts) and is the only thing that reads them back.
 *
 * Reading is tolerant, field by field: the value may come from another release of this
 * program, another stack or a hand-written file, so a field that does not pass its own schema
 * is taken as absent (never guessed), and each reader (memory.ts readMemory, promotion/gate.ts
 * readStagingSecrets, immutability.ts rememberedFingerprints) decides what an absent field
 * means. Maps keyed by user names (secrets, workloads, versions) are walked by hand into
 * null-prototype maps: zod's `z.record` drops a `__proto__` key (zod 4.6.7
 * v4/core/schemas.ts `$ZodRecord` parse, "skip __proto__ so it can't replace the result
 * prototype").
 */
import { z } from "zod";
import { dict } from "../../core/dict";
import { DELIVERIES } from "../../config/contract/delivery";
import type { VersionState } from "./states";
import { isoTime, storedSlots } from "./storedSlots";

/** Every version state, as the outputs write them (states.ts VersionState). */
const VERSION_STATES = [
  "active",
  "canary",
  "pending",
  "previous",
  "pinned",
  "referenced",
  "retained",
  "expired",
  "pruned",
] as const satisfies readonly VersionState[];

const delivery = z.enum(DELIVERIES);

/** One version in a secret's `versions`. */
export const storedVersion = z.object({
  version: z.string(),
  state: z.enum(VERSION_STATES),
  /** How it reaches the cluster; absent in releases before delivery modes (then `direct`). */
  delivery,
  kubernetesName: z.string(),
  awsName: z.string(),
  /** When it last became the active version. */
  activatedAt: isoTime.optional(),
  /** When it first became the active version (absent before this field existed). */
  firstActivatedAt: isoTime.optional(),
  supersededAt: isoTime.optional(),
  /** When an update stopped declaring it. */
  prunedAt: isoTime.optional(),
  /** When a retained version expires, or an expired one did. */
  expiresAt: isoTime.optional(),
  /** For `referenced`: what still uses it. */
  referencedBy: z.array(z.string()).optional(),
  /**
   * For the active version, when it has run longer than `maxAgeDays` (lifecycle/maxAge.ts).
   * Absent when it has not, and in releases before it; never read back as memory.
   */
  overdue: z
    .object({ since: isoTime, ageDays: z.number(), maxAgeDays: z.number(), dueAt: isoTime })
    .optional(),
});

/** One secret of the `secrets` output. */
export const storedSecret = z.object({
  /** How new versions reach the cluster; each version reports its own. */
  delivery,
  activeVersion: z.string(),
  activeName: z.string(),
  /** The rollback target, or null. */
  previousVersion: z.string().nullable(),
  /** The canary rollout, or null. */
  canary: z
    .object({ version: z.string(), percent: z.number(), kubernetesName: z.string() })
    .nullable(),
  /** Every key a version holds, sorted: names only, never values. */
  keys: z.array(z.string()),
  /** Every version, oldest first, expired and pruned ones included. */
  versions: z.array(storedVersion),
});

/** One workload's canary in the `workloads` output. */
export const storedCanary = z.object({
  name: z.string(),
  secret: z.string(),
  version: z.string(),
  percent: z.number(),
  replicas: z.number(),
  secretNames: z.array(z.string()),
});

/** One workload of the `workloads` output. */
export const storedWorkload = z.object({
  kind: z.string(),
  owner: z.literal("external").optional(),
  namespace: z.string().optional(),
  secretNames: z.array(z.string()),
  versions: z.record(z.string(), z.string()),
  replicas: z.number().optional(),
  canary: storedCanary.nullable(),
  /** `strategy: blueGreen`: the slots (storedSlots.ts). */
  slots: storedSlots.optional(),
});

/** `versionFingerprints`: per secret, per version, the digest of its values. */
export const storedFingerprints = z.record(z.string(), z.record(z.string(), z.string()));

/**
 * One version in the `inventory` output: what referenced it when the update's reference guard
 * read the cluster (plan/inventory/record.ts). Written only; no update reads it back.
 */
export const storedInventoryVersion = z.object({
  /** Pods that run it (that can still start a container). */
  pods: z.number(),
  /** Of those, the ready ones. */
  ready: z.number(),
  /** The workloads that run it or hold it (`Deployment team-a/web`), sorted, the first ones. */
  workloads: z.array(z.string()),
  /** How many workloads `workloads` leaves out. */
  moreWorkloads: z.number(),
});

/** The `inventory` output: per secret, per version; null when the cluster was not read. */
export const storedInventory = z
  .record(z.string(), z.record(z.string(), storedInventoryVersion))
  .nullable();

export type StoredInventory = z.output<typeof storedInventory>;
export type StoredVersion = z.output<typeof storedVersion>;
export type StoredSecret = z.output<typeof storedSecret>;
export type StoredWorkload = z.output<typeof storedWorkload>;
export type StoredCanary = z.output<typeof storedCanary>;
export type Fingerprints = z.output<typeof storedFingerprints>;

/** What this program reads of its own previous outputs. */
export const MEMORY_OUTPUTS = ["secrets", "versionFingerprints", "workloads"] as const;
/** What the promotion gate reads of the staging stack. */
export const STAGING_OUTPUTS = ["secrets"] as const;

const isMap = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** `record[key]` when it passes `schema`; undefined when absent or when it does not. */
function field<S extends z.ZodType>(
  record: Readonly<Record<string, unknown>>,
  key: string,
  schema: S,
): z.output<S> | undefined {
  const read = schema.safeParse(record[key]);
  return read.success ? read.data : undefined;
}

/** One version as read back: every field that passed its schema. */
export interface ReadVersion {
  version: string;
  /**
   * The state as written. Read as any text, not only this release's states: a release with a
   * state of its own still wrote a version that is not `expired` or `pruned` as declared.
   */
  state?: string;
  kubernetesName?: string;
  awsName?: string;
  delivery?: StoredVersion["delivery"];
  activatedAt?: string;
  firstActivatedAt?: string;
  supersededAt?: string;
  prunedAt?: string;
  expiresAt?: string;
}

/** One secret as read back. */
export interface ReadSecret {
  activeVersion?: string;
  canaryVersion?: string;
  keys?: string[];
  /** The versions that could be read (entries without a text `version` are skipped). */
  versions: ReadVersion[];
  /** Whether `versions` was a list in which every entry had a text `version`. */
  versionsWhole: boolean;
}

const V = storedVersion.shape;
const S = storedSecret.shape;

function readVersion(raw: unknown): ReadVersion | undefined {
  if (!isMap(raw)) return undefined;
  const version = field(raw, "version", V.version);
  if (version === undefined) return undefined;
  const out: ReadVersion = { version };
  const state = field(raw, "state", z.string());
  if (state !== undefined) out.state = state;
  for (const key of ["kubernetesName", "awsName"] as const) {
    const text = field(raw, key, V[key]);
    if (text !== undefined) out[key] = text;
  }
  for (const key of [
    "activatedAt",
    "firstActivatedAt",
    "supersededAt",
    "prunedAt",
    "expiresAt",
  ] as const) {
    const at = field(raw, key, V[key]);
    if (at !== undefined) out[key] = at;
  }
  const d = field(raw, "delivery", V.delivery);
  if (d !== undefined) out.delivery = d;
  return out;
}

/** One entry of a `secrets` output, or undefined when it is not a map. */
export function readSecret(raw: unknown): ReadSecret | undefined {
  if (!isMap(raw)) return undefined;
  const list = field(raw, "versions", z.array(z.unknown())) ?? [];
  const versions = list.map(readVersion);
  const read = versions.filter((v): v is ReadVersion => v !== undefined);
  const activeVersion = field(raw, "activeVersion", S.activeVersion);
  const canary = isMap(raw.canary) ? field(raw.canary, "version", z.string()) : undefined;
  const keys = field(raw, "keys", S.keys);
  return {
    ...(activeVersion !== undefined && { activeVersion }),
    ...(canary !== undefined && { canaryVersion: canary }),
    ...(keys !== undefined && { keys }),
    versions: read,
    versionsWhole: Array.isArray(raw.versions) && read.length === list.length,
  };
}

/**
 * A `secrets` output read back, by secret name (entries that are not maps are left out), or
 * undefined when the value is not a map at all.
 */
export function readSecrets(value: unknown): Map<string, ReadSecret> | undefined {
  if (!isMap(value)) return undefined;
  const out = new Map<string, ReadSecret>();
  for (const [name, raw] of Object.entries(value)) {
    const secret = readSecret(raw);
    if (secret) out.set(name, secret);
  }
  return out;
}

/** The `versionFingerprints` output read back: unreadable entries skipped, empty when none. */
export function readFingerprints(value: unknown): Fingerprints {
  const out = dict<Record<string, string>>();
  if (!isMap(value)) return out;
  const digest = storedFingerprints.valueType.valueType;
  for (const [secret, versions] of Object.entries(value)) {
    if (!isMap(versions)) continue;
    const byVersion = dict<string>();
    for (const [version, hash] of Object.entries(versions)) {
      const read = digest.safeParse(hash);
      if (read.success) byVersion[version] = read.data;
    }
    out[secret] = byVersion;
  }
  return out;
}

/**
 * Every AWS name a `secrets` output lists (each version's `awsName`, whether or not the rest of
 * the entry can be read): which stack wrote a file shows in their `<environment>/` prefix.
 */
export function awsNamesIn(secretsOutput: unknown): string[] {
  if (!isMap(secretsOutput)) return [];
  return Object.values(secretsOutput).flatMap((secret) => {
    const versions = isMap(secret) ? (field(secret, "versions", z.array(z.unknown())) ?? []) : [];
    return versions.flatMap((v) => {
      const name = isMap(v) ? field(v, "awsName", V.awsName) : undefined;
      return name === undefined ? [] : [name];
    });
  });
}

/**
 * The stack outputs in a parsed outputs file: `pulumi stack output --json` gives them as they
 * are, the offline plan's `--json` wraps them in `outputs`. Undefined when they hold no
 * `secrets` map (the file is not a stack's outputs).
 */
export function outputsInFile(parsed: unknown): Record<string, unknown> | undefined {
  const outputs = isMap(parsed) && isMap(parsed.outputs) ? parsed.outputs : parsed;
  return isMap(outputs) && isMap(outputs.secrets) ? outputs : undefined;
}
