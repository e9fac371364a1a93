/**
 * The AWS provider's settings, as the reference guard reads them: which of the stack's `aws:*`
 * keys change the account, region or endpoint that Secrets Manager is read from, and how each
 * is resolved, so that the guard lists the same secrets the provider writes. Pure: the config
 * values, the environment and the parsed shared files come in as arguments.
 *
 * Sources (read, not assumed):
 * - the keys: @pulumi/aws 7.48.0 `config/vars.d.ts` (and `types/output.d.ts` config.AssumeRoles,
 *   config.Endpoints); pulumi-aws `provider/config.go` parseAssumeRoles (refuses `aws:assumeRole`;
 *   its `durationSeconds` serves only pulumi-aws's own credential check);
 * - how the provider applies them: terraform-provider-aws `internal/provider/sdkv2/provider.go`
 *   configure, expandAssumeRole (`duration` as a Go duration), expandEndpoints (the first
 *   `endpoints` element that sets a service wins; for STS then `AWS_ENDPOINT_URL_STS`,
 *   `TF_AWS_STS_ENDPOINT`, `AWS_STS_ENDPOINT`); `internal/conns/config.go` ConfigureProvider;
 * - how the credentials, region and endpoints are then resolved: hashicorp/aws-sdk-go-base v2
 *   (main 71dcf8a) `aws_config.go` GetAwsConfig / commonLoadOptions (static keys first, else the
 *   profile chain; shared files replace the defaults), `credentials.go`
 *   assumeRoleCredentialsProvider (each role assumed with the previous role's credentials),
 *   `clients.go` stsClient (`sts_region`, the `sts` endpoint), `internal/expand/filepath.go`
 *   (`$VAR` and `~` expanded); aws-sdk-go-v2 `config/env_config.go` NewEnvConfig (`AWS_REGION`
 *   then `AWS_DEFAULT_REGION`, `AWS_PROFILE` then `AWS_DEFAULT_PROFILE`, `AWS_ACCESS_KEY_ID` or
 *   `AWS_ACCESS_KEY`); terraform-provider-aws `internal/service/secretsmanager/
 *   service_endpoints_gen_test.go` (endpoint precedence: `endpoints[].secretsmanager`, then
 *   `AWS_ENDPOINT_URL_SECRETS_MANAGER`, `AWS_ENDPOINT_URL`, the shared config's `services`
 *   section `secrets_manager`, then its `endpoint_url`).
 *
 * The AWS SDK for JavaScript resolves several of these differently (it ignores
 * `AWS_DEFAULT_REGION`, `AWS_DEFAULT_PROFILE` and the client's profile for configured endpoints),
 * so the guard resolves region, endpoints and files itself and hands the SDK explicit values.
 */
import * as os from "os";
import * as path from "path";
import type { ConfigProblem } from "../core/problems";

/** One element of `aws:assumeRoles`, as STS AssumeRole takes it. */
export interface AssumeRole {
  roleArn: string;
  sessionName?: string;
  externalId?: string;
  /** From `duration` (a Go duration). */
  durationSeconds?: number;
  policy?: string;
  policyArns?: string[];
  tags?: Record<string, string>;
  transitiveTagKeys?: string[];
  sourceIdentity?: string;
}

/** `aws:assumeRoleWithWebIdentity`. */
export interface WebIdentityRole {
  roleArn: string;
  sessionName?: string;
  durationSeconds?: number;
  policy?: string;
  policyArns?: string[];
  webIdentityToken?: string;
  webIdentityTokenFile?: string;
}

/** The AWS provider's settings that decide what the guard reads, validated. */
export interface AwsSettings {
  region?: string;
  profile?: string;
  accessKey?: string;
  secretKey?: string;
  token?: string;
  /** `aws:sharedConfigFiles` (one file). */
  sharedConfigFile?: string;
  /** `aws:sharedCredentialsFiles` (one file). */
  sharedCredentialsFile?: string;
  /** `aws:endpoints`: the ones the guard calls. */
  endpoints?: { secretsmanager?: string; sts?: string };
  stsRegion?: string;
  /** `aws:assumeRoles`, in order: each assumed with the credentials of the one before. */
  assumeRoles?: AssumeRole[];
  assumeRoleWithWebIdentity?: WebIdentityRole;
  customCaBundle?: string;
  insecure?: boolean;
  useFipsEndpoint?: boolean;
  useDualstackEndpoint?: boolean;
}

/**
 * `aws:*` keys that do not change what is read, so the guard ignores them: tags, retries,
 * validation shortcuts (`skip*` only skip checks the provider makes), account allow/deny lists
 * (the provider itself refuses a wrong account), S3-only settings, user agents. Proxies
 * (`httpProxy`, `httpsProxy`, `noProxy`) change the network path, not the account or endpoint:
 * the guard connects directly, and where only the proxy reaches AWS its read is unavailable and
 * nothing is pruned. `skipMetadataApiCheck` only turns the instance-metadata credentials off,
 * which come last in both chains: where they differ, the provider has no credentials at all.
 */
export const IGNORED_AWS_KEYS: readonly string[] = [
  "allowedAccountIds",
  "defaultTags",
  "forbiddenAccountIds",
  "httpProxy",
  "httpsProxy",
  "ignoreTags",
  "maxRetries",
  "noProxy",
  "retryMode",
  "s3UsEast1RegionalEndpoint",
  "s3UsePathStyle",
  "skipCredentialsValidation",
  "skipMetadataApiCheck",
  "skipRegionValidation",
  "skipRequestingAccountId",
  "tagPolicyCompliance",
  "tokenBucketRateLimiterCapacity",
  "userAgents",
];

/**
 * `aws:*` keys that change where credentials come from and that the guard cannot honour the
 * way the provider does: refused with the reason, so the guard never reads another account.
 */
export const REFUSED_AWS_KEYS: Readonly<Record<string, string>> = {
  ec2MetadataServiceEndpoint:
    "points the instance-metadata credentials at another endpoint, which the AWS SDK for JavaScript only takes from AWS_EC2_METADATA_SERVICE_ENDPOINT",
  ec2MetadataServiceEndpointMode:
    "changes the instance-metadata endpoint, which the AWS SDK for JavaScript only takes from AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
};

const AWS = "aws";
const key = (p: string) => `${AWS}:${p}`;

/** A problem with an `aws:` key: the whole key names it. */
function problem(p: string, message: string): ConfigProblem {
  return { path: key(p), key: key(p), message };
}

const GUARD_OFF =
  "or turn the AWS check off with secret-rotation:guard.aws false (pruning then goes by the config and memory alone)";

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** strconv.ParseBool, which the bridge applies to a boolean config text. */
function parseBool(v: unknown): boolean | undefined {
  if (typeof v === "boolean") return v;
  if (typeof v !== "string") return undefined;
  if (["1", "t", "T", "TRUE", "true", "True"].includes(v)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(v)) return false;
  return undefined;
}

const GO_UNITS: Readonly<Record<string, number>> = {
  ns: 1e-9,
  us: 1e-6,
  "\u00b5s": 1e-6,
  "\u03bcs": 1e-6,
  ms: 1e-3,
  s: 1,
  m: 60,
  h: 3600,
};

/** Go's time.ParseDuration, in seconds, or undefined when the text is not a Go duration. */
export function parseGoDuration(text: string): number | undefined {
  if (text === "0") return 0;
  const m = /^([-+]?)((?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|\u00b5s|\u03bcs|ms|s|m|h))+)$/.exec(text);
  if (!m) return undefined;
  let total = 0;
  for (const part of m[2].matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h)/g)) {
    total += Number(part[1]) * GO_UNITS[part[2]];
  }
  return m[1] === "-" ? -total : total;
}

/** STS accepts 15 minutes to 12 hours (terraform-provider-aws validAssumeRoleDuration). */
const MIN_SESSION_SECONDS = 900;
const MAX_SESSION_SECONDS = 43_200;

function sessionSeconds(
  problems: ConfigProblem[],
  at: string,
  entry: Record<string, unknown>,
): number | undefined {
  let fromDuration: number | undefined;
  if (entry.duration !== undefined && entry.duration !== "") {
    const seconds =
      typeof entry.duration === "string" ? parseGoDuration(entry.duration) : undefined;
    if (seconds === undefined) {
      problems.push(
        problem(
          `${at}.duration`,
          'is not a duration: write it as the provider reads it, a Go duration such as "1h" or "900s"',
        ),
      );
    } else fromDuration = Math.floor(seconds);
  }
  // `durationSeconds` sets no session length: @pulumi/aws 7.48 AssumeRoles has only `duration`,
  // which terraform-provider-aws applies (provider.go expandAssumeRole); pulumi-aws reads
  // `durationSeconds` only for its own credential check (provider/resources.go
  // validateCredentials, durationFromConfig). It is ignored here too.
  const seconds = fromDuration;
  if (seconds !== undefined && (seconds < MIN_SESSION_SECONDS || seconds > MAX_SESSION_SECONDS)) {
    problems.push(
      problem(
        `${at}.duration`,
        "must be between 15 minutes and 12 hours (STS AssumeRole DurationSeconds 900 to 43200)",
      ),
    );
    return undefined;
  }
  return seconds;
}

function stringField(problems: ConfigProblem[], at: string, value: unknown): string | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string") {
    problems.push(problem(at, "must be a string"));
    return undefined;
  }
  return value;
}

function stringList(problems: ConfigProblem[], at: string, value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
    problems.push(problem(at, "must be a list of strings"));
    return undefined;
  }
  return value.length > 0 ? (value as string[]) : undefined;
}

function parseAssumeRole(
  problems: ConfigProblem[],
  at: string,
  entry: unknown,
  index: number,
  total: number,
): AssumeRole | undefined {
  if (!isRecord(entry)) {
    problems.push(problem(at, "must be an object with at least roleArn"));
    return undefined;
  }
  const roleArn = stringField(problems, `${at}.roleArn`, entry.roleArn);
  if (!roleArn) {
    // aws-sdk-go-base credentials.go assumeRoleCredentialsProvider: "IAM Role ARN not set".
    problems.push(
      problem(
        `${at}.roleArn`,
        `is required: assume role ${index + 1} of ${total} names no role (pulumi-aws refuses it when it validates credentials; terraform-provider-aws drops a lone empty role with a warning)`,
      ),
    );
  }
  const durationSeconds = sessionSeconds(problems, at, entry);
  let tags: Record<string, string> | undefined;
  if (entry.tags !== undefined && entry.tags !== null) {
    if (!isRecord(entry.tags) || Object.values(entry.tags).some((v) => typeof v !== "string")) {
      problems.push(problem(`${at}.tags`, "must map tag keys to strings"));
    } else if (Object.keys(entry.tags).length > 0) {
      tags = entry.tags as Record<string, string>;
    }
  }
  const role: AssumeRole = {
    roleArn: roleArn ?? "",
    ...opt("sessionName", stringField(problems, `${at}.sessionName`, entry.sessionName)),
    ...opt("externalId", stringField(problems, `${at}.externalId`, entry.externalId)),
    ...opt("durationSeconds", durationSeconds),
    ...opt("policy", stringField(problems, `${at}.policy`, entry.policy)),
    ...opt("policyArns", stringList(problems, `${at}.policyArns`, entry.policyArns)),
    ...opt("tags", tags),
    ...opt(
      "transitiveTagKeys",
      stringList(problems, `${at}.transitiveTagKeys`, entry.transitiveTagKeys),
    ),
    ...opt("sourceIdentity", stringField(problems, `${at}.sourceIdentity`, entry.sourceIdentity)),
  };
  return roleArn ? role : undefined;
}

const opt = <K extends string, V>(k: K, v: V | undefined) =>
  (v === undefined ? {} : { [k]: v }) as Partial<Record<K, V>>;

/** The file of a one-element file list; a longer list is refused. */
function oneFile(problems: ConfigProblem[], name: string, value: unknown): string | undefined {
  const files = stringList(problems, name, value);
  if (!files) return undefined;
  if (files.length > 1) {
    problems.push(
      problem(
        name,
        `lists ${files.length} files: the provider merges them, the reference guard reads one (the AWS SDK for JavaScript takes one shared file of each kind). List one file, ${GUARD_OFF}`,
      ),
    );
    return undefined;
  }
  return files[0];
}

/**
 * Validates the stack's `aws:*` keys (`raw`: without the `aws:` prefix, objects and lists
 * parsed) into the settings the guard reads with, and every problem: a key the guard cannot
 * honour, or a value the provider itself would refuse.
 */
export function parseAwsSettings(raw: Readonly<Record<string, unknown>>): {
  settings: AwsSettings;
  problems: ConfigProblem[];
} {
  const problems: ConfigProblem[] = [];
  const str = (name: string) => stringField(problems, name, raw[name]);
  const bool = (name: string) => {
    const v = raw[name];
    if (v === undefined || v === null || v === "") return undefined;
    const b = parseBool(v);
    if (b === undefined) problems.push(problem(name, "must be true or false"));
    return b;
  };

  // pulumi-aws provider/config.go parseAssumeRoles refuses the singular key outright.
  if (raw.assumeRole !== undefined) {
    problems.push(
      problem(
        "assumeRole",
        "is not a key of the AWS provider 7.x: write it as aws:assumeRoles, a list of roles (the provider refuses aws:assumeRole too)",
      ),
    );
  }
  for (const [name, why] of Object.entries(REFUSED_AWS_KEYS)) {
    if (raw[name] !== undefined && raw[name] !== "") {
      problems.push(
        problem(
          name,
          `${why}, so the reference guard could read AWS elsewhere than the provider: remove it, ${GUARD_OFF}`,
        ),
      );
    }
  }

  let assumeRoles: AssumeRole[] | undefined;
  if (raw.assumeRoles !== undefined && raw.assumeRoles !== null && raw.assumeRoles !== "") {
    if (!Array.isArray(raw.assumeRoles)) {
      problems.push(problem("assumeRoles", "must be a list of roles ({ roleArn, ... })"));
    } else {
      const list = raw.assumeRoles as unknown[];
      assumeRoles = list.flatMap((entry, i) => {
        const role = parseAssumeRole(problems, `assumeRoles[${i}]`, entry, i, list.length);
        return role ? [role] : [];
      });
    }
  }

  let assumeRoleWithWebIdentity: WebIdentityRole | undefined;
  const web = raw.assumeRoleWithWebIdentity;
  if (web !== undefined && web !== null && web !== "") {
    const at = "assumeRoleWithWebIdentity";
    if (!isRecord(web)) {
      problems.push(problem(at, "must be an object with roleArn and a token or token file"));
    } else {
      const roleArn = stringField(problems, `${at}.roleArn`, web.roleArn);
      const webIdentityToken = stringField(
        problems,
        `${at}.webIdentityToken`,
        web.webIdentityToken,
      );
      const webIdentityTokenFile = stringField(
        problems,
        `${at}.webIdentityTokenFile`,
        web.webIdentityTokenFile,
      );
      // aws-sdk-go-base credentials.go getCredentialsProvider refuses both omissions.
      if (!roleArn) problems.push(problem(`${at}.roleArn`, "is required"));
      if (!webIdentityToken && !webIdentityTokenFile) {
        problems.push(problem(at, "needs webIdentityToken or webIdentityTokenFile"));
      }
      const durationSeconds = sessionSeconds(problems, at, web);
      if (roleArn && (webIdentityToken || webIdentityTokenFile)) {
        assumeRoleWithWebIdentity = {
          roleArn,
          ...opt("sessionName", stringField(problems, `${at}.sessionName`, web.sessionName)),
          ...opt("durationSeconds", durationSeconds),
          ...opt("policy", stringField(problems, `${at}.policy`, web.policy)),
          ...opt("policyArns", stringList(problems, `${at}.policyArns`, web.policyArns)),
          ...opt("webIdentityToken", webIdentityToken),
          ...opt("webIdentityTokenFile", webIdentityTokenFile),
        };
      }
    }
  }

  // terraform-provider-aws expandEndpoints: the first element that sets a service wins.
  let endpoints: AwsSettings["endpoints"];
  if (raw.endpoints !== undefined && raw.endpoints !== null && raw.endpoints !== "") {
    const list = Array.isArray(raw.endpoints) ? raw.endpoints : [raw.endpoints];
    const found: Record<string, string> = {};
    list.forEach((entry, i) => {
      if (!isRecord(entry)) {
        problems.push(problem(`endpoints[${i}]`, "must map service names to URLs"));
        return;
      }
      for (const service of ["secretsmanager", "sts", "sso"]) {
        const url = stringField(problems, `endpoints[${i}].${service}`, entry[service]);
        if (url && found[service] === undefined) found[service] = url;
      }
    });
    if (found.sso !== undefined) {
      problems.push(
        problem(
          "endpoints[].sso",
          `sends the provider's SSO credential requests elsewhere, which the reference guard cannot do (the AWS SDK for JavaScript takes no SSO endpoint for the credential chain): remove it, ${GUARD_OFF}`,
        ),
      );
    }
    endpoints = {
      ...opt("secretsmanager", found.secretsmanager),
      ...opt("sts", found.sts),
    };
  }

  const accessKey = str("accessKey");
  const secretKey = str("secretKey");
  const token = str("token");
  if (
    (accessKey === undefined) !== (secretKey === undefined) ||
    (token !== undefined && accessKey === undefined)
  ) {
    // The provider signs with static credentials as soon as any of the three is set
    // (aws_config.go GetAwsConfig), and fails without the pair.
    problems.push(
      problem(
        accessKey === undefined ? "accessKey" : "secretKey",
        "is missing: aws:accessKey and aws:secretKey are set together (aws:token only beside them)",
      ),
    );
  }

  const settings: AwsSettings = {
    ...opt("region", str("region")),
    ...opt("profile", str("profile")),
    ...opt("accessKey", accessKey),
    ...opt("secretKey", secretKey),
    ...opt("token", token),
    ...opt("sharedConfigFile", oneFile(problems, "sharedConfigFiles", raw.sharedConfigFiles)),
    ...opt(
      "sharedCredentialsFile",
      oneFile(problems, "sharedCredentialsFiles", raw.sharedCredentialsFiles),
    ),
    ...opt("endpoints", endpoints),
    ...opt("stsRegion", str("stsRegion")),
    ...opt("assumeRoles", assumeRoles && assumeRoles.length > 0 ? assumeRoles : undefined),
    ...opt("assumeRoleWithWebIdentity", assumeRoleWithWebIdentity),
    ...opt("customCaBundle", str("customCaBundle")),
    ...opt("insecure", bool("insecure")),
    ...opt("useFipsEndpoint", bool("useFipsEndpoint")),
    ...opt("useDualstackEndpoint", bool("useDualstackEndpoint")),
  };
  return { settings, problems };
}

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
