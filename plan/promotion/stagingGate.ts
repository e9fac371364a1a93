/**
 * The gate at `pulumi up` time: given the staging stack's `secrets` output (read in the
 * preflight), refuses, before any resource is declared, to run a version staging has not
 * vouched for. The decision itself is `checkPromotion`; this adds the refusal and the log
 * lines, which the program prints before it declares anything. Pure.
 */
import { join } from "../../core/problems";
import { PromotionError } from "./errors";
import type { StackSpec } from "../../config/types";
import type { StackMemory } from "../lifecycle/memory";
import {
  GateDecision,
  StagingSecret,
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

/** A line the program logs. */
export interface LogLine {
  level: "info" | "warn";
  message: string;
}

/**
 * Enforces `promotion` when configured; throws a `PromotionError` naming each refused secret,
 * version and what staging shows. `staging` is the staging stack's outputs, or undefined when
 * they were not read (the offline plan without them: every decision is `unchecked`). Without
 * `promotion`, production logs that nothing enforces staging first and the report is null.
 * `own` is this stack's memory (`readMemory` of its previous outputs): a version it already
 * runs, active or canary, is no promotion and is not checked.
 */
export function enforceStagingGate(
  config: StackSpec<unknown>,
  staging: Record<string, unknown> | undefined,
  now: Date,
  own: StackMemory | undefined,
): { report: PromotionReport | null; logs: LogLine[] } {
  const logs: LogLine[] = [];
  const warn = (message: string) => logs.push({ level: "warn", message });
  const { promotion } = config;
  if (!promotion) {
    if (config.environment === "production") {
      warn(
        "nothing enforces that versions run in staging first: set secret-rotation:promotion " +
          '({ fromStack: "<organization>/secret-rotation/staging", soakHours: 24 })',
      );
    }
    return { report: null, logs };
  }
  let secrets: Record<string, StagingSecret> | undefined;
  if (staging) {
    const read = readStagingSecrets(staging.secrets);
    if ("problem" in read) {
      throw new PromotionError(config.stack, promotion.fromStack, [
        { path: "promotion.fromStack", message: `stack ${promotion.fromStack}: ${read.problem}` },
      ]);
    }
    secrets = read.secrets;
  }
  const decisions = checkPromotion({
    promotion,
    candidates: gateCandidates(config.secrets),
    staging: secrets,
    now,
    ...(own && { own }),
  });
  const problems = gateProblems(decisions);
  if (problems.length > 0) throw new PromotionError(config.stack, promotion.fromStack, problems);

  for (const d of decisions) {
    if (d.status === "overridden") {
      warn(
        `${d.secret}: version ${d.version} (${d.role}) skips the staging gate by override, reason: "${d.overrideReason}"; staging shows: ${d.reasons.join("; ")}`,
      );
    }
  }
  if (!secrets) {
    warn(
      `staging gate not checked: the outputs of ${promotion.fromStack} were not read (offline, pass --staging-outputs FILE)`,
    );
  } else {
    for (const unused of unusedOverrides(promotion, decisions)) {
      warn(
        `${unused.secret}: the override for version ${unused.version} lets nothing through (${unused.why}); remove secret-rotation:${join("promotion.override", unused.secret)}`,
      );
    }
  }
  const passed = decisions.filter((d) => d.status === "passed");
  if (passed.length > 0) {
    logs.push({
      level: "info",
      message:
        `staging gate (${promotion.fromStack}, soak ${promotion.soakHours} h) passed: ` +
        passed.map((d) => `${d.secret} ${d.version} (${d.role})`).join(", "),
    });
  }
  return {
    report: { fromStack: promotion.fromStack, soakHours: promotion.soakHours, decisions },
    logs,
  };
}
