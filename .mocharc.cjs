// Mocha's configuration (https://mochajs.org/#configuring-mocha-nodejs).
//
// The suites run in parallel worker processes, one per core (mocha `parallel`, `jobs`): the
// Pulumi mocks (`setMocks`) and the program module are process-wide, so a process per worker is
// the isolation the tests need. What that changes (mocha 11.8 docs, "Parallel Tests", and
// lib/nodejs/worker.js, lib/nodejs/parallel-buffered-runner.js):
// - each worker is a child process (workerpool `workerType: "process"`) that runs one test
//   file at a time and is reused for the next; `--require` modules load once per worker;
// - root hooks (tests/rootHooks.ts) run around every FILE, not once for the run, so each file
//   gets its own fake cluster on an ephemeral port, its own kubeconfig in a fresh temp folder,
//   and the environment restored after it;
// - a file's events are buffered in the worker and replayed to the reporter in the main process
//   when the file ends (tests/reporter.cjs is a Spec reporter plus a closing line: it works);
// - `.only` fails the run (forbidOnly in workers), and files may finish in any order.
const fs = require("fs");
const os = require("os");
const path = require("path");

/** Every test file, the longest first so that no worker starts one last while the other idles. */
function specs() {
  const walk = (dir) =>
    fs
      .readdirSync(dir, { withFileTypes: true })
      .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
  const files = walk("tests")
    .filter((f) => f.endsWith(".test.ts"))
    .sort();
  const longest = (f) =>
    /^(fuzzStacks|plan|program|promotion)[^/]*\.test\.ts$/.test(path.basename(f));
  return [...files.filter(longest), ...files.filter((f) => !longest(f))];
}

module.exports = {
  require: ["tsx/cjs", "tests/rootHooks.ts"],
  extension: ["ts"],
  spec: specs(),
  timeout: 30000,
  reporter: "./tests/reporter.cjs",
  parallel: true,
  jobs: os.availableParallelism(),
};
