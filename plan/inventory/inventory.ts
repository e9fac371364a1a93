/**
 * The inventory, pure: for each secret and version of the stack, its state and age, the pods
 * running it grouped by owning workload, what else holds it, what AWS says of it, and the flags
 * (stale, unknown, overdue). From the plan's versions, the workloads the program owns or links
 * (`expected.ts`), what the cluster read kept (`collect.ts`) and the AWS index.
 */
import type { Overdue } from "../lifecycle/maxAge";
import { versionIdToDate } from "../../core/versionId";
import type { AwsIndex } from "../guard/guard";
import { DAY_MS } from "../lifecycle/states";
import { type ClusterFacts, type Controller, objectKey } from "./collect";
import type { ExpectedWorkload, ExpectedWorkloads } from "./expected";

/** The overdue mark of an active version, when the plan gives one. */
export type OverdueMark = Overdue;

/** One version as the inventory takes it. */
export interface VersionInput {
  version: string;
  state: string;
  kubernetesName: string;
  awsName: string;
  /** When it last became active, as the memory records it (never guessed without memory). */
  activatedAt?: string;
  /** The plan's decision that it has run too long (maxAgeDays); absent: not overdue, or off. */
  overdue?: OverdueMark;
}

export interface SecretInput {
  name: string;
  activeVersion: string;
  versions: VersionInput[];
}

/** How the program relates to a workload. */
export type Relation = "owned" | "linked" | "unknown";

/** A workload (or bare pod) and the pods of it that run one version. */
export interface WorkloadGroup {
  kind: string;
  namespace: string;
  name: string;
  relation: Relation;
  pods: number;
  ready: number;
  /** Of `pods`, those that end on its own: terminating, or run by a Job (collect.ts PodFact). */
  settling?: number;
}

/** Why an object holds a version without pods running it. */
export type HoldReason = "history" | "suspended" | "scheduled" | "unfinished" | "template";

export interface Holder {
  kind: string;
  namespace: string;
  name: string;
  why: HoldReason;
  /** The workload it belongs to (itself when it has no controller). */
  workload: string;
  relation: Relation;
  /** ReplicaSets: their Deployment revision. */
  revision?: string;
}

export type Flag = "stale" | "unknown" | "overdue";

export interface VersionInventory {
  version: string;
  state: string;
  kubernetesName: string;
  awsName: string;
  createdAt: string;
  /** Whole days since its id. */
  ageDays: number;
  activatedAt?: string;
  /** Whole days since `activatedAt`. */
  activeDays?: number;
  /** What AWS lists of it; null when AWS was not read. */
  aws: { lastAccessedDate?: string; scheduledForDeletion: boolean; deletedDate?: string } | null;
  pods: number;
  ready: number;
  workloads: WorkloadGroup[];
  holders: Holder[];
  flags: Flag[];
  overdue?: OverdueMark;
}

export interface StaleFlag {
  secret: string;
  version: string;
  workload: string;
  pods: number;
  /** The version the config links, or null when the workload links no version of the secret. */
  linked: string | null;
  /** A blue-green slot: `linked` is what the memory records the slot runs. */
  recorded?: true;
  /**
   * Set when no pod runs it yet: the workload's own template reads it (`scheduled` or
   * `suspended` for a CronJob, `template` for a workload with no pod on it), so its next pods will.
   */
  through?: HoldReason;
}
export interface UnknownFlag {
  secret: string;
  version: string;
  workload: string;
  /** `pods`, or the holder's reason. */
  through: string;
  /** Set when the workload is linked, but does not link this secret. */
  linkedWithout?: true;
}
export interface OverdueFlag extends OverdueMark {
  secret: string;
  version: string;
}

export interface Inventory {
  secrets: { name: string; activeVersion: string; versions: VersionInventory[] }[];
  flags: { stale: StaleFlag[]; unknown: UnknownFlag[]; overdue: OverdueFlag[] };
}

export interface InventoryInput {
  secrets: readonly SecretInput[];
  expected: ExpectedWorkloads;
  /** Undefined when the cluster was not read (then no pods, holders, stale or unknown). */
  cluster?: ClusterFacts;
  /** Undefined when AWS was not read. */
  aws?: AwsIndex;
  now: Date;
}

const days = (from: string, now: Date) => Math.floor((now.getTime() - Date.parse(from)) / DAY_MS);

/** The workload a pod or template belongs to: its controller, and that one's controller. */
function workloadOf(
  kind: string,
  namespace: string,
  name: string,
  controller: Controller | undefined,
  controllers: ClusterFacts["controllers"],
): { kind: string; namespace: string; name: string } {
  if (!controller) return { kind, namespace, name };
  if (controller.kind === "ReplicaSet" || controller.kind === "Job") {
    const top = controllers.get(objectKey(controller.kind, namespace, controller.name));
    if (top) return { kind: top.kind, namespace, name: top.name };
  }
  return { kind: controller.kind, namespace, name: controller.name };
}

const sortBy = <T>(items: T[], key: (t: T) => string) =>
  items.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));

/**
 * How a workload's reference to one version of a secret stands: as the config (or the memory,
 * for a blue-green slot) expects; from a workload the program neither owns nor links; from a
 * linked workload that links no version of this secret (its references are its own); or stale,
 * with what it should run.
 */
function judge(
  expected: ExpectedWorkload | undefined,
  secret: string,
  kubernetesName: string,
): "expected" | "unknown" | "linkedWithout" | { linked: string | null; recorded?: true } {
  if (!expected) return "unknown";
  const linked = expected.links.get(secret);
  if (linked?.kubernetesName === kubernetesName || expected.unchecked) return "expected";
  // A slot's pod on the run this plan moves it to: the record trails after a failed update.
  if (expected.planned?.get(secret)?.kubernetesName === kubernetesName) return "expected";
  if (!linked && expected.owner === "linked") return "linkedWithout";
  return { linked: linked?.version ?? null, ...(expected.planned && { recorded: true as const }) };
}

/** Builds the inventory (see the file's comment). */
export function buildInventory(input: InventoryInput): Inventory {
  const facts = input.cluster;
  const relationOf = (key: string): Relation => input.expected.get(key)?.owner ?? "unknown";
  // Per Kubernetes Secret name: the pod groups, by workload key.
  const groups = new Map<string, Map<string, WorkloadGroup>>();
  const holders = new Map<string, Holder[]>();
  const stale: StaleFlag[] = [];
  const unknown: UnknownFlag[] = [];

  for (const pod of facts?.pods ?? []) {
    const w = workloadOf("Pod", pod.namespace, pod.name, pod.controller, facts!.controllers);
    const key = objectKey(w.kind, w.namespace, w.name);
    for (const name of pod.names) {
      const byWorkload = groups.get(name) ?? new Map<string, WorkloadGroup>();
      groups.set(name, byWorkload);
      const group = byWorkload.get(key) ?? { ...w, relation: relationOf(key), pods: 0, ready: 0 };
      byWorkload.set(key, group);
      group.pods++;
      if (pod.ready) group.ready++;
      if (pod.settling) group.settling = (group.settling ?? 0) + 1;
    }
  }
  for (const t of facts?.templates ?? []) {
    const w = workloadOf(t.kind, t.namespace, t.name, t.controller, facts!.controllers);
    const key = objectKey(w.kind, w.namespace, w.name);
    for (const name of t.names) {
      const running = groups.get(name)?.get(key)?.pods ?? 0;
      let why: HoldReason | undefined;
      if (t.kind === "ReplicaSet") why = t.replicas === 0 ? "history" : undefined;
      else if (t.kind === "CronJob") why = t.suspended ? "suspended" : "scheduled";
      else if (t.kind === "Job") why = "unfinished";
      else why = running === 0 ? "template" : undefined;
      if (!why) continue;
      const list = holders.get(name) ?? [];
      holders.set(name, list);
      list.push({
        kind: t.kind,
        namespace: t.namespace,
        name: t.name,
        why,
        workload: key,
        relation: relationOf(key),
        ...(t.revision !== undefined && { revision: t.revision }),
      });
    }
  }

  const secrets = input.secrets.map((s) => ({
    name: s.name,
    activeVersion: s.activeVersion,
    versions: s.versions.map((v): VersionInventory => {
      const createdAt = versionIdToDate(v.version).toISOString();
      const workloads = sortBy([...(groups.get(v.kubernetesName)?.values() ?? [])], (g) =>
        objectKey(g.kind, g.namespace, g.name),
      );
      const held = sortBy([...(holders.get(v.kubernetesName) ?? [])], (h) =>
        objectKey(h.kind, h.namespace, h.name),
      );
      const flags = new Set<Flag>();
      // The workloads flagged for this version: once each, by their pods first.
      const seen = new Set<string>();
      for (const g of workloads) {
        const key = objectKey(g.kind, g.namespace, g.name);
        const verdict = judge(input.expected.get(key), s.name, v.kubernetesName);
        if (verdict === "expected") continue;
        if (verdict === "unknown" || verdict === "linkedWithout") {
          seen.add(key);
          flags.add("unknown");
          unknown.push({
            secret: s.name,
            version: v.version,
            workload: key,
            through: "pods",
            ...(verdict === "linkedWithout" && { linkedWithout: true as const }),
          });
          continue;
        }
        const running = g.pods - (g.settling ?? 0);
        if (running === 0) continue;
        seen.add(key);
        flags.add("stale");
        stale.push({
          secret: s.name,
          version: v.version,
          workload: key,
          pods: running,
          ...verdict,
        });
      }
      for (const h of held) {
        if (seen.has(h.workload)) continue;
        const verdict = judge(input.expected.get(h.workload), s.name, v.kubernetesName);
        if (verdict === "expected") continue;
        if (verdict === "unknown" || verdict === "linkedWithout") {
          seen.add(h.workload);
          flags.add("unknown");
          unknown.push({
            secret: s.name,
            version: v.version,
            workload: h.workload,
            through: h.why,
            ...(verdict === "linkedWithout" && { linkedWithout: true as const }),
          });
          continue;
        }
        // The workload's own template reads the version: every pod it starts next runs it (a
        // CronJob's next Job, a Deployment scaled up). Old ReplicaSets are rollback history,
        // and a Job's template cannot change (it ends on its own): neither is stale.
        if (h.why === "history" || h.why === "unfinished") continue;
        seen.add(h.workload);
        flags.add("stale");
        stale.push({
          secret: s.name,
          version: v.version,
          workload: h.workload,
          pods: 0,
          through: h.why,
          ...verdict,
        });
      }
      if (v.overdue) flags.add("overdue");
      const listed = input.aws ? input.aws[v.awsName] : undefined;
      return {
        version: v.version,
        state: v.state,
        kubernetesName: v.kubernetesName,
        awsName: v.awsName,
        createdAt,
        ageDays: days(createdAt, input.now),
        ...(v.activatedAt !== undefined && {
          activatedAt: v.activatedAt,
          activeDays: days(v.activatedAt, input.now),
        }),
        aws: input.aws
          ? {
              ...(listed?.lastAccessedDate && { lastAccessedDate: listed.lastAccessedDate }),
              scheduledForDeletion: listed?.deletedDate !== undefined,
              ...(listed?.deletedDate && { deletedDate: listed.deletedDate }),
            }
          : null,
        pods: workloads.reduce((n, g) => n + g.pods, 0),
        ready: workloads.reduce((n, g) => n + g.ready, 0),
        workloads,
        holders: held,
        flags: (["stale", "unknown", "overdue"] as const).filter((f) => flags.has(f)),
        ...(v.overdue && { overdue: v.overdue }),
      };
    }),
  }));
  const overdue = secrets.flatMap((s) =>
    s.versions.flatMap((v) =>
      v.overdue ? [{ secret: s.name, version: v.version, ...v.overdue }] : [],
    ),
  );
  return { secrets, flags: { stale, unknown, overdue } };
}

/** Whether anything is flagged (the command exits 1). */
export function anyFlag(inventory: Inventory): boolean {
  const { stale, unknown, overdue } = inventory.flags;
  return stale.length + unknown.length + overdue.length > 0;
}
