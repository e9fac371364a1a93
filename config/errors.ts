/** The one error a bad stack config raises, before any resource is declared. */
import { type ConfigProblem, problemCount, problemReport } from "../core/problems";
import { PROJECT } from "../core/project";

export type { ConfigProblem } from "../core/problems";

/** Every problem of a stack's config at once, so one `pulumi up` shows them all. */
export class ConfigError extends Error {
  constructor(
    readonly stackName: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(
      problemReport(
        `stack "${stackName}": the config of ${PROJECT} has ${problemCount(problems)}; nothing was changed:`,
        problems,
      ),
    );
    this.name = "ConfigError";
  }
}
