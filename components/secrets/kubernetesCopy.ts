/** The direct copy: the program writes each version as a Kubernetes Secret. */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { LABELS, MANAGED_BY, kubernetesSecretName } from "../../core/names";
import { type CopyVersion, copyOptions, copyResourceName } from "./versionCopy";

/**
 * The replacement option of a version's Kubernetes Secret. pulumi-kubernetes replaces a Secret
 * whose data changes (provider/pkg/provider/diff.go forceNewProperties) and itself asks for
 * delete-before-replace when the name stays the same (provider/pkg/provider/provider.go Diff).
 * An explicit `deleteBeforeReplace: false` would override that request (pulumi
 * pkg/resource/deploy/step_generator.go; the Node.js SDK sends the option whenever it is not
 * undefined, sdk/nodejs/runtime/resource.ts), and the replacement would then fail with
 * "already exists". So a versioned Secret leaves the option unset (its value never changes:
 * the program refuses an edited version), and the dev Secret, updated in place under one
 * name, asks for it explicitly.
 */
export function kubernetesCopyOptions(versioned: boolean): { deleteBeforeReplace?: true } {
  return versioned ? {} : { deleteBeforeReplace: true };
}

/**
 * `<role>-k8s`: an Opaque Secret `<secret>-<version>` (dev: `<secret>`), labelled with the
 * secret and version, immutable when versioned (Kubernetes enforces it and skips watching it).
 * In dev it takes the place of an ExternalSecret of the same name (`copyOptions`).
 */
export const kubernetesSecretCopy: CopyVersion = (parent, role, args) => {
  const versioned = args.version !== undefined;
  const secret = new k8s.core.v1.Secret(
    copyResourceName("direct", role),
    {
      metadata: {
        name: kubernetesSecretName(args.secretName, args.version),
        namespace: args.namespace,
        labels: {
          [LABELS.managedBy]: MANAGED_BY,
          [LABELS.secret]: args.secretName,
          ...(args.version && { [LABELS.version]: args.version }),
        },
      },
      type: "Opaque",
      immutable: versioned,
      data: pulumi.secret(
        args.entries.apply((e) =>
          Object.fromEntries(
            Object.entries(e).map(([k, v]) => [k, Buffer.from(v, "utf8").toString("base64")]),
          ),
        ),
      ),
    },
    {
      parent,
      // AWS first: it is the store of record; a workload then waits on the Kubernetes copy.
      dependsOn: [args.aws.value],
      ...kubernetesCopyOptions(versioned),
      ...copyOptions("direct", role, versioned),
    },
  );
  return { kubernetesName: secret.metadata.name };
};
