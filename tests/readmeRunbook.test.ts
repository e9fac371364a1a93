/**
 * The README's rotation runbook, as written, applied to the committed `Pulumi.staging.yaml`:
 * each `pulumi config set --path` command is parsed as Pulumi parses property paths and applied
 * to the stack's config, and each step is one update that reads the previous one's outputs.
 * What each step adds, changes and deletes is compared with the listing the README gives under
 * the runbook table, and the table's own words with that listing. A runbook whose example ids,
 * paths, date or stated effects do not match the committed stack fails here.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { resolveNow } from "../core/clock";
import { referencedOutputs } from "../offline";
import {
  ProgramRun,
  TYPES,
  TestConfig,
  committedConfig,
  declare,
  diffStates,
  ofType,
  secretOf,
  versionReport,
  runPlan,
} from "./helpers";

const README = fs.readFileSync(path.join(__dirname, "..", "README.md"), "utf8");
const RUNBOOK = README.slice(
  README.indexOf("## The rotation runbook"),
  README.indexOf("\n## ", README.indexOf("## The rotation runbook") + 1),
);

/** The cells of the runbook row whose step starts with `step`: step, command, effect. */
function runbookRow(step: string): string[] {
  const row = RUNBOOK.split("\n").find((l) => l.startsWith(`| ${step} `));
  assert.ok(row, `the runbook has a row "${step}"`);
  return row.split(" | ").map((c) => c.replace(/^\| |\|$/g, "").trim());
}
const runbookCell = (step: string) => runbookRow(step)[1];

/** `pulumi config set [--secret] --path '<key><path>' <value>` as a key, segments and value. */
function parseConfigSet(command: string): { key: string; segments: string[]; value: string } {
  const m =
    /^pulumi config set (?:--secret )?--path '([^':]+:[^.[]+)((?:\.[^.[\]']+|\["[^"]+"\]|\[\d+\])*)' (\S+)$/.exec(
      command,
    );
  assert.ok(m, `not a config set command: ${command}`);
  const segments = [...m[2].matchAll(/\.([^.[\]]+)|\["([^"]+)"\]|\[(\d+)\]/g)].map(
    (t) => t[1] ?? t[2] ?? t[3],
  );
  return { key: m[1], segments, value: m[3] };
}

/** Applies a parsed command to a config of `secret-rotation:*` keys (without the prefix). */
function apply(config: TestConfig, command: string): void {
  const rm =
    /^pulumi config rm --path '(secret-rotation:[^.[]+)((?:\.[^.[\]']+|\["[^"]+"\])*)'$/.exec(
      command,
    );
  if (rm) {
    const segments = [...rm[2].matchAll(/\.([^.[\]]+)|\["([^"]+)"\]/g)].map((t) => t[1] ?? t[2]);
    let node: any = config;
    const path = [rm[1].slice("secret-rotation:".length), ...segments];
    for (const segment of path.slice(0, -1)) node = node[segment];
    assert.ok(path[path.length - 1] in node, `nothing to remove at ${command}`);
    delete node[path[path.length - 1]];
    return;
  }
  const { key, segments, value } = parseConfigSet(command);
  assert.ok(key.startsWith("secret-rotation:"), key);
  let node: any = config;
  const path = [key.slice("secret-rotation:".length), ...segments];
  for (const [i, segment] of path.slice(0, -1).entries()) {
    node[segment] ??= /^\d+$/.test(path[i + 1]) ? [] : {};
    node = node[segment];
  }
  node[path[path.length - 1]] = value;
}

const backticked = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]);

/**
 * A type as `pulumi preview` lists it: pulumi v3.248.0 sdk/go/common/tokens/tokens.go
 * `Type.DisplayName` (used by pkg/backend/display/rows.go for the type column) drops the last
 * module segment when it is the type's name in camelCase: `aws:secretsmanager/secret:Secret`
 * is shown as `aws:secretsmanager:Secret`, `kubernetes:core/v1:Secret` stays as it is.
 */
function displayName(type: string): string {
  const parts = type.split(":");
  if (parts.length !== 3 || parts[2] === "") return type;
  const [pkg, module, name] = parts;
  const slash = module.lastIndexOf("/");
  if (slash === -1) return type;
  const camel = name[0].toLowerCase() + name.slice(1);
  return module.slice(slash + 1) === camel ? `${pkg}:${module.slice(0, slash)}:${name}` : type;
}

/** What an update does, as the README lists it: `+ type name`, `~ ...`, `- ...`, sorted. */
function effect(before: ProgramRun, after: ProgramRun): string[] {
  const diff = diffStates(before, after);
  const line = (op: string) => (key: string) => {
    const [type, name] = key.split("::");
    return `${op} ${displayName(type)} ${name}`;
  };
  return [
    ...diff.added.map(line("+")),
    ...diff.changed.map(line("~")),
    ...diff.removed.map(line("-")),
  ].sort();
}

/** The README's listing under the runbook table: each step's label to its sorted lines. */
function statedEffects(): Map<string, string[]> {
  const block = /\n```text\n(1\. create ahead\n[\s\S]*?)```/.exec(RUNBOOK);
  assert.ok(block, "the runbook lists each step's effect in a text block");
  const effects = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of block[1].split("\n").filter((l) => l.trim() !== "")) {
    if (!line.startsWith(" ")) {
      const label = line.replace(/ \(.*\)$/, "");
      runbookRow(label); // every listed step is a row of the table
      effects.set(label, (current = []));
    } else if (line.trim() !== "nothing") {
      const m = /^ +([+~-]) (\S+) +(\S+)$/.exec(line);
      assert.ok(m && current, `not an effect line: ${line}`);
      current.push(`${m[1]} ${m[2]} ${m[3]}`);
    }
  }
  for (const lines of effects.values()) lines.sort();
  return effects;
}

/**
 * The table's words agree with the listing: a step that does nothing says "nothing"; each
 * version whose resources a step deletes, and each workload it adds, changes or deletes, is
 * named in the step's row.
 */
function assertRowSays(step: string, lines: readonly string[]): void {
  const cell = runbookRow(step)[2];
  if (lines.length === 0) assert.match(cell, /nothing/, `row ${step} says it changes nothing`);
  for (const line of lines) {
    const [op, type, name] = line.split(" ");
    const version = /-(\d{14})-/.exec(name)?.[1];
    if (op === "-" && version) {
      assert.ok(cell.includes(`\`${version}\``), `row ${step} names ${version}: ${cell}`);
    }
    const workload = /^kubernetes:(apps|batch)\/v1:/.test(type)
      ? name.replace(/-(deployment|cronjob)$/, "")
      : undefined;
    if (workload) {
      assert.ok(cell.includes(`\`${workload}\``), `row ${step} names ${workload}: ${cell}`);
    }
  }
}

describe("the README runbook on the committed staging stack", () => {
  const stated = statedEffects();
  // The header gives the runbook's clock as the plan command that checks it.
  const header = RUNBOOK.split("\n").find((l) => l.startsWith("| step "))!;
  const planCommand = backticked(header).find((c) => c.startsWith("npm run plan -- staging "));
  assert.ok(planCommand, `the runbook's header gives its plan command: ${header}`);
  const planArgs = planCommand.replace("npm run plan -- ", "").split(" ");
  const at = resolveNow(planArgs[planArgs.indexOf("--at") + 1], new Date(), "--at");
  const later = new Date(at.getTime() + 365 * 24 * 60 * 60 * 1000);

  // 1. create ahead: the row says which entry to add under versions.
  const [entry] = backticked(runbookCell("1. create ahead"));
  const created = JSON.parse(`{${entry}}`) as Record<string, unknown>;
  const id = Object.keys(created)[0];

  it("lists exactly the steps of the table, and the table's words name what each does", () => {
    const rows = RUNBOOK.split("\n")
      .filter((l) => /^\| [^\s-]/.test(l) && !l.startsWith("| step "))
      .map((l) => l.split(" | ")[0].slice(2).trim());
    assert.deepEqual([...stated.keys()], rows);
    for (const [step, lines] of stated) assertRowSays(step, lines);
  });

  it("each step adds, changes and deletes what the README lists, with the memory of the step before", async () => {
    const config = committedConfig("staging");
    const secret = () => secretOf(config);
    let previous: Record<string, unknown> | undefined;
    let last: ProgramRun | undefined;
    const runs = new Map<string, ProgramRun>();
    const step = async (label: string, now: Date) => {
      const run = await declare(structuredClone(config), { now: now.toISOString(), previous });
      assert.equal(run.error, undefined, `${label}: ${run.error?.message}`);
      if (last) assert.deepEqual(effect(last, run), stated.get(label), `step ${label}`);
      previous = referencedOutputs(run);
      last = run;
      runs.set(label, run);
      return run;
    };

    // The stack as committed, on its first update (no memory yet).
    await step("committed", at);
    Object.assign(secret().versions, created);
    assert.equal(versionReport(await step("1. create ahead", at), id).state, "pending");
    assert.equal(
      versionReport(runs.get("1. create ahead")!, "20261020100000").state,
      "previous",
      "the rollback target stays",
    );

    // 2. stage: the same config again.
    assert.equal(versionReport(await step("2. stage", at), id).state, "pending");

    // 3a. canary: the second command repeats the first one's path up to `.canary`.
    const [canaryVersion, canaryPercent] = backticked(runbookCell("3a. canary"));
    apply(config, canaryVersion);
    const percent = /^\.\.\. \.canary\.percent (\d+)$/.exec(canaryPercent)?.[1];
    assert.ok(percent, canaryPercent);
    apply(config, canaryVersion.replace(/canary\.version' \S+$/, `canary.percent' ${percent}`));
    assert.equal(versionReport(await step("3a. canary", at), id).state, "canary");

    // 3. promote: its commands set active and, after 3a, remove the canary. Then 4. roll back.
    const promote = backticked(runbookCell("3. promote")).filter((c) => c.startsWith("pulumi "));
    assert.equal(promote.length, 2, "set active, and after 3a remove the canary");
    for (const command of promote) apply(config, command);
    assert.equal(secret().canary, undefined);
    assert.equal(versionReport(await step("3. promote", at), "20261020100000").state, "expired");
    for (const command of backticked(runbookCell("4. roll back"))) apply(config, command);
    const rolledBack = await step("4. roll back", at);
    for (const type of [TYPES.deployment, TYPES.cronJob]) {
      assert.deepEqual(
        ofType(rolledBack, type).map((r) => r.inputs),
        ofType(runs.get("2. stage")!, type).map((r) => r.inputs),
        `roll back restores the ${type} of before step 3 exactly`,
      );
    }

    // 5. clean up: any later update; then pin.
    await step("5. clean up", later);
    for (const command of backticked(runbookCell("pin"))) apply(config, command);
    await step("pin", later);

    const report = (runs.get("pin")!.outputs.secrets as any)["auth-api-secrets"];
    assert.equal(report.activeVersion, "20261110100000");
    const states = Object.fromEntries(report.versions.map((v: any) => [v.version, v.state]));
    assert.deepEqual(states, {
      "20261020100000": "pruned",
      "20261110100000": "active",
      [id]: "pending",
    });
  });

  it("1. create ahead without memory keeps the rollback target unless the AWS read shows it gone: nothing pruned is revived", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "runbook-aws-"));
    try {
      const text = fs.readFileSync(path.join(__dirname, "..", "Pulumi.staging.yaml"), "utf8");
      const last = '        "20261110100000": {}\n';
      fs.writeFileSync(
        path.join(dir, "Pulumi.staging.yaml"),
        text.replace(last, `${last}        ${entry}\n`),
      );
      const aws = path.join(dir, "aws.json");
      const listing = (names: string[]) =>
        JSON.stringify({
          SecretList: names.map((v) => ({
            Name: `staging/auth-api-secrets-${v}`,
            LastChangedDate: "2026-11-10T10:00:00Z",
          })),
        });
      const planOf = async () => {
        const args = ["staging", "--at", planArgs[planArgs.indexOf("--at") + 1], "--dir", dir];
        const { code, out, err } = await runPlan(...args, "--aws", aws, "--json");
        assert.equal(code, 0, err);
        const secret = JSON.parse(out).outputs.secrets["auth-api-secrets"];
        return secret.versions.find((v: any) => v.version === "20261020100000").state;
      };
      // AWS lists the rollback target: keeping it declares what exists.
      fs.writeFileSync(aws, listing(["20261020100000", "20261110100000"]));
      assert.equal(await planOf(), "previous");
      // AWS does not list it (pruned by an update whose memory is gone): it is not revived.
      // Without the AWS read (no --aws), it is kept, as the guard keeps what it cannot check
      // (the header's plan command, above, shows it).
      fs.writeFileSync(aws, listing(["20261110100000"]));
      assert.equal(await planOf(), "expired");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("1'. a set key: refused for a generated key of the committed stack, and adds the version on a secret that sets the key", async () => {
    const [command] = backticked(runbookCell("1'. a set key")).filter((c) =>
      c.startsWith("pulumi config set"),
    );
    const forKey = command.replace("<secret>", "auth-api-secrets").replace("<key>", "api_token");

    // Every key of the committed secret is generated: the command is refused, as the row says.
    const committed = committedConfig("staging");
    apply(committed, forKey);
    const refused = await declare(committed, { now: at.toISOString() });
    assert.match(
      refused.error?.message ?? "",
      new RegExp(`versions\\.${id}\\.api_token: is generated \\(listed under generate\\)`),
    );

    // The same secret with api_token set in every version and signing_key generated.
    const config = committedConfig("staging");
    delete secretOf(config).generate.api_token;
    for (const v of Object.keys(secretOf(config).versions)) {
      secretOf(config).versions[v] = { api_token: `token-${v}` };
    }
    const before = await declare(structuredClone(config), { now: at.toISOString() });
    assert.equal(before.error, undefined, before.error?.message);
    apply(config, forKey);
    const after = await declare(config, {
      now: at.toISOString(),
      previous: referencedOutputs(before),
    });
    assert.equal(after.error, undefined, after.error?.message);
    assert.deepEqual(effect(before, after), stated.get("1'. a set key"));
    assert.equal(versionReport(after, id).state, "pending");
  });

  it("the header's plan command works on the committed stack after step 1", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "runbook-"));
    try {
      // Step 1 as a user writes it: the entry on its own line under `versions`.
      const text = fs.readFileSync(path.join(__dirname, "..", "Pulumi.staging.yaml"), "utf8");
      const last = '        "20261110100000": {}\n';
      assert.ok(text.includes(last), "the committed stack lists 20261110100000 last");
      fs.writeFileSync(
        path.join(dir, "Pulumi.staging.yaml"),
        text.replace(last, `${last}        ${entry}\n`),
      );
      // outputs.json: the stack's memory before step 1, from its update as committed.
      const before = await declare(committedConfig("staging"), { now: at.toISOString() });
      fs.writeFileSync(path.join(dir, "outputs.json"), JSON.stringify(referencedOutputs(before)));
      const args = planArgs.map((a) => (a === "outputs.json" ? path.join(dir, "outputs.json") : a));
      const { code, out, err } = await runPlan(...args, "--dir", dir);
      assert.equal(code, 0, err);
      assert.match(out, new RegExp(`${id} +pending `));
      assert.match(out, /20261020100000 +previous /);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
