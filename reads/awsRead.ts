/**
 * How the guard's client reaches AWS: the region, the endpoints and the credential source,
 * resolved from the provider's settings (`awsSettings.ts`), the environment and the parsed
 * shared files the way the AWS provider resolves them. Pure: all of them come in as arguments.
 *
 * Sources (read, not assumed): hashicorp/aws-sdk-go-base v2
 * (main 71dcf8a) `aws_config.go` GetAwsConfig / commonLoadOptions (static keys first, else the
 * profile chain; shared files replace the defaults), `credentials.go`
 * assumeRoleCredentialsProvider (each role assumed with the previous role's credentials),
 * `clients.go` stsClient (`sts_region`, the `sts` endpoint), `internal/expand/filepath.go`
 * (`$VAR` and `~` expanded); aws-sdk-go-v2 `config/env_config.go` NewEnvConfig (`AWS_REGION`
 * then `AWS_DEFAULT_REGION`, `AWS_PROFILE` then `AWS_DEFAULT_PROFILE`, `AWS_ACCESS_KEY_ID` or
 * `AWS_ACCESS_KEY`); terraform-provider-aws `internal/service/secretsmanager/
 * service_endpoints_gen_test.go` (endpoint precedence: `endpoints[].secretsmanager`, then
 * `AWS_ENDPOINT_URL_SECRETS_MANAGER`, `AWS_ENDPOINT_URL`, the shared config's `services`
 * section `secrets_manager`, then its `endpoint_url`).
 *
 * The AWS SDK for JavaScript resolves several of these differently (it ignores
 * `AWS_DEFAULT_REGION`, `AWS_DEFAULT_PROFILE` and the client's profile for configured endpoints),
 * so the guard resolves region, endpoints and files itself and hands the SDK explicit values.
 */
import * as os from "os";
import * as path from "path";
import type { AwsSettings } from "./awsSettings";

/** aws-sdk-go-base internal/expand/filepath.go FilePath: `$VAR` / `${VAR}`, then a leading `~`. */
export function expandFilePath(p: string, env: NodeJS.ProcessEnv, home: string): string {
  const expanded = p.replace(
    /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g,
    (_, a: string | undefined, b: string | undefined) => env[(a ?? b)!] ?? "",
  );
  if (expanded === "~") return home;
  return expanded.startsWith("~/") ? path.join(home, expanded.slice(2)) : expanded;
}

/** Which shared config and credentials files are read: the setting, else the SDK's default. */
export function sharedFilePaths(
  settings: AwsSettings,
  env: NodeJS.ProcessEnv = process.env,
  home: string = os.homedir(),
): { configFilepath: string; filepath: string } {
  const pick = (setting: string | undefined, variable: string, fallback: string) =>
    expandFilePath(setting ?? (env[variable] || path.join(home, ".aws", fallback)), env, home);
  return {
    configFilepath: pick(settings.sharedConfigFile, "AWS_CONFIG_FILE", "config"),
    filepath: pick(settings.sharedCredentialsFile, "AWS_SHARED_CREDENTIALS_FILE", "credentials"),
  };
}

/** A profile section, as the SDK's ini parser gives it (`services.x` sections included). */
export type IniSections = Readonly<Record<string, Readonly<Record<string, string | undefined>>>>;

/** The two shared files, parsed (a missing file is empty). */
export interface SharedFiles {
  configFile: IniSections;
  credentialsFile: IniSections;
}

/** How the guard's client reaches AWS: every value explicit. */
export interface AwsRead {
  region: string;
  /** The Secrets Manager endpoint; undefined: the SDK's default for the region. */
  endpoint?: string;
  sts: { region: string; endpoint?: string };
  /** The profile named in config or the environment (undefined: the SDK's default chain). */
  profile?: string;
  useFipsEndpoint: boolean;
  useDualstackEndpoint: boolean;
  /** Credentials from `AWS_ACCESS_KEY_ID` / `AWS_ACCESS_KEY` and their secrets, when used. */
  environmentKeys?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** `customCaBundle` or `AWS_CA_BUNDLE`. */
  caBundle?: string;
  /**
   * Web identity from `AWS_ROLE_ARN` and `AWS_WEB_IDENTITY_TOKEN_FILE`, which the Go chain takes
   * before the shared config's profile unless a profile is named or keys are set.
   */
  webIdentity?: { roleArn: string; tokenFile: string; sessionName?: string };
}

const truthy = (v: string | undefined) => v !== undefined && v.toLowerCase() === "true";

/**
 * Resolves region, endpoints and the credential source the way the provider does, or says why
 * the guard cannot read.
 */
export function resolveAwsRead(
  settings: AwsSettings,
  files: SharedFiles,
  env: NodeJS.ProcessEnv = process.env,
  home: string = os.homedir(),
): AwsRead | { unavailable: string } {
  const nonEmpty = (...values: (string | undefined)[]) => values.find((v) => v);
  // pulumi-aws provider/resources.go fills the profile setting from AWS_PROFILE only, and
  // aws-sdk-go-base passes a profile to the SDK only when the setting has one (credentials.go
  // getCredentialsProvider); aws-sdk-go-v2 NewEnvConfig then reads AWS_DEFAULT_PROFILE for the
  // shared config, where environment keys still come first (resolveCredentialChain).
  const namedProfile = nonEmpty(settings.profile, env.AWS_PROFILE);
  const profile = nonEmpty(namedProfile, env.AWS_DEFAULT_PROFILE);
  const profileName = profile ?? "default";
  // The JS SDK's own merge: the config file's profile over the credentials file's.
  const section: Readonly<Record<string, string | undefined>> = {
    ...files.credentialsFile[profileName],
    ...files.configFile[profileName],
  };

  const region = nonEmpty(settings.region, env.AWS_REGION, env.AWS_DEFAULT_REGION, section.region);
  if (!region) {
    return {
      unavailable: `no AWS region: set aws:region (or AWS_REGION / AWS_DEFAULT_REGION, or region in profile ${profileName})`,
    };
  }

  // Configured endpoints (env and shared config), unless turned off; the provider setting always counts.
  const ignoreConfigured =
    env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS !== undefined
      ? truthy(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS)
      : truthy(section.ignore_configured_endpoint_urls);
  const servicesSection = section.services ? files.configFile[`services.${section.services}`] : {};
  const configured = (envName: string, servicesKey: string) =>
    ignoreConfigured
      ? undefined
      : nonEmpty(
          env[envName],
          env.AWS_ENDPOINT_URL,
          servicesSection?.[`${servicesKey}.endpoint_url`],
          section.endpoint_url,
        );
  const endpoint = nonEmpty(
    settings.endpoints?.secretsmanager,
    configured("AWS_ENDPOINT_URL_SECRETS_MANAGER", "secrets_manager"),
  );
  const stsEndpoint = nonEmpty(
    settings.endpoints?.sts,
    env.AWS_ENDPOINT_URL_STS,
    env.TF_AWS_STS_ENDPOINT,
    env.AWS_STS_ENDPOINT,
    configured("AWS_ENDPOINT_URL_STS", "sts"),
  );

  const flag = (setting: boolean | undefined, envName: string, iniName: string) =>
    setting ??
    (env[envName] !== undefined ? truthy(env[envName]) : truthy(section[iniName] ?? undefined));

  // aws-sdk-go-v2 resolveCredentialChain: a profile passed in code (aws:profile or AWS_PROFILE)
  // wins over the environment's keys; else AWS_ACCESS_KEY_ID (or AWS_ACCESS_KEY) with
  // AWS_SECRET_ACCESS_KEY (or AWS_SECRET_KEY), even beside AWS_DEFAULT_PROFILE.
  const accessKeyId = nonEmpty(env.AWS_ACCESS_KEY_ID, env.AWS_ACCESS_KEY);
  const secretAccessKey = nonEmpty(env.AWS_SECRET_ACCESS_KEY, env.AWS_SECRET_KEY);
  const environmentKeys =
    !settings.accessKey && !namedProfile && accessKeyId && secretAccessKey
      ? {
          accessKeyId,
          secretAccessKey,
          ...(env.AWS_SESSION_TOKEN && { sessionToken: env.AWS_SESSION_TOKEN }),
        }
      : undefined;

  // aws-sdk-go-v2 resolveCredentialChain: a named profile, then the environment's keys, then
  // web identity from the environment, and only then the shared config's (default) profile. The
  // JS SDK's default chain would try that profile first.
  const webFirst = !settings.accessKey && !namedProfile && !environmentKeys;
  if (webFirst && env.AWS_WEB_IDENTITY_TOKEN_FILE && !env.AWS_ROLE_ARN) {
    // The Go chain takes this branch on the token file alone, then fails: "role ARN is not set".
    return {
      unavailable:
        "AWS_WEB_IDENTITY_TOKEN_FILE is set without AWS_ROLE_ARN, so the AWS provider's credential chain fails there too: set AWS_ROLE_ARN, or unset the token file",
    };
  }
  const webIdentity =
    webFirst && env.AWS_ROLE_ARN && env.AWS_WEB_IDENTITY_TOKEN_FILE
      ? {
          roleArn: env.AWS_ROLE_ARN,
          tokenFile: expandFilePath(env.AWS_WEB_IDENTITY_TOKEN_FILE, env, home),
          ...(env.AWS_ROLE_SESSION_NAME && { sessionName: env.AWS_ROLE_SESSION_NAME }),
        }
      : undefined;
  const caBundle = nonEmpty(settings.customCaBundle, env.AWS_CA_BUNDLE);
  return {
    region,
    ...(endpoint && { endpoint }),
    sts: { region: settings.stsRegion ?? region, ...(stsEndpoint && { endpoint: stsEndpoint }) },
    ...(profile && { profile }),
    useFipsEndpoint: flag(settings.useFipsEndpoint, "AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint"),
    useDualstackEndpoint: flag(
      settings.useDualstackEndpoint,
      "AWS_USE_DUALSTACK_ENDPOINT",
      "use_dualstack_endpoint",
    ),
    ...(environmentKeys && { environmentKeys }),
    ...(webIdentity && { webIdentity }),
    ...(caBundle && { caBundle: expandFilePath(caBundle, env, home) }),
  };
}
