/**
 * The rules of `strategy: blueGreen` that read more than the field itself: the workload's
 * kind, owner and port, the environment, the canaries of the secrets it links, and the
 * names of the other workloads. Every problem at once, each at the field it is about.
 */
import { SLOTS, slotDeploymentName } from "../../core/names";
import { type Problems, join } from "../../core/problems";
import type { Raw } from "../zod/vocabulary";
import { parseInto } from "../zod/field";
import { parseOr } from "../zod/workload";
import { DEFAULT_WARM_HOURS, SLOT_FIELDS } from "./slots";
import type { SecretSpec } from "./secret";

/** What a Deployment's slot fields parse to: absent for `rolling`. */
export interface BlueGreenSpec {
  /** Hours the slot that served before a switch keeps its pods (0: none). */
  warmHours: number;
}

const WHY =
  "blueGreen slots are two Deployments this stack declares behind its Service (a Deployment with a port)";

/**
 * A CronJob or a linked workload takes neither field. Each one given is named with why, and
 * the rest of `raw` goes to the typo guard (which would only say "unknown field").
 */
export function withoutSlotFields(p: Problems, path: string, raw: Raw, what: string): Raw {
  const rest: Record<string, unknown> = { ...raw };
  for (const field of Object.keys(SLOT_FIELDS)) {
    if (!Object.hasOwn(raw, field)) continue;
    delete rest[field];
    const given = field === "strategy" ? `${JSON.stringify(raw[field])}: ` : "";
    p.add(join(path, field), `${given}${what} takes no ${field}: ${WHY}`);
  }
  return rest;
}

/** Not given, null or "" (what `pulumi config set k ""` stores): the fields' own "absent". */
const isAbsent = (value: unknown) => value === undefined || value === null || value === "";

/** `strategy` and `warmHours` of an owned Deployment (`port` as parsed, if any). */
export function parseSlotFields(
  p: Problems,
  path: string,
  raw: Raw,
  port: number | undefined,
): BlueGreenSpec | undefined {
  const at = (field: string) => join(path, field);
  const strategy = parseOr(SLOT_FIELDS.strategy, p, at("strategy"), raw.strategy, () => undefined);
  const warmHours = parseInto(SLOT_FIELDS.warmHours, p, at("warmHours"), raw.warmHours, []);
  if (strategy === "blueGreen" && port === undefined && isAbsent(raw.port)) {
    p.add(
      at("strategy"),
      "blueGreen needs port: the Service switches traffic between the slots; set port (the container port named http)",
    );
  }
  if (strategy === "rolling" && !isAbsent(raw.warmHours)) {
    p.add(
      at("warmHours"),
      "is for strategy: blueGreen only (a rolling update keeps no warm slot); remove it or set strategy: blueGreen",
    );
  }
  return strategy === "blueGreen" ? { warmHours: warmHours ?? DEFAULT_WARM_HOURS } : undefined;
}

/** The blue-green workloads, as the cross-section rule reads them. */
export interface SlottedWorkload {
  name: string;
  secrets: readonly string[];
  blueGreen?: BlueGreenSpec;
}

/**
 * Across sections: no blue-green workload in dev, no canary on a secret a blue-green
 * workload links, and no other workload named like a slot's Deployment.
 * `environment` is undefined when it was refused (no rule judges its stand-in).
 */
export function checkBlueGreen(
  p: Problems,
  environment: string | undefined,
  secrets: readonly SecretSpec<unknown>[],
  workloads: readonly SlottedWorkload[],
  allWorkloads: readonly string[],
): void {
  for (const workload of workloads) {
    if (!workload.blueGreen) continue;
    const path = join("workloads", workload.name);
    // Dev keeps one unversioned Secret per name, changed in place: the warm slot's pods
    // would read the new value at their next start, so it would hold no previous version.
    if (environment === "dev") {
      p.add(
        join(path, "strategy"),
        "blueGreen is refused in dev: dev keeps one unversioned Secret per name, changed in place, so a warm slot would hold no previous version to roll back to; use strategy: rolling (the default) in dev",
      );
    }
    for (const name of workload.secrets) {
      if (!secrets.find((s) => s.name === name)?.canary) continue;
      p.add(
        join(join("secrets", name), "canary"),
        `workload "${workload.name}" uses strategy: blueGreen, whose pods never mix two versions behind its Service; roll "${name}" out by promotion (the previous version stays warm for an instant rollback), or set that workload's strategy to rolling to canary it`,
      );
    }
    for (const slot of SLOTS) {
      const taken = slotDeploymentName(workload.name, slot);
      if (allWorkloads.includes(taken)) {
        p.add(
          join("workloads", taken),
          `"${taken}" is the name of the ${slot} slot's Deployment of "${workload.name}"; rename this workload`,
        );
      }
    }
  }
}
