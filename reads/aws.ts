/**
 * The AWS read: the stack's secrets in Secrets Manager, pending deletion included, from the
 * account, region and endpoint the AWS provider uses. `awsSettings.ts` and `awsRead.ts`
 * resolve the provider's settings; here they become an AWS SDK v3 client with every value
 * explicit (region, endpoint, credentials), so the SDK's own resolution, which differs from
 * the provider's (aws-sdk-go-base), never decides where the guard reads.
 */
import * as fs from "fs";
import * as https from "https";
import * as os from "os";
import {
  type ListSecretsCommandInput,
  SecretsManagerClient,
  type SecretsManagerClientConfig,
  paginateListSecrets,
} from "@aws-sdk/client-secrets-manager";
import {
  fromNodeProviderChain,
  fromTemporaryCredentials,
  fromTokenFile,
  fromWebToken,
} from "@aws-sdk/credential-providers";
import { loadSharedConfigFiles } from "@smithy/core/config";
import { dict } from "../core/dict";
import { type AwsRead, expandFilePath, resolveAwsRead, sharedFilePaths } from "./awsRead";
import type { AssumeRole } from "./awsRoles";
import type { AwsSettings } from "./awsSettings";
import type { AwsIndex, AwsSecretFacts } from "../plan/guard/guard";

export type { AwsSettings } from "./awsSettings";

/**
 * aws-sdk-go-v2 credentials/stscreds DefaultDuration: the session an assumed role gets when
 * its `duration` is not set (only AssumeRole; web identity leaves it to STS).
 */
export const DEFAULT_ASSUME_ROLE_SECONDS = 900;

/** What the client signs with: credentials, or a provider of them. */
type Credentials = NonNullable<SecretsManagerClientConfig["credentials"]>;
/** Resolved credentials. */
type Identity = Exclude<Credentials, (...args: never[]) => unknown>;

/** The STS AssumeRole input of one `aws:assumeRoles` element. */
export function assumeRoleParams(role: AssumeRole) {
  return {
    RoleArn: role.roleArn,
    ...(role.sessionName && { RoleSessionName: role.sessionName }),
    ...(role.externalId && { ExternalId: role.externalId }),
    DurationSeconds: role.durationSeconds ?? DEFAULT_ASSUME_ROLE_SECONDS,
    ...(role.policy && { Policy: role.policy }),
    ...(role.policyArns && { PolicyArns: role.policyArns.map((arn) => ({ arn })) }),
    ...(role.tags && {
      Tags: Object.entries(role.tags).map(([Key, Value]) => ({ Key, Value })),
    }),
    ...(role.transitiveTagKeys && { TransitiveTagKeys: role.transitiveTagKeys }),
    ...(role.sourceIdentity && { SourceIdentity: role.sourceIdentity }),
  };
}

/**
 * The credentials the provider would sign with (aws-sdk-go-base aws_config.go GetAwsConfig,
 * credentials.go getCredentialsProvider): static keys from config; else a web identity role;
 * else the environment's keys unless a profile is named; else the profile chain over the
 * chosen shared files. Then each `aws:assumeRoles` role in order, each assumed with the
 * credentials of the one before (assumeRoleCredentialsProvider), through the `sts` endpoint
 * and `stsRegion` (clients.go stsClient).
 */
function credentialsFor(
  settings: AwsSettings,
  read: AwsRead,
  files: { filepath: string; configFilepath: string },
  stsClientConfig: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
  home: string,
): Credentials {
  // Role assumptions a shared-config profile asks for (role_arn, web_identity_token_file) go
  // through the same STS endpoint and region as the provider's (aws-sdk-go-base endpoints.go
  // credentialsEndpointResolver).
  const roleAssumer = (source: Identity, params: { RoleArn: string }) =>
    fromTemporaryCredentials({
      params,
      masterCredentials: source,
      clientConfig: stsClientConfig,
    })();
  const roleAssumerWithWebIdentity = (params: {
    RoleArn: string;
    RoleSessionName: string;
    WebIdentityToken: string;
  }) =>
    fromWebToken({
      roleArn: params.RoleArn,
      roleSessionName: params.RoleSessionName,
      webIdentityToken: params.WebIdentityToken,
      clientConfig: stsClientConfig,
    })();

  let credentials: Credentials;
  const web = settings.assumeRoleWithWebIdentity;
  if (settings.accessKey && settings.secretKey) {
    credentials = {
      accessKeyId: settings.accessKey,
      secretAccessKey: settings.secretKey,
      ...(settings.token && { sessionToken: settings.token }),
    };
  } else if (web) {
    credentials = fromWebToken({
      roleArn: web.roleArn,
      webIdentityToken:
        web.webIdentityToken ??
        fs.readFileSync(expandFilePath(web.webIdentityTokenFile!, env, home), "utf8").trim(),
      ...(web.sessionName && { roleSessionName: web.sessionName }),
      ...(web.durationSeconds && { durationSeconds: web.durationSeconds }),
      ...(web.policy && { policy: web.policy }),
      ...(web.policyArns && { policyArns: web.policyArns.map((arn) => ({ arn })) }),
      clientConfig: stsClientConfig,
    });
  } else if (read.environmentKeys) {
    credentials = read.environmentKeys;
  } else if (read.webIdentity) {
    // Read when the credentials are first asked for, inside the guard's time limit.
    credentials = fromTokenFile({
      roleArn: read.webIdentity.roleArn,
      webIdentityTokenFile: read.webIdentity.tokenFile,
      ...(read.webIdentity.sessionName && { roleSessionName: read.webIdentity.sessionName }),
      clientConfig: stsClientConfig,
    });
  } else {
    credentials = fromNodeProviderChain({
      ...(read.profile && { profile: read.profile }),
      filepath: files.filepath,
      configFilepath: files.configFilepath,
      ignoreCache: true,
      roleAssumer,
      roleAssumerWithWebIdentity,
    });
  }
  for (const role of settings.assumeRoles ?? []) {
    credentials = fromTemporaryCredentials({
      params: assumeRoleParams(role),
      masterCredentials: credentials,
      clientConfig: stsClientConfig,
    });
  }
  return credentials;
}

/**
 * A Secrets Manager client that reads where the AWS provider writes, or why there is none.
 * `env` and `home` are the process's unless a test gives its own.
 */
export async function secretsManagerClient(
  settings: AwsSettings,
  env: NodeJS.ProcessEnv = process.env,
  home: string = os.homedir(),
): Promise<{ client: SecretsManagerClient; read: AwsRead } | { unavailable: string }> {
  const files = sharedFilePaths(settings, env, home);
  const parsed = await loadSharedConfigFiles({ ...files, ignoreCache: true });
  const read = resolveAwsRead(settings, parsed, env, home);
  if ("unavailable" in read) return read;

  let requestHandler: { httpsAgent: https.Agent } | undefined;
  if (read.caBundle || settings.insecure) {
    let ca: Buffer | undefined;
    if (read.caBundle) {
      try {
        ca = fs.readFileSync(read.caBundle);
      } catch (err) {
        return {
          unavailable: `the CA bundle ${read.caBundle} cannot be read: ${(err as Error).message}`,
        };
      }
    }
    requestHandler = {
      httpsAgent: new https.Agent({
        ...(ca && { ca }),
        ...(settings.insecure && { rejectUnauthorized: false }),
      }),
    };
  }
  // The SDK's own configured-endpoint lookup (environment and the default shared file, without
  // the client's profile) is off: every endpoint was resolved above, as the provider does.
  const endpointOptions = (endpoint: string | undefined) =>
    endpoint
      ? { endpoint }
      : { useFipsEndpoint: read.useFipsEndpoint, useDualstackEndpoint: read.useDualstackEndpoint };
  const stsClientConfig = {
    region: read.sts.region,
    ...endpointOptions(read.sts.endpoint),
    ignoreConfiguredEndpointUrls: true,
    ...(requestHandler && { requestHandler }),
  };

  let credentials: Credentials;
  try {
    credentials = credentialsFor(settings, read, files, stsClientConfig, env, home);
  } catch (err) {
    return { unavailable: `AWS credentials: ${(err as Error).message.split("\n")[0]}` };
  }
  const config: SecretsManagerClientConfig = {
    region: read.region,
    ...endpointOptions(read.endpoint),
    ignoreConfiguredEndpointUrls: true,
    credentials,
    ...(requestHandler && { requestHandler }),
  };
  return { client: new SecretsManagerClient(config), read };
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
  LastChangedDate?: Date | string | number;
}

/** The facts of the entries among `names` (everything else is someone else's). */
export function awsIndex(entries: Iterable<ListedSecret>, names: ReadonlySet<string>): AwsIndex {
  const index = dict<AwsSecretFacts>();
  for (const entry of entries) {
    if (!entry.Name || !names.has(entry.Name)) continue;
    const deletedDate = iso(entry.DeletedDate);
    const lastAccessedDate = iso(entry.LastAccessedDate);
    const lastChangedDate = iso(entry.LastChangedDate);
    index[entry.Name] = {
      ...(deletedDate && { deletedDate }),
      ...(lastAccessedDate && { lastAccessedDate }),
      ...(lastChangedDate && { lastChangedDate }),
    };
  }
  return index;
}

/**
 * Lists the secrets whose names start with `prefix` (`production/`), pending deletion
 * included, and keeps those among `names`. Throws the SDK's error, or the abort's.
 */
export async function listStackSecrets(
  client: SecretsManagerClient,
  prefix: string,
  names: ReadonlySet<string>,
  signal?: AbortSignal,
): Promise<AwsIndex> {
  const input: ListSecretsCommandInput = {
    IncludePlannedDeletion: true,
    // A `name` filter matches names that begin with the value.
    Filters: [{ Key: "name", Values: [prefix] }],
    MaxResults: 100,
  };
  const entries: ListedSecret[] = [];
  // The paginator hands its extra arguments to `client.send` (@smithy/core createPaginator,
  // makePagedClientRequest), whose `abortSignal` the HTTP handler honours: the guard's timeout
  // cancels the request in flight, and no further page is asked for.
  const pages = paginateListSecrets(
    { client, pageSize: 100 },
    input,
    ...(signal ? [{ abortSignal: signal }] : []),
  );
  for await (const page of pages) {
    for (const s of page.SecretList ?? []) {
      if (s.Name && names.has(s.Name)) entries.push(s);
    }
  }
  return awsIndex(entries, names);
}
