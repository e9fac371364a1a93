/**
 * The preflight: every fact the program reads from outside its config, gathered in one step
 * before anything is planned or declared. Today those are the staging stack's outputs (the
 * promotion gate) and this stack's own previous outputs (the program's memory of activations,
 * supersessions, prunes and value digests).
 *
 * Reading goes through a `StackOutputsReader`: under `pulumi up` and `pulumi preview` it is a
 * StackReference (the engine's builtin provider reads the latest checkpoint of the named
 * stack: pkg/resource/deploy/builtins.go readStackReference, pulumi v3.248.0); offline, the
 * plan reads files written by `pulumi stack output --json`.
 */
import * as pulumi from "@pulumi/pulumi";
import type { StackSpec } from "../config/types";

/** What the program reads of its own previous outputs. */
export const MEMORY_OUTPUTS = ["secrets", "versionFingerprints"] as const;
/** What the promotion gate reads of the staging stack. */
export const STAGING_OUTPUTS = ["secrets"] as const;

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
  /** This stack's previous outputs; undefined (no memory) on its first update. */
  previous?: Record<string, unknown>;
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

/** Gathers the facts: both reads, before the first resource other than the references. */
export async function preflight(
  config: StackSpec<unknown>,
  reader: StackOutputsReader,
): Promise<StackFacts> {
  const [staging, previous] = await Promise.all([
    config.promotion
      ? reader.read("staging", config.promotion.fromStack, STAGING_OUTPUTS)
      : Promise.resolve(undefined),
    config.versioned
      ? reader.read("previous", selfStackName(), MEMORY_OUTPUTS)
      : Promise.resolve(undefined),
  ]);
  const remembered = previous && previous.secrets !== undefined ? previous : undefined;
  return { ...(staging && { staging }), ...(remembered && { previous: remembered }) };
}
