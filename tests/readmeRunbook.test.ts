/**
 * The README's rotation runbook, as written, applied to the committed `Pulumi.staging.yaml`:
 * each `pulumi config set --path` command is parsed as Pulumi parses property paths and applied
 * to the stack's config, and each step is one update that reads the previous one's outputs.
 * A runbook whose example ids or paths do not work on the committed stack fails here.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { TestConfig, committedConfig, declare, versionReport } from "./helpers";

const README = fs.readFileSync(path.join(__dirname, "..", "README.md"), "utf8");

/** The backticked text of the runbook row whose step starts with `step`. */
function runbookCell(step: string): string {
  const row = README.split("\n").find((l) => l.startsWith(`| ${step}`));
  assert.ok(row, `the runbook has a row "${step}"`);
  return row.split("|")[2];
}

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

describe("the README runbook on the committed staging stack", () => {
  it("create ahead, canary, promote, roll back and pin work as written", async () => {
    const config = committedConfig("staging");
    let previous: Record<string, unknown> | undefined;
    const update = async (now: string) => {
      const run = await declare(structuredClone(config), { now, previous });
      assert.equal(run.error, undefined, run.error?.message);
      previous = run.outputs;
      return run;
    };

    // 1. create ahead: the row says which entry to add under versions.
    const [entry] = backticked(runbookCell("1. create ahead"));
    const created = JSON.parse(`{${entry}}`) as Record<string, unknown>;
    const id = Object.keys(created)[0];
    Object.assign((config.secrets as any)["auth-api-secrets"].versions, created);
    assert.equal(versionReport(await update("20261124093000"), id).state, "pending");

    // 3a. canary: the second command repeats the first one's path up to `.canary`.
    const [canaryVersion, canaryPercent] = backticked(runbookCell("3a. canary"));
    apply(config, canaryVersion);
    const percent = /^\.\.\. \.canary\.percent (\d+)$/.exec(canaryPercent)?.[1];
    assert.ok(percent, canaryPercent);
    apply(config, canaryVersion.replace(/canary\.version' \S+$/, `canary.percent' ${percent}`));
    assert.equal(versionReport(await update("20261124100000"), id).state, "canary");
    delete (config.secrets as any)["auth-api-secrets"].canary;

    // 3. promote, then 4. roll back, then pin: each as the README writes it.
    for (const [step, now] of [
      ["3. promote", "20261124110000"],
      ["4. roll back", "20261124120000"],
      ["pin", "20261124130000"],
    ]) {
      for (const command of backticked(runbookCell(step))) apply(config, command);
      await update(now);
    }
    const last = previous as any;
    assert.equal(last.secrets["auth-api-secrets"].activeVersion, "20261110100000");
    const states = Object.fromEntries(
      last.secrets["auth-api-secrets"].versions.map((v: any) => [v.version, v.state]),
    );
    assert.deepEqual(states, {
      "20261020100000": "pruned",
      "20261110100000": "active",
      [id]: "pending",
    });
  });
});
