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
import type { ConfigProblem } from "../problems";
import { PROJECT, configPathArgument } from "../project";
import type { SecretMemory } from "./memory";
import { awsSecretName } from "./names";

export interface GuardedSecret {
  name: string;
  active: string;
  canary?: { version: string };
  keep: readonly string[];
  versions: readonly { id: string; fingerprint: string }[];
}

/** How to run a pruned version's value again, since the version itself cannot come back. */
function restoreHint(environment: string, secret: string, version: string): string {
  const newVersion = configPathArgument(["secrets", secret, "versions", "<new id>", "<key>"]);
  return (
    `a pruned version is never declared again (its AWS secret ${awsSecretName(environment, secret, version)} is deleted or scheduled for deletion and its Kubernetes Secret is gone). ` +
    `To run that value again, add it as a new version: pulumi config set --secret --path '${newVersion}' <value> for each key, then make the new id active. ` +
    `To recover the AWS copy by hand within its recovery window: aws secretsmanager restore-secret --secret-id ${awsSecretName(environment, secret, version)} (it stays outside this stack)`
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
      path: `secrets.${secret.name}.${path}`,
      message: `version ${version} cannot be ${role}: it was pruned by the update of ${at}; ${restoreHint(environment, secret.name, version)}`,
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
      path: `secrets.${secret.name}.versions.${v.id}`,
      message:
        `the values of version ${v.id} differ from what the last update stored (a key's value, or the generated keys, changed); ` +
        `a version is immutable, and changing it would replace the AWS copy and the Kubernetes copy separately. ` +
        `Restore its values, and put new values in a new version: pulumi config set --secret --path '${configPathArgument(["secrets", secret.name, "versions", "<new id>", "<key>"])}' <value>, then make it active (${PROJECT} never rewrites a version)`,
    }));
}
