/**
 * The rotation diff between two offline plans (`npm run plan -- <stack> --json`): the plan at a
 * git ref (the pull request's base) and the working tree's. Pure: it reads the two plans'
 * `outputs` (the stored format, plan/lifecycle/stored.ts, and the `promotion` report,
 * plan/promotion/stagingGate.ts) tolerantly, since the plan at the ref may come from another
 * release of this program. Per secret: the versions added and removed, each version whose
 * state changes, `active`, the rollback target and the canary (old → new), the workloads that
 * roll and to which Secret names, what is no longer declared (pruned), and what the staging
 * gate will need.
 */
import type { SecretOutput, WorkloadOutput } from "../plan/lifecycle/outputs";
import type { GateDecision } from "../plan/promotion/gate";
import type { PromotionReport } from "../plan/promotion/stagingGate";

/** One side's plan, as the plan's `--json` prints it (only `outputs` is read). */
export interface PlanJson {
  outputs?: Record<string, unknown>;
  /** The plan's log: its `warning: ...` lines are compared. */
  logs?: unknown;
}

/** An old → new change; `null` on a side means "none" (or the secret is absent there). */
export interface Change<T> {
  from: T | null;
  to: T | null;
}

/** A workload (or one of its canary or blue-green Deployments) whose Secret reference changes. */
export interface Roll {
  workload: string;
  /** `Deployment`, `CronJob`, ..., `canary Deployment`, `blue slot`, `green slot`. */
  part: string;
  from: string | null;
  to: string | null;
}

/** What the staging gate decides, and needs, for a version the working tree runs. */
export interface GateNeed {
  version: string;
  role: "active" | "canary";
  status: string;
  /** Whether the plan at the ref already ran this version in this role. */
  new: boolean;
  /** What staging must show for it to pass (empty when the gate does not check it). */
  needs: string;
  reasons: string[];
}

export interface SecretDiff {
  change: "added" | "removed" | "changed" | "unchanged";
  versionsAdded: string[];
  /** Added versions that are listed but never created: already `expired` (or `pruned`). */
  notCreated: { version: string; state: string }[];
  versionsRemoved: string[];
  states: { version: string; from: string; to: string }[];
  active: Change<string> | null;
  rollbackTarget: Change<string> | null;
  canary: Change<string> | null;
  rolls: Roll[];
  /** Versions the ref declares (their AWS secret and Kubernetes Secret) that the tree does not. */
  pruned: string[];
  /**
   * Versions both declare under another name (a program change): the resources under the old
   * name are replaced. Kubernetes Secret names, or AWS names when only those change.
   */
  renamed: { version: string; from: string; to: string }[];
  /** Keys of versions both sides list whose written value (ciphertext) differs. */
  valuesChanged: { version: string; key: string }[];
  gate: GateNeed[];
}

export interface PlanDiff {
  secrets: Record<string, SecretDiff>;
  workloadsAdded: string[];
  workloadsRemoved: string[];
  /** The working tree's staging gate (from stack, soak), or null when it has none. */
  gate: string | null;
  /** The gate's settings, when they change. */
  promotion: Change<string> | null;
  delivery: Change<string> | null;
  /** The working tree's warnings that the ref's plan does not give (such as a plain value). */
  warnings: string[];
}

/** States whose resources a plan declares (states.ts: expired and pruned are not declared). */
const UNDECLARED = new Set(["expired", "pruned"]);

const isMap = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
/** A copy without a prototype: secret and workload names are user input (`constructor` is one). */
const mapOf = <T>(v: unknown): Record<string, T> =>
  Object.assign(Object.create(null) as Record<string, T>, isMap(v) ? v : {});
/** The value under a user-given key, never an inherited one. */
const own = <T>(m: Record<string, T> | undefined, key: string): T | undefined =>
  m && Object.hasOwn(m, key) ? m[key] : undefined;
const change = <T>(from: T | null, to: T | null): Change<T> | null =>
  from === to ? null : { from, to };

function canaryText(s: SecretOutput | undefined): string | null {
  return s?.canary ? `${s.canary.version} at ${s.canary.percent}%` : null;
}

function gateText(report: PromotionReport | null | undefined): string | null {
  return report ? `from ${report.fromStack}, soak ${report.soakHours} h` : null;
}

/** The Kubernetes Secret name a plan gives `version` of `secret`. */
function secretName(s: SecretOutput | undefined, secret: string, version: string): string {
  const v = (s?.versions ?? []).find((x) => x.version === version);
  return v?.kubernetesName ?? `${secret}@${version}`;
}

/** Each Deployment or job of a workload that references a secret: its part and version. */
function references(w: WorkloadOutput | undefined, secret: string): Map<string, string> {
  const refs = new Map<string, string>();
  if (!w) return refs;
  if (w.slots) {
    for (const slot of ["blue", "green"] as const) {
      const version = own(w.slots[slot]?.versions, secret);
      if (version !== undefined) refs.set(`${slot} slot`, version);
    }
  } else {
    const version = own(w.versions, secret);
    if (version !== undefined) refs.set(w.kind, version);
  }
  if (w.canary && w.canary.secret === secret) refs.set("canary Deployment", w.canary.version);
  return refs;
}

function rollsOf(
  secret: string,
  base: { secrets: Record<string, SecretOutput>; workloads: Record<string, WorkloadOutput> },
  head: { secrets: Record<string, SecretOutput>; workloads: Record<string, WorkloadOutput> },
): Roll[] {
  const rolls: Roll[] = [];
  const names = [...new Set([...Object.keys(base.workloads), ...Object.keys(head.workloads)])];
  for (const workload of names.sort()) {
    const before = references(base.workloads[workload], secret);
    const after = references(head.workloads[workload], secret);
    for (const part of new Set([...before.keys(), ...after.keys()])) {
      const from = before.get(part);
      const to = after.get(part);
      const fromName = from === undefined ? null : secretName(base.secrets[secret], secret, from);
      const toName = to === undefined ? null : secretName(head.secrets[secret], secret, to);
      if (fromName !== toName) rolls.push({ workload, part, from: fromName, to: toName });
    }
  }
  return rolls;
}

/** What staging must show for `d` to pass (gate.ts refusals, read as requirements). */
function needsOf(d: GateDecision, report: PromotionReport): string {
  if (d.status === "unchanged" || d.status === "rollback") return "";
  const keys = [...d.keys].sort().join(", ") || "none";
  return (
    `${report.fromStack} runs ${d.version} (its active version, or a newer one as its canary), ` +
    `first activated at least ${report.soakHours} h before the update, with keys ${keys}`
  );
}

function gateOf(
  secret: string,
  base: PromotionReport | null | undefined,
  head: PromotionReport | null | undefined,
): GateNeed[] {
  if (!head) return [];
  const before = new Set(
    (base?.decisions ?? []).filter((d) => d.secret === secret).map((d) => `${d.role}:${d.version}`),
  );
  return head.decisions
    .filter((d) => d.secret === secret)
    .map((d) => ({
      version: d.version,
      role: d.role,
      status: d.status,
      new: !before.has(`${d.role}:${d.version}`),
      needs: needsOf(d, head),
      reasons: d.reasons,
    }));
}

function secretDiff(
  name: string,
  base: Parameters<typeof rollsOf>[1] & { promotion?: PromotionReport | null },
  head: Parameters<typeof rollsOf>[1] & { promotion?: PromotionReport | null },
): SecretDiff {
  const b = base.secrets[name];
  const h = head.secrets[name];
  const bv = new Map((b?.versions ?? []).map((v) => [v.version, v.state as string]));
  const declared = (s: SecretOutput | undefined) =>
    new Map((s?.versions ?? []).filter((v) => !UNDECLARED.has(v.state)).map((v) => [v.version, v]));
  const headDeclared = declared(h);
  const renamed = [...declared(b).values()].flatMap((v) => {
    const now = headDeclared.get(v.version);
    if (!now) return [];
    if (now.kubernetesName !== v.kubernetesName) {
      return [{ version: v.version, from: v.kubernetesName, to: now.kubernetesName }];
    }
    return now.awsName !== v.awsName
      ? [{ version: v.version, from: v.awsName, to: now.awsName }]
      : [];
  });
  const hv = new Map((h?.versions ?? []).map((v) => [v.version, v.state as string]));
  const states = [...hv]
    .filter(([v, state]) => bv.has(v) && bv.get(v) !== state)
    .map(([version, to]) => ({ version, from: bv.get(version) ?? "", to }));
  const diff: SecretDiff = {
    change: !b ? "added" : !h ? "removed" : "unchanged",
    versionsAdded: [...hv.keys()].filter((v) => !bv.has(v)),
    notCreated: [...hv]
      .filter(([v, state]) => !bv.has(v) && UNDECLARED.has(state))
      .map(([version, state]) => ({ version, state })),
    versionsRemoved: [...bv.keys()].filter((v) => !hv.has(v)),
    states,
    active: change(b?.activeVersion ?? null, h?.activeVersion ?? null),
    rollbackTarget: change(b?.previousVersion ?? null, h?.previousVersion ?? null),
    canary: change(canaryText(b), canaryText(h)),
    rolls: rollsOf(name, base, head),
    pruned: [...bv]
      .filter(([v, state]) => !UNDECLARED.has(state) && UNDECLARED.has(hv.get(v) ?? "expired"))
      .map(([v]) => v),
    renamed,
    valuesChanged: [],
    gate: gateOf(name, base.promotion, head.promotion),
  };
  const moved =
    diff.versionsAdded.length +
      diff.versionsRemoved.length +
      states.length +
      diff.rolls.length +
      renamed.length >
      0 ||
    diff.active !== null ||
    diff.rollbackTarget !== null ||
    diff.canary !== null;
  if (diff.change === "unchanged" && moved) diff.change = "changed";
  return diff;
}

function sides(plan: PlanJson | undefined) {
  const outputs = plan?.outputs ?? {};
  return {
    secrets: mapOf<SecretOutput>(outputs.secrets),
    workloads: mapOf<WorkloadOutput>(outputs.workloads),
    promotion: isMap(outputs.promotion) ? (outputs.promotion as unknown as PromotionReport) : null,
    delivery: isMap(outputs.delivery) ? String(outputs.delivery.mode) : null,
  };
}

const warningsOf = (plan: PlanJson | undefined): string[] =>
  Array.isArray(plan?.logs)
    ? plan.logs.filter((l): l is string => typeof l === "string" && l.startsWith("warning: "))
    : [];

/**
 * The diff from `base` (the plan at the ref; undefined when the ref has no such stack file, so
 * everything is new) to `head` (the working tree's plan).
 */
export function diffPlans(base: PlanJson | undefined, head: PlanJson): PlanDiff {
  const b = sides(base);
  const h = sides(head);
  const names = [...Object.keys(b.secrets)];
  for (const n of Object.keys(h.secrets)) if (!names.includes(n)) names.push(n);
  return {
    secrets: Object.fromEntries(names.map((n) => [n, secretDiff(n, b, h)])),
    workloadsAdded: Object.keys(h.workloads).filter((w) => !(w in b.workloads)),
    workloadsRemoved: Object.keys(b.workloads).filter((w) => !(w in h.workloads)),
    gate: gateText(h.promotion),
    promotion: change(gateText(b.promotion), gateText(h.promotion)),
    delivery: change(b.delivery, h.delivery),
    warnings: warningsOf(head).filter((w) => !warningsOf(base).includes(w)),
  };
}
