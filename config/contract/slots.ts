/**
 * `workloads.<name>.strategy` and `workloads.<name>.warmHours`: how an owned Deployment moves
 * to a new version. `rolling` is a Deployment rolling update (today's behaviour); `blueGreen`
 * runs two Deployments, `<name>-blue` and `<name>-green`, behind the workload's Service, and
 * keeps the slot that served before a switch at full size for `warmHours`, so a rollback
 * within that window moves only the Service's selector (see docs/blue-green.md). The rules
 * that read other fields or sections (port, kind, owner, canary, dev) are in blueGreen.ts.
 */
import { defaulted, oneOf, wholeNumber } from "../zod/field";

export const STRATEGIES = ["rolling", "blueGreen"] as const;
export type Strategy = (typeof STRATEGIES)[number];
export const DEFAULT_WARM_HOURS = 24;
/** 30 days: a warm slot costs a full set of pods, and a longer window is a second deployment. */
export const MAX_WARM_HOURS = 720;

export const SLOT_FIELDS = {
  strategy: oneOf(STRATEGIES, {
    description:
      "how a new version reaches the pods: a rolling update, or two slots behind the Service with the previous version kept warm (needs `port`; see [Blue-green slots](blue-green.md))",
    default: "rolling",
  }),
  warmHours: defaulted(
    wholeNumber(
      0,
      MAX_WARM_HOURS,
      `a whole number of hours from 0 to ${MAX_WARM_HOURS} (default ${DEFAULT_WARM_HOURS})`,
      {
        description: `blueGreen only; hours (0–${MAX_WARM_HOURS}) the slot that served before a switch keeps its pods, so that a rollback within them only moves the Service; 0 keeps no warm slot`,
        default: DEFAULT_WARM_HOURS,
      },
    ),
    DEFAULT_WARM_HOURS,
    { emptyIsAbsent: true },
  ),
};
