import { describe, expect, it } from "vitest";
import { escapeHtml, escapeMarkdown } from "../../core/report/escape.js";
import { renderMarkdown } from "../../core/report/markdown.js";
import { sampleReport } from "./fixtures.js";

const EVIL = "@everyone <img src=x onerror=alert(1)> [click](javascript:alert(1)) ![x](http://evil/x.png)";

/** Markdown constructs that would render as something other than text. */
function expectInert(markdown: string): void {
  expect(markdown).not.toContain("<img");
  expect(markdown).not.toMatch(/@everyone/);
  expect(markdown).not.toMatch(/!?\[[^\]]*\]\([^)]*\)/);
  expect(markdown).not.toContain("javascript:alert(1))");
  expect(markdown).not.toContain("http://evil");
}

describe("escapeMarkdown", () => {
  it("makes mentions, HTML, links and images inert", () => {
    const escaped = escapeMarkdown(EVIL);

    expectInert(escaped);
    expect(escaped).toContain("@&#8203;everyone");
    expect(escaped).toContain("&#60;img src=x onerror=alert&#40;1&#41;&#62;");
  });

  it("escapes table pipes and collapses newlines so a cell stays one cell", () => {
    const escaped = escapeMarkdown("a | b\n\n| c |\r\nd");

    expect(escaped).toBe("a &#124; b &#124; c &#124; d");
  });

  it("escapes emphasis, code, entities and math", () => {
    const escaped = escapeMarkdown("*b* _i_ `code` &amp; $x$ ~~s~~");

    expect(escaped).toBe(
      "&#42;b&#42; &#95;i&#95; &#96;code&#96; &#38;amp; &#36;x&#36; &#126;&#126;s&#126;&#126;",
    );
  });

  it("keeps a string from starting a list or a heading", () => {
    expect(escapeMarkdown("- item")).toBe("&#45; item");
    expect(escapeMarkdown("1. first")).toBe("&#49;. first");
    expect(escapeMarkdown("# title")).toBe("&#35; title");
    expect(escapeMarkdown("120 rows added")).toBe("120 rows added");
  });

  it("breaks bare URLs so they are not autolinked", () => {
    const escaped = escapeMarkdown("see https://evil.example and www.evil.example");

    expect(escaped).toBe("see https:&#8203;//evil.example and www&#8203;.evil.example");
  });

  it("breaks issue references so they neither link nor notify another thread", () => {
    const escaped = escapeMarkdown("fixes #123, octo/repo#7 and gh-42; #hashtag stays");

    expect(escaped).toBe(
      "fixes &#35;&#8203;123, octo/repo&#35;&#8203;7 and gh&#8203;-42; &#35;hashtag stays",
    );
  });

  it("removes bidirectional overrides and control characters", () => {
    expect(escapeMarkdown("abc\u202Eevil\u0000\u0007")).toBe("abcevil");
  });

  it("cuts to a maximum length before escaping", () => {
    expect(escapeMarkdown("abcdefghij", 5)).toBe("abcd…");
  });
});

describe("escapeHtml", () => {
  it("escapes markup and attribute quotes", () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe(
      "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;",
    );
  });
});

describe("a malicious report rendered as Markdown", () => {
  it("has nothing that pings, links, embeds or injects HTML", () => {
    const report = sampleReport({
      model: EVIL,
      classes: [EVIL, "ok", "<script>alert(1)</script>"],
      perClass: [{ class: EVIL, precision: 1, recall: 1, f1: 1, support: 1 }],
      data: {
        train: { rows: 1, fingerprint: "<b>fp</b>", file: "[x](javascript:alert(1))" },
        changes: [EVIL, "line one\n- injected list\n# injected heading"],
      },
      override: { by: "@everyone", reason: EVIL, at: "2024-05-02T09:00:00Z" },
    });

    const markdown = renderMarkdown(report);

    expectInert(markdown);
    expect(markdown).not.toContain("<script");
    expect(markdown).not.toContain("<b>");
    expect(markdown).not.toMatch(/^- injected list/m);
    expect(markdown).not.toMatch(/^# injected heading/m);
    expect(markdown).toContain("- line one - injected list &#35; injected heading");
  });
});
