// Mocha's spec reporter, plus one plain closing line that any CI can read:
// "tests: N passed, N failed" (", N skipped" when some are pending).
const Mocha = require("mocha");

const { Spec } = Mocha.reporters;
const { EVENT_RUN_END } = Mocha.Runner.constants;

class SpecWithTotals extends Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(EVENT_RUN_END, () => {
      const { passes, failures, pending } = runner.stats;
      const skipped = pending > 0 ? `, ${pending} skipped` : "";
      console.log(`tests: ${passes} passed, ${failures} failed${skipped}`);
    });
  }
}

module.exports = SpecWithTotals;
