/**
 * The AWS provider's settings, as the reference guard reads them: which of the stack's `aws:*`
 * keys change the account, region or endpoint that Secrets Manager is read from, validated, so
 * that the guard lists the same secrets the provider writes. Pure: the config values come in
 * as an argument.
 *
 * Sources (read, not assumed):
 * - the keys: @pulumi/aws 7.48.0 `config/vars.d.ts` (and `types/output.d.ts` config.AssumeRoles,
 *   config.Endpoints); pulumi-aws `provider/config.go` parseAssumeRoles (refuses `aws:assumeRole`;
 *   its `durationSeconds` serves only pulumi-aws's own credential check);
 * - how the provider applies them: terraform-provider-aws `internal/provider/sdkv2/provider.go`
 *   configure, expandAssumeRole (`duration` as a Go duration), expandEndpoints (the first
 *   `endpoints` element that sets a service wins; for STS then `AWS_ENDPOINT_URL_STS`,
 *   `TF_AWS_STS_ENDPOINT`, `AWS_STS_ENDPOINT`); `internal/conns/config.go` ConfigureProvider.
 *
 * The roles are read in `awsRoles.ts`; how region, endpoints and credentials are then resolved
 * from these settings, the environment and the shared files is `awsRead.ts`.
 */
import type { ConfigProblem } from "../core/problems";
import {
  type AssumeRole,
  type WebIdentityRole,
  parseAssumeRoles,
  parseWebIdentityRole,
} from "./awsRoles";
import {
  GUARD_OFF,
  isRecord,
  opt,
  parseBool,
  problem,
  stringField,
  stringList,
} from "./awsSettingsValues";

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

  const assumeRoles = parseAssumeRoles(problems, raw.assumeRoles);
  const assumeRoleWithWebIdentity = parseWebIdentityRole(problems, raw.assumeRoleWithWebIdentity);

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
