/**
 * The External Secrets Operator objects the program writes, as plain manifests: an
 * ExternalSecret per version and, optionally, the ClusterSecretStore they read through. Pure,
 * so the tests validate exactly these objects against ESO's own CRD schema.
 *
 * ESO's `external-secrets.io/v1` is the served version (`v1beta1` is `served: false` in the
 * CRDs of ESO v2.9.0, config/crds/bases/external-secrets.io_externalsecrets.yaml).
 */
import * as pulumi from "@pulumi/pulumi";
import { LABELS, MANAGED_BY, kubernetesSecretName } from "../../core/names";

export const ESO_API_VERSION = "external-secrets.io/v1";

/** The store an ExternalSecret reads AWS through. */
export interface StoreRef {
  /** The store's name. */
  name: string;
  /** A cluster-wide store, or one in the ExternalSecret's namespace. */
  kind: "ClusterSecretStore" | "SecretStore";
}

/** ESO's AWS Secrets Manager provider, as a ClusterSecretStore declares it. */
export interface AwsStoreProvider {
  /** The AWS region ESO reads from (where the secrets are written). */
  region: string;
  /**
   * How ESO authenticates: `podIdentity` with its own credentials (an EKS Pod Identity
   * association, or IRSA on ESO's service account); `irsa` as the role of `serviceAccount`.
   * @default "podIdentity"
   */
  auth?: "podIdentity" | "irsa";
  /**
   * With `auth: "irsa"`: the service account annotated with `eks.amazonaws.com/role-arn`.
   * @default none
   */
  serviceAccount?: { name: string; namespace: string };
  /**
   * An IAM role ARN ESO assumes (`sts:AssumeRole`) before reading.
   * @default none
   */
  role?: string;
}

/**
 * pulumi-kubernetes' await override (provider/pkg/metadata/overrides.go ReadyCondition,
 * introduced in v4.18.0): `condition=Ready` waits until `.status.conditions` has type Ready with
 * status True (provider/pkg/await/condition/custom.go, status defaults to True), on create and
 * on update, instead of returning as soon as the object is accepted.
 */
export const WAIT_FOR_ANNOTATION = "pulumi.com/waitFor";
export const WAIT_FOR_READY = "condition=Ready";
/**
 * How long that wait (and a deletion's) may take; without it the provider waits 10 minutes
 * (provider/pkg/await/await.go; metadata/overrides.go TimeoutDuration reads the annotation
 * when no `customTimeouts` option is set).
 */
export const TIMEOUT_ANNOTATION = "pulumi.com/timeoutSeconds";

/** Annotations that make `pulumi up` wait for the object's Ready condition, within a limit. */
export function readyAnnotations(timeoutSeconds: number): Record<string, string> {
  return { [TIMEOUT_ANNOTATION]: String(timeoutSeconds), [WAIT_FOR_ANNOTATION]: WAIT_FOR_READY };
}

export interface ExternalSecretArgs {
  /** The logical secret name. */
  secretName: string;
  /** The version id; undefined for the one unversioned secret of dev. */
  version?: string;
  /** The namespace of the ExternalSecret and of the Secret ESO creates. */
  namespace: pulumi.Input<string>;
  /** The AWS secret to extract: `<environment>/<secret>-<version>`. */
  awsName: string;
  /** The store ESO reads AWS through. */
  storeRef: StoreRef;
  /** Seconds `pulumi up` waits for Ready. */
  timeoutSeconds: number;
  /**
   * Dev only: the AWS version id (`SecretVersion.versionId`) the Secret must hold. The dev AWS
   * secret is updated in place, so each new value changes the spec, which replaces the
   * ExternalSecret (secrets/versionCopy.ts copyOptions) and ESO reads exactly that value.
   */
  awsVersionId?: pulumi.Input<string>;
}

/**
 * One version's ExternalSecret `<secret>-<version>`: ESO extracts every key of the AWS secret's
 * JSON value into the Secret `<secret>-<version>`, which it owns (deleting the ExternalSecret
 * deletes it), marks immutable, and labels like a Secret the program writes.
 *
 * Versioned: `refreshInterval: 0s` fetches once and never again (ESO v2.9.0
 * pkg/controllers/externalsecret/externalsecret_controller.go shouldRefreshPeriodic returns
 * false once synced). Dev: `refreshPolicy: OnChange` fetches when the object is created or its
 * spec changes, never on a timer; the pinned AWS version id makes every new value a spec change,
 * and the program replaces the dev ExternalSecret on any change rather than updating it, so
 * `condition=Ready` is the new object's own sync, never the previous one's.
 */
export function externalSecretManifest(args: ExternalSecretArgs) {
  const versioned = args.version !== undefined;
  const name = kubernetesSecretName(args.secretName, args.version);
  const labels = {
    [LABELS.managedBy]: MANAGED_BY,
    [LABELS.secret]: args.secretName,
    ...(args.version && { [LABELS.version]: args.version }),
  };
  return {
    apiVersion: ESO_API_VERSION,
    kind: "ExternalSecret",
    metadata: {
      name,
      namespace: args.namespace,
      labels,
      annotations: readyAnnotations(args.timeoutSeconds),
    },
    spec: {
      secretStoreRef: { kind: args.storeRef.kind, name: args.storeRef.name },
      refreshInterval: "0s",
      ...(!versioned && { refreshPolicy: "OnChange" }),
      target: {
        name,
        creationPolicy: "Owner",
        // A version's Secret goes only with its ExternalSecret, never because AWS lost the value.
        deletionPolicy: "Retain",
        immutable: versioned,
        // No data template: ESO copies the extracted keys as they are (ApplyTemplate).
        template: { type: "Opaque", metadata: { labels } },
      },
      dataFrom: [
        {
          extract: {
            key: args.awsName,
            ...(args.awsVersionId !== undefined && {
              version: versionStage(args.awsVersionId),
            }),
          },
        },
      ],
    },
  };
}

/** ESO's AWS provider reads `uuid/<id>` as a VersionId, anything else as a stage name. */
function versionStage(id: pulumi.Input<string>): pulumi.Input<string> {
  return typeof id === "string" ? `uuid/${id}` : pulumi.output(id).apply((v) => `uuid/${v}`);
}

/**
 * The ClusterSecretStore `name`: ESO's AWS Secrets Manager provider in `region`, usable only
 * from the stack's namespace (`conditions`), so no other namespace can extract its secrets.
 */
export function clusterSecretStoreManifest(
  name: string,
  store: AwsStoreProvider,
  namespace: pulumi.Input<string>,
  timeoutSeconds: number,
) {
  return {
    apiVersion: ESO_API_VERSION,
    kind: "ClusterSecretStore",
    metadata: {
      name,
      labels: { [LABELS.managedBy]: MANAGED_BY },
      annotations: readyAnnotations(timeoutSeconds),
    },
    spec: {
      conditions: [{ namespaces: [namespace] }],
      provider: {
        aws: {
          service: "SecretsManager",
          region: store.region,
          ...(store.role && { role: store.role }),
          ...(store.auth === "irsa" &&
            store.serviceAccount && {
              auth: {
                jwt: {
                  serviceAccountRef: {
                    name: store.serviceAccount.name,
                    namespace: store.serviceAccount.namespace,
                  },
                },
              },
            }),
        },
      },
    },
  };
}
