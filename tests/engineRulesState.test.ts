/**
 * Rules of the runtime, the engine's state and the AWS provider that the mock runtime does not
 * enforce, each pinned with the upstream path it was read from: which Node loads the program,
 * what a StackReference hands over when it cannot decrypt, which recovery window a delete
 * uses, and what a stored value's VersionId looks like. Versions: Node v20.19.0 and v22.12.0,
 * @kubernetes/client-node 1.4.0, pulumi v3.248.0, terraform-provider-aws v6 (main, under
 * @pulumi/aws 7.48.0), terraform-plugin-sdk v2 helper/id.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as semver from "semver";
import { DEFAULT_AWS_RECOVERY_WINDOW_DAYS } from "../config/types";
import * as pulumi from "@pulumi/pulumi";
import { MEMORY_OUTPUTS, stackReferenceReader } from "../program/preflight";
import { PROJECT } from "../core/project";
import {
  RecordingMocks,
  oneAtATime,
  SECRET_SIG,
  SECRET_VERSION_ID,
  SIG_KEY,
  fakeSecretVersionId,
} from "../offline";
import { fakeAws } from "../fakes/world";
import {
  ProgramRun,
  TYPES,
  baseConfig,
  declare,
  diffStates,
  inputsOf,
  ofType,
  runHistory,
  versionReport,
} from "./helpers";

const root = path.resolve(__dirname, "..");
const readJson = (file: string): any => JSON.parse(fs.readFileSync(file, "utf8"));

describe("engine rules: Node's module loader (require(esm) unflagged in node v20.19.0 and v22.12.0)", () => {
  const pkg = readJson(path.join(root, "package.json"));
  const range: string = pkg.engines.node;

  it("@kubernetes/client-node 1.4.0 is an ES module, and the program, compiled as CommonJS, require()s it", () => {
    const clientNode = readJson(
      path.join(root, "node_modules/@kubernetes/client-node/package.json"),
    );
    assert.equal(clientNode.version, "1.4.0");
    assert.equal(clientNode.type, "module", "its .js files are ES modules");
    assert.equal(
      clientNode.exports,
      undefined,
      "no `require` condition pointing at a CommonJS build",
    );
    const tsconfig = readJson(path.join(root, "tsconfig.json"));
    assert.equal(tsconfig.compilerOptions.module, "commonjs", "imports compile to require()");
    // Node's own flag for "require() loads ES modules" (true from v20.19.0 and v22.12.0).
    assert.equal((process.features as { require_module?: boolean }).require_module, true);
  });

  it("engines.node admits exactly the releases whose require() loads an ES module", () => {
    assert.equal(range, ">=20.19 <21 || >=22.12");
    for (const v of ["20.19.0", "20.20.2", "22.12.0", "22.22.0", "24.0.0"]) {
      assert.ok(semver.satisfies(v, range), `${v} loads the program`);
    }
    // 21.x never unflagged require(esm); before 20.19 and 22.12 it is ERR_REQUIRE_ESM.
    for (const v of ["18.20.8", "20.0.0", "20.18.3", "21.7.3", "22.0.0", "22.11.0"]) {
      assert.ok(!semver.satisfies(v, range), `${v} cannot require() client-node`);
    }
    const lock = readJson(path.join(root, "package-lock.json"));
    assert.equal(lock.packages[""].engines.node, range, "package-lock.json says the same");
  });

  it("this process runs a Node that engines.node admits", () => {
    assert.ok(semver.satisfies(process.version, range), `${process.version} is outside ${range}`);
  });
});

describe("engine rules: a self-reference's undecryptable secret output is {} (pulumi builtins.go readStackReference, backend/secrets.go errorCatchingSecretsManager, v3.248.0)", () => {
  it("versionFingerprints is the one secret output of the memory, so it arrives whole or as {}", async () => {
    const [run] = await runHistory([{ config: baseConfig(), now: "20250724000000" }]);
    assert.deepEqual(run.secretOutputs, ["versionFingerprints"]);
    assert.ok(Object.keys(run.outputs.versionFingerprints as object).length > 0);
  });

  it("the plaintext {} the engine substitutes reaches the program as the output's secretValue", async () => {
    // errorCatchingSecretsManager.DecryptValue returns "{}" when onDecryptError returns nil,
    // which readStackReference's callback always does; readStackReference lists the output in
    // secretOutputNames, so getOutputDetails (sdk/nodejs/stackReference.ts) gives secretValue.
    const stack = "organization/secret-rotation/staging";
    const mocks = new RecordingMocks({
      [stack]: { secrets: { a: 1 }, versionFingerprints: { [SIG_KEY]: SECRET_SIG, value: {} } },
    });
    await oneAtATime(() => pulumi.runtime.setMocks(mocks, PROJECT, "staging", false));
    try {
      const probe = new pulumi.StackReference("probe", { name: stack });
      assert.deepEqual(await probe.getOutputDetails("versionFingerprints"), { secretValue: {} });
      assert.deepEqual(await probe.getOutputDetails("secrets"), { value: { a: 1 } });
      const read = await stackReferenceReader.read("previous", stack, MEMORY_OUTPUTS);
      assert.deepEqual(read, { secrets: { a: 1 }, versionFingerprints: {}, workloads: undefined });
    } finally {
      await pulumi.runtime.disconnect();
    }
  });
});

/** The inputs of the AWS secret of `version` in `run`, or undefined when it is not declared. */
function awsSecretOf(run: ProgramRun, version: string): any {
  const found = ofType(run, TYPES.awsSecret).find((r) => inputsOf(r).tags.version === version);
  return found && inputsOf(found);
}

/**
 * terraform-provider-aws internal/service/secretsmanager/secret.go resourceSecret: of the
 * arguments this program sets, only `name` (and `name_prefix`) are ForceNew;
 * `recovery_window_in_days` is Optional with Default 30, not ForceNew, and resourceSecretUpdate
 * sends nothing to AWS for it, so a change is an in-place update that only writes state.
 */
const SECRET_FORCE_NEW = ["name", "namePrefix"];

describe("engine rules: the recovery window is read from state (terraform-provider-aws secret.go resourceSecretDelete)", () => {
  const OLD = "20250701090000";
  const windowed = (days: number) => ({ ...baseConfig(), awsRecoveryWindowDays: days });

  it("a changed awsRecoveryWindowDays updates every declared version's secret in place", async () => {
    const [before, after] = await runHistory([
      { config: baseConfig(), now: "20250724000000" },
      { config: windowed(7), now: "20250725000000" },
    ]);
    const secrets = ofType(after, TYPES.awsSecret).map(inputsOf);
    assert.equal(secrets.length, 3);
    assert.ok(secrets.every((s) => s.recoveryWindowInDays === 7));
    assert.ok(
      ofType(before, TYPES.awsSecret)
        .map(inputsOf)
        .every((s) => s.recoveryWindowInDays === DEFAULT_AWS_RECOVERY_WINDOW_DAYS),
    );
    const diff = diffStates(before, after);
    assert.deepEqual(diff.added, []);
    assert.deepEqual(diff.removed, []);
    assert.deepEqual(
      diff.changed,
      ofType(after, TYPES.awsSecret)
        .map((r) => `${TYPES.awsSecret}::${r.name}`)
        .sort(),
      "only the AWS secrets change",
    );
    for (const r of ofType(after, TYPES.awsSecret)) {
      const old = inputsOf(ofType(before, TYPES.awsSecret).find((b) => b.name === r.name)!);
      const changed = Object.keys(inputsOf(r)).filter(
        (k) => JSON.stringify(inputsOf(r)[k]) !== JSON.stringify(old[k]),
      );
      assert.deepEqual(changed, ["recoveryWindowInDays"]);
      assert.ok(!changed.some((k) => SECRET_FORCE_NEW.includes(k)), "no replacement");
    }
  });

  it("a prune deletes with the window stored at the version's last update, not the one configured now", async () => {
    // resourceSecretDelete: d.Get("recovery_window_in_days") from state; 0 sends
    // ForceDeleteWithoutRecovery, anything else RecoveryWindowInDays.
    const runs = await runHistory([
      { config: baseConfig(), now: "20250724000000" },
      { config: windowed(7), now: "20250725000000" },
      { config: windowed(0), now: "20250901000000" },
    ]);
    runs.forEach((r) => assert.equal(r.error, undefined, r.error?.message));
    const [, changed, pruning] = runs;
    assert.equal(versionReport(changed, OLD).state, "retained");
    assert.equal(awsSecretOf(changed, OLD).recoveryWindowInDays, 7, "state holds 7 from here");
    assert.equal(versionReport(pruning, OLD).state, "expired");
    assert.equal(awsSecretOf(pruning, OLD), undefined, "not declared: deleted with 7, not 0");
    assert.equal(awsSecretOf(pruning, "20250723110000").recoveryWindowInDays, 0);
  });

  it("after `pulumi destroy`, an `up` within the window is refused before anything is declared", async () => {
    // The destroy scheduled every name for deletion; AWS refuses CreateSecret for such a name
    // (secret.go resourceSecretCreate retries "scheduled for deletion" for 2 minutes, then
    // fails). The guard's AWS list sees the names pending deletion first.
    fakeAws.secrets = ["20250701090000", "20250715100000", "20250723110000"].map((v) => ({
      Name: `staging/auth-api-secrets-${v}`,
      DeletedDate: new Date("2025-07-24T12:00:00Z"),
    }));
    const run = await declare(baseConfig(), { now: "20250725000000", previous: {} });
    const message = run.error?.message ?? "";
    assert.match(message, /version 20250723110000 cannot be active/);
    assert.match(message, /restore-secret --secret-id staging\/auth-api-secrets-20250723110000/);
    assert.deepEqual(
      run.resources.filter((r) => r.type !== TYPES.stackReference),
      [],
    );
  });
});

describe("engine rules: SecretVersion.versionId is the provider's request token (terraform-provider-aws secret_version.go resourceSecretVersionCreate, terraform-plugin-sdk helper/id PrefixedUniqueId)", () => {
  it("has the shape of id.UniqueId(): terraform-, 18 digits of UTC time, 8 hex digits of counter", () => {
    // PutSecretValue's ClientRequestToken "becomes the VersionId of the new version" (Secrets
    // Manager API reference); both are 32 to 64 characters.
    const id = fakeSecretVersionId("auth-api-secrets-20250723110000-aws-value", '"{}"');
    assert.match(id, SECRET_VERSION_ID);
    assert.equal(id.length, "terraform-".length + 26);
    assert.ok(id.length >= 32 && id.length <= 64);
    assert.doesNotMatch(id, /^[0-9a-f]{8}-[0-9a-f]{4}-/, "never a UUID");
  });

  it("is the same for the same stored value and new for a new one, so mocked runs stay deterministic", () => {
    const name = "auth-api-secrets-aws-value";
    assert.equal(fakeSecretVersionId(name, '"a"'), fakeSecretVersionId(name, '"a"'));
    assert.notEqual(fakeSecretVersionId(name, '"a"'), fakeSecretVersionId(name, '"b"'));
  });
});
