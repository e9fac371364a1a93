/**
 * The stack-file fuzzer (bench/fuzzStacks.ts, `npm run fuzz`): mutations of every committed
 * stack and example, each with the verdict of the real systems from the upstream rule its
 * family cites, run through what `npm run plan` runs. Every file must be accepted when they
 * accept it, and refused, naming the mutated field, when they refuse it. Every file runs (a
 * sample missed narrow regressions, such as one cron descriptor), split over the shard files
 * of tests/fuzzShards.ts so that the parallel workers share them; this file checks the whole set.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import { baseFiles, generate } from "../bench/fuzz/corpus";
import { FAMILIES } from "../bench/fuzz/families";
import { SHARDS, describeShard, fuzzFiles, shardFamilies } from "./fuzzShards";

describe("fuzzed stack files land where Pulumi, Kubernetes and AWS do (bench/fuzzStacks.ts)", () => {
  const files = fuzzFiles();

  it("mutates every committed stack and example: at least 600 files in at least 40 families", () => {
    const bases = new Set(files.map((f) => f.base.file));
    assert.deepEqual([...bases].sort(), [...baseFiles()].sort());
    assert.ok(bases.has("Pulumi.production.yaml") && bases.has("Pulumi.staging.yaml"));
    assert.ok([...bases].some((b) => b.startsWith("examples/")));
    assert.ok(files.length >= 600, `${files.length} files`);
    const families = new Set(files.map((f) => f.family.name));
    assert.ok(families.size >= 40, `${families.size} families`);
    // Both verdicts appear: the fuzzer is not a list of refusals.
    assert.ok(files.some((f) => f.spec.verdict === "accepted"));
    assert.ok(files.some((f) => f.spec.verdict === "refused"));
  });

  it("is deterministic: the same seed writes the same files", () => {
    const again = generate();
    assert.deepEqual(
      again.map((f) => f.text),
      files.map((f) => f.text),
    );
  });

  it("runs every family in exactly one shard, and every shard has its test file", () => {
    const shards = shardFamilies();
    assert.deepEqual(
      shards
        .flat()
        .map((f) => f.name)
        .sort(),
      FAMILIES.map((f) => f.name).sort(),
    );
    assert.ok(shards.every((s) => s.length > 0));
    const shardFiles = fs.readdirSync(__dirname).filter((f) => /^fuzzStacks\d*\.test\.ts$/.test(f));
    assert.deepEqual(
      shardFiles.sort(),
      [
        "fuzzStacks.test.ts",
        ...Array.from({ length: SHARDS - 1 }, (_, i) => `fuzzStacks${i + 2}.test.ts`),
      ].sort(),
    );
  });
});

describeShard(0);
