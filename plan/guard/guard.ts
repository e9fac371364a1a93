/**
 * The reference guard's decision, pure: which versions this update would prune (the questions),
 * and, from what the cluster and AWS answered, which of them it keeps and why, which removed
 * versions it must refuse, what AWS says is already gone, and what the plan and the warnings
 * say. The reading itself is in `cluster.ts` and `aws.ts` (live) and in the offline files.
 */
import { dict } from "../../core/dict";
import { type ConfigProblem, join } from "../../core/problems";
import type { SecretMemory, StackMemory } from "../lifecycle/memory";
import { awsSecretName } from "../../core/names";
import { DAY_MS } from "../lifecycle/states";
import { type Referrer, referrerText } from "./references";

/** How one source of the guard answered. */
export type GuardRead<T> =
  /** Read: the answer. */
  | { status: "read"; value: T }
  /** Could not be read (no credentials, forbidden, unreachable): nothing is pruned. */
  | { status: "unavailable"; reason: string }
  /** Not asked: the offline plan without its file. Pruning is shown as planned. */
  | { status: "unchecked"; reason: string }
  /** Turned off in config (`guard.kubernetes: false`, `guard.aws: false`). */
  | { status: "off" }
  /** Nothing to ask: this update prunes nothing. */
  | { status: "skipped" };

/** What AWS lists of one secret of the stack. */
export interface AwsSecretFacts {
  /** ISO time: when its deletion was scheduled (it is pending deletion). */
  deletedDate?: string;
  /** ISO date (AWS keeps the day only): when its value was last read. */
  lastAccessedDate?: string;
  /** ISO time: when it was last modified in any way (a restore or a re-create included). */
  lastChangedDate?: string;
}

/** AWS secrets by name (`production/auth-api-secrets-20250723110000`). */
export type AwsIndex = Readonly<Record<string, AwsSecretFacts>>;
/** Referrers by Kubernetes Secret name. */
export type ReferenceIndex = ReadonlyMap<string, readonly Referrer[]>;

export interface GuardFacts {
  kubernetes: GuardRead<ReferenceIndex>;
  aws: GuardRead<AwsIndex>;
}

/** A version this update would prune, which the guard asks about. */
export interface GuardQuestion {
  secret: string;
  version: string;
  kubernetesName: string;
  awsName: string;
  /** Removed from config: it cannot be kept (its values are gone), only refused. */
  removed: boolean;
  /** The previous update declared it (memory): the fail-safe keeps it. */
  declaredBefore: boolean;
}

/**
 * The AWS names whose facts the program reads: every version of every secret the config lists
 * or memory remembers, so a version pending deletion is known even when memory is lost.
 */
export function awsNamesAsked(
  environment: string,
  secrets: readonly { name: string; versions: readonly { id: string }[] }[],
  memory: StackMemory | undefined,
): string[] {
  const names = new Set<string>();
  for (const secret of secrets) {
    const remembered = Object.keys(memory?.[secret.name]?.versions ?? {});
    for (const id of [...secret.versions.map((v) => v.id), ...remembered]) {
      names.add(awsSecretName(environment, secret.name, id));
    }
  }
  return [...names].sort();
}

/**
 * Whether a live secret was last modified before the prune was recorded: a delete that failed
 * changed nothing, while `restore-secret` or a new secret of that name did (LastChangedDate:
 * "modified in any way", Secrets Manager API SecretListEntry). Without the date, it may have.
 */
function unchangedSince(listed: AwsSecretFacts, prunedAt: string): boolean {
  if (listed.lastChangedDate === undefined) return false;
  return Date.parse(listed.lastChangedDate) <= Date.parse(prunedAt);
}

/**
 * Memory with what AWS says of each version's deletion:
 * - pending deletion: the version is pruned (AWS refuses to create a secret under a name
 *   scheduled for deletion), even when the program's own memory was lost or never saw the prune;
 * - still live although remembered as pruned, and unchanged since: the prune never ran. The
 *   memory records a prune when the program returns, but the engine deletes only afterwards
 *   (pulumi v3.248.0 pkg/resource/deploy/deployment_executor.go Execute, performPostSteps), so
 *   a failed delete, or `pulumi up --target` (GenerateDeletes deletes targeted resources only),
 *   leaves the version in place. Its prune is forgotten: the plan decides its state again
 *   (expired, and pruned again, unless something now keeps it), and a rollback to it is no
 *   revival, since its resources never left.
 */
export function withAwsDeletions(
  environment: string,
  secrets: readonly { name: string; versions: readonly { id: string }[] }[],
  memory: StackMemory | undefined,
  aws: GuardRead<AwsIndex> | undefined,
): StackMemory | undefined {
  if (aws?.status !== "read") return memory;
  let merged: StackMemory | undefined = memory;
  for (const secret of secrets) {
    const known: SecretMemory = memory?.[secret.name] ?? { versions: dict() };
    const versions = { ...known.versions };
    let changed = false;
    const ids = new Set([...secret.versions.map((v) => v.id), ...Object.keys(versions)]);
    for (const id of ids) {
      const listed = aws.value[awsSecretName(environment, secret.name, id)];
      const prunedAt = versions[id]?.prunedAt;
      if (
        listed !== undefined &&
        listed.deletedDate === undefined &&
        prunedAt !== undefined &&
        unchangedSince(listed, prunedAt)
      ) {
        const kept = { ...versions[id] };
        delete kept.prunedAt;
        versions[id] = kept;
        changed = true;
      } else if (listed?.deletedDate !== undefined && prunedAt === undefined) {
        versions[id] = { ...versions[id], prunedAt: listed.deletedDate };
        changed = true;
      }
    }
    if (!changed) continue;
    // A null-prototype map like `readMemory`'s: a secret named `constructor` must not find
    // Object's own `constructor` as its memory.
    merged = Object.assign(dict<SecretMemory>(), merged, {
      [secret.name]: { ...known, versions },
    });
  }
  return merged;
}

/** How many referrers a warning or an output names before it says "and N more". */
export const REFERRERS_SHOWN = 10;

function named(items: readonly string[]): string[] {
  return items.length <= REFERRERS_SHOWN
    ? [...items]
    : [...items.slice(0, REFERRERS_SHOWN), `and ${items.length - REFERRERS_SHOWN} more`];
}

/** The guard's verdict, as the outputs and the plan report it. */
export interface GuardReport {
  kubernetes: { status: GuardRead<unknown>["status"]; reason?: string };
  aws: { status: GuardRead<unknown>["status"]; reason?: string };
  /** The versions the guard asked about: `<secret> <version>`. */
  asked: string[];
  /** The versions it kept: `<secret> <version>`. */
  kept: string[];
}

export interface GuardOutcome {
  /** Per secret, the versions kept and what holds each. */
  held: Record<string, Record<string, string[]>>;
  /** Removed versions that something still uses: the update is refused. */
  problems: ConfigProblem[];
  warnings: string[];
  report: GuardReport;
}

/** Whether an AWS read (day granularity) falls within `days` of `now`: day D counts through D+days. */
export function readWithin(lastAccessed: string, days: number, now: Date): boolean {
  const day = Date.parse(lastAccessed);
  return !Number.isNaN(day) && now.getTime() < day + (days + 1) * DAY_MS;
}

const statusOf = (read: GuardRead<unknown>): GuardReport["kubernetes"] => ({
  status: read.status,
  ...(read.status === "unavailable" || read.status === "unchecked" ? { reason: read.reason } : {}),
});

/**
 * Decides from the answers. A version is kept when the cluster references its Secret, when its
 * AWS secret was read within `awsReadWithinDays`, or, when a source could not be read at all,
 * when the previous update declared it (fail safe: nothing is pruned, nothing pruned comes
 * back). A removed version cannot be kept, so the same reasons refuse the update instead.
 */
export function decideGuard(
  questions: readonly GuardQuestion[],
  facts: GuardFacts,
  options: { awsReadWithinDays?: number; now: Date },
): GuardOutcome {
  const held = dict<Record<string, string[]>>();
  const problems: ConfigProblem[] = [];
  const warnings: string[] = [];
  const kept: string[] = [];
  const unreadable = [facts.kubernetes, facts.aws].flatMap((r) =>
    r.status === "unavailable" ? [r.reason] : [],
  );

  for (const q of questions) {
    const reasons: string[] = [];
    const k = facts.kubernetes;
    if (k.status === "read")
      reasons.push(...(k.value.get(q.kubernetesName) ?? []).map(referrerText));
    const a = facts.aws;
    const read = a.status === "read" ? a.value[q.awsName]?.lastAccessedDate : undefined;
    if (
      read &&
      options.awsReadWithinDays !== undefined &&
      readWithin(read, options.awsReadWithinDays, options.now)
    ) {
      reasons.push(
        `AWS read of ${q.awsName} on ${read.slice(0, 10)} (guard.awsReadWithinDays ${options.awsReadWithinDays})`,
      );
    }
    const failSafe = unreadable.length > 0 && (q.declaredBefore || q.removed);
    if (reasons.length === 0 && !failSafe) continue;
    const because =
      reasons.length > 0
        ? reasons
        : [`the reference guard could not look (${unreadable.join("; ")})`];
    if (q.removed) {
      problems.push({
        path: join(join("secrets", q.secret), "versions"),
        message:
          `version ${q.version} was removed from the config, so this update would delete it, but ${reasons.length > 0 ? `it is still used: ${named(because).join(", ")}` : because[0]}. ` +
          `A removed version cannot be kept (its values are gone from the config): list it again with the same values until nothing uses it, ` +
          (reasons.length > 0
            ? "or stop what uses it"
            : "or let the guard read the cluster and AWS (or turn it off with secret-rotation:guard.kubernetes false / guard.aws false)"),
      });
      continue;
    }
    (held[q.secret] ??= dict<string[]>())[q.version] = named(because);
    kept.push(`${q.secret} ${q.version}`);
    warnings.push(
      reasons.length > 0
        ? `${q.secret}: version ${q.version} (${q.kubernetesName}) expired but is kept: still used by ${named(reasons).join(", ")}`
        : `${q.secret}: version ${q.version} (${q.kubernetesName}) expired but is kept: ${because[0]}, so nothing is pruned in this update`,
    );
  }

  for (const [source, read, key] of [
    ["cluster", facts.kubernetes, "kubernetes"],
    ["AWS", facts.aws, "aws"],
  ] as const) {
    if (read.status === "unavailable") {
      warnings.push(
        `reference guard: the ${source} could not be read (${read.reason}); nothing is pruned in this update. ` +
          `Give the program read access (docs/guard.md#permissions), or turn this check off with secret-rotation:guard.${key} false`,
      );
    } else if (read.status === "unchecked" && questions.length > 0) {
      warnings.push(
        `reference guard not checked against the ${source} (${read.reason}): it would ask about ${questions
          .map((q) => (key === "kubernetes" ? q.kubernetesName : q.awsName))
          .join(", ")}`,
      );
    }
  }
  return {
    held,
    problems,
    warnings,
    report: {
      kubernetes: statusOf(facts.kubernetes),
      aws: statusOf(facts.aws),
      asked: questions.map((q) => `${q.secret} ${q.version}`),
      kept,
    },
  };
}
