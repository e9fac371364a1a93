/**
 * Maps keyed by user input. Stack config names secrets, keys, variables and dimensions freely,
 * and `constructor`, `toString` or `hasOwnProperty` are fine names for them: a plain `{}` would
 * answer `key in obj` for those from its prototype, and `obj["__proto__"] = v` would change
 * the prototype instead of storing `v`. A null-prototype object has neither problem.
 */

/** An empty map with no prototype, safe for any key. */
export function dict<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/**
 * A plain-object copy of a map, for a value that becomes a resource input: Pulumi's
 * serializer does not treat a null-prototype object as a map. `Object.fromEntries` stores
 * every key as an own property, so the copy is as safe to read as the map.
 */
export function plain<T>(map: Readonly<Record<string, T>>): Record<string, T> {
  return Object.fromEntries(Object.entries(map));
}

/**
 * Why a map key cannot reach the engine, or undefined. Pulumi's Node.js SDK serializes an
 * object by assigning `obj[k] = v` into a plain object (`serializeAllKeys` in
 * sdk/nodejs/runtime/rpc.ts, @pulumi/pulumi 3.248.0), which silently drops a key named
 * `__proto__`: the value would vanish between the program and the stores.
 */
export function protoKeyProblem(key: string): string | undefined {
  return key === "__proto__"
    ? "cannot be named __proto__: Pulumi's Node.js SDK drops an object key of that name when it sends inputs to the engine, so the value would silently vanish"
    : undefined;
}
