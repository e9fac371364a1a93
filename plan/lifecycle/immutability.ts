/**
 * What a version's memory forbids, checked after the preflight read and before the first
 * resource is declared, so a refused update changes nothing. Pure.
 *
 * - A pruned version never comes back: its AWS secret is deleted or scheduled for deletion
 *   (AWS refuses the name until the recovery window ends), its Kubernetes Secret is gone, and
 *   its generated values would be generated anew under the old id.
 * - A version's value never changes: `secret_string` is ForceNew (terraform-provider-aws
 *   internal/service/secretsmanager/secret_version.go), so the AWS copy would be replaced with
 *   the new value while the immutable Kubernetes Secret is replaced separately, and the stores
 *   would disagree for as long as anything failed in between.
 */
import { type ConfigProblem, join } from "../../core/problems";
import { PROJECT, configPathArgument } from "../../core/project";
import type { SecretMemory } from "./memory";
import { type Fingerprints, readFingerprints, readSecrets } from "./stored";
import { awsSecretName, kubernetesSecretName } from "../../core/names";

export interface GuardedSecret {
  name: string;
  active: string;
  canary?: { version: string };
  keep: readonly string[];
  versions: readonly { id: string; fingerprint: string }[];
  /** Every key a version holds, set and generated. */
  keys: readonly string[];
  /** The generated keys (by name): config cannot set their values. */
  generate: Readonly<Record<string, unknown>>;
}

/**
 * How to run a pruned version's value again, since the version itself cannot come back. A set
 * key's value can be set again under a new id; a generated key's cannot (config refuses a value
 * for a key under `generate`), so a new version gets new generated values.
 */
function restoreHint(
  environment: string,
  secret: Pick<GuardedSecret, "name" | "keys" | "generate">,
  version: string,
): string {
  const generated = secret.keys.filter((k) => Object.hasOwn(secret.generate, k));
  const set = secret.keys.filter((k) => !generated.includes(k));
  const newVersion = configPathArgument(["secrets", secret.name, "versions", "<new id>", "<key>"]);
  const versionsPath = configPathArgument(["secrets", secret.name, "versions"]);
  const rerun =
    generated.length === 0
      ? `To run that value again, add it as a new version: pulumi config set --secret --path '${newVersion}' <value> for each key, then make the new id active. `
      : set.length === 0
        ? `Its keys (${generated.join(", ")}) are all generated, and a generated value cannot be set, so that value cannot run again: create a new version instead (add "<new id>": {} under ${versionsPath} in the stack file: it gets new generated values), then make the new id active. `
        : `To run its set values again, add them as a new version: pulumi config set --secret --path '${newVersion}' <value> for each of ${set.join(", ")}, then make the new id active; its generated keys (${generated.join(", ")}) cannot be set, so the new version gets new values for them. `;
  return (
    `a pruned version is never declared again (its AWS secret ${awsSecretName(environment, secret.name, version)} is deleted or scheduled for deletion and its Kubernetes Secret is gone). ` +
    rerun +
    `To recover the AWS copy by hand within its recovery window: aws secretsmanager restore-secret --secret-id ${awsSecretName(environment, secret.name, version)} (it stays outside this stack)`
  );
}

/** Config that would declare a version an earlier update pruned: active, canary or keep. */
export function revivalProblems(
  secret: GuardedSecret,
  memory: SecretMemory | undefined,
  environment: string,
): ConfigProblem[] {
  if (!memory) return [];
  const prunedAt = (v: string) => memory.versions[v]?.prunedAt;
  const problems: ConfigProblem[] = [];
  const refuse = (path: string, version: string, role: string) => {
    const at = prunedAt(version);
    if (at === undefined) return;
    problems.push({
      path: `${join("secrets", secret.name)}.${path}`,
      message: `version ${version} cannot be ${role}: it was pruned by the update of ${at}; ${restoreHint(environment, secret, version)}`,
    });
  };
  refuse("active", secret.active, "active");
  if (secret.canary) refuse("canary.version", secret.canary.version, "a canary");
  secret.keep.forEach((v, i) => refuse(`keep[${i}]`, v, "pinned (keep)"));
  return problems;
}

/** Versions whose values differ from what the previous update stored under the same id. */
export function valueEditProblems(
  secret: GuardedSecret,
  previous: Readonly<Record<string, string>> | undefined,
): ConfigProblem[] {
  if (!previous) return [];
  return secret.versions
    .filter((v) => previous[v.id] !== undefined && previous[v.id] !== v.fingerprint)
    .map((v) => ({
      path: join(join(join("secrets", secret.name), "versions"), v.id),
      message:
        `the values of version ${v.id} differ from what the last update stored (a key's value, or the generated keys, changed); ` +
        `a version is immutable, and changing it would replace the AWS copy and the Kubernetes copy separately. ` +
        `Restore its values, and put new values in a new version: pulumi config set --secret --path '${configPathArgument(["secrets", secret.name, "versions", "<new id>", "<key>"])}' <value>, then make it active (${PROJECT} never rewrites a version)`,
    }));
}

/** What the previous `versionFingerprints` output gives the value-edit check. */
export interface RememberedFingerprints {
  /** Digests to compare with, by secret and version; empty when there is nothing to compare. */
  fingerprints: Fingerprints;
  /**
   * Listed versions (`<secret> <version>`) whose digests must be there but are not: the
   * output came back as `{}` because it could not be decrypted. Empty otherwise.
   */
  undecrypted: string[];
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * The versions a previous `secrets` output reports as declared under their own versioned
 * names, by secret: exactly those whose digests that update exported in `versionFingerprints`
 * (a dev update declares its one version under the unversioned name and exports no digests).
 */
function versionedDeclared(secretsOutput: unknown): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const [secret, read] of readSecrets(secretsOutput) ?? []) {
    const declared = new Set<string>();
    for (const v of read.versions) {
      const live = v.state !== undefined && v.state !== "expired" && v.state !== "pruned";
      if (live && v.kubernetesName === kubernetesSecretName(secret, v.version)) {
        declared.add(v.version);
      }
    }
    out.set(secret, declared);
  }
  return out;
}

/**
 * Reads the digests the previous update exported, telling "could not be decrypted" from
 * "nothing to compare". Pure.
 *
 * The program reads them through a StackReference to its own stack. The engine decrypts the
 * stack's outputs with an error-catching secrets manager that turns a ciphertext it cannot
 * decrypt into the plaintext `{}` and logs only "eliding undecryptable secrets for stack
 * reference" (pulumi v3.248.0 pkg/resource/deploy/builtins.go readStackReference,
 * pkg/backend/secrets.go errorCatchingSecretsManager DecryptValue/BatchDecrypt), and the SDK
 * hands that `{}` over as the output's `secretValue` (sdk/nodejs/stackReference.ts
 * getOutputDetails). `versionFingerprints` is one secret output, so it arrives whole or as `{}`.
 *
 * A versioned update exports one entry per secret, with the digest of every version it
 * declared, so `{}` beside a previous `secrets` output that reports a version declared under
 * its versioned name, and still listed in the config, can only be an elided secret. Everything
 * else is not: no output at all (a stack's first update, a release before digests, the offline
 * plan), `{}` after a dev update (unversioned names, no digests), `{}` beside versions that were
 * all expired or pruned or are no longer listed (nothing to compare).
 */
export function rememberedFingerprints(
  previous: Readonly<Record<string, unknown>> | undefined,
  listed: readonly { name: string; versions: readonly { id: string }[] }[],
): RememberedFingerprints {
  const value = previous?.versionFingerprints;
  const fingerprints = readFingerprints(value);
  if (!isRecord(value) || Object.keys(value).length > 0) return { fingerprints, undecrypted: [] };
  const declared = versionedDeclared(previous?.secrets);
  const undecrypted = listed.flatMap((secret) =>
    secret.versions
      .filter((v) => declared.get(secret.name)?.has(v.id))
      .map((v) => `${secret.name} ${v.id}`),
  );
  return { fingerprints, undecrypted };
}

/** How many versions a problem names before it says "and N more". */
const VERSIONS_NAMED = 5;

/**
 * The refusal when the digests could not be decrypted: the value-edit check cannot run, and
 * running without it would let an edited version replace its AWS and Kubernetes copies
 * separately. Raised with the other memory problems, before anything is declared.
 */
export function undecryptedFingerprintsProblem(versions: readonly string[]): ConfigProblem {
  const named =
    versions.length <= VERSIONS_NAMED
      ? versions.join(", ")
      : `${versions.slice(0, VERSIONS_NAMED).join(", ")} and ${versions.length - VERSIONS_NAMED} more`;
  return {
    path: "secrets",
    message:
      `cannot check that ${named} still hold${versions.length === 1 ? "s" : ""} the values the last update stored: ` +
      `this stack's previous output versionFingerprints (a secret) came back from its StackReference as {}, which is how the engine returns a secret output it cannot decrypt, so ${PROJECT} refuses rather than skip the check. ` +
      `Let this run decrypt the stack's state with its secrets provider, then run again: with the passphrase provider set PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE; ` +
      `with awskms, azurekeyvault, gcpkms or hashivault use credentials allowed to decrypt with the stack's key; with Pulumi Cloud check the access token and its permissions on the stack. ` +
      `With --debug the engine prints its decryption error ("stack reference ... decryption error")`,
  };
}
