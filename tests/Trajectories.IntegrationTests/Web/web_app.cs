using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Trajectories.IntegrationTests.Ingestion;

namespace Trajectories.IntegrationTests.Web;

/// <summary>
/// The web app end to end: Debian's Chromium, driven by Playwright, against the real service and PostgreSQL.
/// Every test also fails on a console error or a content-security-policy violation (they are logged as errors).
/// </summary>
[Collection(BrowserCollection.Name)]
public class web_app(BrowserFixture service)
{
    private static async Task WithPageAsync(BrowserFixture service, Func<IPage, Task> test, int width = 1280)
    {
        var (page, errors) = await service.PageAsync(width);
        try
        {
            await test(page);
            Assert.True(errors.Count == 0, "browser console errors: " + string.Join(" | ", errors));
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    /// <summary>Chooses the hire form on a person's page and fills it as a person would (an empty value is left
    /// untouched).</summary>
    private static async Task<ILocator> FillHireAsync(
        IPage page, string employer, string title, string hours, string wage)
    {
        await page.GetByLabel("Event", new() { Exact = true }).SelectOptionAsync("hired");
        var form = page.Locator("form[data-form=hired]");
        if (employer != "") await form.GetByLabel("Employer").FillAsync(employer);
        await form.GetByLabel("Job title").FillAsync(title);
        await form.GetByLabel("Job type").SelectOptionAsync("peer");
        await form.GetByLabel("Hours per week").FillAsync(hours);
        await form.GetByLabel("Hourly wage (USD)").FillAsync(wage);
        await form.GetByLabel("Started on").FillAsync("2023-04-03");
        return form;
    }

    [Fact]
    public async Task staff_record_a_hire_through_the_form_and_see_it_in_the_timeline()
    {
        var staff = service.ClientWith(service.StaffKey);
        var id = await staff.RegisterAsync(name: "Grace Browser");
        await WithPageAsync(service, async page =>
        {
            await BrowserFixture.SignInAsync(page, service.StaffKey);
            await page.GotoAsync($"/#/specialists/{id}");
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Grace Browser" }))
                .ToBeVisibleAsync();

            var form = await FillHireAsync(page, "Riverbend Recovery Center", "Peer Support Specialist", "32", "21.50");
            await service.ShotAsync(page, "hire-form-filled");
            await form.GetByRole(AriaRole.Button, new() { Name = "Record hire" }).ClickAsync();
            // A save everyone sees, not only screen readers.
            await Assertions.Expect(page.Locator("#notice")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("#notice")).ToHaveTextAsync("✓ Hire recorded.");

            var row = page.Locator("[data-testid=timeline] tr[data-type=hired]");
            await Assertions.Expect(row).ToContainTextAsync("Riverbend Recovery Center");
            await Assertions.Expect(row).ToContainTextAsync("2023-04-03");
            await Assertions.Expect(page.Locator("[data-testid=status]")).ToHaveTextAsync("Employed peer");
            await Assertions.Expect(page.Locator("[data-testid=jobs]")).ToContainTextAsync("Peer Support Specialist");
            await service.ShotAsync(page, "hire-in-timeline");
        });

        // It really landed in the stream, recorded by this key over the web channel.
        var hired = (await staff.TimelineAsync(id)).Single(e => e!["type"]!.GetValue<string>() == "hired")!;
        Assert.Equal("Riverbend Recovery Center", hired["data"]!["employer"]!.GetValue<string>());
        Assert.Equal(21.50m, hired["data"]!["hourlyWage"]!.GetValue<decimal>());
        Assert.Equal("web", hired["channel"]!.GetValue<string>());
        Assert.StartsWith("key:", hired["recordedBy"]!.GetValue<string>());
        Assert.Equal("staff", hired["recordedRole"]!.GetValue<string>());
    }

    [Fact]
    public async Task an_invalid_form_shows_the_api_errors_next_to_their_fields_and_records_nothing()
    {
        var staff = service.ClientWith(service.StaffKey);
        var id = await staff.RegisterAsync(name: "Invalid Form Person");
        var before = (await staff.TimelineAsync(id)).Count;
        await WithPageAsync(service, async page =>
        {
            await BrowserFixture.SignInAsync(page, service.StaffKey);
            await page.GotoAsync($"/#/specialists/{id}");
            var form = await FillHireAsync(page, employer: "", "Peer Specialist", "20", "9999");
            await form.GetByRole(AriaRole.Button, new() { Name = "Record hire" }).ClickAsync();

            // In the form's words: the field's label, not the API's property name.
            await Assertions.Expect(form.Locator(".field-error[data-field=employer]"))
                .ToHaveTextAsync("Employer is required.");
            await Assertions.Expect(form.Locator(".field-error[data-field=hourlyWage]"))
                .ToHaveTextAsync("Hourly wage (USD) must be between 0 and 500.");
            await Assertions.Expect(form.GetByLabel("Employer")).ToHaveAttributeAsync("aria-invalid", "true");
            await Assertions.Expect(form.Locator(".field-error[data-field=title]")).ToBeEmptyAsync();
            await Assertions.Expect(form.GetByRole(AriaRole.Alert).First)
                .ToContainTextAsync("Please correct the fields marked below.");
            await service.ShotAsync(page, "hire-form-errors");

            // A rule about the history, not a field's format: a correction of an entry shows the API's detail too.
            await page.Locator("[data-testid=timeline] tr[data-type=certified] button", new() { HasText = "Correct" })
                .ClickAsync();
            var correction = page.Locator("form[data-form=correction]");
            await correction.GetByLabel("Certified on").FillAsync("2099-01-01");
            await correction.GetByLabel("Why (kept with the correction)").FillAsync("typo");
            await correction.GetByRole(AriaRole.Button, new() { Name = "Save correction" }).ClickAsync();
            await Assertions.Expect(correction.Locator(".field-error[data-field=mode]"))
                .ToContainTextAsync("in the future");
        });
        Assert.Equal(before, (await staff.TimelineAsync(id)).Count);
    }

    [Fact]
    public async Task the_forms_suggest_employers_offer_lists_edit_the_profile_and_refuse_a_promotion_to_the_same_tier()
    {
        var staff = service.ClientWith(service.StaffKey);
        var tag = Guid.NewGuid().ToString("N")[..6];
        var other = await staff.RegisterAsync(name: "Employer Seed");
        await (await staff.PostAsync(other, "hires", new
        {
            employer = $"Lane County Behavioral Health {tag}", title = "Peer Support Specialist", jobType = "peer",
            hoursPerWeek = 30, hourlyWage = 19m, startedOn = "2022-03-01",
        })).ShouldBe(HttpStatusCode.Created);
        var id = await staff.RegisterAsync(name: "Form Checks Person");
        var job = await staff.HireAsync(id);
        await WithPageAsync(service, async page =>
        {
            await BrowserFixture.SignInAsync(page, service.StaffKey);
            await page.GotoAsync($"/#/specialists/{id}");
            // The hire form suggests the employers already recorded in the person's state.
            await page.GetByLabel("Event", new() { Exact = true }).SelectOptionAsync("hired");
            var employer = page.Locator("form[data-form=hired]").GetByLabel("Employer");
            var list = await employer.GetAttributeAsync("list");
            Assert.NotNull(list);
            Assert.Contains($"Lane County Behavioral Health {tag}", await page.Locator($"datalist#{list} option")
                .EvaluateAllAsync<string[]>("options => options.map(o => o.value)"));

            // A promotion to the tier the job has is refused next to the tier, in words, and records nothing.
            await page.GetByLabel("Event", new() { Exact = true }).SelectOptionAsync("promoted");
            var promotion = page.Locator("form[data-form=promoted]");
            await promotion.GetByLabel("Job").SelectOptionAsync(job.ToString());
            await promotion.GetByLabel("New tier").SelectOptionAsync("Peer I");
            await promotion.GetByLabel("Effective on").FillAsync("2023-01-01");
            await promotion.GetByRole(AriaRole.Button, new() { Name = "Record promotion" }).ClickAsync();
            await Assertions.Expect(promotion.Locator(".field-error[data-field=tier]"))
                .ToContainTextAsync("the tier the job already has");

            // The correction of a hire offers the vocabulary's job types and the ladder's tiers as lists.
            await page.Locator("[data-testid=timeline] tr[data-type=hired] button", new() { HasText = "Correct" })
                .ClickAsync();
            var correction = page.Locator("form[data-form=correction]");
            Assert.Equal("SELECT", await correction.GetByLabel("Job type").EvaluateAsync<string>("e => e.tagName"));
            Assert.Equal("SELECT", await correction.GetByLabel("Tier").EvaluateAsync<string>("e => e.tagName"));
            Assert.NotNull(await correction.GetByLabel("Employer").GetAttributeAsync("list"));
            await correction.Locator("xpath=..").GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();

            // The profile is edited in a form of its own, recorded as a correction of the certification.
            await page.GetByTestId("edit-profile").ClickAsync();
            var profile = page.Locator("form[data-form=profile]");
            await profile.GetByLabel("County", new() { Exact = true }).FillAsync("Benton");
            await profile.GetByLabel("Why (kept with the correction)").FillAsync("moved before certification");
            await profile.GetByRole(AriaRole.Button, new() { Name = "Save profile" }).ClickAsync();
            await Assertions.Expect(page.Locator("#notice")).ToContainTextAsync("Profile saved");
            await Assertions.Expect(page.Locator("[data-testid=status-card]")).ToContainTextAsync("Benton");
        });
        var timeline = await staff.TimelineAsync(id);
        Assert.DoesNotContain(timeline, e => e!["type"]!.GetValue<string>() == "promoted");
        var fix = timeline.Single(e => e!["type"]!.GetValue<string>() == "event-corrected")!;
        Assert.Equal("Benton", fix["data"]!["changes"]!["county"]!.GetValue<string>());
    }

    [Fact]
    public async Task registering_a_number_already_held_links_to_the_person_who_holds_it()
    {
        var staff = service.ClientWith(service.StaffKey);
        var number = CareerApi.UniqueNumber();
        var first = await staff.PostAsJsonAsync("/api/specialists", CareerApi.Registration(number: number));
        await first.ShouldBe(HttpStatusCode.Created);
        var holder = (await first.Json())["id"]!.GetValue<Guid>();
        await WithPageAsync(service, async page =>
        {
            await BrowserFixture.SignInAsync(page, service.StaffKey);
            await page.GotoAsync("/#/specialists");
            await page.GetByText("Register a specialist").ClickAsync();
            var form = page.Locator("form[data-form=register]");
            await form.GetByLabel("Name").FillAsync("Second Holder");
            await form.GetByLabel("State").FillAsync("OR");
            await form.GetByLabel("Credential").SelectOptionAsync("adult-peer");
            await form.GetByLabel("Certification number").FillAsync(number);
            await form.GetByLabel("Certified on").FillAsync("2022-01-10");
            await form.Locator("input[name=county]").FillAsync("Lane");
            await form.GetByLabel("Rural county").SelectOptionAsync("false");
            await form.GetByLabel("Mental health professional shortage area").SelectOptionAsync("false");
            await form.GetByRole(AriaRole.Button, new() { Name = "Register specialist" }).ClickAsync();
            var error = form.Locator(".field-error[data-field=certificationNumber]");
            await Assertions.Expect(error).ToContainTextAsync("already registered in OR");
            await Assertions.Expect(error).Not.ToContainTextAsync(holder.ToString());
            await error.GetByTestId("other-specialist").ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"{holder}$"));
        });
    }

    [Fact]
    public async Task on_a_phone_lists_and_the_timeline_reflow_and_filters_fold_away()
    {
        var staff = service.ClientWith(service.StaffKey);
        var id = await staff.RegisterAsync(name: "Phone Person");
        await staff.HireAsync(id);
        await WithPageAsync(service, async page =>
        {
            async Task NoSidewaysScrollAsync(string what) => Assert.False(await page.EvaluateAsync<bool>(
                "() => document.documentElement.scrollWidth > window.innerWidth + 1"), $"{what} scrolls sideways");
            await BrowserFixture.SignInAsync(page, service.StaffKey);
            await page.GotoAsync($"/#/specialists/{id}");
            var correct = page.Locator("[data-testid=timeline] tr[data-type=hired] button",
                new() { HasText = "Correct" });
            // Reachable by scrolling down, never sideways: in view once scrolled to.
            await correct.ScrollIntoViewIfNeededAsync();
            await Assertions.Expect(correct).ToBeInViewportAsync();
            await Assertions.Expect(page.Locator("[data-testid=timeline] thead")).ToBeHiddenAsync();
            await NoSidewaysScrollAsync("the person page");
            await service.ShotAsync(page, "person-phone");
            await page.GotoAsync("/#/specialists");
            var status = page.Locator("[data-testid=specialists] td[data-label=Status]").First;
            await status.ScrollIntoViewIfNeededAsync();
            await Assertions.Expect(status).ToBeInViewportAsync();
            await NoSidewaysScrollAsync("the list of specialists");
            // The work lists, with an integration's refused event (its long type and source names) on them.
            await service.Client.SendAsync(Ingest.Event("checked-in", "OR:nobody-on-a-phone",
                new { checkedInOn = "2024-01-01", reportedStatus = "employed-peer" },
                source: "urn:example:a-very-long-source-name-without-any-break-in-it-at-all"));
            await service.Store.SettledAsync();
            await page.GotoAsync("/#/work");
            await Assertions.Expect(page.GetByTestId("work-rejected").Locator("tbody tr").First).ToBeVisibleAsync();
            await NoSidewaysScrollAsync("the work lists");

            await BrowserFixture.SignInAsync(page, service.AnalystKey);
            await page.GotoAsync("/#/retention?groupBy=state");
            await Assertions.Expect(page.Locator("[data-testid=at-risk-table]")).ToBeVisibleAsync();
            // The filters wait behind a button, so the chart is on the first screen.
            await Assertions.Expect(page.GetByTestId("retention-controls")).ToBeHiddenAsync();
            var toggle = page.GetByRole(AriaRole.Button, new() { Name = "Filters" });
            await toggle.ClickAsync();
            await Assertions.Expect(page.GetByTestId("retention-controls")).ToBeVisibleAsync();
            await Assertions.Expect(toggle).ToHaveAttributeAsync("aria-expanded", "true");
            await NoSidewaysScrollAsync("the retention page");
            await service.ShotAsync(page, "retention-phone");
        }, width: 390);
    }

    [Fact]
    public async Task charts_are_described_in_words_and_reasons_draw_one_panel_per_group()
    {
        var report = await ApiAsync("/api/retention/peer-work?groupBy=state");
        var shown = report["groups"]!.AsArray().Where(g => !g!["suppressed"]!.GetValue<bool>()).ToList();
        await WithPageAsync(service, async page =>
        {
            await BrowserFixture.SignInAsync(page, service.AnalystKey);
            await page.GotoAsync("/#/retention?groupBy=state");
            await Assertions.Expect(page.Locator("[data-testid=at-risk-table]")).ToBeVisibleAsync();
            // What a screen reader hears: each group's size and median, not a dump of numbers.
            var described = page
                .Locator("[data-testid=km-chart][aria-label], [data-testid=km-chart] [aria-label]").First;
            await Assertions.Expect(described).ToHaveAttributeAsync("aria-label",
                new System.Text.RegularExpressions.Regex($"{shown[0]!["key"]}, {shown[0]!["n"]} people: median"));
            Assert.DoesNotContain("NaN", await described.GetAttributeAsync("aria-label") ?? "");
            // The number at risk is drawn under the curve: the first group's count at 0 is its n.
            var texts = await page.Locator("[data-testid=km-chart] svg text").AllTextContentsAsync();
            Assert.Contains("Number at risk", texts);
            Assert.Contains(shown[0]!["n"]!.ToString(), texts);

            var reasons = await ApiAsync("/api/retention/reasons?groupBy=state");
            var panels = reasons["groups"]!.AsArray().Count(g => !g!["suppressed"]!.GetValue<bool>());
            await page.GotoAsync("/#/retention?view=reasons&groupBy=state");
            await Assertions.Expect(page.GetByLabel("Show")).ToHaveValueAsync("");
            var titles = page.Locator("[data-testid=reasons-chart] svg text")
                .Filter(new() { HasTextRegex = new System.Text.RegularExpressions.Regex(@"^\w+ \(n=\d+\)$") });
            await Assertions.Expect(titles).ToHaveCountAsync(panels);
            await service.ShotAsync(page, "reasons-panels");

            // Grouped by tier, the page says the groups are the tier at the start, and leads to the time-varying model.
            await page.GotoAsync("/#/retention?groupBy=tier");
            var note = page.GetByTestId("at-the-start");
            await Assertions.Expect(note).ToContainTextAsync("counts in the group it started in");
            await note.GetByRole(AriaRole.Link).ClickAsync();
            await Assertions.Expect(page.GetByLabel("Tier and hours")).ToHaveValueAsync("true");
            await Assertions.Expect(page.GetByRole(AriaRole.Checkbox, new() { Name = "Promoted since the start" }))
                .ToBeCheckedAsync();
        });
    }

    [Fact]
    public async Task a_correction_made_in_the_page_supersedes_the_entry_and_keeps_the_original()
    {
        var staff = service.ClientWith(service.StaffKey);
        var id = await staff.RegisterAsync(name: "Correction Person");
        await staff.HireAsync(id, "2022-03-01");
        await WithPageAsync(service, async page =>
        {
            await BrowserFixture.SignInAsync(page, service.StaffKey);
            await page.GotoAsync($"/#/specialists/{id}");
            await page.Locator("[data-testid=timeline] tr[data-type=hired] button", new() { HasText = "Correct" })
                .ClickAsync();
            var correction = page.Locator("form[data-form=correction]");
            await correction.GetByLabel("Started on").FillAsync("2022-02-14");
            await correction.GetByLabel("Why (kept with the correction)").FillAsync("start date from the signed offer");
            await correction.GetByRole(AriaRole.Button, new() { Name = "Save correction" }).ClickAsync();
            var hired = page.Locator("[data-testid=timeline] tr[data-type=hired]");
            await Assertions.Expect(hired).ToContainTextAsync("2022-02-14");
            await Assertions.Expect(hired).ToContainTextAsync("corrected");
            await Assertions.Expect(hired).ToContainTextAsync("First recorded as");
            var correctionRow = page.Locator("[data-testid=timeline] tr[data-type=event-corrected]");
            await Assertions.Expect(correctionRow).ToContainTextAsync("start date from the signed offer");
            // The correction names the entry it fixed and leads to it.
            await Assertions.Expect(correctionRow).ToContainTextAsync("Corrected the hired entry of 2022-02-14");
            await page.GetByLabel("Show").SelectOptionAsync("corrections");
            await correctionRow.GetByRole(AriaRole.Button, new() { Name = "Show that entry" }).ClickAsync();
            await Assertions.Expect(hired).ToBeVisibleAsync();
            await Assertions.Expect(hired).ToBeFocusedAsync();
        });
        var timeline = await staff.TimelineAsync(id);
        Assert.Equal(
            "2022-02-14",
            timeline.Single(e => e!["type"]!.GetValue<string>() == "hired")!["effectiveOn"]!.GetValue<string>());
    }

    /// <summary>
    /// The API's answer for a query, after what earlier tests wrote has reached the retention facts and the service's
    /// cache (refreshed every 100 ms here), so the page and this answer are drawn from the same data.
    /// </summary>
    private async Task<JsonObject> ApiAsync(string url)
    {
        await service.Store.WaitForRetentionFactsAsync(TimeSpan.FromSeconds(60));
        await Task.Delay(500);
        var response = await service.ClientWith(service.AnalystKey).GetAsync(url);
        await response.ShouldBe(HttpStatusCode.OK);
        return await response.Json();
    }

    /// <summary>The legend entries, once the chart has drawn them (the table may be shown a frame sooner).</summary>
    private static async Task<List<string>> LegendAsync(IPage page)
    {
        await Assertions.Expect(page.Locator("[data-testid=km-chart] svg text")
            .Filter(new() { HasTextRegex = new System.Text.RegularExpressions.Regex(@"\((n=|suppressed)") }).First)
            .ToBeAttachedAsync();
        return (await page.Locator("[data-testid=km-chart] svg text").AllTextContentsAsync())
            .Where(t => t.Contains("(n=") || t.Contains("(suppressed)")).ToList();
    }

    [Fact]
    public async Task retention_draws_the_curves_and_the_at_risk_table_from_the_api()
    {
        var report = await ApiAsync("/api/retention/peer-work?groupBy=state");
        var groups = report["groups"]!.AsArray().Select(g => g!.AsObject()).ToList();
        var shown = groups.Where(g => !g["suppressed"]!.GetValue<bool>()).ToList();
        Assert.True(shown.Count >= 2, "the seeded cohort should have at least two states large enough to show");

        await WithPageAsync(service, async page =>
        {
            await BrowserFixture.SignInAsync(page, service.AnalystKey);
            await page.GotoAsync("/#/retention?groupBy=state");
            var table = page.Locator("[data-testid=at-risk-table]");
            await Assertions.Expect(table).ToBeVisibleAsync();
            // The view tabs answer the arrow keys, and only the chosen one is in the Tab order.
            var curvesTab = page.GetByRole(AriaRole.Tab, new() { Name = "Retention curves" });
            await Assertions.Expect(curvesTab).ToHaveAttributeAsync("tabindex", "0");
            await curvesTab.FocusAsync();
            await page.Keyboard.PressAsync("ArrowRight");
            var reasons = page.GetByRole(AriaRole.Tab, new() { Name = "Reasons for leaving" });
            await Assertions.Expect(reasons).ToHaveAttributeAsync("aria-selected", "true");
            await Assertions.Expect(reasons).ToBeFocusedAsync();
            await page.Keyboard.PressAsync("ArrowLeft");
            await Assertions.Expect(page.GetByRole(AriaRole.Tab, new() { Name = "Retention curves" }))
                .ToHaveAttributeAsync("aria-selected", "true");
            await Assertions.Expect(table).ToBeVisibleAsync();
            // "Tier" is the tier at the start, and the page says so.
            await Assertions.Expect(page.GetByLabel("Tier at the start")).ToBeVisibleAsync();
            foreach (var g in shown)
            {
                var key = g["key"]!.GetValue<string>();
                await Assertions.Expect(page.Locator($"[data-testid='n-{key}']"))
                    .ToHaveTextAsync(g["n"]!.GetValue<int>().ToString("N0"));
                if (g["at"]!["12"] is JsonObject at12)
                    await Assertions.Expect(page.Locator($"[data-testid='atrisk-{key}-12']"))
                        .ToHaveTextAsync(at12["atRisk"]!.GetValue<int>().ToString());
                if (g["restrictedMean"]!["12"] is JsonObject rmean)
                    await Assertions.Expect(page.Locator($"[data-testid='rmean-{key}-12']")).ToContainTextAsync(
                        $"{rmean["days"]!.GetValue<double>() / (365.25 / 12):F1} mo");
            }
            // One drawn step curve per shown group: an SVG path with the group's stroke and many vertices.
            var curves = await page.Locator("[data-testid=km-chart] svg path[fill=none]").EvaluateAllAsync<int[]>(
                "paths => paths.map(p => (p.getAttribute('d') || '').split(/[LM]/).length).filter(n => n > 20)");
            Assert.True(curves.Length >= shown.Count, $"expected {shown.Count} drawn curves, found {curves.Length}");
            var legend = await LegendAsync(page);
            Assert.Equal(
                shown.Select(g => $"{g["key"]} (n={g["n"]})").Order(),
                legend.Where(l => l.Contains("(n=")).Order());
            // What protects the figures, in words, under the chart and under the table (ADR 14).
            await Assertions.Expect(page.Locator("[data-testid=km-chart-protection]"))
                .ToContainTextAsync("perturbed");
            await Assertions.Expect(page.Locator("[data-testid=table-protection]")).ToContainTextAsync("month ends");
            await service.ShotAsync(page, "retention-by-state");
        });
    }

    [Fact]
    public async Task where_people_are_is_drawn_as_stacked_areas_with_the_apis_readings_and_moves()
    {
        var report = await ApiAsync("/api/trajectories/occupation");
        var all = report["groups"]!.AsArray().Single()!;
        var peer = all["at"]!["12"]!["states"]!["peer"]!;
        static string Percent(JsonNode? v) =>
            (v!.GetValue<double>() * 100).ToString("F1", System.Globalization.CultureInfo.InvariantCulture) + "%";
        await WithPageAsync(service, async page =>
        {
            await BrowserFixture.SignInAsync(page, service.AnalystKey);
            await page.GotoAsync("/#/retention?view=occupation");
            await Assertions.Expect(page.Locator("[data-testid=occupation-chart] svg path").First).ToBeAttachedAsync();
            var row = page.Locator("[data-testid=occupation-table] tbody tr").First;
            await Assertions.Expect(row.Locator("th")).ToHaveTextAsync("In peer work");
            // The 12-month cell is the API's reading with its interval.
            await Assertions.Expect(row.Locator("td").Nth(1)).ToHaveTextAsync(
                $"{Percent(peer["probability"])} ({Percent(peer["lower"])}–{Percent(peer["upper"])})");
            await Assertions.Expect(page.Locator("[data-testid=transitions-table] tbody tr").First).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("[data-testid=table-protection]")).ToContainTextAsync("perturbed");
            await service.ShotAsync(page, "occupation");
        });
    }

    [Fact]
    public async Task the_burnout_view_draws_scores_by_time_since_hire_with_the_apis_means()
    {
        var report = await ApiAsync("/api/retention/burnout");
        var peer = report["groups"]!.AsArray().Single(g => g!["key"]!.GetValue<string>() == "peer")!;
        var score = peer["scores"]!["cynicism"]!;
        static string F(JsonNode? v) =>
            v!.GetValue<double>().ToString("F2", System.Globalization.CultureInfo.InvariantCulture);
        await WithPageAsync(service, async page =>
        {
            await BrowserFixture.SignInAsync(page, service.AnalystKey);
            await page.GotoAsync("/#/retention?view=burnout&scale=cynicism");
            await Assertions.Expect(page.Locator("[data-testid=burnout-chart] svg path").First).ToBeAttachedAsync();
            // The interval is withheld (null) when the perturbation leaves the spread too uncertain (ADR 14), which
            // depends on what other tests have recorded by then; the page then shows the mean alone.
            var interval = score["lower"] is null ? "" : $" ({F(score["lower"])}–{F(score["upper"])})";
            await Assertions.Expect(page.Locator("[data-testid=burnout-table] tr[data-group=peer] td").First)
                .ToHaveTextAsync($"{F(score["mean"])}{interval}, n={score["people"]}");
            await Assertions.Expect(page.Locator("[data-testid=burnout-table] caption")).ToContainTextAsync("Cynicism");
            await service.ShotAsync(page, "burnout");
        });
    }

    [Fact]
    public async Task the_career_ladder_is_drawn_as_a_flow_with_the_apis_counts()
    {
        var report = await ApiAsync("/api/retention/ladder");
        var flow = report["flows"]!.AsArray().Where(f => f!["count"] is not null && f["count"]!.GetValue<int>() > 0)
            .MaxBy(f => f!["count"]!.GetValue<int>())!;
        await WithPageAsync(service, async page =>
        {
            await BrowserFixture.SignInAsync(page, service.AnalystKey);
            await page.GotoAsync("/#/retention?view=ladder");
            await Assertions.Expect(page.Locator("[data-testid=ladder-chart] svg path").First).ToBeAttachedAsync();
            var row = page.Locator("[data-testid=ladder-flows] tbody tr").And(page.Locator(
                $"[data-flow='{flow["fromStage"]}:{flow["from"]}>{flow["toStage"]}:{flow["to"]}']"));
            await Assertions.Expect(row.Locator("td.num")).ToHaveTextAsync(
                flow["count"]!.GetValue<int>().ToString("N0",
                    System.Globalization.CultureInfo.GetCultureInfo("en-US")));
            await Assertions.Expect(page.Locator("[data-testid=ladder-moves]")).ToBeVisibleAsync();
            await service.ShotAsync(page, "ladder");
        });
    }

    [Fact]
    public async Task an_admin_creates_a_key_seen_once_revokes_it_and_reads_the_audit_trail()
    {
        string created = "";
        await WithPageAsync(service, async page =>
        {
            await BrowserFixture.SignInAsync(page, service.AdminKey);
            await page.GetByRole(AriaRole.Link, new() { Name = "Admin" }).ClickAsync();
            var form = page.Locator("[data-testid=create-key]");
            await form.GetByLabel("Name (who or what uses it)").FillAsync("Lane County intake desk");
            await form.GetByLabel("Role").SelectOptionAsync("staff");
            await form.GetByLabel("States").FillAsync("or");
            await form.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync();
            var shown = page.Locator("[data-testid=new-key]");
            await Assertions.Expect(shown).ToBeVisibleAsync();
            created = (await shown.TextContentAsync())!;
            await Assertions.Expect(page.Locator(".once")).ToContainTextAsync("shown only this once");
            var row = page.Locator("[data-testid=keys] tbody tr", new() { HasText = "Lane County intake desk" });
            await Assertions.Expect(row).ToContainTextAsync("OR");
            await service.ShotAsync(page, "admin-keys");

            // The new key works, and what it records is in the audit trail under its name.
            var desk = service.ClientWith(created);
            var id = await desk.RegisterAsync(name: "Audited Person", state: "OR");
            await page.GotoAsync("/#/admin?view=activity");
            var keyChoice = page.GetByLabel("Key", new() { Exact = true });
            await Assertions.Expect(keyChoice).ToBeVisibleAsync();
            await keyChoice.SelectOptionAsync(new SelectOptionValue { Label = "Lane County intake desk (staff)" });
            await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
            var entry = page.Locator("[data-testid=activity] tbody tr").First;
            await Assertions.Expect(entry).ToContainTextAsync("Lane County intake desk");
            await Assertions.Expect(entry.Locator("a")).ToHaveAttributeAsync("href", $"#/specialists/{id}");
            await service.ShotAsync(page, "admin-activity");

            // Revoking asks first, says what stops, and then the key is refused.
            await page.GotoAsync("/#/admin?view=keys");
            page.Dialog += async (_, dialog) =>
            {
                Assert.Contains("stops at once", dialog.Message);
                await dialog.AcceptAsync();
            };
            await page.GetByRole(AriaRole.Button, new() { Name = "Revoke key Lane County intake desk" }).ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=keys] tbody tr",
                new() { HasText = "Lane County intake desk" })).ToHaveCountAsync(0);
            Assert.Equal(HttpStatusCode.Unauthorized, (await desk.GetAsync("/api/specialists")).StatusCode);
        });
        Assert.StartsWith("trj_", created);
    }

    [Fact]
    public async Task an_admin_erases_a_person_only_after_typing_their_certification_number()
    {
        var staff = service.ClientWith(service.StaffKey);
        var id = await staff.RegisterAsync(name: "Erin Erasable");
        var number = (await (await staff.GetAsync($"/api/specialists/{id}")).Json())["certificationNumber"]!
            .GetValue<string>();
        await WithPageAsync(service, async page =>
        {
            await BrowserFixture.SignInAsync(page, service.AdminKey);
            await page.GotoAsync($"/#/specialists/{id}");
            var form = page.Locator("[data-testid=erasure]");
            await Assertions.Expect(form).ToContainTextAsync("cannot be undone");
            var erase = form.GetByRole(AriaRole.Button, new() { Name = "Erase this person's identity" });
            await Assertions.Expect(erase).ToBeDisabledAsync();
            await form.GetByLabel($"Type the certification number ({number}) to confirm").FillAsync(number + "x");
            await Assertions.Expect(erase).ToBeDisabledAsync();
            await form.GetByLabel($"Type the certification number ({number}) to confirm").FillAsync(number);
            await erase.ClickAsync();
            await Assertions.Expect(page.Locator("#notice")).ToContainTextAsync("Identity erased");
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "[erased]" })).ToBeVisibleAsync();
        });
        Assert.Equal("[erased]", (await (await staff.GetAsync($"/api/specialists/{id}")).Json())["name"]!
            .GetValue<string>());
        // Staff see no erasure form: it is the admin's alone.
        await WithPageAsync(service, async page =>
        {
            await BrowserFixture.SignInAsync(page, service.StaffKey);
            await page.GotoAsync($"/#/specialists/{id}");
            await Assertions.Expect(page.Locator("[data-testid=career]")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("[data-testid=erasure]")).ToHaveCountAsync(0);
        });
    }

    [Fact]
    public async Task staff_start_on_what_needs_doing_and_reach_the_person_from_it()
    {
        var staff = service.ClientWith(service.StaffKey);
        var id = await staff.RegisterAsync(certifiedOn: "2021-03-01", name: "Quincy Quiet");
        await service.Store.WaitForRetentionFactsAsync(TimeSpan.FromSeconds(60));
        await WithPageAsync(service, async page =>
        {
            await BrowserFixture.SignInAsync(page, service.StaffKey);
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "To do" })).ToBeVisibleAsync();
            var row = page.Locator($"[data-testid=work-overdue] tr[data-person='{id}']");
            // The lists follow the records by the facts' refresh: look again until the new person is on it.
            for (var i = 0; i < 20 && await row.CountAsync() == 0; i++)
            {
                await Task.Delay(500);
                await page.ReloadAsync();
                await Assertions.Expect(page.Locator("[data-testid=work-overdue]")).ToBeVisibleAsync();
            }
            await Assertions.Expect(row).ToContainTextAsync("2021-03-01");
            await Assertions.Expect(page.Locator("[data-testid=work-expiring]")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("[data-testid=work-rejected]")).ToBeVisibleAsync();
            await service.ShotAsync(page, "work-lists");
            await row.GetByRole(AriaRole.Link, new() { Name = "Quincy Quiet" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Quincy Quiet" }))
                .ToBeVisibleAsync();
        });
    }

    [Fact]
    public async Task the_model_view_draws_a_forest_plot_and_the_terms_the_api_gives()
    {
        var model = await ApiAsync("/api/retention/job/model?covariates=jobType,rural,wage");
        var terms = model["terms"]!.AsArray().Select(t => t!.AsObject()).ToList();
        Assert.NotEmpty(terms);
        await WithPageAsync(service, async page =>
        {
            await BrowserFixture.SignInAsync(page, service.AnalystKey);
            await page.GotoAsync("/#/retention?view=models&measure=job");
            await Assertions.Expect(page.Locator("[data-testid=model-empty]")).ToBeVisibleAsync();
            await page.GetByLabel("Job type").First.CheckAsync();
            await page.Locator("#cov-rural").CheckAsync();
            await page.Locator("#cov-wage").CheckAsync();
            var table = page.Locator("[data-testid=model-table]");
            await Assertions.Expect(table).ToBeVisibleAsync();
            foreach (var t in terms)
                await Assertions.Expect(page.Locator($"[data-testid='hr-{t["term"]}']")).ToHaveTextAsync(
                    $"{t["hazardRatio"]!.GetValue<double>():F2} ({t["lower"]!.GetValue<double>():F2}–" +
                    $"{t["upper"]!.GetValue<double>():F2})");
            // The reference level is named beside each level it is compared with.
            var reference = model["covariates"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "rural")!
                ["reference"]!.GetValue<string>();
            Assert.Equal("false", reference);
            await Assertions.Expect(page.Locator("[data-term='rural=true'] th")).ToHaveTextAsync("Rural: Yes vs No");
            await Assertions.Expect(page.Locator("[data-term='wage'] th")).ToHaveTextAsync("Hourly wage, per $1/h");
            await Assertions.Expect(page.Locator("[data-testid=ph-test]")).ToContainTextAsync("cox.zph");
            await Assertions.Expect(page.Locator("[data-testid=forest-plot-protection]")).ToContainTextAsync(
                "every covariate level");
            Assert.Contains("covariates=jobType%2Crural%2Cwage", page.Url.Replace(",", "%2C"));
            await service.ShotAsync(page, "model-forest-plot");
        });
    }

    [Fact]
    public async Task grouped_by_hire_year_the_curves_view_draws_the_trend_at_12_and_24_months()
    {
        await WithPageAsync(service, async page =>
        {
            await BrowserFixture.SignInAsync(page, service.AnalystKey);
            await page.GotoAsync("/#/retention?groupBy=hireYear");
            await Assertions.Expect(page.Locator("[data-testid=trend-chart]")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("[data-testid=trend-chart] svg text", new() { HasText = "12 months" })
                .First).ToBeAttachedAsync();
            await service.ShotAsync(page, "retention-trend-by-hire-year");
        });
    }

    [Fact]
    public async Task switching_the_group_by_changes_the_legend()
    {
        var byCredential = await ApiAsync("/api/retention/peer-work?groupBy=credential");
        // The legend says the credential in words ("Adult peer"), not the vocabulary's code ("adult-peer").
        static string Words(string code) => char.ToUpperInvariant(code[0]) + code[1..].Replace('-', ' ');
        var expected = byCredential["groups"]!.AsArray()
            .Select(g => (Key: Words(g!["key"]!.GetValue<string>()), Hidden: g["suppressed"]!.GetValue<bool>(),
                N: g["n"]))
            .Select(g => g.Hidden ? $"{g.Key} (suppressed)" : $"{g.Key} (n={g.N})")
            .Order().ToList();
        await WithPageAsync(service, async page =>
        {
            await BrowserFixture.SignInAsync(page, service.AnalystKey);
            await page.GotoAsync("/#/retention?groupBy=state");
            await Assertions.Expect(page.Locator("[data-testid=at-risk-table]")).ToBeVisibleAsync();
            var byState = await LegendAsync(page);
            Assert.Contains(byState, l =>
                l.StartsWith("OR ") || l.StartsWith("PA ") || l.StartsWith("GA ") || l.StartsWith("TX "));

            await page.GetByLabel("Group by").SelectOptionAsync("credential");
            await Assertions.Expect(page.Locator("[data-testid=at-risk-table] thead th").First)
                .ToHaveTextAsync("Credential");
            var legend = await LegendAsync(page);
            Assert.Equal(expected, legend.Order().ToList());
            Assert.DoesNotContain(legend, l => byState.Contains(l));
            Assert.Contains("groupBy=credential", page.Url);
            await service.ShotAsync(page, "retention-by-credential");
        });
    }

    [Fact]
    public async Task a_chart_downloads_as_csv_svg_and_png()
    {
        var csvFromApi = await (await service.ClientWith(service.AnalystKey)
            .GetAsync("/api/retention/peer-work?groupBy=state&format=csv")).Content.ReadAsStringAsync();
        await WithPageAsync(service, async page =>
        {
            await BrowserFixture.SignInAsync(page, service.AnalystKey);
            await page.GotoAsync("/#/retention?groupBy=state");
            await Assertions.Expect(page.Locator("[data-testid=at-risk-table]")).ToBeVisibleAsync();
            var downloads = page.GetByRole(AriaRole.Group,
                new() { Name = "Download Retention in peer work (Kaplan-Meier, log-log 95% CI)" });

            async Task<(string Name, byte[] Bytes)> SaveAsync(string button)
            {
                var download = await page.RunAndWaitForDownloadAsync(() =>
                    downloads.GetByRole(AriaRole.Button, new() { Name = button }).ClickAsync());
                return (download.SuggestedFilename, await File.ReadAllBytesAsync(await download.PathAsync()));
            }

            // The file names carry the query, so the next query's download does not overwrite this one.
            var csv = await SaveAsync("CSV");
            Assert.Equal("peer-work_groupBy-state.csv", csv.Name);
            Assert.Equal(csvFromApi, System.Text.Encoding.UTF8.GetString(csv.Bytes));
            var svg = await SaveAsync("SVG");
            Assert.Equal("peer-work_groupBy-state.svg", svg.Name);
            var svgText = System.Text.Encoding.UTF8.GetString(svg.Bytes);
            Assert.StartsWith("<svg", svgText);
            Assert.Contains("(n=", svgText); // the legend is in the drawing
            // So are the title, the query, the as-of date, the number at risk and how the figures were protected: a
            // download travels without the page around it.
            Assert.Contains("Retention in peer work (Kaplan-Meier, log-log 95% CI)", svgText);
            Assert.Contains("Filters: none", svgText);
            Assert.Contains("Grouped by: State", svgText);
            Assert.Matches(@"As of \d{4}-\d{2}-\d{2}", svgText);
            Assert.Contains("Number at risk", svgText);
            Assert.Contains("perturbed", svgText);
            await page.GotoAsync("/#/retention?groupBy=state&credential=adult-peer");
            await Assertions.Expect(page.GetByLabel("Credential")).ToHaveValueAsync("adult-peer");
            await Assertions.Expect(page.Locator("[data-testid=at-risk-table]")).ToBeVisibleAsync();
            var filtered = await SaveAsync("SVG");
            Assert.Equal("peer-work_credential-adult-peer_groupBy-state.svg", filtered.Name);
            Assert.Contains("Filters: Credential: Adult peer", System.Text.Encoding.UTF8.GetString(filtered.Bytes));
            var png = await SaveAsync("PNG");
            Assert.Equal("peer-work_credential-adult-peer_groupBy-state.png", png.Name);
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png.Bytes[..4]);
            Assert.True(png.Bytes.Length > 10_000, $"the PNG is {png.Bytes.Length} bytes: too small to hold the chart");
        });
    }

    [Fact]
    public async Task reasons_cohorts_and_workforce_pages_draw_their_charts_and_mark_suppressed_cells()
    {
        await WithPageAsync(service, async page =>
        {
            await BrowserFixture.SignInAsync(page, service.AnalystKey);
            await page.GotoAsync("/#/retention?view=reasons&groupBy=state");
            await Assertions.Expect(page.Locator("[data-testid=reasons-chart] svg path").First).ToBeAttachedAsync();
            await Assertions.Expect(page.Locator("[data-testid=reasons-table]"))
                .ToContainTextAsync("Still in peer work");
            await service.ShotAsync(page, "reasons");

            // Washington-sized groups: credential x a single cohort leaves small cells, which must read "suppressed".
            var grid = await ApiAsync("/api/retention/cohorts");
            await page.GotoAsync("/#/retention?view=cohorts");
            await Assertions.Expect(page.Locator("[data-testid=cohort-table] tbody tr"))
                .ToHaveCountAsync(grid["cohorts"]!.AsArray().Count);
            await Assertions.Expect(page.Locator("[data-testid=cohort-heatmap] svg")).ToBeAttachedAsync();
            await service.ShotAsync(page, "cohorts");

            await page.GotoAsync("/#/workforce");
            await Assertions.Expect(page.Locator("[data-testid=headcount]")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("[data-testid=headcount-chart] svg path").First).ToBeAttachedAsync();
            await service.ShotAsync(page, "workforce");

            // A group under the minimum cell size is listed as suppressed, never left out.
            await page.GotoAsync("/#/retention?groupBy=cohort&state=GA&credential=family-peer");
            var report = await ApiAsync("/api/retention/peer-work?groupBy=cohort&state=GA&credential=family-peer");
            var hidden = report["groups"]!.AsArray().Where(g => g!["suppressed"]!.GetValue<bool>())
                .Select(g => g!["key"]!.GetValue<string>()).ToList();
            await Assertions.Expect(page.Locator("[data-testid=at-risk-table]")).ToBeVisibleAsync();
            foreach (var key in hidden)
                await Assertions.Expect(page.Locator($"[data-testid=at-risk-table] tr[data-group='{key}']"))
                    .ToContainTextAsync("suppressed");
            if (hidden.Count > 0)
                await Assertions.Expect(page.Locator("[data-testid=suppressed-groups]")).ToBeVisibleAsync();
        });
    }

    [Fact]
    public async Task the_timeline_reads_as_sentences_newest_first_filters_by_kind_and_names_the_recorder()
    {
        var staff = service.ClientWith(service.StaffKey);
        var id = await staff.RegisterAsync(name: "Tess Timeline");
        var job = await staff.HireAsync(id, "2022-03-01");
        foreach (var day in new[] { "2022-06-01", "2022-09-01", "2022-12-01" })
            await (await staff.PostAsync(id, "check-ins", new
            {
                checkedInOn = day, reportedStatus = "employed-peer", exhaustion = 4.2m,
            })).ShouldBe(HttpStatusCode.Created);
        await (await staff.PostAsync(id, "promotions",
            new { jobId = job, tier = "Peer II", effectiveOn = "2023-01-15" })).ShouldBe(HttpStatusCode.Created);
        await WithPageAsync(service, async page =>
        {
            await BrowserFixture.SignInAsync(page, service.StaffKey);
            await page.GotoAsync($"/#/specialists/{id}");
            var rows = page.Locator("[data-testid=timeline] tbody tr");
            await Assertions.Expect(rows).ToHaveCountAsync(6);
            // Newest first, in words.
            await Assertions.Expect(rows.First).ToContainTextAsync(
                "Promoted to Peer II as Peer Support Specialist at Lane County Behavioral Health");
            await Assertions.Expect(page.Locator("[data-testid=timeline] tr[data-type=hired]")).ToContainTextAsync(
                "Hired as Peer Support Specialist at Lane County Behavioral Health: Peer, Peer I, 40 h/week, $19.50/h");
            await Assertions.Expect(page.Locator("[data-testid=timeline] tr[data-type=checked-in]").First)
                .ToContainTextAsync("Check-in: reported employed peer; burnout scores exhaustion 4.2 (0–6)");
            await Assertions.Expect(rows.Last).ToHaveAttributeAsync("data-type", "certified");
            // Recorded by the key's name, not its id.
            await Assertions.Expect(rows.First).Not.ToContainTextAsync("key:");
            // The career drawn first (a lane per job, tier steps), and every job in a table under it.
            var drawn = page.Locator("[data-testid=career] [data-testid=trajectory] svg");
            await Assertions.Expect(drawn).ToBeVisibleAsync();
            await Assertions.Expect(drawn).ToContainTextAsync("Peer Support Specialist at Lane County");
            var history = page.Locator("[data-testid=job-history] tbody tr");
            await Assertions.Expect(history).ToHaveCountAsync(1);
            await Assertions.Expect(history.First).ToContainTextAsync("Peer I → Peer II");
            await Assertions.Expect(history.First).ToContainTextAsync("now");
            // Only the job events, then only the check-ins.
            await page.GetByLabel("Show").SelectOptionAsync("jobs");
            await Assertions.Expect(page.Locator("[data-testid=timeline] tbody tr:visible")).ToHaveCountAsync(2);
            await page.GetByLabel("Show").SelectOptionAsync("check-ins");
            await Assertions.Expect(page.Locator("[data-testid=timeline] tbody tr:visible")).ToHaveCountAsync(3);
            await Assertions.Expect(page.GetByText("3 of 6 entries shown.")).ToBeVisibleAsync();
            await service.ShotAsync(page, "timeline-sentences");
        });
    }

    [Fact]
    public async Task sign_in_survives_new_tabs_and_reloads_and_returns_to_the_page_asked_for()
    {
        // A link someone shared, opened signed out: sign-in first, then that very page.
        var someone = (await (await service.ClientWith(service.StaffKey).GetAsync("/api/specialists?pageSize=1"))
            .Json())["items"]![0]!;
        var id = someone["id"]!.GetValue<string>();
        var name = someone["name"]!.GetValue<string>();
        await WithPageAsync(service, async page =>
        {
            await page.GotoAsync($"/#/specialists/{id}");
            await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("#/signin$"));
            await page.GetByLabel("API key").FillAsync(service.StaffKey);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(
                new System.Text.RegularExpressions.Regex($"#/specialists/{id}$"));
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = name })).ToBeVisibleAsync();
            // The page holds no key: not in storage, not in a cookie a script can read.
            var kept = await page.EvaluateAsync<string>(
                "() => JSON.stringify({ s: { ...sessionStorage }, l: { ...localStorage }, c: document.cookie })");
            Assert.DoesNotContain(service.StaffKey, kept);

            // Ctrl+click: a new tab of the same browser is signed in.
            var tab = await page.Context.NewPageAsync();
            await tab.GotoAsync("/#/specialists");
            await Assertions.Expect(tab.GetByRole(AriaRole.Heading, new() { Name = "Specialists" }))
                .ToBeVisibleAsync();
            // A reload keeps the page and the sign-in.
            await page.ReloadAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = name })).ToBeVisibleAsync();

            // Signing out in one tab ends the session for all: the other finds itself signed out when it asks next.
            await tab.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
            await Assertions.Expect(tab).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("#/signin$"));
            await page.ReloadAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("#/signin$"));
        });
    }

    [Fact]
    public async Task each_role_sees_only_what_it_may_use_and_a_bad_key_is_refused()
    {
        await WithPageAsync(service, async page =>
        {
            await page.GotoAsync("/");
            await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("#/signin$"));
            await page.GetByLabel("API key").FillAsync("trj_not-a-key");
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await Assertions.Expect(page.Locator("#key-error"))
                .ToHaveTextAsync("This key is not valid or has been revoked.");

            await BrowserFixture.SignInAsync(page, service.AnalystKey);
            var nav = page.GetByRole(AriaRole.Navigation, new() { Name = "Main" });
            await Assertions.Expect(nav.GetByRole(AriaRole.Link)).ToHaveTextAsync(["Retention", "Workforce"]);
            await page.GotoAsync("/#/specialists");
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not here" })).ToBeVisibleAsync();
        });
        await WithPageAsync(service, async page =>
        {
            await BrowserFixture.SignInAsync(page, service.StaffKey);
            await Assertions.Expect(
                    page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link))
                .ToHaveTextAsync(["To do", "Specialists"]);
            // Staff start on what needs doing, then find people.
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "To do" })).ToBeVisibleAsync();
            await page.GetByRole(AriaRole.Link, new() { Name = "Specialists" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Specialists" }))
                .ToBeVisibleAsync();
            await page.GetByLabel("Search").FillAsync("Grace Browser-not-there");
            await page.GetByRole(AriaRole.Button, new() { Name = "Find" }).ClickAsync();
            await Assertions.Expect(page.GetByText("No specialist matches.")).ToBeVisibleAsync();
        });
        await WithPageAsync(service, async page =>
        {
            await BrowserFixture.SignInAsync(page, service.IntegrationKey);
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Integrations: rejected events" }))
                .ToBeVisibleAsync();
        });
    }

    [Fact]
    public async Task a_rejected_event_can_be_retried_from_the_integrations_page()
    {
        var integration = service.ClientWith(service.IntegrationKey);
        var eventId = Guid.NewGuid().ToString();
        var sent = await integration.PostAsync("/api/ingest/events", System.Net.Http.Json.JsonContent.Create(new
        {
            specversion = "1.0", id = eventId, source = "urn:browser-test", type = "org.trajectories.cps.checked-in.v1",
            subject = "OR:BROWSER-404",
            data = new { checkedInOn = "2024-05-01", reportedStatus = "employed-peer" },
        }));
        await sent.ShouldBe(HttpStatusCode.Accepted);
        await WithPageAsync(service, async page =>
        {
            await BrowserFixture.SignInAsync(page, service.IntegrationKey);
            await page.GotoAsync("/#/integrations?source=urn:browser-test");
            var retry = page.GetByRole(AriaRole.Button, new() { Name = $"Retry event {eventId}" });
            await Assertions.Expect(retry).ToBeVisibleAsync(new() { Timeout = 15_000 });
            await Assertions.Expect(page.Locator("[data-testid=rejections]"))
                .ToContainTextAsync("specialist-not-found");
            await retry.ClickAsync();
            await Assertions.Expect(page.GetByText("Retrying: pending")).ToBeVisibleAsync();
            await service.ShotAsync(page, "integrations");
        });
    }

    [Fact]
    public async Task the_pages_work_on_a_tablet_and_by_keyboard()
    {
        await WithPageAsync(service, async page =>
        {
            await page.GotoAsync("/#/signin");
            await page.Keyboard.PressAsync("Tab");
            await Assertions.Expect(page.Locator(".skip-link")).ToBeFocusedAsync();
            await page.GetByLabel("API key").FocusAsync();
            await page.Keyboard.TypeAsync(service.AnalystKey);
            await page.Keyboard.PressAsync("Enter");
            await Assertions.Expect(page.Locator("[data-testid=at-risk-table]")).ToBeVisibleAsync();
            var overflow = await page.EvaluateAsync<bool>(
                "() => document.documentElement.scrollWidth > window.innerWidth + 1");
            Assert.False(overflow, "the retention page scrolls sideways on a 768 px wide tablet");
            await service.ShotAsync(page, "retention-tablet");
        }, width: 768);
    }
}

[Collection(BrowserCollection.Name)]
public class web_app_serving(BrowserFixture service)
{
    [Fact]
    public async Task the_service_serves_the_app_at_the_root_with_its_security_headers()
    {
        using var anonymous = service.ClientWith(null);
        var index = await anonymous.GetAsync("/");
        await index.ShouldBe(HttpStatusCode.OK);
        Assert.Equal("text/html", index.Content.Headers.ContentType!.MediaType);
        Assert.Equal("no-cache", index.Headers.CacheControl!.ToString());
        Assert.Contains("script-src 'self'", index.Headers.GetValues("Content-Security-Policy").Single());
        var html = await index.Content.ReadAsStringAsync();
        var script = System.Text.RegularExpressions.Regex.Match(html, "src=\"(/assets/[^\"]+\\.js)\"").Groups[1].Value;
        Assert.NotEmpty(script);
        Assert.DoesNotContain("<script>", html); // nothing inline: the policy would refuse it

        var asset = await anonymous.GetAsync(script);
        await asset.ShouldBe(HttpStatusCode.OK);
        Assert.Contains("immutable", asset.Headers.CacheControl!.ToString());
        // The API stays the API: an unknown route under /api is a problem, not the app's page.
        var missing = await anonymous.GetAsync("/api/no-such-thing");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}
