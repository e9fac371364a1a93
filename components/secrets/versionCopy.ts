/**
 * Where a version is copied for workloads to read. A copy yields the Kubernetes Secret name a
 * workload may reference, resolved only once that Secret exists, so no workload points at a
 * version before it is there. The delivery is plain configuration (`SecretDelivery`): a
 * Kubernetes Secret the program writes (`kubernetesCopy.ts`), or an ExternalSecret the
 * External Secrets Operator syncs from AWS (`delivery/externalSecretCopy.ts`); each implements
 * `CopyVersion`, which stays internal to the components.
 */
import type * as pulumi from "@pulumi/pulumi";
import { ESO_API_VERSION, type StoreRef } from "../delivery/manifests";
import type { AwsVersion } from "./awsStore";

/** The ways a version reaches the cluster, in the order the dev copy's aliases list them. */
export const DELIVERY_KINDS = ["direct", "externalSecrets"] as const;
export type DeliveryKind = (typeof DELIVERY_KINDS)[number];

/** Seconds `pulumi up` waits for an ExternalSecret (or a store) to be Ready, or deleted. */
export const DEFAULT_READY_TIMEOUT_SECONDS = 300;

/** The program writes each version as a Kubernetes Secret (its value passes through Pulumi). */
export interface DirectDelivery {
  kind: "direct";
}

/**
 * Each version is an ExternalSecret, and the External Secrets Operator writes the Secret from
 * AWS: the Kubernetes provider never sees a value.
 */
export interface ExternalSecretsDelivery {
  kind: "externalSecrets";
  /** The SecretStore or ClusterSecretStore every ExternalSecret reads through. */
  storeRef: StoreRef;
  /**
   * Seconds `pulumi up` waits for each ExternalSecret to be Ready (and to be deleted).
   * @default 300
   */
  timeoutSeconds?: number;
  /**
   * The store resource ExternalSecrets wait for, when this program declares it (an
   * `AwsSecretStore`'s `resource`).
   * @default none: the store exists already
   */
  store?: pulumi.Resource;
}

/** How a version reaches the cluster: plain configuration, never a callback. */
export type SecretDelivery = DirectDelivery | ExternalSecretsDelivery;

export interface VersionCopyArgs {
  /** The logical secret name. */
  secretName: string;
  /** The version id; undefined for the one unversioned secret of dev. */
  version?: string;
  /** The Kubernetes namespace. */
  namespace: pulumi.Input<string>;
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

/**
 * Each delivery's copy resource: its Pulumi type and the suffix of its name `<role>-<suffix>`.
 * `@pulumi/kubernetes` types a Secret `kubernetes:core/v1:Secret` (core/v1/secret.ts
 * `__pulumiType`) and a custom resource `kubernetes:<apiVersion>:<kind>`
 * (apiextensions/customResource.ts).
 */
export const COPY_RESOURCES: Readonly<Record<DeliveryKind, { type: string; suffix: string }>> = {
  direct: { type: "kubernetes:core/v1:Secret", suffix: "k8s" },
  externalSecrets: { type: `kubernetes:${ESO_API_VERSION}:ExternalSecret`, suffix: "eso" },
};

/** The resource name of a version's copy by `delivery`: `<role>-k8s` or `<role>-eso`. */
export function copyResourceName(delivery: DeliveryKind, role: string): string {
  return `${role}-${COPY_RESOURCES[delivery].suffix}`;
}

/** The resource options a copy adds; empty for a versioned copy. */
export interface CopyOptions {
  /** Plain `{ name, type }` aliases (a `pulumi.Alias` each). */
  aliases?: { name: string; type: string }[];
  deleteBeforeReplace?: true;
  replaceOnChanges?: string[];
}

/**
 * The options of a version's copy by `delivery`.
 *
 * Versioned: none. A version keeps the delivery it was created with (memory records it), and
 * its copy is named `<secret>-<version>`, so a new version delivered another way has a name no
 * live copy uses, and no copy ever changes kind.
 *
 * Unversioned (dev): the one copy is named `<secret>` whatever the delivery, so switching
 * delivery swaps an ExternalSecret and a Secret of the same Kubernetes name. As two resources
 * that would fail: the engine runs every create before deleting what the program stopped
 * declaring (pulumi v3.248.0 pkg/resource/deploy/step_generator.go: a resource with no old
 * state is a create; deployment_executor.go Execute: performPostSteps generates the deletes
 * only after the program's last registration), and pulumi-kubernetes
 * creates client-side since 4.29.0 (provider/pkg/await/await.go Creation: `client.Create`,
 * AlreadyExists unless the provider sets `upsertExistingObjects`; `pulumi.com/patchForce`
 * applies only to server-side patches, not to this create). ESO's Secret of that name is still
 * there: it goes only with its ExternalSecret (ESO v2.9.0 externalsecret_controller.go
 * cleanupManagedSecrets deletes nothing with `deletionPolicy: Retain`; the garbage collector
 * deletes it through the owner reference applyOwnership sets).
 *
 * So each dev copy names the other delivery's resource as an alias: the engine then sees one
 * resource whose type changes (step_generator.go getOldResource; lifecycletest/alias_test.go
 * TestAliases "changing the type works"). A changed type alone would be an in-place update
 * (the same test: "changing everything ... leads to update"), hence `replaceOnChanges`, and
 * `deleteBeforeReplace`: the old object is deleted before the new one is created. The provider
 * deletes with foreground propagation (metadata/overrides.go DeletionPropagation) and waits for
 * the Deleted event (await.go Deletion), and the garbage collector keeps a foreground-deleted
 * owner until its blocking dependents are gone (kubernetes pkg/controller/garbagecollector
 * processDeletingDependentsItem; ESO's owner reference blocks, controller-runtime v0.24.1
 * SetControllerReference). So ESO's Secret is gone before the direct Secret is created, and a
 * direct Secret is gone before ESO creates its own.
 *
 * The dev ExternalSecret also replaces on any change (`*`), never updating in place: ESO's
 * status has no observedGeneration (v2.9.0 apis/externalsecrets/v1 externalsecret_types.go
 * ExternalSecretStatus), so `condition=Ready` would be satisfied by the status of the previous
 * sync (pulumi-kubernetes await/condition/kubectl.go checkCondition compares generations only
 * when an observedGeneration exists). A new object has no status until ESO has synced it.
 * Waiting instead for `jsonpath={.status.syncedResourceVersion}=<expected>` cannot work: ESO
 * records `<generation>-<hash of the labels and annotations>` there (pkg/controllers/util/util.go
 * GetResourceVersion); the generation is the API server's, and the annotation holding the
 * expected value would be part of its own hash.
 * The dev Secret replaces only when its kind changes, so `kubernetes:enableSecretMutable` still
 * updates its data in place.
 */
export function copyOptions(delivery: DeliveryKind, role: string, versioned: boolean): CopyOptions {
  if (versioned) return {};
  return {
    aliases: DELIVERY_KINDS.filter((d) => d !== delivery).map((d) => ({
      name: copyResourceName(d, role),
      type: COPY_RESOURCES[d].type,
    })),
    deleteBeforeReplace: true,
    replaceOnChanges: delivery === "externalSecrets" ? ["*"] : ["kind"],
  };
}
