/**
 * The inventory of one stack (`npm run inventory`): the question the cluster read answers, and
 * the inventory from the config, the memory, AWS and what the read kept. The states are the
 * update's own: each secret is planned once, as `pulumi up` would plan it now
 * (planStack.ts planSecretsOnce), with the reference guard's holds from the same read.
 */
import { isOwned } from "../config/contract/workload";
import { ConfigError } from "../config/errors";
import type { StackSpec } from "../config/types";
import type { AwsIndex, GuardFacts, GuardRead, ReferenceIndex } from "../plan/guard/guard";
import type { OwnWorkloads } from "../plan/guard/references";
import type { ClusterFacts } from "../plan/inventory/collect";
import { expectedWorkloads, secretInputs } from "../plan/inventory/expected";
import { type Inventory, buildInventory } from "../plan/inventory/inventory";
import type { PreviousOutputs } from "../plan/lifecycle/memory";
import { planWorkload } from "../plan/lifecycle/workloadPlan";
import { planSecretsOnce } from "./planStack";
import { ownWorkloads } from "./preflight";

/** What the cluster read is asked: the Secrets, where, and which workloads are the program's. */
export interface InventoryQuestion {
  /** Every Kubernetes Secret name of every version the config lists or memory remembers. */
  names: ReadonlySet<string>;
  /** The namespaces the guard reads (`guard.namespaces` and the stack's); undefined: all. */
  namespaces?: string[];
  own: OwnWorkloads;
}

/** The cluster as the inventory read it: the guard's referrers and the inventory's facts. */
export interface InventoryCluster {
  references: ReferenceIndex;
  facts: ClusterFacts;
}

const guardFacts = (
  config: StackSpec<unknown>,
  aws: GuardRead<AwsIndex>,
  cluster: InventoryCluster | undefined,
): GuardFacts | undefined =>
  config.versioned
    ? {
        aws,
        kubernetes: !config.guard.kubernetes
          ? { status: "off" }
          : cluster
            ? { status: "read", value: cluster.references }
            : { status: "unchecked", reason: "the cluster was not read" },
      }
    : undefined;

/** What the read asks, from the config and the memory alone. */
export function inventoryQuestion(
  config: StackSpec<unknown>,
  previous: PreviousOutputs | undefined,
  aws: GuardRead<AwsIndex>,
  now: Date,
): InventoryQuestion {
  const { secrets } = planSecretsOnce(
    config,
    { ...(previous && { previous }), guard: guardFacts(config, aws, undefined) },
    now,
  );
  const names = new Set(secrets.flatMap((s) => s.versions.map((v) => v.kubernetesName)));
  const linkedNamespaces = config.workloads.flatMap((w) => (isOwned(w) ? [] : [w.namespace]));
  const namespaces = config.guard.namespaces && [
    ...new Set([...config.guard.namespaces, config.namespace, ...linkedNamespaces]),
  ];
  return {
    names,
    ...(namespaces && { namespaces: namespaces.sort() }),
    own: ownWorkloads(config, previous?.outputs.workloads),
  };
}

/** The inventory, and a note when the update would refuse what the read found. */
export function stackInventory(
  config: StackSpec<unknown>,
  facts: {
    previous?: PreviousOutputs;
    aws: GuardRead<AwsIndex>;
    cluster?: InventoryCluster;
  },
  now: Date,
): { inventory: Inventory; notes: string[] } {
  const notes: string[] = [];
  const plan = (guard: GuardFacts | undefined) =>
    planSecretsOnce(config, { ...(facts.previous && { previous: facts.previous }), guard }, now);
  let planned: ReturnType<typeof planSecretsOnce>;
  try {
    planned = plan(guardFacts(config, facts.aws, facts.cluster));
  } catch (err) {
    // A version removed from the config while something uses it refuses the update: the
    // inventory still shows what uses it, with the states planned without the cluster.
    if (!(err instanceof ConfigError) || !facts.cluster) throw err;
    notes.push(`pulumi up would refuse this config: ${err.message}`);
    planned = plan(guardFacts(config, facts.aws, undefined));
  }
  const workloads = config.workloads.map((w, i) => ({
    ...planWorkload(w, planned.secrets),
    ...(planned.slots[i] && { slots: planned.slots[i] }),
  }));
  const inventory = buildInventory({
    secrets: secretInputs(planned.secrets, facts.previous?.memory),
    expected: expectedWorkloads(workloads, config.namespace, facts.previous?.outputs.workloads),
    ...(facts.cluster && { cluster: facts.cluster.facts }),
    ...(facts.aws.status === "read" && { aws: facts.aws.value }),
    now,
  });
  return { inventory, notes };
}
