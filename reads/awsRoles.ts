/**
 * The roles the AWS provider assumes before it reads: `aws:assumeRoles` (each assumed with the
 * previous role's credentials) and `aws:assumeRoleWithWebIdentity`, validated as the provider
 * validates them, with the session length as STS takes it.
 *
 * Sources (read, not assumed): @pulumi/aws 7.48.0 `types/output.d.ts` config.AssumeRoles;
 * terraform-provider-aws `internal/provider/sdkv2/provider.go` expandAssumeRole (`duration` as
 * a Go duration), validAssumeRoleDuration; hashicorp/aws-sdk-go-base v2 (main 71dcf8a)
 * `credentials.go` assumeRoleCredentialsProvider, getCredentialsProvider.
 */
import type { ConfigProblem } from "../core/problems";
import { isRecord, opt, problem, stringField, stringList } from "./awsSettingsValues";

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

/** `aws:assumeRoles`, in order; a role without a roleArn is dropped (and reported). */
export function parseAssumeRoles(
  problems: ConfigProblem[],
  value: unknown,
): AssumeRole[] | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (!Array.isArray(value)) {
    problems.push(problem("assumeRoles", "must be a list of roles ({ roleArn, ... })"));
    return undefined;
  }
  const list = value as unknown[];
  return list.flatMap((entry, i) => {
    const role = parseAssumeRole(problems, `assumeRoles[${i}]`, entry, i, list.length);
    return role ? [role] : [];
  });
}

/** `aws:assumeRoleWithWebIdentity`, or undefined when it is not set or not usable. */
export function parseWebIdentityRole(
  problems: ConfigProblem[],
  web: unknown,
): WebIdentityRole | undefined {
  if (web === undefined || web === null || web === "") return undefined;
  const at = "assumeRoleWithWebIdentity";
  if (!isRecord(web)) {
    problems.push(problem(at, "must be an object with roleArn and a token or token file"));
  } else {
    const roleArn = stringField(problems, `${at}.roleArn`, web.roleArn);
    const webIdentityToken = stringField(problems, `${at}.webIdentityToken`, web.webIdentityToken);
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
      return {
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
  return undefined;
}
