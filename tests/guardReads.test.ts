/**
 * The reference guard reads where the providers read: AWS on the loopback interface (Secrets
 * Manager and STS spoken over HTTP to the real SDK clients), and fake Kubernetes API servers
 * reached through real kubeconfigs. Each test sets the providers' own settings and checks what
 * arrived where; the guard's timeout and an expired continue token are shown on the same fakes.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { liveReader } from "../reads/live";
import { LoopbackAws } from "../fakes/awsLoopback";
import { fakeAws } from "../fakes/world";
import { projectConfig, runProgram } from "../offline";
import { baseConfig } from "./helpers";

const awsQuestion = { prefix: "staging/", names: new Set(["staging/a-1", "staging/a-2"]) };

describe("reference guard: AWS read with the provider's settings (loopback Secrets Manager and STS)", () => {
  const aws = new LoopbackAws();
  let home: string;
  before(async () => {
    await aws.start();
    // The process-wide aws-sdk-client-mock would answer before any request left the client.
    fakeAws.restore();
  });
  after(async () => {
    fakeAws.install();
    await aws.stop();
  });
  beforeEach(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), "aws-home-"));
    aws.reset();
    aws.secrets = [
      { Name: "staging/a-1", LastAccessedDate: new Date("2025-08-30T00:00:00Z") },
      { Name: "staging/a-2", DeletedDate: new Date("2025-08-01T10:00:00Z") },
      { Name: "production/a-1" },
    ];
  });
  afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

  const keys = { accessKey: "AKIDCONFIG", secretKey: "secret" };

  it("aws:endpoints sends the list to the configured Secrets Manager, signed for aws:region", async () => {
    const read = await liveReader({
      cluster: {},
      aws: { ...keys, region: "eu-central-1", endpoints: { secretsmanager: aws.url } },
      env: {},
      home,
    }).aws(awsQuestion);
    assert.deepEqual(read.status === "read" && { ...read.value }, {
      "staging/a-1": { lastAccessedDate: "2025-08-30T00:00:00.000Z" },
      "staging/a-2": { deletedDate: "2025-08-01T10:00:00.000Z" },
    });
    assert.deepEqual(
      aws.lists().map((r) => [r.accessKeyId, r.region, r.params.IncludePlannedDeletion]),
      [["AKIDCONFIG", "eu-central-1", true]],
    );
  });

  it("AWS_DEFAULT_REGION is the region when aws:region and AWS_REGION are not set", async () => {
    const read = await liveReader({
      cluster: {},
      aws: { ...keys, endpoints: { secretsmanager: aws.url } },
      env: { AWS_DEFAULT_REGION: "eu-west-3" },
      home,
    }).aws(awsQuestion);
    assert.equal(read.status, "read");
    assert.deepEqual(
      aws.lists().map((r) => r.region),
      ["eu-west-3"],
    );
  });

  it("aws:assumeRoles: STS AssumeRole with roleArn, sessionName, externalId and the duration, each role with the one before's credentials, and the list signed with the last", async () => {
    const read = await liveReader({
      cluster: {},
      aws: {
        ...keys,
        region: "us-east-1",
        endpoints: { secretsmanager: aws.url, sts: aws.url },
        assumeRoles: [
          {
            roleArn: "arn:aws:iam::111111111111:role/hub",
            sessionName: "guard",
            externalId: "ext-1",
            durationSeconds: 1800,
          },
          { roleArn: "arn:aws:iam::222222222222:role/reader" },
        ],
      },
      env: {},
      home,
    }).aws(awsQuestion);
    assert.equal(read.status, "read", JSON.stringify(read));
    const sts = aws.sts();
    assert.deepEqual(
      sts.map((r) => ({
        signedWith: r.accessKeyId,
        action: r.action,
        RoleArn: r.params.RoleArn,
        ExternalId: r.params.ExternalId,
        DurationSeconds: r.params.DurationSeconds,
      })),
      [
        {
          signedWith: "AKIDCONFIG",
          action: "AssumeRole",
          RoleArn: "arn:aws:iam::111111111111:role/hub",
          ExternalId: "ext-1",
          DurationSeconds: "1800",
        },
        {
          signedWith: "ASIAROLE1",
          action: "AssumeRole",
          RoleArn: "arn:aws:iam::222222222222:role/reader",
          ExternalId: undefined,
          DurationSeconds: "900",
        },
      ],
    );
    assert.equal(sts[0].params.RoleSessionName, "guard");
    assert.deepEqual(
      aws.lists().map((r) => r.accessKeyId),
      ["ASIAROLE2"],
    );
  });

  it("aws:profile in aws:sharedConfigFiles: its region, its endpoint_url, and the role its source_profile assumes", async () => {
    const config = path.join(home, "aws-config");
    fs.writeFileSync(
      config,
      [
        "[profile guard]",
        "region = ap-south-1",
        `endpoint_url = ${aws.url}`,
        "role_arn = arn:aws:iam::333333333333:role/from-profile",
        "source_profile = base",
        "[profile base]",
        "aws_access_key_id = AKIDPROFILE",
        "aws_secret_access_key = secret",
        "",
      ].join("\n"),
    );
    const read = await liveReader({
      cluster: {},
      aws: {
        profile: "guard",
        sharedConfigFile: config,
        sharedCredentialsFile: path.join(home, "none"),
      },
      // The environment's keys do not count once a profile is named.
      env: { AWS_ACCESS_KEY_ID: "AKIDENV", AWS_SECRET_ACCESS_KEY: "x" },
      home,
    }).aws(awsQuestion);
    assert.equal(read.status, "read", JSON.stringify(read));
    assert.deepEqual(
      aws.requests.map((r) => [r.action, r.accessKeyId, r.region]),
      [
        ["AssumeRole", "AKIDPROFILE", "ap-south-1"],
        ["ListSecrets", "ASIAROLE1", "ap-south-1"],
      ],
    );
  });

  it("aws:assumeRoleWithWebIdentity: the token file's token goes to STS, and the list is signed with what STS returns", async () => {
    fs.writeFileSync(path.join(home, "token"), "oidc-token\n");
    const read = await liveReader({
      cluster: {},
      aws: {
        region: "us-east-1",
        endpoints: { secretsmanager: aws.url, sts: aws.url },
        assumeRoleWithWebIdentity: {
          roleArn: "arn:aws:iam::444444444444:role/ci",
          sessionName: "ci",
          webIdentityTokenFile: "~/token",
        },
      },
      env: {},
      home,
    }).aws(awsQuestion);
    assert.equal(read.status, "read", JSON.stringify(read));
    const [sts] = aws.sts();
    assert.equal(sts.action, "AssumeRoleWithWebIdentity");
    assert.equal(sts.params.WebIdentityToken, "oidc-token");
    assert.equal(sts.params.RoleArn, "arn:aws:iam::444444444444:role/ci");
    assert.deepEqual(
      aws.lists().map((r) => r.accessKeyId),
      ["ASIAROLE1"],
    );
  });

  it("AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE come before the default profile's keys, as in the Go chain (aws-sdk-go-v2 config resolveCredentialChain)", async () => {
    fs.writeFileSync(path.join(home, "token"), "env-token");
    fs.mkdirSync(path.join(home, ".aws"), { recursive: true });
    fs.writeFileSync(
      path.join(home, ".aws", "credentials"),
      "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = s\n",
    );
    const read = await liveReader({
      cluster: {},
      aws: { region: "us-east-1", endpoints: { secretsmanager: aws.url, sts: aws.url } },
      env: {
        AWS_ROLE_ARN: "arn:aws:iam::555555555555:role/pod",
        AWS_WEB_IDENTITY_TOKEN_FILE: path.join(home, "token"),
      },
      home,
    }).aws(awsQuestion);
    assert.equal(read.status, "read", JSON.stringify(read));
    const [sts] = aws.sts();
    assert.equal(sts.action, "AssumeRoleWithWebIdentity");
    assert.equal(sts.params.WebIdentityToken, "env-token");
    assert.equal(sts.params.RoleArn, "arn:aws:iam::555555555555:role/pod");
    assert.deepEqual(
      aws.lists().map((r) => r.accessKeyId),
      ["ASIAROLE1"],
    );
  });

  it("aws:customCaBundle is the CA the guard trusts: one it cannot read makes AWS unavailable, naming the file", async () => {
    const read = await liveReader({
      cluster: {},
      aws: { ...keys, region: "us-east-1", customCaBundle: "~/missing-ca.pem" },
      env: {},
      home,
    }).aws(awsQuestion);
    assert.equal(read.status, "unavailable");
    assert.match(
      (read as { reason: string }).reason,
      new RegExp(`the CA bundle ${path.join(home, "missing-ca.pem")} cannot be read`),
    );
    assert.equal(aws.requests.length, 0);
  });

  it("the guard's timeout aborts the list in flight: the request is closed and the read is unavailable", async () => {
    aws.holdList = true;
    const read = await liveReader({
      cluster: {},
      aws: { ...keys, region: "us-east-1", endpoints: { secretsmanager: aws.url } },
      env: {},
      home,
      timeoutMs: 300,
    }).aws(awsQuestion);
    assert.deepEqual(read, { status: "unavailable", reason: "no answer within 0.3 s" });
    await aws.whenAbandoned();
    assert.equal(aws.abandoned, 1);
  });
});

describe("reference guard: the program reads the providers' settings from the stack config", () => {
  const aws = new LoopbackAws();
  before(async () => {
    await aws.start();
    fakeAws.restore();
  });
  after(async () => {
    fakeAws.install();
    await aws.stop();
  });
  beforeEach(() => aws.reset());

  /** One update of the base config on `staging`, with provider keys beside the project's. */
  const run = (providerKeys: Record<string, unknown>, project = baseConfig()) => {
    const config = projectConfig(project);
    for (const [key, value] of Object.entries(providerKeys)) {
      config.config[key] = typeof value === "string" ? value : JSON.stringify(value);
    }
    return runProgram({ stack: "staging", config, now: "20250724000000" });
  };

  it("aws:endpoints, aws:region and the keys in Pulumi.<stack>.yaml reach the guard's list", async () => {
    aws.secrets = [{ Name: "staging/auth-api-secrets-20250701090000" }];
    const result = await run({
      "aws:region": "eu-north-1",
      "aws:accessKey": "AKIDSTACK",
      "aws:secretKey": "secret",
      "aws:endpoints": [{ secretsmanager: aws.url, cloudwatch: aws.url }],
    });
    assert.equal(result.error, undefined, result.error?.message);
    assert.equal((result.outputs.guard as { aws: { status: string } }).aws.status, "read");
    assert.deepEqual(
      aws.lists().map((r) => [r.accessKeyId, r.region, r.params.Filters]),
      [["AKIDSTACK", "eu-north-1", [{ Key: "name", Values: ["staging/"] }]]],
    );
  });

  it("a setting the guard cannot honour stops the update before any resource, naming the stack and the key", async () => {
    const result = await run({
      "aws:assumeRole": { roleArn: "arn:aws:iam::1:role/legacy" },
      "kubernetes:renderYamlToDirectory": "rendered",
    });
    assert.equal(result.error?.name, "ConfigError");
    assert.match(result.error.message, /stack "staging"/);
    assert.match(result.error.message, /aws:assumeRole: is not a key of the AWS provider 7\.x/);
    assert.match(result.error.message, /kubernetes:renderYamlToDirectory: is set/);
    assert.deepEqual(result.resources, []);
    assert.equal(aws.requests.length, 0);
  });

  it("with the AWS check off, AWS settings are not the guard's business", async () => {
    const result = await run(
      { "aws:ec2MetadataServiceEndpoint": "http://169.254.169.254" },
      { ...baseConfig(), guard: { aws: false } },
    );
    assert.equal(result.error, undefined, result.error?.message);
    assert.equal((result.outputs.guard as { aws: { status: string } }).aws.status, "off");
  });
});
