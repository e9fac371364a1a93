/**
 * `AwsSecretStore`: the ClusterSecretStore through which the External Secrets Operator reads
 * the stack's AWS secrets, for teams that let this program declare it.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { DEFAULT_READY_TIMEOUT_SECONDS } from "../secrets/versionCopy";
import { type AwsStoreProvider, clusterSecretStoreManifest } from "./manifests";

export interface AwsSecretStoreArgs {
  /** ESO's AWS Secrets Manager settings: region, `podIdentity` or `irsa`, optional role. */
  store: AwsStoreProvider;
  /** The only namespace whose ExternalSecrets may use the store (the program's: the stack's). */
  namespace: pulumi.Input<string>;
  /**
   * Seconds `pulumi up` waits for the store to be Ready (and to be deleted).
   * @default 300
   */
  timeoutSeconds?: number;
}

/**
 * A ClusterSecretStore named `name` (child `<name>-store`). `pulumi up` waits until ESO reports
 * it Ready, so a store ESO cannot use fails here, naming the store, before any ExternalSecret.
 */
export class AwsSecretStore extends pulumi.ComponentResource {
  /** The store's name, resolved once ESO reports it Ready. */
  public readonly storeName: pulumi.Output<string>;
  /** The ClusterSecretStore: what ExternalSecrets wait for. */
  public readonly resource: k8s.apiextensions.CustomResource;

  constructor(name: string, args: AwsSecretStoreArgs, opts?: pulumi.ComponentResourceOptions) {
    super("secret-rotation:delivery:AwsSecretStore", name, {}, opts);
    this.resource = new k8s.apiextensions.CustomResource(
      `${name}-store`,
      clusterSecretStoreManifest(
        name,
        args.store,
        args.namespace,
        args.timeoutSeconds ?? DEFAULT_READY_TIMEOUT_SECONDS,
      ),
      { parent: this },
    );
    this.storeName = this.resource.metadata.name;
    this.registerOutputs({ storeName: this.storeName });
  }
}
