/** The error the staging gate raises. */
import { type ConfigProblem, problemCount, problemReport } from "../../core/problems";

/**
 * The staging gate refused a version: raised before any resource but the StackReference that
 * read staging, so `pulumi up` changes nothing.
 */
export class PromotionError extends Error {
  constructor(
    readonly stackName: string,
    readonly fromStack: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(
      problemReport(
        `stack "${stackName}": the staging gate (promotion.fromStack ${fromStack}) stops this update with ${problemCount(problems)}; nothing was changed:`,
        problems,
      ),
    );
    this.name = "PromotionError";
  }
}
