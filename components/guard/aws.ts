/**
 * The AWS read: the stack's secrets in Secrets Manager, pending deletion included, with the
 * region and credentials the AWS provider uses (`aws:region`, `aws:profile`, `aws:accessKey` /
 * `aws:secretKey` / `aws:token`, else the SDK's default chain: environment, shared files, SSO,
 * web identity, container and instance roles). The SDK itself honours `AWS_REGION`,
 * `AWS_ENDPOINT_URL` and `AWS_ENDPOINT_URL_SECRETS_MANAGER`, so a local fake can stand in.
 */
import {
  type ListSecretsCommandInput,
  SecretsManagerClient,
  type SecretsManagerClientConfig,
  paginateListSecrets,
} from "@aws-sdk/client-secrets-manager";
import { dict } from "../config/dict";
import type { AwsIndex, AwsSecretFacts } from "./guard";

/** The AWS provider's settings as the stack config holds them. */
export interface AwsSettings {
  region?: string;
  profile?: string;
  accessKey?: string;
  secretKey?: string;
  token?: string;
}

/** A Secrets Manager client configured like the AWS provider. */
export function secretsManagerClient(settings: AwsSettings): SecretsManagerClient {
  const config: SecretsManagerClientConfig = {
    ...(settings.region && { region: settings.region }),
    ...(settings.profile && { profile: settings.profile }),
    ...(settings.accessKey &&
      settings.secretKey && {
        credentials: {
          accessKeyId: settings.accessKey,
          secretAccessKey: settings.secretKey,
          ...(settings.token && { sessionToken: settings.token }),
        },
      }),
  };
  return new SecretsManagerClient(config);
}

const iso = (d: Date | string | number | undefined): string | undefined => {
  if (d === undefined || d === null) return undefined;
  // The CLI prints ISO text; older CLIs and raw JSON give epoch seconds.
  const date = typeof d === "number" ? new Date(d * 1000) : new Date(d);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
};

/** One listed entry, as the SDK or `aws secretsmanager list-secrets` gives it. */
export interface ListedSecret {
  Name?: string;
  DeletedDate?: Date | string | number;
  LastAccessedDate?: Date | string | number;
}

/** The facts of the entries among `names` (everything else is someone else's). */
export function awsIndex(entries: Iterable<ListedSecret>, names: ReadonlySet<string>): AwsIndex {
  const index = dict<AwsSecretFacts>();
  for (const entry of entries) {
    if (!entry.Name || !names.has(entry.Name)) continue;
    const deletedDate = iso(entry.DeletedDate);
    const lastAccessedDate = iso(entry.LastAccessedDate);
    index[entry.Name] = {
      ...(deletedDate && { deletedDate }),
      ...(lastAccessedDate && { lastAccessedDate }),
    };
  }
  return index;
}

/**
 * Lists the secrets whose names start with `prefix` (`production/`), pending deletion
 * included, and keeps those among `names`. Throws the SDK's error.
 */
export async function listStackSecrets(
  client: SecretsManagerClient,
  prefix: string,
  names: ReadonlySet<string>,
): Promise<AwsIndex> {
  const input: ListSecretsCommandInput = {
    IncludePlannedDeletion: true,
    // A `name` filter matches names that begin with the value.
    Filters: [{ Key: "name", Values: [prefix] }],
    MaxResults: 100,
  };
  const entries: ListedSecret[] = [];
  for await (const page of paginateListSecrets({ client, pageSize: 100 }, input)) {
    for (const s of page.SecretList ?? []) {
      if (s.Name && names.has(s.Name)) entries.push(s);
    }
  }
  return awsIndex(entries, names);
}
