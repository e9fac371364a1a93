import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { GenerateSpec } from "../config/types";
import { LABELS, MANAGED_BY, awsSecretName, kubernetesSecretName } from "../lifecycle/names";

/** One version to declare: its id and its configured values (secret outputs). */
export interface SecretVersionInput {
  /** The version id, `YYYYMMDDHHMMSS`. */
  id: string;
  /** Configured values by key; wrap them in `pulumi.secret`. Generated keys are not here. */
  values: Record<string, pulumi.Input<string>>;
}

export interface RotatedSecretArgs {
  /**
   * The logical secret name (a DNS-1123 subdomain of at most 63 characters). Names the
   * Kubernetes Secret `<secretName>-<version>` and the AWS secret
   * `<environment>/<secretName>-<version>`.
   */
  secretName: string;
  /** The environment: the AWS name prefix and a tag. */
  environment: string;
  /** The Kubernetes namespace of the Secrets. */
  namespace: string;
  /**
   * The versions to declare. Versions left out are not declared, so `pulumi up` deletes them:
   * pass every version that is not expired. In unversioned mode, exactly one.
   */
  versions: readonly SecretVersionInput[];
  /** The version workloads reference; must be one of `versions`. */
  activeVersion: string;
  /**
   * Keys whose value is generated, once per version, by `@pulumi/random`, and never
   * regenerated. Default: none.
   */
  generate?: Readonly<Record<string, GenerateSpec>>;
  /**
   * Whether each version is its own immutable Secret (`<name>-<version>`). False (dev): one
   * mutable Secret `<name>` updated in place. Default: true.
   */
  versioned?: boolean;
  /** Days AWS keeps a deleted secret recoverable: 0 or 7 to 30. Default: 30. */
  awsRecoveryWindowDays?: number;
  /**
   * The KMS key (id, ARN or alias) that encrypts the AWS secrets. Default: the account's
   * `aws/secretsmanager` key.
   */
  awsKmsKeyId?: string;
}

/** The resource inputs a generator may not change once created: a value is generated once. */
const GENERATOR_INPUTS = [
  "keepers",
  "length",
  "lower",
  "minLower",
  "minNumeric",
  "minSpecial",
  "minUpper",
  "numeric",
  "overrideSpecial",
  "special",
  "upper",
];

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
 * A secret's versions, each stored in AWS Secrets Manager (a Secret and its SecretVersion, the
 * values as a JSON object) and as a Kubernetes Secret. Versioned: every version is its own
 * immutable Secret, labelled with the secret name and version, so old versions stay beside
 * new ones and a rollback is a reference change.
 */
export class RotatedSecret extends pulumi.ComponentResource {
  /** The version workloads reference. */
  public readonly activeVersion: string;
  /** The Kubernetes Secret name of the active version, resolved once that Secret exists. */
  public readonly activeKubernetesName: pulumi.Output<string>;
  /** The Kubernetes Secret name of every declared version, by version id. */
  public readonly kubernetesNames: Record<string, pulumi.Output<string>>;
  /** The AWS secret ARN of every declared version, by version id. */
  public readonly awsArns: Record<string, pulumi.Output<string>>;

  constructor(name: string, args: RotatedSecretArgs, opts?: pulumi.ComponentResourceOptions) {
    // Checked before registering anything: a bad argument declares nothing.
    const versioned = args.versioned ?? true;
    if (!args.versions.some((v) => v.id === args.activeVersion)) {
      throw new Error(
        `RotatedSecret ${name}: activeVersion ${args.activeVersion} is not in versions`,
      );
    }
    if (!versioned && args.versions.length !== 1) {
      throw new Error(`RotatedSecret ${name}: an unversioned secret takes exactly one version`);
    }
    super("secret-rotation:secrets:RotatedSecret", name, {}, opts);

    this.activeVersion = args.activeVersion;
    this.kubernetesNames = {};
    this.awsArns = {};
    for (const version of args.versions) {
      const stored = this.declareVersion(name, version, args, versioned);
      this.kubernetesNames[version.id] = stored.kubernetesName;
      this.awsArns[version.id] = stored.awsArn;
    }
    this.activeKubernetesName = this.kubernetesNames[args.activeVersion];

    this.registerOutputs({
      activeVersion: this.activeVersion,
      activeKubernetesName: this.activeKubernetesName,
      kubernetesNames: this.kubernetesNames,
      awsArns: this.awsArns,
    });
  }

  private declareVersion(
    name: string,
    version: SecretVersionInput,
    args: RotatedSecretArgs,
    versioned: boolean,
  ): { kubernetesName: pulumi.Output<string>; awsArn: pulumi.Output<string> } {
    const suffix = versioned ? version.id : undefined;
    // Stored copies are named per version only when versioned; generators always are.
    const versionRole = `${name}-${version.id}`;
    const role = versioned ? versionRole : name;
    const values: Record<string, pulumi.Input<string>> = Object.fromEntries(
      Object.entries(version.values),
    );
    const generate = args.generate ?? {};
    for (const key of Object.keys(generate).sort()) {
      // In dev the generator is still per version: a rotation there regenerates the value.
      const generator = new random.RandomPassword(
        `${versionRole}-${key}-generated`,
        { length: generate[key].length, special: generate[key].special },
        { parent: this, ignoreChanges: GENERATOR_INPUTS },
      );
      values[key] = generator.result;
    }
    // Sorted keys: the stored JSON and data are byte-for-byte stable across runs. Pairs, not
    // `pulumi.all` over an object, which rebuilds it with plain assignment.
    const keys = Object.keys(values).sort();
    const entries = pulumi
      .all(keys.map((k) => values[k]))
      .apply((resolved) => Object.fromEntries(keys.map((k, i) => [k, resolved[i]])));

    const awsSecret = new aws.secretsmanager.Secret(
      `${role}-aws`,
      {
        name: awsSecretName(args.environment, args.secretName, suffix),
        description: versioned
          ? `Version ${version.id} of ${args.secretName} (${args.environment}), managed by ${MANAGED_BY}`
          : `${args.secretName} (${args.environment}, unversioned), managed by ${MANAGED_BY}`,
        recoveryWindowInDays: args.awsRecoveryWindowDays ?? 30,
        ...(args.awsKmsKeyId && { kmsKeyId: args.awsKmsKeyId }),
        tags: {
          environment: args.environment,
          "managed-by": MANAGED_BY,
          secret: args.secretName,
          ...(suffix && { version: suffix }),
        },
      },
      { parent: this },
    );
    const awsValue = new aws.secretsmanager.SecretVersion(
      `${role}-aws-value`,
      {
        secretId: awsSecret.id,
        secretString: pulumi.secret(entries.apply((e) => JSON.stringify(e))),
      },
      { parent: this },
    );

    const kubeSecret = new k8s.core.v1.Secret(
      `${role}-k8s`,
      {
        metadata: {
          name: kubernetesSecretName(args.secretName, suffix),
          namespace: args.namespace,
          labels: {
            [LABELS.managedBy]: MANAGED_BY,
            [LABELS.secret]: args.secretName,
            ...(suffix && { [LABELS.version]: suffix }),
          },
        },
        type: "Opaque",
        // A version never changes; Kubernetes enforces it (and skips watching the Secret).
        immutable: versioned,
        data: pulumi.secret(
          entries.apply((e) =>
            Object.fromEntries(
              Object.entries(e).map(([k, v]) => [k, Buffer.from(v, "utf8").toString("base64")]),
            ),
          ),
        ),
      },
      {
        parent: this,
        // AWS first: it is the store of record; a workload then waits on the Kubernetes copy.
        dependsOn: [awsValue],
        ...kubernetesCopyOptions(versioned),
      },
    );
    return { kubernetesName: kubeSecret.metadata.name, awsArn: awsSecret.arn };
  }
}
