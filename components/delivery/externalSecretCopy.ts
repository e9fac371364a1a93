/**
 * The External Secrets delivery: each version's copy is an ExternalSecret, and the External
 * Secrets Operator writes the Secret from AWS. The Kubernetes provider never sees a value: the
 * ExternalSecret names the AWS secret, nothing more.
 */
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { AwsVersion } from "../secrets/awsStore";
import {
  type CopyVersion,
  DEFAULT_READY_TIMEOUT_SECONDS,
  type ExternalSecretsDelivery,
  copyOptions,
  copyResourceName,
} from "../secrets/versionCopy";
import { externalSecretManifest } from "./manifests";

/**
 * What an ExternalSecret waits for before it is created: the AWS value (ESO reads it; without
 * it the first sync fails) and the store when the program declares it.
 */
export function externalSecretDependencies(
  aws: AwsVersion,
  store?: pulumi.Resource,
): pulumi.Resource[] {
  return [aws.value, ...(store ? [store] : [])];
}

/**
 * `<role>-eso`: the ExternalSecret `<secret>-<version>`. It waits for the AWS value (ESO reads it)
 * and for a declared store; the name it yields resolves once ESO reports Ready, that is once the
 * Secret exists, so a workload never points at a version before its Secret does.
 *
 * A versioned ExternalSecret may be updated in place (a new store, a new timeout), and its
 * Ready may then be the previous sync's (ESO's status has no observedGeneration), which is
 * still true: its AWS value never changes, its Secret is immutable, and ESO does not fetch it
 * again (`refreshInterval: 0s`, externalsecret_controller.go shouldRefreshPeriodic). The dev
 * one, whose value changes, is replaced instead of updated (`copyOptions`), so its Ready is
 * always the new object's own sync.
 */
export function externalSecretCopy(settings: ExternalSecretsDelivery): CopyVersion {
  return (parent, role, args) => {
    const manifest = externalSecretManifest({
      secretName: args.secretName,
      version: args.version,
      namespace: args.namespace,
      awsName: args.aws.name,
      storeRef: settings.storeRef,
      timeoutSeconds: settings.timeoutSeconds ?? DEFAULT_READY_TIMEOUT_SECONDS,
      // Dev updates one AWS secret in place: the ExternalSecret pins the value it must hold.
      ...(args.version === undefined && { awsVersionId: args.aws.value.versionId }),
    });
    const externalSecret = new k8s.apiextensions.CustomResource(
      copyResourceName("externalSecrets", role),
      manifest,
      {
        parent,
        dependsOn: externalSecretDependencies(args.aws, settings.store),
        ...copyOptions("externalSecrets", role, args.version !== undefined),
      },
    );
    return { kubernetesName: externalSecret.metadata.name };
  };
}
