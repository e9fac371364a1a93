/**
 * The stack-file fuzzer (bench/fuzzStacks.ts, `npm run fuzz`): mutations of every committed
 * stack and example, each with the verdict of the real systems from the upstream rule its
 * family cites, run through what `npm run plan` runs. Every file must be accepted when they
 * accept it, and refused, naming the mutated field, when they refuse it. Every file runs (about
 * 40 s here): a sample missed narrow regressions, such as one cron descriptor.
 */
import { strict as assert } from "assert";
import { listing, runAll } from "../bench/fuzz/classify";
import { baseFiles, generate } from "../bench/fuzz/corpus";
import { FAMILIES } from "../bench/fuzz/families";
import type { FuzzResult } from "../bench/fuzz/model";

describe("fuzzed stack files land where Pulumi, Kubernetes and AWS do (bench/fuzzStacks.ts)", function () {
  this.timeout(600_000);
  const files = generate();
  let results: FuzzResult[] = [];

  before(async () => {
    results = await runAll(files);
  });

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

  for (const family of FAMILIES) {
    it(`${family.name}: ${family.rule}`, () => {
      const own = results.filter((r) => r.file.family === family);
      const wrong = own.filter((r) => !r.class.startsWith("ok-"));
      assert.equal(wrong.length, 0, `${wrong.length} of ${own.length} files:\n${listing(wrong)}`);
    });
  }
});
