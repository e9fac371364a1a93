/**
 * The rules by which the providers pick what the reference guard reads, pinned with the
 * upstream source each was read from. The mock runtime runs no provider: a real `pulumi up`
 * configures pulumi-aws (terraform-provider-aws on aws-sdk-go-base) and pulumi-kubernetes
 * (client-go) from the same stack config, and the guard must land on the same account and
 * cluster. Versions: @pulumi/aws 7.48.0 (config/vars.d.ts); pulumi-aws provider/config.go;
 * terraform-provider-aws main (internal/provider/sdkv2/provider.go, internal/conns/config.go,
 * internal/service/secretsmanager/service_endpoints_gen_test.go); hashicorp/aws-sdk-go-base v2
 * main 71dcf8a; aws-sdk-go-v2 config/env_config.go. The kubeconfig and paging rules are in
 * tests/engineRulesKubeconfig.test.ts.
 */
import { strict as assert } from "assert";
import { type AwsSettings, IGNORED_AWS_KEYS, parseAwsSettings } from "../reads/awsSettings";
import { type SharedFiles, resolveAwsRead, sharedFilePaths } from "../reads/awsRead";
import { parseGoDuration } from "../reads/awsRoles";
import { assumeRoleParams } from "../reads/aws";

const NO_FILES: SharedFiles = { configFile: {}, credentialsFile: {} };
const keysOf = (problems: { key?: string }[]) => problems.map((p) => p.key).sort();

describe("engine rules: the AWS provider's settings the guard reads (@pulumi/aws 7.48.0 config/vars.d.ts; pulumi-aws provider/config.go parseAssumeRoles; terraform-provider-aws sdkv2/provider.go expandAssumeRole, expandEndpoints)", () => {
  it("reads region, profile, keys, one shared file of each kind, endpoints, stsRegion and assumeRoles", () => {
    const { settings, problems } = parseAwsSettings({
      region: "eu-west-1",
      profile: "ops",
      sharedConfigFiles: ["/etc/aws/config"],
      sharedCredentialsFiles: ["/etc/aws/credentials"],
      // expandEndpoints: a list; the first element that sets a service wins.
      endpoints: [
        { secretsmanager: "http://sm-1" },
        { secretsmanager: "http://sm-2", sts: "http://sts" },
      ],
      stsRegion: "us-east-1",
      assumeRoles: [
        {
          roleArn: "arn:aws:iam::111111111111:role/a",
          sessionName: "guard",
          externalId: "x-1",
          duration: "1h30m",
        },
        // durationSeconds sets no session (provider.go expandAssumeRole reads `duration`).
        { roleArn: "arn:aws:iam::222222222222:role/b", durationSeconds: "1200" },
      ],
    });
    assert.deepEqual(problems, []);
    assert.deepEqual(settings, {
      region: "eu-west-1",
      profile: "ops",
      sharedConfigFile: "/etc/aws/config",
      sharedCredentialsFile: "/etc/aws/credentials",
      endpoints: { secretsmanager: "http://sm-1", sts: "http://sts" },
      stsRegion: "us-east-1",
      assumeRoles: [
        {
          roleArn: "arn:aws:iam::111111111111:role/a",
          sessionName: "guard",
          externalId: "x-1",
          durationSeconds: 5400,
        },
        { roleArn: "arn:aws:iam::222222222222:role/b" },
      ],
    });
  });

  it("an assumed role's session is what STS AssumeRole takes; without a duration, stscreds' DefaultDuration of 15 minutes (aws-sdk-go-v2 credentials/stscreds)", () => {
    assert.deepEqual(
      assumeRoleParams({
        roleArn: "arn:aws:iam::1:role/r",
        sessionName: "s",
        externalId: "e",
        durationSeconds: 3600,
        policyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
        tags: { team: "platform" },
        transitiveTagKeys: ["team"],
        sourceIdentity: "ci",
      }),
      {
        RoleArn: "arn:aws:iam::1:role/r",
        RoleSessionName: "s",
        ExternalId: "e",
        DurationSeconds: 3600,
        PolicyArns: [{ arn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }],
        Tags: [{ Key: "team", Value: "platform" }],
        TransitiveTagKeys: ["team"],
        SourceIdentity: "ci",
      },
    );
    assert.equal(assumeRoleParams({ roleArn: "arn:aws:iam::1:role/r" }).DurationSeconds, 900);
  });

  it("a duration is a Go duration (time.ParseDuration), between 15 minutes and 12 hours (validAssumeRoleDuration)", () => {
    assert.equal(parseGoDuration("1h30m"), 5400);
    assert.equal(parseGoDuration("900s"), 900);
    assert.equal(parseGoDuration("1.5h"), 5400);
    assert.equal(parseGoDuration("300ms"), 0.3);
    assert.equal(parseGoDuration("3600"), undefined, "a bare number has no unit");
    assert.equal(parseGoDuration("1d"), undefined, "Go has no day unit");
    const { problems } = parseAwsSettings({
      assumeRoles: [
        { roleArn: "arn:aws:iam::1:role/a", duration: "10m" },
        { roleArn: "arn:aws:iam::1:role/b", duration: "1 hour" },
      ],
    });
    assert.deepEqual(keysOf(problems), [
      "aws:assumeRoles[0].duration",
      "aws:assumeRoles[1].duration",
    ]);
  });

  it("durationSeconds sets no session: @pulumi/aws 7.48 AssumeRoles has only duration, which terraform-provider-aws applies (provider.go expandAssumeRole); pulumi-aws reads durationSeconds only for its credential check (resources.go validateCredentials)", () => {
    for (const durationSeconds of ["1200", 1800, "15m", "an hour"]) {
      const { settings, problems } = parseAwsSettings({
        assumeRoles: [{ roleArn: "arn:aws:iam::1:role/a", durationSeconds }],
      });
      assert.deepEqual(problems, []);
      assert.equal(settings.assumeRoles?.[0].durationSeconds, undefined);
    }
  });

  it("refuses, every problem at once and each naming its aws: key, what the guard cannot honour or the provider refuses", () => {
    const { problems } = parseAwsSettings({
      // pulumi-aws parseAssumeRoles: "invalid config key 'aws:assumeRole', should be 'aws:assumeRoles'".
      assumeRole: { roleArn: "arn:aws:iam::1:role/legacy" },
      // aws-sdk-go-base assumeRoleCredentialsProvider: "IAM Role ARN not set in assume role 1 of 1".
      assumeRoles: [{ sessionName: "no-role" }],
      sharedConfigFiles: ["/a", "/b"],
      ec2MetadataServiceEndpoint: "http://169.254.169.254",
      endpoints: [{ sso: "http://sso" }],
      accessKey: "AKID",
    });
    assert.deepEqual(keysOf(problems), [
      "aws:assumeRole",
      "aws:assumeRoles[0].roleArn",
      "aws:ec2MetadataServiceEndpoint",
      "aws:endpoints[].sso",
      "aws:secretKey",
      "aws:sharedConfigFiles",
    ]);
    for (const p of problems) assert.ok(p.message.length > 20, p.message);
    // aws_config.go GetAwsConfig: static credentials as soon as any of the three is set.
    assert.deepEqual(keysOf(parseAwsSettings({ token: "session" }).problems), ["aws:accessKey"]);
  });

  it("ignores the settings that do not change which account or endpoint is read", () => {
    const { settings, problems } = parseAwsSettings({
      skipCredentialsValidation: "true",
      skipRequestingAccountId: "true",
      skipRegionValidation: "true",
      defaultTags: { tags: { team: "x" } },
      maxRetries: "5",
      allowedAccountIds: ["111111111111"],
      s3UsePathStyle: "true",
      httpsProxy: "http://proxy:3128",
    });
    assert.deepEqual(problems, []);
    assert.deepEqual(settings, {});
    const every = parseAwsSettings(Object.fromEntries(IGNORED_AWS_KEYS.map((k) => [k, "true"])));
    assert.deepEqual(every, { settings: {}, problems: [] });
  });
});

describe("engine rules: region, endpoints and credentials resolve as the provider resolves them (aws-sdk-go-base aws_config.go GetAwsConfig, clients.go stsClient; aws-sdk-go-v2 config/env_config.go NewEnvConfig)", () => {
  const resolve = (
    settings: AwsSettings,
    env: NodeJS.ProcessEnv,
    files: SharedFiles = NO_FILES,
  ) => {
    const read = resolveAwsRead(settings, files, env, "/home/u");
    assert.ok(!("unavailable" in read), JSON.stringify(read));
    return read;
  };

  it("region: aws:region, then AWS_REGION, then AWS_DEFAULT_REGION (which the JS SDK ignores), then the profile's region", () => {
    const files: SharedFiles = {
      configFile: { default: { region: "ap-south-1" } },
      credentialsFile: {},
    };
    assert.equal(resolve({ region: "eu-west-1" }, { AWS_REGION: "us-east-2" }).region, "eu-west-1");
    assert.equal(
      resolve({}, { AWS_REGION: "us-east-2", AWS_DEFAULT_REGION: "eu-west-3" }).region,
      "us-east-2",
    );
    assert.equal(resolve({}, { AWS_DEFAULT_REGION: "eu-west-3" }, files).region, "eu-west-3");
    assert.equal(resolve({}, {}, files).region, "ap-south-1");
    const none = resolveAwsRead({}, NO_FILES, {}, "/home/u");
    assert.match((none as { unavailable: string }).unavailable, /no AWS region: set aws:region/);
  });

  it("profile: aws:profile, then AWS_PROFILE, then AWS_DEFAULT_PROFILE; a profile the provider names (aws:profile or AWS_PROFILE: pulumi-aws provider/resources.go) wins over the environment's keys, AWS_DEFAULT_PROFILE does not (aws-sdk-go-v2 resolveCredentialChain)", () => {
    const files: SharedFiles = {
      configFile: { a: { region: "r-a" }, b: { region: "r-b" }, c: { region: "r-c" } },
      credentialsFile: {},
    };
    assert.equal(resolve({ profile: "a" }, { AWS_PROFILE: "b" }, files).region, "r-a");
    assert.equal(resolve({}, { AWS_PROFILE: "b", AWS_DEFAULT_PROFILE: "c" }, files).region, "r-b");
    assert.equal(resolve({}, { AWS_DEFAULT_PROFILE: "c" }, files).profile, "c");
    const keys = { AWS_ACCESS_KEY: "AKID-LEGACY", AWS_SECRET_KEY: "s", AWS_REGION: "x" };
    assert.deepEqual(resolve({}, keys).environmentKeys, {
      accessKeyId: "AKID-LEGACY",
      secretAccessKey: "s",
    });
    assert.equal(resolve({}, { ...keys, AWS_PROFILE: "b" }, files).environmentKeys, undefined);
    assert.deepEqual(resolve({}, { ...keys, AWS_DEFAULT_PROFILE: "c" }, files).environmentKeys, {
      accessKeyId: "AKID-LEGACY",
      secretAccessKey: "s",
    });
    // Web identity from the environment comes after a named profile and the keys, before the
    // shared config's own profile.
    const web = { AWS_ROLE_ARN: "arn:aws:iam::1:role/w", AWS_WEB_IDENTITY_TOKEN_FILE: "/t" };
    assert.equal(resolve({}, { ...web, AWS_REGION: "x" }).webIdentity?.roleArn, web.AWS_ROLE_ARN);
    assert.equal(
      resolve({}, { ...web, AWS_DEFAULT_PROFILE: "c" }, files).webIdentity?.tokenFile,
      "/t",
    );
    assert.equal(resolve({}, { ...web, AWS_PROFILE: "b" }, files).webIdentity, undefined);
    assert.equal(resolve({}, { ...web, ...keys }).webIdentity, undefined);
    const noRole = resolveAwsRead({}, NO_FILES, {
      AWS_REGION: "x",
      AWS_WEB_IDENTITY_TOKEN_FILE: "/t",
    });
    assert.match((noRole as { unavailable: string }).unavailable, /without AWS_ROLE_ARN/);
  });

  it("Secrets Manager endpoint: aws:endpoints, then AWS_ENDPOINT_URL_SECRETS_MANAGER, AWS_ENDPOINT_URL, the services section, the profile's endpoint_url (service_endpoints_gen_test.go TestEndpointConfiguration)", () => {
    const files: SharedFiles = {
      configFile: {
        default: { region: "us-west-2", endpoint_url: "https://base-configfile", services: "svc" },
        "services.svc": { "secrets_manager.endpoint_url": "https://service-configfile" },
      },
      credentialsFile: {},
    };
    const env = {
      AWS_ENDPOINT_URL_SECRETS_MANAGER: "https://service-envvar",
      AWS_ENDPOINT_URL: "https://base-envvar",
    };
    const config = { endpoints: { secretsmanager: "https://config" } };
    assert.equal(resolve(config, env, files).endpoint, "https://config");
    assert.equal(resolve({}, env, files).endpoint, "https://service-envvar");
    assert.equal(
      resolve({}, { AWS_ENDPOINT_URL: "https://base-envvar" }, files).endpoint,
      "https://base-envvar",
    );
    assert.equal(resolve({}, {}, files).endpoint, "https://service-configfile");
    const baseOnly: SharedFiles = {
      configFile: { default: { region: "us-west-2", endpoint_url: "https://base-configfile" } },
      credentialsFile: {},
    };
    assert.equal(resolve({}, {}, baseOnly).endpoint, "https://base-configfile");
    // AWS_IGNORE_CONFIGURED_ENDPOINT_URLS turns the environment and file endpoints off, not the provider's.
    const ignore = { ...env, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: "true" };
    assert.equal(resolve({}, ignore, files).endpoint, undefined);
    assert.equal(resolve(config, ignore, files).endpoint, "https://config");
  });

  it("STS: aws:endpoints sts, then AWS_ENDPOINT_URL_STS, TF_AWS_STS_ENDPOINT, AWS_STS_ENDPOINT (expandEndpoints), then AWS_ENDPOINT_URL; aws:stsRegion over the region", () => {
    const base = { AWS_REGION: "eu-west-1" };
    assert.equal(
      resolve({ endpoints: { sts: "https://c" } }, { ...base, AWS_ENDPOINT_URL_STS: "https://e" })
        .sts.endpoint,
      "https://c",
    );
    assert.equal(
      resolve({}, { ...base, AWS_ENDPOINT_URL_STS: "https://e", TF_AWS_STS_ENDPOINT: "https://t" })
        .sts.endpoint,
      "https://e",
    );
    assert.equal(
      resolve({}, { ...base, TF_AWS_STS_ENDPOINT: "https://t", AWS_STS_ENDPOINT: "https://d" }).sts
        .endpoint,
      "https://t",
    );
    assert.equal(
      resolve({}, { ...base, AWS_STS_ENDPOINT: "https://d", AWS_ENDPOINT_URL: "https://b" }).sts
        .endpoint,
      "https://d",
    );
    assert.equal(resolve({}, { ...base, AWS_ENDPOINT_URL: "https://b" }).sts.endpoint, "https://b");
    assert.deepEqual(resolve({ stsRegion: "us-east-1" }, base).sts, { region: "us-east-1" });
    assert.deepEqual(resolve({}, base).sts, { region: "eu-west-1" });
  });

  it("shared files: the setting ($VAR and ~ expanded, internal/expand/filepath.go), else AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE, else ~/.aws", () => {
    assert.deepEqual(
      sharedFilePaths(
        { sharedConfigFile: "$CONF_DIR/config", sharedCredentialsFile: "~/creds" },
        { CONF_DIR: "/etc/aws" },
        "/home/u",
      ),
      { configFilepath: "/etc/aws/config", filepath: "/home/u/creds" },
    );
    assert.deepEqual(
      sharedFilePaths(
        {},
        { AWS_CONFIG_FILE: "/x/config", AWS_SHARED_CREDENTIALS_FILE: "/x/credentials" },
        "/home/u",
      ),
      { configFilepath: "/x/config", filepath: "/x/credentials" },
    );
    assert.deepEqual(sharedFilePaths({}, {}, "/home/u"), {
      configFilepath: "/home/u/.aws/config",
      filepath: "/home/u/.aws/credentials",
    });
  });
});
