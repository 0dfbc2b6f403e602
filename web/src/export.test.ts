import { describe, expect, it } from "vitest";
import { composeSvg, downloadName, wrapText } from "./export";

describe("wrapText", () => {
  it("breaks at spaces within the width and gives a long word a line of its own", () => {
    expect(wrapText("one two three four", 9)).toEqual(["one two", "three", "four"]);
    expect(wrapText("a verylongwordindeed b", 5)).toEqual(["a", "verylongwordindeed", "b"]);
    expect(wrapText("   ", 10)).toEqual([]);
  });
});

describe("composeSvg", () => {
  const chart = '<svg width="600" height="300" xmlns="http://www.w3.org/2000/svg"><path d="M0 0L1 1"/></svg>';
  it("puts the title and the query above the chart and the protection note under it", () => {
    const { svg, height } = composeSvg(chart, 600, 300, {
      title: "Retention in peer work", context: ["Filters: State: OR", "As of 2026-11-30"], note: "Counts are perturbed.",
    });
    expect(svg.startsWith("<svg")).toBe(true);
    expect(height).toBeGreaterThan(300);
    const title = svg.indexOf("Retention in peer work");
    const filters = svg.indexOf("Filters: State: OR");
    const drawing = svg.indexOf(chart);
    const note = svg.indexOf("Counts are perturbed.");
    expect(title).toBeGreaterThan(0);
    expect(filters).toBeGreaterThan(title);
    expect(drawing).toBeGreaterThan(filters);
    expect(note).toBeGreaterThan(drawing);
    expect(svg).toContain(`height="${height}"`);
  });
  it("escapes what it writes, so a name from the data cannot become markup", () => {
    const { svg } = composeSvg(chart, 600, 300, { title: "<script>x</script> & co", context: ['"quoted"'], note: null });
    expect(svg).not.toContain("<script>");
    expect(svg).toContain("&lt;script&gt;x&lt;/script&gt; &amp; co");
    expect(svg).toContain("&quot;quoted&quot;");
  });
});

describe("downloadName", () => {
  it("carries the query, so two queries' downloads do not overwrite each other", () => {
    expect(downloadName("peer-work", "?state=OR&groupBy=credential&asOf=2026-11-30"))
      .toBe("peer-work_state-OR_groupBy-credential_asOf-2026-11-30");
    expect(downloadName("peer-work", "")).toBe("peer-work");
    expect(downloadName("peer-work", "?state=OR")).not.toBe(downloadName("peer-work", "?state=WA"));
  });
  it("keeps only safe characters, leaves out empty values and the format, and stays short", () => {
    expect(downloadName("x", "?state=../../etc&format=csv&tier=")).toBe("x_state-etc");
    expect(downloadName("x", `?covariates=${"a,".repeat(100)}`).length).toBeLessThanOrEqual(140);
  });
});
