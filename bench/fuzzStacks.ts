/**
 * The stack-file fuzzer: `npm run fuzz [-- --list CLASS] [--family NAME] [--sample N] [--seed S]`.
 *
 * Takes every committed stack (`Pulumi.<stack>.yaml`) and every example
 * (`examples/**\/Pulumi.<stack>.yaml`), applies deterministic mutations, and runs each mutated
 * file through what `npm run plan` runs (offline/stackFiles.ts stackConfigFromYaml, then the
 * program's steps under the mock runtime, as scripts/plan.ts main does with no outputs, cluster
 * or AWS file). Each mutation names the config path it touches and the verdict of the real
 * systems (the Pulumi CLI, the Kubernetes API server, AWS), decided by the upstream rule its
 * family cites, never by this project's parser. Each file lands in one class:
 *
 * - `ok-accepted`: accepted, and the real systems accept it;
 * - `ok-refused`: refused, the real systems refuse it, and the error names the mutated path;
 * - `accepted-but-refused-upstream`, `refused-but-accepted-upstream`: the plan disagrees;
 * - `refused-without-naming-field`: refused, rightly, but no problem names the path;
 * - `internal-error`: the program threw something other than a ConfigError.
 *
 * Prints the count per class and per family; `--list CLASS` prints the files of that class.
 *
 * The fuzzer lives in `bench/fuzz/`: `model.ts` (its vocabulary), `rules.ts` (upstream rules),
 * `families/` (the mutations, by area), `corpus.ts` (the files), `classify.ts` (the classes).
 */
import { CLASSES } from "./fuzz/model";
import { generate, sample } from "./fuzz/corpus";
import { listing, report, runAll } from "./fuzz/classify";
import { ConfigError } from "../config/errors";

async function main(argv: string[]): Promise<number> {
  const arg = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const list = arg("--list");
  if (list !== undefined && !(CLASSES as readonly string[]).includes(list)) {
    console.error(`--list takes one of: ${CLASSES.join(", ")}`);
    return 2;
  }
  const seed = Number(arg("--seed") ?? 17);
  const family = arg("--family");
  let files = generate(seed).filter((f) => !family || f.family.name === family);
  const n = arg("--sample");
  if (n !== undefined) files = sample(files, Number(n), seed);
  const results = await runAll(files);
  console.log(report(results));
  if (list !== undefined) {
    console.log("", `${list}:`, "", listing(results.filter((r) => r.class === list)));
  }
  return 0;
}

if (require.main === module) {
  // A refused program's error reaches runProgram (the run's `error`, classified here) and,
  // through the SDK's Stack resource, an unhandled rejection as well, which Pulumi's own
  // runner reports through its unhandledRejection handler (sdk/nodejs/cmd/run/run.ts).
  process.on("unhandledRejection", (reason) => {
    if (reason instanceof ConfigError) return;
    console.error(reason);
    process.exitCode = 2;
  });
  main(process.argv.slice(2)).then(
    // Exit when the event loop drains, not at once: the last program's Stack registration
    // settles first, so Pulumi's runtime reports no leaked promise at exit.
    (code) => (process.exitCode = code),
    (err: Error) => {
      console.error(err.stack);
      process.exit(2);
    },
  );
}
