/**
 * Every problem names the field as `pulumi config set --path` takes it. Pulumi parses that path
 * with ParsePropertyPathStrict (pulumi v3.248.0 sdk/go/common/resource/config/map.go
 * parseKeyPath → sdk/go/common/resource/properties_path.go parsePropertyPath): a bare name runs
 * to the next `.` or `[`; `["..."]` is a name in which `\"` is a quote; `[0]` is a list index;
 * strict mode refuses a `.` before a `[`. The parser below follows that function line by line,
 * so a path the program prints can be read back into the keys it meant.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { join } from "../core/problems";
import { type TestConfig, assertRefused, baseConfig, declare, secretOf } from "./helpers";

const ROOT = path.join(__dirname, "..");

/** properties_path.go parsePropertyPath(path, strict = true), for the forms the program writes. */
function parsePropertyPath(path: string): (string | number)[] {
  const elements: (string | number)[] = [];
  if (path.startsWith(".")) throw new Error("expected property path to start with a name or index");
  while (path.length > 0) {
    if (path[0] === ".") {
      path = path.slice(1);
      if (path.length === 0) throw new Error("expected property path to end with a name or index");
      if (path[0] === "[") throw new Error("expected property name after '.'");
    } else if (path[0] === "[") {
      if (path[1] === '"') {
        let key = "";
        let i = 2;
        for (;;) {
          if (i >= path.length) throw new Error("missing closing quote in property name");
          if (path[i] === '"') {
            i++;
            break;
          }
          if (path[i] === "\\" && path[i + 1] === '"') {
            key += '"';
            i += 2;
          } else key += path[i++];
        }
        if (path[i] !== "]") throw new Error("missing closing bracket in property access");
        elements.push(key);
        path = path.slice(i + 1);
      } else {
        const end = path.indexOf("]");
        if (end === -1) throw new Error("missing closing bracket in array index");
        const segment = path.slice(1, end);
        // strconv.ParseInt(segment, 10, 0): an optional sign and digits, nothing else.
        if (segment !== "*" && !/^[+-]?\d+$/.test(segment)) throw new Error("invalid array index");
        elements.push(segment === "*" ? "*" : Number(segment));
        path = path.slice(end + 1);
      }
    } else {
      let i = 0;
      while (i < path.length && path[i] !== "." && path[i] !== "[") i++;
      elements.push(path.slice(0, i));
      path = path.slice(i);
    }
  }
  return elements;
}

/** The `secret-rotation:` paths an error lists. */
const pathsIn = (message: string) =>
  [...message.matchAll(/^ {2}- secret-rotation:(\S+?): /gm)].map((m) => m[1]);

describe("engine rules: problem paths as pulumi config set --path reads them (pulumi v3.248.0 sdk/go/common/resource/properties_path.go parsePropertyPath, strict)", () => {
  it("join writes each key so that Pulumi reads it back: dots, brackets, quotes and blanks included", () => {
    for (const key of [
      "auth-api",
      "auth.api",
      "",
      "a[0]",
      'say"hi',
      "20250723110000",
      "x y",
      "..x",
    ]) {
      const path = join(join("secrets", key), "active");
      assert.deepEqual(parsePropertyPath(path), ["secrets", key, "active"], path);
    }
  });

  it("a secret named with dots is named in brackets, in the path and in the command an error gives", async () => {
    const config: TestConfig = baseConfig();
    const secret = secretOf(config);
    secret.active = "20990101000000";
    secret.versions["20250723110000"] = { "api.token": { nested: true } };
    (config.secrets as Record<string, unknown>) = { "auth.api": secret };
    (config.workloads as Record<string, any>)["auth-service"].secrets = ["auth.api"];
    (config.workloads as Record<string, any>)["token-refresh"].secrets = ["auth.api"];
    const message = assertRefused(await declare(config), 'secrets["auth.api"].active');
    const secretPaths = pathsIn(message).filter((path) => path.startsWith("secrets"));
    assert.ok(secretPaths.length >= 2, message);
    for (const path of secretPaths) assert.equal(parsePropertyPath(path)[1], "auth.api", path);
    const command = /pulumi config set --secret --path 'secret-rotation:(\S+)' <value>/.exec(
      message,
    );
    assert.ok(command, message);
    assert.deepEqual(parsePropertyPath(command[1]), [
      "secrets",
      "auth.api",
      "versions",
      "20250723110000",
      "api.token",
    ]);
  });

  it("a top-level key holding a dot is one bracketed key, not a path into another", async () => {
    const config = baseConfig();
    config["workloads.auth-service.replicas"] = 3;
    const message = assertRefused(await declare(config), '["workloads.auth-service.replicas"]');
    assert.deepEqual(parsePropertyPath('["workloads.auth-service.replicas"]'), [
      "workloads.auth-service.replicas",
    ]);
    assert.ok(!message.includes("secret-rotation:workloads.auth-service.replicas"), message);
  });

  it("no message builds a secret's path by hand (secret names may hold dots: join brackets them)", () => {
    const dirs = ["config", "plan", "program", "offline", "reads", "components"];
    const files = (dir: string): string[] =>
      fs
        .readdirSync(path.join(ROOT, dir), { withFileTypes: true })
        .flatMap((e) =>
          e.isDirectory()
            ? files(path.join(dir, e.name))
            : e.name.endsWith(".ts")
              ? [path.join(dir, e.name)]
              : [],
        );
    const handMade = dirs
      .flatMap(files)
      .filter((file) =>
        /(secrets|override)\.\$\{/.test(fs.readFileSync(path.join(ROOT, file), "utf8")),
      );
    assert.deepEqual(handMade, []);
  });

  it("a list entry is named by its index: guard.namespaces[1]", async () => {
    const config = baseConfig();
    config.guard = { namespaces: ["staging", "Not_A_Label"] };
    const message = assertRefused(await declare(config), "guard.namespaces[1]");
    assert.deepEqual(parsePropertyPath("guard.namespaces[1]"), ["guard", "namespaces", 1]);
    assert.ok(!message.includes("guard.namespaces.1"), message);
  });
});
