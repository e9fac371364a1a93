/**
 * `npm run permissions`: the live preview's read-only AWS role (`previewPolicy`,
 * .github/workflows/preview.yml `AWS_READONLY_ROLE_ARN`) and the RBAC name prefix (`--name`).
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stringify } from "yaml";
import { permissionsJson, runPermissions } from "./permissionsHelpers";
import type { StackPermissions } from "../plan/permissions";

const run = runPermissions;
const json = permissionsJson;

/** Actions that return a secret's value (or decrypt one): never in the preview's role. */
const VALUE_READS = ["secretsmanager:GetSecretValue", "secretsmanager:BatchGetSecretValue"];

const actionsOf = (p: StackPermissions["previewPolicy"]) => p.Statement.flatMap((s) => s.Action);

describe("npm run permissions: the live preview's read-only role (previewPolicy)", () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "perms-preview-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (config: Record<string, unknown>) =>
    fs.writeFileSync(path.join(dir, "Pulumi.staging.yaml"), stringify({ config }));
  const secrets = {
    "auth-api-secrets": {
      active: "20250723110000",
      versions: { "20250723110000": { api_token: "token-v3" } },
    },
  };

  for (const [stack, dirArgs] of [
    ["staging", []],
    ["production", []],
    ["staging", ["--dir", "examples/external-secrets"]],
  ] as const) {
    it(`${stack}${dirArgs.length ? " (External Secrets)" : ""}: only the guard's statements of the deployer's policy, no value read, no KMS`, () => {
      const p = json(stack, ...dirArgs);
      const deployer = new Map(p.deployerPolicy.Statement.map((s) => [s.Sid, s]));
      for (const s of p.previewPolicy.Statement) {
        assert.ok(s.Sid.startsWith("Guard"), s.Sid);
        assert.deepEqual(s, deployer.get(s.Sid), "the same grant as the deployer's");
      }
      for (const a of actionsOf(p.previewPolicy)) {
        assert.ok(!VALUE_READS.includes(a) && !a.startsWith("kms:"), a);
      }
      assert.deepEqual(actionsOf(p.previewPolicy), ["secretsmanager:ListSecrets"]);
    });
  }

  it("the text names the role it is for; guard.awsReadWithinDays adds DescribeSecret (metadata, no value)", () => {
    write({
      "aws:region": "eu-west-1",
      "aws:allowedAccountIds": ["210987654321"],
      "secret-rotation:guard": { awsReadWithinDays: 30 },
      "secret-rotation:secrets": secrets,
    });
    const p = json("staging", "--dir", dir);
    assert.deepEqual(
      p.previewPolicy.Statement.map((s) => [s.Sid, s.Action, s.Resource]),
      [
        ["GuardListSecrets", ["secretsmanager:ListSecrets"], "*"],
        [
          "GuardReadWithinDays",
          ["secretsmanager:DescribeSecret"],
          "arn:aws:secretsmanager:eu-west-1:210987654321:secret:staging/*",
        ],
      ],
    );
    assert.match(
      run("staging", "--dir", dir).out,
      /Preview IAM policy: attach to the live preview's read-only role \(AWS_READONLY_ROLE_ARN\)/,
    );
  });

  it("guard.aws off: the preview needs no AWS grant at all", () => {
    write({
      "aws:region": "us-east-1",
      "secret-rotation:guard": { aws: false },
      "secret-rotation:secrets": secrets,
    });
    assert.deepEqual(json("staging", "--dir", dir).previewPolicy.Statement, []);
    assert.match(run("staging", "--dir", dir).out, /Preview IAM policy: none/);
  });
});

describe("npm run permissions --name: the RBAC objects' name prefix", () => {
  it("default secret-rotation-guard-<stack>; --name gives every object and its roleRef <name>-<stack>", () => {
    const names = (p: StackPermissions) =>
      p.guardRbac.map((o) => [
        o.kind,
        (o.metadata as { name: string }).name,
        (o.roleRef as { name: string } | undefined)?.name,
      ]);
    assert.deepEqual(names(json("staging")), [
      ["ClusterRole", "secret-rotation-guard-staging", undefined],
      ["ClusterRoleBinding", "secret-rotation-guard-staging", "secret-rotation-guard-staging"],
    ]);
    assert.deepEqual(names(json("staging", "--name", "payments-rotation")), [
      ["ClusterRole", "payments-rotation-staging", undefined],
      ["ClusterRoleBinding", "payments-rotation-staging", "payments-rotation-staging"],
    ]);
  });

  it("a --name that makes no valid object name exits 2, naming the rule and the default", () => {
    for (const bad of ["Payments", "-x", "x_y", "a".repeat(250)]) {
      const r = run("staging", "--name", bad);
      assert.equal(r.code, 2, bad);
      assert.match(
        r.err,
        /^--name ".*": the RBAC objects are named <name>-<stack>, which must be a DNS subdomain/,
      );
      assert.match(r.err, /default secret-rotation-guard/);
    }
  });
});
