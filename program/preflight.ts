/**
 * The preflight: every fact the program reads from outside its config, gathered in one step
 * before anything is declared: the staging stack's outputs (the promotion gate), this stack's
 * own previous outputs (the program's memory of activations, supersessions, prunes and value
 * digests), the reference guard's answers (AWS's list of the stack's secrets, then, when
 * this update would prune a version, what in the cluster still references it), and the live
 * object of every linked workload (`owner: external`), read on every update.
 *
 * Reading goes through a `StackOutputsReader`: under `pulumi up` and `pulumi preview` it is a
 * StackReference (the engine's builtin provider reads the latest checkpoint of the named
 * stack: pkg/resource/deploy/builtins.go readStackReference, pulumi v3.248.0); offline, the
 * plan reads files written by `pulumi stack output --json`.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "../config/errors";
import type { StackSpec } from "../config/types";
import {
  type AwsIndex,
  type GuardFacts,
  type GuardRead,
  awsNamesAsked,
  withAwsDeletions,
} from "../plan/guard/guard";
import { guardQuestions } from "../plan/guard/questions";
import { type LiveReader, providerLiveReader } from "../reads/live";
import type { OwnWorkloads } from "../plan/guard/references";
import { type PreviousOutputs, type StackMemory, readPrevious } from "../plan/lifecycle/memory";
import { SLOTS, canaryWorkloadName, kubernetesSecretName, slotDeploymentName } from "../core/names";
import type { ClusterFacts } from "../plan/inventory/collect";
import { stackSlotsAndHolds } from "../plan/workloads/slotPlan";
import { secretInputs } from "../plan/lifecycle/secretInputs";
import { MEMORY_OUTPUTS, STAGING_OUTPUTS } from "../plan/lifecycle/stored";
import type { LiveWorkloads } from "../plan/workloads/linkTarget";
import { isOwned } from "../config/contract/workload";
import { linkTargets } from "../plan/workloads/linkedCheck";

export { MEMORY_OUTPUTS, STAGING_OUTPUTS };

export interface StackOutputsReader {
  /**
   * The named outputs of `stack` (secret ones decrypted), or undefined when this reader
   * cannot read them at all (offline, without the file). A stack that exports nothing gives
   * an empty record.
   */
  read(
    role: "staging" | "previous",
    stack: string,
    names: readonly string[],
  ): Promise<Record<string, unknown> | undefined>;
}

/** The facts the planning takes as input. */
export interface StackFacts {
  /** Staging's outputs for the gate; undefined when the gate is off or they were not read. */
  staging?: Record<string, unknown>;
  /** This stack's previous outputs, decoded; undefined (no memory) on its first update. */
  previous?: PreviousOutputs;
  /** The reference guard's answers; undefined in dev (nothing is pruned there). */
  guard?: GuardFacts;
  /**
   * The live objects of the linked workloads (`owner: external`) and of those the previous
   * update linked; undefined when the stack links none.
   */
  linked?: GuardRead<LiveWorkloads>;
  /** What the guard's cluster read kept for the `inventory` output; undefined when it did not read. */
  inventory?: ClusterFacts;
}

/** Where the preflight reads: stack outputs, and the live cluster and AWS. */
export interface Readers {
  outputs: StackOutputsReader;
  live: LiveReader;
}

/**
 * The fully qualified name of the running stack (`<organization>/<project>/<stack>`), which
 * both Pulumi Cloud and a project-scoped DIY backend (organization `organization`) resolve
 * (pkg/backend/diy/store.go projectReferenceStore.ParseReference).
 */
export function selfStackName(): string {
  return `${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}`;
}

/** Reads through StackReferences: what `pulumi up` and `pulumi preview` use. */
export const stackReferenceReader: StackOutputsReader = {
  async read(role, stack, names) {
    // Resource names are fixed per role, so the references keep their URNs across updates.
    const reference = new pulumi.StackReference(
      role === "staging" ? "promotion-source" : "previous-outputs",
      { name: stack },
    );
    const out: Record<string, unknown> = {};
    for (const name of names) {
      const details = await reference.getOutputDetails(name);
      out[name] = details.value ?? details.secretValue;
    }
    return out;
  },
};

/** What `pulumi up` and `pulumi preview` read through. */
export const pulumiReaders: Readers = { outputs: stackReferenceReader, live: providerLiveReader };

/**
 * The workloads whose references this update changes itself: those the config declares and
 * those the previous update declared (removing one deletes it), with their canaries.
 */
export function ownWorkloads(config: StackSpec<unknown>, previousWorkloads: unknown): OwnWorkloads {
  const names = new Set<string>();
  const previous =
    typeof previousWorkloads === "object" && previousWorkloads !== null
      ? Object.keys(previousWorkloads)
      : [];
  for (const name of [...config.workloads.map((w) => w.name), ...previous]) {
    names.add(name);
    names.add(canaryWorkloadName(name));
    for (const slot of SLOTS) names.add(slotDeploymentName(name, slot));
  }
  return { namespace: config.namespace, names };
}

/**
 * The guard's answers: AWS first (what exists and what is pending deletion, for every version
 * the config lists or memory remembers), then, only when this update would prune a version,
 * the cluster (what references those versions' Secrets).
 */
async function guardFacts(
  config: StackSpec<unknown>,
  facts: StackFacts,
  live: LiveReader,
  now: Date,
): Promise<GuardFacts & { inventory?: ClusterFacts }> {
  const remembered = facts.previous?.memory;
  const aws: GuardRead<AwsIndex> = config.guard.aws
    ? await live.aws({
        prefix: `${config.environment}/`,
        names: new Set(awsNamesAsked(config.environment, config.secrets, remembered)),
      })
    : { status: "off" };
  const memory = withAwsDeletions(config.environment, config.secrets, remembered, aws);
  // What the plan would prune before any hold, from the plan inputs: no plan runs here.
  // A warm blue-green slot holds its versions: the cluster is not asked about them.
  const { holds: warm } = stackSlotsAndHolds(config, facts.previous?.outputs.workloads, now);
  const questions = guardQuestions(secretInputs(config, memory, now, aws, warm), memory);
  if (questions.length === 0) return { aws, kubernetes: { status: "skipped" } };
  if (!config.guard.kubernetes) return { aws, kubernetes: { status: "off" } };
  const namespaces = config.guard.namespaces && [
    ...new Set([...config.guard.namespaces, config.namespace]),
  ];
  const { inventory, ...kubernetes } = await live.cluster({
    names: new Set(questions.map((q) => q.kubernetesName)),
    ...(namespaces && { namespaces: namespaces.sort() }),
    own: ownWorkloads(config, facts.previous?.outputs.workloads),
    inventory: inventoryNames(config, memory),
  });
  return { aws, kubernetes, ...(inventory && { inventory }) };
}

/** Every version's Kubernetes Secret, of the config and of memory: the `inventory` output's. */
function inventoryNames(config: StackSpec<unknown>, memory: StackMemory | undefined): Set<string> {
  return new Set(
    config.secrets.flatMap((s) =>
      [...s.versions.map((v) => v.id), ...Object.keys(memory?.[s.name]?.versions ?? {})].map((id) =>
        kubernetesSecretName(s.name, id),
      ),
    ),
  );
}

/** Gathers the facts: every read, before the first resource other than the references. */
export async function preflight(
  config: StackSpec<unknown>,
  readers: Readers,
  now: Date,
): Promise<StackFacts> {
  // A provider setting the guard cannot read with is refused before anything is read: for each
  // source the guard reads, and for the cluster whenever a linked workload is read there.
  const linksNow = config.workloads.some((w) => !isOwned(w));
  const checked = {
    aws: config.versioned && config.guard.aws,
    kubernetes: (config.versioned && config.guard.kubernetes) || linksNow,
  };
  const refused = readers.live.settingsProblems?.(checked) ?? [];
  if (refused.length > 0) throw new ConfigError(config.stack, refused);
  const [staging, previous] = await Promise.all([
    config.promotion
      ? readers.outputs.read("staging", config.promotion.fromStack, STAGING_OUTPUTS)
      : Promise.resolve(undefined),
    config.versioned
      ? readers.outputs.read("previous", selfStackName(), MEMORY_OUTPUTS)
      : Promise.resolve(undefined),
  ]);
  const remembered = previous && previous.secrets !== undefined ? previous : undefined;
  const facts: StackFacts = {
    ...(staging && { staging }),
    ...(remembered && { previous: readPrevious(remembered) }),
  };
  // Every linked workload is read on every update, whether or not anything is pruned: its
  // patch is checked against the live object before it is declared (workloads/linkedCheck.ts).
  const targets = linkTargets(config.workloads, remembered?.workloads);
  // Links only the previous update made (being removed) are read too: check the cluster's
  // settings for them if nothing did yet.
  if (targets.length > 0 && !checked.kubernetes) {
    const late = readers.live.settingsProblems?.({ aws: false, kubernetes: true }) ?? [];
    if (late.length > 0) throw new ConfigError(config.stack, late);
  }
  const [linked, guard] = await Promise.all([
    targets.length > 0 ? readers.live.linked({ targets }) : Promise.resolve(undefined),
    config.versioned ? guardFacts(config, facts, readers.live, now) : Promise.resolve(undefined),
  ]);
  const { inventory, ...guardRead } = guard ?? {};
  return {
    ...facts,
    ...(guard && { guard: guardRead as GuardFacts }),
    ...(linked && { linked }),
    ...(inventory && { inventory }),
  };
}
