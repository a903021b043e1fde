import { renderComment, type ResourceChange, type StackPlan, statusWarning } from "../../review";
import { code, fence, html, text } from "../../review/markdown";

// Item 15: every untrusted string is escaped for where it lands. The check reads the Markdown as
// CommonMark does for what matters here (fenced blocks, code spans, backslash escapes) and
// returns what is left outside code, where no tag, mention or stray backtick may be.
const digestKey = "markdown-test-key";
const OUR_TAGS = /<\/?(details|summary|b)>/g;

function readCode(markdown: string): { live: string[]; spans: string[] } {
  const live: string[] = [];
  const spans: string[] = [];
  let open: string | undefined;
  for (const [n, line] of markdown.split("\n").entries()) {
    if (open !== undefined) {
      if (new RegExp(`^ {0,3}${open}\`*\\s*$`).test(line)) open = undefined;
      else spans.push(line);
      continue;
    }
    const fenceOpen = /^ {0,3}(`{3,})[^`]*$/.exec(line);
    if (fenceOpen) {
      open = fenceOpen[1];
      continue;
    }
    if (n === 0) continue; // the marker, an HTML comment of the renderer's own
    let rest = "";
    for (let i = 0; i < line.length; ) {
      if (line[i] === "\\") {
        i += 2;
        continue;
      }
      if (line[i] !== "`") {
        rest += line[i];
        i += 1;
        continue;
      }
      const run = (/^`+/.exec(line.slice(i)) as RegExpExecArray)[0];
      let close = -1;
      for (let j = i + run.length; j < line.length; ) {
        const m = /`+/.exec(line.slice(j));
        if (!m) break;
        if (m[0].length === run.length) {
          close = j + m.index;
          break;
        }
        j += m.index + m[0].length;
      }
      if (close < 0) {
        rest += run; // an unclosed run is literal: a construct that did not close
        i += run.length;
        continue;
      }
      const body = line.slice(i + run.length, close);
      spans.push(body.startsWith(" ") && body.endsWith(" ") && body.trim() !== "" ? body.slice(1, -1) : body);
      i = close + run.length;
    }
    live.push(rest.replace(OUR_TAGS, ""));
  }
  expect(open).toBeUndefined();
  return { live, spans };
}

function expectInert(markdown: string): string[] {
  const { live, spans } = readCode(markdown);
  for (const line of live) {
    expect(line).not.toMatch(/<[A-Za-z/!?]/);
    expect(line).not.toMatch(/@[A-Za-z0-9]/);
    expect(line).not.toContain("`");
  }
  return spans;
}

const rc = (address: string, change: Partial<ResourceChange["change"]>, extra: Partial<ResourceChange> = {}): ResourceChange => ({
  address,
  type: "aws_s3_bucket",
  change: { actions: ["update"], before: {}, after: {}, ...change },
  ...extra,
});

describe("untrusted strings in the comment", () => {
  const addressWithDoubleBacktick = 'aws_s3_bucket.b["a``b"]';
  const addressEndingInBacktick = 'aws_s3_bucket.c["x`"]';
  const reason = '<a href="https://evil.example">approve here</a>';
  const importId = "@org/team <img src=x>";
  const plans: StackPlan[] = [
    {
      stack: "dev-app",
      plan: {
        format_version: "1.2",
        resource_changes: [
          rc(addressWithDoubleBacktick, { actions: ["delete"], after: null }, { action_reason: reason }),
          rc(addressEndingInBacktick, { actions: ["no-op"], importing: { id: importId } }),
          rc("aws_s3_bucket.d", { before: { note: "a" }, after: { note: "```\n<img src=x>\n```", "<img src=y>": "@org/team" } }),
        ],
        output_changes: { "@org/team": { actions: ["create"], before: null, after: "<img src=z>" } },
      },
    },
  ];
  const blocked = [{ stack: "dev-app", address: addressWithDoubleBacktick, why: "decrease of `retention`: 35 → 7 <img src=w> @org/team" }];
  const statuses = [{ stack: "dev-eks", status: "failed" as const, detail: 'Error: <img src=x onerror=alert(1)> ping @org/team\n# not a heading\n<a href="https://evil.example">approve here</a>' }];
  const { markdown } = renderComment(plans, { digestKey, blocked, statuses, environmentOf: () => "@org/team<img src=v>", orphans: [{ stack: "dev-old", key: "dev/<img src=u>@org/team.tfstate", resources: 3 }] });
  const spans = expectInert(markdown);

  it("an address with a double backtick stays one code span", () => {
    expect(spans).toContain(addressWithDoubleBacktick);
    expect(markdown).toContain('```aws_s3_bucket.b["a``b"]```');
  });

  it("an address ending in a backtick stays one code span", () => {
    expect(spans).toContain(addressEndingInBacktick);
  });

  it("an import id and an action reason with HTML and a mention are code", () => {
    expect(spans).toContain(importId);
    expect(spans).toContain(reason);
  });

  it("an error detail with <img>, @org/team and line breaks is one code span on one line", () => {
    expect(spans).toContain('Error: <img src=x onerror=alert(1)> ping @org/team ⏎ # not a heading ⏎ <a href="https://evil.example">approve here</a>');
  });

  it("a value with ``` inside a diff keeps its fence closed", () => {
    expect(spans).toContain('~ note: "a" → "```\\n<img src=x>\\n```"');
    expect(spans).toContain('+ ["<img src=y>"] = "@org/team"');
    expect(markdown).toMatch(/^````diff$/m);
  });

  it("a guard's reason, an environment's name and an orphan's key show no tag and ping no one", () => {
    expect(markdown).toContain("&lt;img src=w&gt; @\u200dorg/team");
    expect(markdown).toContain("(@\u200dorg/team&lt;img src=v&gt;)");
    expect(spans).toContain("dev/<img src=u>@org/team.tfstate");
  });

  it("the status list alone is inert as well", () => {
    expectInert(`marker\n${statusWarning(statuses) as string}`);
  });
});

describe("the escapes", () => {
  it("code: a fence longer than any run inside, padded when the text starts or ends with a backtick", () => {
    expect(code("a")).toBe("`a`");
    expect(code("a``b")).toBe("```a``b```");
    expect(code("`x`")).toBe("`` `x` ``");
    expect(code("line 1\nline 2")).toBe("`line 1 ⏎ line 2`");
  });

  it("fence: longer than any run of backticks inside", () => {
    expect(fence(["```", "````x"], "diff")).toBe("`````diff\n```\n````x\n`````");
  });

  it("html and text: no tag, no mention, no link", () => {
    expect(html('<a href="x">@org/team</a>')).toBe("&lt;a href=&quot;x&quot;&gt;@\u200dorg/team&lt;/a&gt;");
    expect(text("[approve](https://evil.example) *now*")).toBe("\\[approve\\](https:\u200d//evil.example) \\*now\\*");
  });

  it("invisible controls and bidirectional overrides show as �", () => {
    expect(code("a\u202eb\u001b[31m")).toBe("`a\ufffdb\ufffd[31m`");
  });
});
