/**
 * The gate at `pulumi up` time: reads the staging stack's `secrets` output through a
 * StackReference and refuses, before any other resource is declared, to run a version staging
 * has not vouched for. The decision itself is `checkPromotion` (pure).
 */
import * as pulumi from "@pulumi/pulumi";
import { PromotionError } from "../config/errors";
import type { StackSpec } from "../config/types";
import {
  GateDecision,
  checkPromotion,
  gateCandidates,
  gateProblems,
  readStagingSecrets,
  unusedOverrides,
} from "./gate";

/** The `promotion` stack output: the gate's verdict on every active and canary version. */
export interface PromotionReport {
  fromStack: string;
  soakHours: number;
  decisions: GateDecision[];
}

/** Reads another stack's output, secret or not (the `secrets` output holds no values). */
async function stackOutput(fromStack: string, output: string): Promise<unknown> {
  const reference = new pulumi.StackReference("promotion-source", { name: fromStack });
  const details = await reference.getOutputDetails(output);
  return details.value ?? details.secretValue;
}

/**
 * Enforces `promotion` when configured; throws a `PromotionError` naming each refused secret,
 * version and what staging shows. Without it, production logs that nothing enforces staging
 * first and the result is null.
 */
export async function enforceStagingGate(
  config: StackSpec<unknown>,
  now: Date,
): Promise<PromotionReport | null> {
  const { promotion } = config;
  if (!promotion) {
    if (config.environment === "production") {
      void pulumi.log.warn(
        "nothing enforces that versions run in staging first: set secret-rotation:promotion " +
          '({ fromStack: "<organization>/secret-rotation/staging", soakHours: 24 })',
      );
    }
    return null;
  }
  const read = readStagingSecrets(await stackOutput(promotion.fromStack, "secrets"));
  if ("problem" in read) {
    throw new PromotionError(config.stack, promotion.fromStack, [
      { path: "promotion.fromStack", message: `stack ${promotion.fromStack}: ${read.problem}` },
    ]);
  }
  const decisions = checkPromotion({
    promotion,
    candidates: gateCandidates(config.secrets),
    staging: read.secrets,
    now,
  });
  const problems = gateProblems(decisions);
  if (problems.length > 0) throw new PromotionError(config.stack, promotion.fromStack, problems);

  for (const d of decisions) {
    if (d.status === "overridden") {
      void pulumi.log.warn(
        `${d.secret}: version ${d.version} (${d.role}) skips the staging gate by override, reason: "${d.overrideReason}"; staging shows: ${d.reasons.join("; ")}`,
      );
    }
  }
  for (const unused of unusedOverrides(promotion, decisions)) {
    void pulumi.log.warn(
      `${unused.secret}: the override for version ${unused.version} lets nothing through (${unused.why}); remove secret-rotation:promotion.override.${unused.secret}`,
    );
  }
  const passed = decisions.filter((d) => d.status === "passed");
  if (passed.length > 0) {
    void pulumi.log.info(
      `staging gate (${promotion.fromStack}, soak ${promotion.soakHours} h) passed: ` +
        passed.map((d) => `${d.secret} ${d.version} (${d.role})`).join(", "),
    );
  }
  return { fromStack: promotion.fromStack, soakHours: promotion.soakHours, decisions };
}
