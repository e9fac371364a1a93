/**
 * Where a version is copied for workloads to read. A copy yields the Kubernetes Secret name a
 * workload may reference, resolved only once that Secret exists, so no workload points at a
 * version before it is there. Today the copy is a Kubernetes Secret the program writes
 * (`kubernetesCopy.ts`); another delivery (an operator that syncs from AWS) implements the
 * same interface.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { AwsVersion } from "./awsStore";

export interface VersionCopyArgs {
  /** The logical secret name. */
  secretName: string;
  /** The version id; undefined for the one unversioned secret of dev. */
  version?: string;
  /** The Kubernetes namespace. */
  namespace: string;
  /** The version's keys and values, sorted by key (secret). */
  entries: pulumi.Output<Record<string, string>>;
  /** The AWS side, which the copy waits for. */
  aws: AwsVersion;
}

export interface VersionCopy {
  /** The Secret name workloads reference, resolved once the Secret is ready. */
  kubernetesName: pulumi.Output<string>;
}

/** Declares one version's copy as children of `parent`, named `<role>-<suffix>`. */
export type CopyVersion = (
  parent: pulumi.Resource,
  role: string,
  args: VersionCopyArgs,
) => VersionCopy;
