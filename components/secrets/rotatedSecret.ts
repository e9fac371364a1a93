/**
 * `RotatedSecret`: a secret's versions, each stored in AWS Secrets Manager (`awsStore.ts`) and
 * copied where workloads read it (`versionCopy.ts`; today a Kubernetes Secret). Versioned:
 * every version is its own immutable copy, labelled with the secret name and version, so old
 * versions stay beside new ones and a rollback is a reference change.
 */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { DEFAULT_AWS_RECOVERY_WINDOW_DAYS, type GenerateSpec } from "../../config/types";
import { settled } from "../outputState";
import { storeInAws } from "./awsStore";
import { kubernetesSecretCopy } from "./kubernetesCopy";
import type { CopyVersion } from "./versionCopy";

export { kubernetesCopyOptions } from "./kubernetesCopy";

/** One version to declare: its id and its configured values (secret outputs). */
export interface SecretVersionInput {
  /** The version id, `YYYYMMDDHHMMSS`. */
  id: string;
  /** Configured values by key; wrap them in `pulumi.secret`. Generated keys are not here. */
  values: Readonly<Record<string, pulumi.Input<string>>>;
  /**
   * How this version reaches the cluster, when it differs from the secret's `copy` (a version
   * keeps the delivery it was created with). Default: the secret's `copy`.
   */
  copy?: CopyVersion;
}

export interface RotatedSecretArgs {
  /** The environment: the AWS name prefix and a tag. */
  environment: string;
  /** The Kubernetes namespace of the copies. */
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
   * Whether each version is its own immutable copy (`<name>-<version>`). False (dev): one
   * mutable copy `<name>` updated in place. Default: true.
   */
  versioned?: boolean;
  /** Days AWS keeps a deleted secret recoverable: 0 or 7 to 30. Default: 30. */
  awsRecoveryWindowDays?: number;
  /**
   * The KMS key (id, ARN or alias) that encrypts the AWS secrets. Default: the account's
   * `aws/secretsmanager` key.
   */
  awsKmsKeyId?: string;
  /** How each version reaches the cluster. Default: a Kubernetes Secret the program writes. */
  copy?: CopyVersion;
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
 * A secret's versions in both stores. `name` is the secret's name: the Kubernetes Secret
 * `<name>-<version>`, the AWS secret `<environment>/<name>-<version>` and every child
 * (`<name>-<version>-aws`, `-aws-value`, `-k8s` or `-eso`, `-<key>-generated`) are named after it.
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
  /**
   * Whether the engine applied every declared version's resources (the AWS secret, its value
   * and the cluster copy), by version id: false when, in an update, one was not created (its
   * ID is unknown); never resolves when one failed. The memory records a digest from this.
   */
  public readonly applied: Record<string, pulumi.Output<boolean>>;

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
    this.applied = {};
    const copy = args.copy ?? kubernetesSecretCopy;
    for (const version of args.versions) {
      // Stored copies are named per version only when versioned; generators always are.
      const versionRole = `${name}-${version.id}`;
      const role = versioned ? versionRole : name;
      const suffix = versioned ? version.id : undefined;
      const entries = this.entries(versionRole, version, args.generate ?? {});
      const stored = storeInAws(this, role, {
        secretName: name,
        version: suffix,
        environment: args.environment,
        entries,
        recoveryWindowDays: args.awsRecoveryWindowDays ?? DEFAULT_AWS_RECOVERY_WINDOW_DAYS,
        ...(args.awsKmsKeyId && { kmsKeyId: args.awsKmsKeyId }),
      });
      const copied = (version.copy ?? copy)(this, role, {
        secretName: name,
        version: suffix,
        namespace: args.namespace,
        entries,
        aws: stored,
      });
      this.kubernetesNames[version.id] = copied.kubernetesName;
      this.awsArns[version.id] = stored.arn;
      this.applied[version.id] = settled(
        pulumi.all([stored.arn, stored.value.id, copied.kubernetesName]).apply(() => true),
        false,
      );
    }
    this.activeKubernetesName = this.kubernetesNames[args.activeVersion];

    this.registerOutputs({
      activeVersion: this.activeVersion,
      activeKubernetesName: this.activeKubernetesName,
      kubernetesNames: this.kubernetesNames,
      awsArns: this.awsArns,
    });
  }

  /** A version's keys and values, configured and generated, sorted by key. */
  private entries(
    versionRole: string,
    version: SecretVersionInput,
    generate: Readonly<Record<string, GenerateSpec>>,
  ): pulumi.Output<Record<string, string>> {
    const values: Record<string, pulumi.Input<string>> = Object.fromEntries(
      Object.entries(version.values),
    );
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
    return pulumi
      .all(keys.map((k) => values[k]))
      .apply((resolved) => Object.fromEntries(keys.map((k, i) => [k, resolved[i]])));
  }
}
