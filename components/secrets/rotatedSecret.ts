/**
 * `RotatedSecret`: a secret's versions, each stored in AWS Secrets Manager (`awsStore.ts`) and
 * copied where workloads read it (`versionCopy.ts`: a Kubernetes Secret, or an ExternalSecret).
 * Versioned: every version is its own immutable copy, labelled with the secret name and
 * version, so old versions stay beside new ones and a rollback is a reference change.
 */
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { externalSecretCopy } from "../delivery/externalSecretCopy";
import { settled } from "../outputState";
import type { SecretLink } from "../workloads/secretBinding";
import { storeInAws } from "./awsStore";
import { kubernetesSecretCopy } from "./kubernetesCopy";
import type { CopyVersion, SecretDelivery } from "./versionCopy";

export { kubernetesCopyOptions } from "./kubernetesCopy";

/** Days AWS keeps a deleted secret recoverable, unless `awsRecoveryWindowDays` says otherwise. */
export const DEFAULT_AWS_RECOVERY_WINDOW_DAYS = 30;
/** Characters of a generated value, unless its `length` says otherwise. */
export const DEFAULT_GENERATE_LENGTH = 32;

/** A key whose value `@pulumi/random` generates once per version. */
export interface GeneratedKey {
  /**
   * Characters in the generated value (16–4096 in the program's config).
   * @default 32
   */
  length?: number;
  /**
   * Whether punctuation may appear (false keeps values safe in env vars and URLs).
   * @default false
   */
  special?: boolean;
}

/** One version to declare: its id and its configured values (secret outputs). */
export interface SecretVersionInput {
  /** The version id, `YYYYMMDDHHMMSS`. */
  id: string;
  /** Configured values by key; wrap them in `pulumi.secret`. Generated keys are not here. */
  values: Readonly<Record<string, pulumi.Input<string>>>;
  /**
   * How this version reaches the cluster, when it differs from the secret's `delivery` (a
   * version keeps the delivery it was created with).
   * @default the secret's `delivery`
   */
  delivery?: SecretDelivery;
}

export interface RotatedSecretArgs {
  /** The environment: the AWS name prefix (`<environment>/<name>-<version>`) and a tag. */
  environment: string;
  /** The Kubernetes namespace of the copies (a namespace resource's name output will do). */
  namespace: pulumi.Input<string>;
  /**
   * The versions to declare. Versions left out are not declared, so `pulumi up` deletes them:
   * pass every version that is not expired. In unversioned mode, exactly one.
   */
  versions: readonly SecretVersionInput[];
  /** The version workloads reference; must be one of `versions`. */
  activeVersion: string;
  /**
   * Keys whose value is generated, once per version, by `@pulumi/random`, and never
   * regenerated.
   * @default none
   */
  generate?: Readonly<Record<string, GeneratedKey>>;
  /**
   * Whether each version is its own immutable copy (`<name>-<version>`). False (dev): one
   * mutable copy `<name>` updated in place.
   * @default true
   */
  versioned?: boolean;
  /**
   * Days AWS keeps a deleted secret recoverable: 0 or 7 to 30.
   * @default 30
   */
  awsRecoveryWindowDays?: number;
  /**
   * Days a superseded version is kept before it is pruned, written as the `retention-days` tag
   * of every AWS secret, so a policy (`policy/`, `production-retention`) can see it. The
   * component prunes nothing itself: the caller decides which versions to pass.
   * @default no tag
   */
  retentionDays?: number;
  /**
   * The stack versions are promoted from (a production stack's source, `org/project/stack`),
   * written as the `promoted-from` tag of every AWS secret, so a policy (`policy/`,
   * `production-promotion`) can see it: a policy sees managed resources only, never a
   * StackReference (docs/policy.md). The component checks no promotion itself.
   * @default no tag
   */
  promotedFrom?: string;
  /**
   * The KMS key (id, ARN or alias) that encrypts the AWS secrets; a key resource's output will
   * do (it decides no resource's existence, only an input). An output that resolves to "" means
   * the default key too: the provider sends `kms_key_id` only when set (terraform-provider-aws
   * internal/service/secretsmanager/secret.go resourceSecretCreate, `d.GetOk`).
   * @default the account's `aws/secretsmanager` key
   */
  awsKmsKeyId?: pulumi.Input<string>;
  /**
   * How each version reaches the cluster: `{ kind: "direct" }` (a Kubernetes Secret this
   * program writes) or `{ kind: "externalSecrets", storeRef, ... }` (an ExternalSecret).
   * @default { kind: "direct" }
   */
  delivery?: SecretDelivery;
}

/** A delivery's copy: the plain configuration turned into the function that declares it. */
function copierOf(delivery: SecretDelivery): CopyVersion {
  return delivery.kind === "direct" ? kubernetesSecretCopy : externalSecretCopy(delivery);
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
  /** The logical secret name (the component's name). */
  public readonly secretName: string;
  /**
   * The active version's key names, configured and generated, sorted: names only, never a
   * value. Every version of a secret has the same keys (the program's config refuses others).
   */
  public readonly keys: string[];
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
    const generate = args.generate ?? {};
    if (!args.versions.some((v) => v.id === args.activeVersion)) {
      throw new Error(
        `RotatedSecret ${name}: activeVersion ${args.activeVersion} is not in versions`,
      );
    }
    if (!versioned && args.versions.length !== 1) {
      throw new Error(`RotatedSecret ${name}: an unversioned secret takes exactly one version`);
    }
    super("secret-rotation:secrets:RotatedSecret", name, {}, opts);

    this.secretName = name;
    this.activeVersion = args.activeVersion;
    const active = args.versions.find((v) => v.id === args.activeVersion)!;
    this.keys = [...new Set([...Object.keys(active.values), ...Object.keys(generate)])].sort();
    this.kubernetesNames = {};
    this.awsArns = {};
    this.applied = {};
    const delivery = args.delivery ?? { kind: "direct" };
    for (const version of args.versions) {
      // Stored copies are named per version only when versioned; generators always are.
      const versionRole = `${name}-${version.id}`;
      const role = versioned ? versionRole : name;
      const suffix = versioned ? version.id : undefined;
      const entries = this.entries(versionRole, version, generate);
      const stored = storeInAws(this, role, {
        secretName: name,
        version: suffix,
        environment: args.environment,
        entries,
        recoveryWindowDays: args.awsRecoveryWindowDays ?? DEFAULT_AWS_RECOVERY_WINDOW_DAYS,
        ...(args.retentionDays !== undefined && { retentionDays: args.retentionDays }),
        ...(args.promotedFrom !== undefined && { promotedFrom: args.promotedFrom }),
        ...(args.awsKmsKeyId && { kmsKeyId: args.awsKmsKeyId }),
      });
      const copied = copierOf(version.delivery ?? delivery)(this, role, {
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

  /**
   * The Kubernetes Secret name of `version` (default: the active version), resolved once that
   * Secret exists. Throws for a version this component does not declare.
   */
  public kubernetesName(version: string = this.activeVersion): pulumi.Output<string> {
    const name = Object.hasOwn(this.kubernetesNames, version)
      ? this.kubernetesNames[version]
      : undefined;
    if (!name) {
      const declared = Object.keys(this.kubernetesNames).join(", ");
      throw new Error(
        `RotatedSecret ${this.secretName}: version ${version} is not declared (declared: ${declared})`,
      );
    }
    return name;
  }

  /** A `Workload`'s link to `version` (default: the active version). */
  public link(version: string = this.activeVersion): SecretLink {
    return { secret: this.secretName, version, kubernetesName: this.kubernetesName(version) };
  }

  /** A container's `envFrom` entry reading every key of `version` (default: the active one). */
  public envFrom(version: string = this.activeVersion): k8s.types.input.core.v1.EnvFromSource {
    return { secretRef: { name: this.kubernetesName(version) } };
  }

  /**
   * An env var's `valueFrom.secretKeyRef` reading `key` of `version` (default: the active one).
   * Throws for a key the secret does not have.
   */
  public secretKeyRef(
    key: string,
    version: string = this.activeVersion,
  ): k8s.types.input.core.v1.SecretKeySelector {
    if (!this.keys.includes(key)) {
      throw new Error(
        `RotatedSecret ${this.secretName}: no key ${key} (keys: ${this.keys.join(", ")})`,
      );
    }
    return { name: this.kubernetesName(version), key };
  }

  /** A version's keys and values, configured and generated, sorted by key. */
  private entries(
    versionRole: string,
    version: SecretVersionInput,
    generate: Readonly<Record<string, GeneratedKey>>,
  ): pulumi.Output<Record<string, string>> {
    const values: Record<string, pulumi.Input<string>> = Object.fromEntries(
      Object.entries(version.values),
    );
    for (const key of Object.keys(generate).sort()) {
      // In dev the generator is still per version: a rotation there regenerates the value.
      const generator = new random.RandomPassword(
        `${versionRole}-${key}-generated`,
        {
          length: generate[key].length ?? DEFAULT_GENERATE_LENGTH,
          special: generate[key].special ?? false,
        },
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
