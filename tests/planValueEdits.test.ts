/**
 * `plan --base` shows a value set again under a version both sides list (issue 20 §1): the
 * offline plan cannot decrypt, but the stack file's ciphertext shows the edit. Names only.
 */
import { strict as assert } from "assert";
import { valueEdits } from "../scripts/planValueEdits";

const stackFile = (versions: string) => `config:
  aws:region: us-east-1
  secret-rotation:secrets:
    auth-api-secrets:
      active: "20261110100000"
      versions:
${versions}
`;

describe("plan --base: values set again", () => {
  const base = stackFile(`        "20261020100000":
          api_token: { secure: v1:AAAA }
        "20261110100000":
          api_token: { secure: v1:BBBB }`);

  it("names the version and key whose ciphertext differs, never the value", () => {
    const head = stackFile(`        "20261020100000":
          api_token: { secure: v1:AAAA }
        "20261110100000":
          api_token: { secure: v1:CCCC }
        "20261201100000":
          api_token: { secure: v1:DDDD }`);
    const edits = valueEdits(base, head);
    assert.deepEqual(
      [...edits],
      [["auth-api-secrets", [{ version: "20261110100000", key: "api_token" }]]],
    );
    assert.doesNotMatch(JSON.stringify([...edits]), /CCCC|BBBB/);
  });

  it("nothing when the values are as written, when the stack file is new, or when a side does not parse", () => {
    assert.equal(valueEdits(base, base).size, 0);
    assert.equal(valueEdits(undefined, base).size, 0);
    assert.equal(valueEdits("config: [", base).size, 0);
  });

  it("a key a listed version gains or loses, and a plain value changed, are edits too", () => {
    const head = stackFile(`        "20261020100000":
          api_token: { secure: v1:AAAA }
          region: eu
        "20261110100000": {}`);
    assert.deepEqual(valueEdits(base, head).get("auth-api-secrets"), [
      { version: "20261020100000", key: "region" },
      { version: "20261110100000", key: "api_token" },
    ]);
  });

  it("a plain value written as a number or as text is one value", () => {
    const plain = (v: string) => stackFile(`        "20261110100000":\n          port: ${v}`);
    assert.equal(valueEdits(plain("1"), plain('"1"')).size, 0);
    assert.equal(valueEdits(plain("true"), plain("'true'")).size, 0);
    assert.equal(valueEdits(plain("1"), plain("2")).size, 1);
  });

  it("secret and key names are names: __proto__ and constructor", () => {
    const named = (value: string) => `config:
  secret-rotation:secrets:
    __proto__:
      versions:
        "20261110100000":
          constructor: { secure: ${value} }
`;
    assert.deepEqual(
      [...valueEdits(named("v1:A"), named("v1:B"))],
      [["__proto__", [{ version: "20261110100000", key: "constructor" }]]],
    );
    assert.equal(valueEdits(named("v1:A"), named("v1:A")).size, 0);
  });
});
