/**
 * `npm run permissions -- <stack> [--json]`: the deployer's IAM policy, the guard's RBAC and the
 * External Secrets policy, computed from the stack files the project ships and from stack files
 * written here.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stringify } from "yaml";
import { permissionsJson, runPermissions } from "./permissionsHelpers";
import { type PolicyDocument, type StackPermissions, kmsKeyResource } from "../plan/permissions";

const run = runPermissions;
const json = permissionsJson;

/** Every statement's actions with its resources, for checks that span statements. */
const grants = (p: PolicyDocument) =>
  p.Statement.flatMap((s) =>
    s.Action.map((action) => ({ action, resources: [s.Resource].flat(), sid: s.Sid })),
  );

/** The rules every document must keep: named actions only, ListSecrets alone on `*`. */
function assertLeastPrivilege(p: StackPermissions, environment: string): void {
  for (const doc of [p.deployerPolicy, p.previewPolicy, p.externalSecretsPolicy].filter((d) => d)) {
    for (const g of grants(doc!)) {
      assert.ok(!g.action.includes("*"), `wildcard action ${g.action}`);
      if (g.resources.includes("*")) assert.equal(g.action, "secretsmanager:ListSecrets");
      if (g.action.startsWith("secretsmanager:") && g.action !== "secretsmanager:ListSecrets") {
        for (const r of g.resources) {
          assert.match(
            r,
            new RegExp(`^arn:aws:secretsmanager:[^:]+:[^:]+:secret:${environment}/\\*$`),
          );
        }
      }
    }
  }
  for (const o of p.guardRbac) {
    for (const rule of (o.rules as { resources: string[]; verbs: string[] }[]) ?? []) {
      assert.ok(!rule.resources.includes("secrets"), "the guard never reads Secrets");
      for (const v of rule.verbs) assert.ok(["get", "list"].includes(v), `verb ${v}`);
    }
  }
}

/** A default preview's AWS grant: the guard's ListSecrets, nothing that reads a value. */
const PREVIEW_LIST = [
  {
    Sid: "GuardListSecrets",
    Effect: "Allow",
    Action: ["secretsmanager:ListSecrets"],
    Resource: "*",
  },
];

describe("npm run permissions", () => {
  it("staging: Secrets Manager on staging/* in us-east-1, ListSecrets on *, list on the seven kinds cluster-wide; no ESO policy", () => {
    const p = json("staging");
    assertLeastPrivilege(p, "staging");
    assert.deepEqual(
      p.deployerPolicy.Statement.map((s) => [s.Sid, s.Resource]),
      [
        ["SecretVersions", "arn:aws:secretsmanager:us-east-1:*:secret:staging/*"],
        ["GuardListSecrets", "*"],
      ],
    );
    assert.deepEqual(PREVIEW_LIST, p.previewPolicy.Statement);
    assert.equal(p.externalSecretsPolicy, undefined);
    assert.deepEqual(
      p.guardRbac.map((o) => o.kind),
      ["ClusterRole", "ClusterRoleBinding"],
    );
    assert.deepEqual(p.guardRbac[0].rules, [
      { apiGroups: [""], resources: ["pods"], verbs: ["list"] },
      {
        apiGroups: ["apps"],
        resources: ["daemonsets", "deployments", "replicasets", "statefulsets"],
        verbs: ["list"],
      },
      { apiGroups: ["batch"], resources: ["cronjobs", "jobs"], verbs: ["list"] },
    ]);
  });

  it("production: its monitored secrets add the CloudWatch alarms by name prefix, and only them", () => {
    const p = json("production", "--account", "123456789012");
    assertLeastPrivilege(p, "production");
    const alarms = p.deployerPolicy.Statement.find((s) => s.Sid === "RotationAlarms");
    assert.ok(alarms, "a production secret has monitor: its alarm needs CloudWatch");
    assert.equal(
      alarms.Resource,
      "arn:aws:cloudwatch:us-east-1:123456789012:alarm:secret-rotation/production/*",
    );
    assert.ok(alarms.Action.every((a) => a.startsWith("cloudwatch:")));
    assert.deepEqual(p.previewPolicy.Statement, PREVIEW_LIST, "the preview creates no alarm");
    assert.equal(
      p.deployerPolicy.Statement[0].Resource,
      "arn:aws:secretsmanager:us-east-1:123456789012:secret:production/*",
    );
  });

  it("an External Secrets stack: the operator's policy is GetSecretValue on the environment's secrets in the store's region", () => {
    const p = json("staging", "--dir", "examples/external-secrets");
    assertLeastPrivilege(p, "staging");
    assert.deepEqual(p.previewPolicy.Statement, PREVIEW_LIST, "the preview reads no value");
    assert.deepEqual(p.externalSecretsPolicy, {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "ReadEnvironmentSecrets",
          Effect: "Allow",
          Action: ["secretsmanager:GetSecretValue"],
          Resource: "arn:aws:secretsmanager:eu-central-1:*:secret:staging/*",
        },
      ],
    });
  });

  describe("from a stack file's settings", () => {
    let dir: string;
    beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "perms-"))));
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
    const write = (stack: string, config: Record<string, unknown>) =>
      fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), stringify({ config }));
    const secrets = {
      "auth-api-secrets": {
        active: "20250723110000",
        versions: { "20250723110000": { api_token: "token-v3" } },
      },
    };

    it("awsKmsKeyId, awsReadWithinDays, guard.namespaces, a linked workload, an assumed store role: each adds what it needs and nothing else", () => {
      write("staging", {
        "aws:region": "eu-west-1",
        "aws:allowedAccountIds": ["210987654321"],
        "secret-rotation:namespace": "billing",
        "secret-rotation:awsKmsKeyId": "alias/rotation",
        "secret-rotation:delivery": "externalSecrets",
        "secret-rotation:externalSecrets": {
          storeRef: { name: "store", kind: "ClusterSecretStore" },
          store: { auth: "podIdentity", role: "arn:aws:iam::210987654321:role/eso-read" },
        },
        "secret-rotation:guard": { awsReadWithinDays: 7, namespaces: ["team-a"] },
        "secret-rotation:secrets": secrets,
        "secret-rotation:workloads": {
          billing: {
            owner: "external",
            kind: "Deployment",
            namespace: "billing",
            containers: ["app"],
            secrets: ["auth-api-secrets"],
          },
        },
      });
      const p = json("staging", "--dir", dir, "--subject", "ServiceAccount:ci/deployer");
      assertLeastPrivilege(p, "staging");
      const sids = p.deployerPolicy.Statement.map((s) => s.Sid);
      assert.deepEqual(sids, [
        "SecretVersions",
        "GuardListSecrets",
        "GuardReadWithinDays",
        "SecretsKmsKey",
      ]);
      const within = p.deployerPolicy.Statement[2];
      assert.deepEqual(within.Action, ["secretsmanager:DescribeSecret"]);
      assert.equal(
        within.Resource,
        "arn:aws:secretsmanager:eu-west-1:210987654321:secret:staging/*",
      );
      assert.deepEqual(p.deployerPolicy.Statement[3], {
        Sid: "SecretsKmsKey",
        Effect: "Allow",
        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
        Resource: "arn:aws:kms:eu-west-1:210987654321:key/*",
        Condition: {
          StringEquals: { "kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com" },
          "ForAnyValue:StringEquals": { "kms:ResourceAliases": ["alias/rotation"] },
        },
      });
      assert.deepEqual(
        p.externalSecretsPolicy?.Statement.map((s) => s.Action),
        [["secretsmanager:GetSecretValue"], ["kms:Decrypt"]],
      );
      // Lists in team-a and the stack's namespace (billing), where it also GETs the linked
      // Deployment: a RoleBinding in each, no ClusterRoleBinding.
      assert.deepEqual(
        p.guardRbac.map((o) => [o.kind, (o.metadata as { namespace?: string }).namespace]),
        [
          ["ClusterRole", undefined],
          ["RoleBinding", "billing"],
          ["RoleBinding", "team-a"],
        ],
      );
      assert.deepEqual(p.guardRbac[1].subjects, [
        { kind: "ServiceAccount", name: "deployer", namespace: "ci" },
      ]);
      const apps = (
        p.guardRbac[0].rules as { apiGroups: string[]; verbs: string[]; resources: string[] }[]
      ).filter((r) => r.apiGroups[0] === "apps");
      assert.deepEqual(apps, [
        {
          apiGroups: ["apps"],
          resources: ["daemonsets", "deployments", "statefulsets"],
          verbs: ["get", "list"],
        },
        { apiGroups: ["apps"], resources: ["replicasets"], verbs: ["list"] },
      ]);
      const text = run("staging", "--dir", dir);
      assert.match(
        text.out,
        /attach the operator's policy to arn:aws:iam::210987654321:role\/eso-read/,
      );
    });

    it("guard.aws and guard.kubernetes off: no ListSecrets and no RBAC", () => {
      write("staging", {
        "aws:region": "us-east-1",
        "secret-rotation:guard": { aws: false, kubernetes: false },
        "secret-rotation:secrets": secrets,
      });
      const p = json("staging", "--dir", dir);
      assert.deepEqual(
        p.deployerPolicy.Statement.map((s) => s.Sid),
        ["SecretVersions"],
      );
      assert.deepEqual(p.guardRbac, []);
      assert.match(run("staging", "--dir", dir).out, /Guard RBAC: none/);
    });

    it("a config the program refuses is refused here, naming the stack and the field (exit 1)", () => {
      write("staging", { "secret-rotation:retentionDays": 0, "secret-rotation:secrets": secrets });
      const r = run("staging", "--dir", dir);
      assert.equal(r.code, 1);
      assert.match(r.err, /stack "staging"/);
      assert.match(r.err, /retentionDays/);
    });
  });

  it("awsKmsKeyId as a key id, a key ARN, an alias or an alias ARN: the key itself, or any key carrying the alias", () => {
    const id = "1234abcd-12ab-34cd-56ef-1234567890ab";
    assert.deepEqual(kmsKeyResource(id, "eu-west-1", "111122223333"), {
      resource: `arn:aws:kms:eu-west-1:111122223333:key/${id}`,
    });
    const arn = `arn:aws-cn:kms:cn-north-1:111122223333:key/${id}`;
    assert.deepEqual(kmsKeyResource(arn, "eu-west-1", "*"), { resource: arn });
    assert.deepEqual(kmsKeyResource("alias/rotation", "cn-north-1", "*"), {
      resource: "arn:aws-cn:kms:cn-north-1:*:key/*",
      aliases: ["alias/rotation"],
    });
    assert.deepEqual(
      kmsKeyResource("arn:aws:kms:us-east-1:111122223333:alias/rotation", "*", "*"),
      {
        resource: "arn:aws:kms:us-east-1:111122223333:key/*",
        aliases: ["alias/rotation"],
      },
    );
  });

  it("bad usage exits 2 naming what is wrong: no stack file, a qualified stack name, a bad --account, a bad --subject", () => {
    const missing = run("nosuchstack");
    assert.equal(missing.code, 2);
    assert.match(missing.err, /no stack file .*Pulumi\.nosuchstack\.yaml/);
    // A qualified name (as `pulumi stack ls` may show it): the file is named by the stack's own name.
    const qualified = run("acme/secret-rotation/staging");
    assert.equal(qualified.code, 2);
    assert.match(
      qualified.err,
      /"acme\/secret-rotation\/staging" is a qualified stack name: give the stack's own name, "staging" \(its file is Pulumi\.staging\.yaml\)/,
    );
    const account = run("staging", "--account", "12");
    assert.equal(account.code, 2);
    assert.match(account.err, /--account "12": an AWS account id is 12 digits/);
    const subject = run("staging", "--subject", "Robot:x");
    assert.equal(subject.code, 2);
    assert.match(subject.err, /--subject "Robot:x": write User:<name>/);
  });
});
