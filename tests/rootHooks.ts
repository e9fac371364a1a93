/**
 * Mocha root hooks: start the fake world, point the program's live reads at it through the
 * standard environment (`KUBECONFIG`, `AWS_REGION`), and empty it after every test.
 *
 * The suites run in parallel worker processes (.mocharc.cjs). A worker loads this module once
 * and runs one test file at a time; mocha runs these root hooks around each file (mocha 11.8
 * lib/nodejs/worker.js `run`: a new Mocha instance per file, given the worker's `rootHooks`).
 * So each file gets its own fake API server on an ephemeral port (`listen(0)`), its own
 * kubeconfig in a fresh `mkdtemp` folder (removed after the file), and the environment put
 * back as it was; nothing is shared between workers or written in the repository.
 */
import { fakeAws, fakeCluster } from "../fakes/world";
import { PREVIOUS_RUN_WAIT_MS, runsFinished } from "../offline/mockRuntime";

const WARNING_OFF = "AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED";
// The console as the worker started: a run captures it while it runs (offline/mockRuntime.ts).
const consoleAtStart = { log: console.log, warn: console.warn, error: console.error };
const saved = {
  ROTATION_NOW: process.env.ROTATION_NOW,
  KUBECONFIG: process.env.KUBECONFIG,
  AWS_REGION: process.env.AWS_REGION,
  [WARNING_OFF]: process.env[WARNING_OFF],
};

export const mochaHooks = {
  async beforeAll(): Promise<void> {
    await fakeCluster.start();
    process.env.KUBECONFIG = fakeCluster.kubeconfig;
    process.env.AWS_REGION = "us-east-1";
    // The SDK's notice that its 2027 releases need Node 22 (README: dependencies), once is enough.
    process.env[WARNING_OFF] = "true";
    fakeAws.install();
  },
  afterEach(): void {
    fakeCluster.reset();
    fakeAws.reset();
  },
  async afterAll(this: Mocha.Context): Promise<void> {
    // A worker runs the next file in this process: a program run this file left behind (its
    // test timed out) must end here, blamed on this file, not leak into the next one's mocks.
    // The hook's own timeout outlasts the wait, so the cleanup below always runs in this file.
    this.timeout(PREVIOUS_RUN_WAIT_MS + 10_000);
    const finished = await runsFinished(PREVIOUS_RUN_WAIT_MS);
    try {
      Object.assign(console, consoleAtStart);
      fakeAws.restore();
      await fakeCluster.stop();
    } finally {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
    if (!finished) {
      throw new Error(
        `a program run of this file did not finish within ${PREVIOUS_RUN_WAIT_MS} ms`,
      );
    }
  },
};
