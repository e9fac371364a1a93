/**
 * The secret-rotation policy pack: `pulumi preview --policy-pack policy` (docs/policy.md).
 * Constructing a `PolicyPack` serves the policies to the engine (@pulumi/policy v1.21.0
 * policy.ts: the constructor reads the version from ./package.json and calls `serve`).
 */
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

new PolicyPack("secret-rotation", { enforcementLevel: "mandatory", policies });
