/**
 * The stack-file fuzz test (bench/fuzz/, `npm run fuzz`) in shards, one test file each, so that the
 * parallel workers (.mocharc.cjs) share its ~1,300 program runs. Every family lands in exactly
 * one shard, whole, so each family's test still checks every one of its files.
 */
import { strict as assert } from "assert";
import { listing, runAll } from "../bench/fuzz/classify";
import { generate } from "../bench/fuzz/corpus";
import { FAMILIES } from "../bench/fuzz/families";
import type { Family, FuzzFile, FuzzResult } from "../bench/fuzz/model";

/** How many shard files there are: tests/fuzzStacks.test.ts and tests/fuzzStacks<2..N>.test.ts. */
export const SHARDS = 3;

let generated: FuzzFile[] | undefined;

/** Every fuzzed file, generated once per worker process (the same seed, the same files). */
export function fuzzFiles(): FuzzFile[] {
  generated ??= generate();
  return generated;
}

/**
 * The families of each shard: the largest family first, each to the shard with the fewest
 * files so far, so the shards take about as long.
 */
export function shardFamilies(): Family[][] {
  const count = new Map<Family, number>(FAMILIES.map((f) => [f, 0]));
  for (const file of fuzzFiles()) count.set(file.family, (count.get(file.family) ?? 0) + 1);
  const shards = Array.from({ length: SHARDS }, () => ({ families: [] as Family[], files: 0 }));
  const bySize = [...FAMILIES].sort((a, b) => count.get(b)! - count.get(a)!);
  for (const family of bySize) {
    const least = shards.reduce((a, b) => (b.files < a.files ? b : a));
    least.families.push(family);
    least.files += count.get(family)!;
  }
  return shards.map((s) => FAMILIES.filter((f) => s.families.includes(f)));
}

/** Runs one shard's files through the plan; one test per family, as `npm run fuzz` reports. */
export function describeShard(shard: number): void {
  describe(`fuzzed stack files, shard ${shard + 1} of ${SHARDS}: each lands where Pulumi, Kubernetes and AWS do`, function () {
    this.timeout(600_000);
    const families = shardFamilies()[shard];
    const files = fuzzFiles().filter((f) => families.includes(f.family));
    let results: FuzzResult[] = [];

    before(async () => {
      results = await runAll(files);
    });

    for (const family of families) {
      it(`${family.name}: ${family.rule}`, () => {
        const own = results.filter((r) => r.file.family === family);
        assert.ok(own.length > 0, `no file of ${family.name} ran`);
        const wrong = own.filter((r) => !r.class.startsWith("ok-"));
        assert.equal(wrong.length, 0, `${wrong.length} of ${own.length} files:\n${listing(wrong)}`);
      });
    }
  });
}
