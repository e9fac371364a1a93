/**
 * The docs hold together: every relative link in README.md, CONTRIBUTING.md and docs/**.md
 * (`[text](path)`, `[text](path#anchor)`, `[text](#anchor)`) points at a file that exists, and
 * its anchor is one of the target's headings as GitHub slugs them. GitHub's rule (its
 * html-pipeline TableOfContentsFilter, which github-slugger 2.0.0 reproduces and which this
 * test uses): the heading's text, lowercased, with every character that is not a letter, a
 * number, a space, `-` or `_` removed, and each space turned into `-`; a repeated slug gets
 * `-1`, `-2`, ... in the order the headings appear. And README.md stays the page a newcomer
 * reads in five minutes: at most 12 KB.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import GithubSlugger from "github-slugger";

const ROOT = path.join(__dirname, "..");
const README_MAX_BYTES = 12 * 1024;

/** The Markdown files the link check covers, relative to `root`. */
function docFiles(root: string): string[] {
  const under = (dir: string): string[] =>
    fs.existsSync(path.join(root, dir))
      ? fs
          .readdirSync(path.join(root, dir), { withFileTypes: true })
          .flatMap((e) =>
            e.isDirectory()
              ? under(path.join(dir, e.name))
              : e.name.endsWith(".md")
                ? [path.join(dir, e.name)]
                : [],
          )
      : [];
  const top = ["README.md", "CONTRIBUTING.md"].filter((f) => fs.existsSync(path.join(root, f)));
  return [...top, ...under("docs")].sort();
}

/** The text outside fenced code blocks, line by line (a fence's lines become empty). */
function proseLines(text: string): string[] {
  let fence: string | undefined;
  return text.split("\n").map((line) => {
    const m = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (m && (!fence || m[1].startsWith(fence))) {
      fence = fence ? undefined : m[1];
      return "";
    }
    return fence ? "" : line;
  });
}

/** Inline code spans replaced by their text without backticks, so `[x](y)` inside one is no link. */
const withoutCode = (line: string) =>
  line.replace(/(`+)([\s\S]*?)\1/g, (_, _ticks: string, code: string) =>
    code.replace(/[[\]()]/g, " "),
  );

/** A file's heading anchors, as GitHub writes them. */
function anchorsOf(text: string): Set<string> {
  const slugger = new GithubSlugger();
  const anchors = new Set<string>();
  for (const line of proseLines(text)) {
    const m = /^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/.exec(line);
    if (!m) continue;
    // GitHub slugs the heading's rendered text: no code backticks, emphasis or link targets.
    const rendered = m[1]
      .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
      .replace(/`/g, "")
      .replace(/(\*\*|__|\*)(.+?)\1/g, "$2");
    anchors.add(slugger.slug(rendered));
  }
  return anchors;
}

/** Every relative link of one file that does not resolve, as `file:line: target (why)`. */
function brokenLinks(root: string, file: string): string[] {
  const text = fs.readFileSync(path.join(root, file), "utf8");
  const broken: string[] = [];
  proseLines(text).forEach((line, i) => {
    for (const m of withoutCode(line).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      const target = m[1];
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto: ... not relative
      const [rawPath, anchor] = target.split("#", 2) as [string, string | undefined];
      const resolved = rawPath ? path.join(path.dirname(file), decodeURI(rawPath)) : file;
      const where = `${file}:${i + 1}: ${target}`;
      if (!fs.existsSync(path.join(root, resolved))) {
        broken.push(`${where} (no file ${resolved})`);
        continue;
      }
      if (anchor === undefined) continue;
      if (!resolved.endsWith(".md")) {
        broken.push(`${where} (an anchor into ${resolved}, which is not Markdown)`);
        continue;
      }
      const anchors = anchorsOf(fs.readFileSync(path.join(root, resolved), "utf8"));
      if (!anchors.has(decodeURIComponent(anchor))) {
        broken.push(`${where} (no heading #${anchor} in ${resolved})`);
      }
    }
  });
  return broken;
}

describe("the docs' links and anchors", () => {
  const files = docFiles(ROOT);

  it("covers README.md, CONTRIBUTING.md and the pages under docs/", () => {
    for (const f of ["README.md", "CONTRIBUTING.md", "docs/config-reference.md"]) {
      assert.ok(files.includes(f), `${f} is checked`);
    }
  });

  it("every relative link and anchor resolves", () => {
    assert.deepEqual(
      files.flatMap((f) => brokenLinks(ROOT, f)),
      [],
    );
  });

  it(`README.md is at most ${README_MAX_BYTES} bytes`, () => {
    const size = fs.statSync(path.join(ROOT, "README.md")).size;
    assert.ok(size <= README_MAX_BYTES, `README.md is ${size} bytes; move detail to docs/`);
  });

  it("slugs headings as GitHub does: punctuation dropped, spaces to -, repeats numbered", () => {
    const anchors = anchorsOf(
      [
        "# Look before pruning",
        "## `pulumi destroy`, then `pulumi up` within the recovery window",
        "## Conflicts and `kubernetes:enablePatchForce`",
        "## Giving it the stack's memory",
        "### When ESO is down (v0.20+)",
        "## Notes",
        "## Notes",
        "```",
        "## not a heading: inside a code block",
        "```",
      ].join("\n"),
    );
    assert.deepEqual(
      [...anchors],
      [
        "look-before-pruning",
        "pulumi-destroy-then-pulumi-up-within-the-recovery-window",
        "conflicts-and-kubernetesenablepatchforce",
        "giving-it-the-stacks-memory",
        "when-eso-is-down-v020",
        "notes",
        "notes-1",
      ],
    );
  });

  it("reports a missing file, a missing anchor and an anchor into a non-Markdown file", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "docs-links-"));
    try {
      fs.mkdirSync(path.join(root, "docs"));
      fs.writeFileSync(path.join(root, "README.md"), "# Title\n\n## Set-up\n");
      fs.writeFileSync(path.join(root, "package.json"), "{}\n");
      fs.writeFileSync(
        path.join(root, "docs", "page.md"),
        [
          "# Page",
          "[ok](../README.md#set-up) [ok](#page) [ok](../package.json) [ok](https://example.com/x#y)",
          "`[not a link](nowhere.md)`",
          "[gone](missing.md) [no anchor](../README.md#setup) [here](#nope) [json](../package.json#a)",
        ].join("\n"),
      );
      assert.deepEqual(brokenLinks(root, "docs/page.md"), [
        `docs/page.md:4: missing.md (no file ${path.join("docs", "missing.md")})`,
        "docs/page.md:4: ../README.md#setup (no heading #setup in README.md)",
        "docs/page.md:4: #nope (no heading #nope in docs/page.md)",
        "docs/page.md:4: ../package.json#a (an anchor into package.json, which is not Markdown)",
      ]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

/** The program's own files: messages and comments there may send a user to a docs page. */
const SOURCE_DIRS = ["core", "components", "config", "plan", "reads", "program", "offline"];
const sourceFiles = (dir: string): string[] =>
  fs
    .readdirSync(path.join(ROOT, dir), { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory()
        ? sourceFiles(path.join(dir, e.name))
        : /\.(ts|yaml)$/.test(e.name)
          ? [path.join(dir, e.name)]
          : [],
    );

/**
 * `docs/<page>.md` or `docs/<page>.md#<anchor>`, not inside another path and not an upstream
 * project's own docs (a comment citing "ESO docs/provider/aws-access.md").
 */
const DOC_CITATION = /(?<![\w/.-]|ESO )docs\/[\w/-]+\.md(#[\w-]+)?/g;

describe("the docs the program's messages point at", () => {
  const files = [
    "index.ts",
    "Pulumi.yaml",
    "Pulumi.staging.yaml",
    "Pulumi.production.yaml",
    "Pulumi.dev.yaml",
    ...SOURCE_DIRS.flatMap(sourceFiles),
    ...sourceFiles("bench"),
  ];

  it("every docs/<page>.md#<anchor> they name exists", () => {
    const cited = files.flatMap((file) =>
      [...fs.readFileSync(path.join(ROOT, file), "utf8").matchAll(DOC_CITATION)]
        .map((m) => m[0])
        .map((target) => ({ file, target })),
    );
    assert.ok(cited.length >= 3, `found only ${cited.length} citations`);
    const broken = cited.filter(({ target }) => {
      const [page, anchor] = target.split("#", 2);
      if (!fs.existsSync(path.join(ROOT, page))) return true;
      return (
        anchor !== undefined &&
        !anchorsOf(fs.readFileSync(path.join(ROOT, page), "utf8")).has(anchor)
      );
    });
    assert.deepEqual(broken, []);
  });

  it("none sends a user to a README section (the sections moved to docs/)", () => {
    const stale = files.filter((file) =>
      /README[:,]? "|\(README\)|README config reference/.test(
        fs.readFileSync(path.join(ROOT, file), "utf8"),
      ),
    );
    assert.deepEqual(stale, []);
  });
});
