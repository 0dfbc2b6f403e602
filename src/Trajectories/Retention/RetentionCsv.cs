using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace Trajectories.Retention;

/// <summary>
/// The same data as the JSON answers, one row per point or cell, for spreadsheets and R. A file travels without the
/// answer around it, so each row also says how its figures were protected (the method: cell-key, suppression or exact;
/// ADR 14), in a last column "protection".
/// </summary>
public static class RetentionCsv
{
    public static IResult Survival(SurvivalReport report) => Write(report.Measure, report.Protection, csv =>
    {
        foreach (var h in new[] { "measure", "asOf", "ci", "group", "suppressed", "day", "atRisk", "events",
                     "censored", "survival", "lower", "upper" })
            csv.WriteField(h);
        EndRecord(csv, report.Protection, "protection");
        foreach (var g in report.Groups)
        {
            if (g.Suppressed)
            {
                Row(csv, report.Protection, report.Measure, report.AsOf, report.Ci, g.Key, true, null, null, null,
                    null, null, null, null);
                continue;
            }
            foreach (var p in g.Points)
                Row(csv, report.Protection, report.Measure, report.AsOf, report.Ci, g.Key, false, p.Day, p.AtRisk,
                    p.Events, p.Censored, p.Survival, p.Lower, p.Upper);
        }
    });

    public static IResult Table(
        string name, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<object?>> rows,
        Disclosure.Protection? protection = null) => Write(name, protection, csv =>
    {
        foreach (var h in header) csv.WriteField(h);
        EndRecord(csv, protection, "protection");
        foreach (var row in rows)
        {
            foreach (var cell in row) csv.WriteField(Format(cell));
            EndRecord(csv, protection, protection?.Method);
        }
    });

    private static void Row(CsvWriter csv, Disclosure.Protection? protection, params object?[] cells)
    {
        foreach (var cell in cells) csv.WriteField(Format(cell));
        EndRecord(csv, protection, protection?.Method);
    }

    private static void EndRecord(CsvWriter csv, Disclosure.Protection? protection, string? last)
    {
        if (protection is not null) csv.WriteField(last);
        csv.NextRecord();
    }

    private static string Format(object? value) => value switch
    {
        null => "",
        bool b => b ? "true" : "false",
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        double x => x.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static IResult Write(string name, Disclosure.Protection? protection, Action<CsvWriter> write)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        // A cell opening with = + - @ tab or CR is a formula to a spreadsheet; free text (a job's tier) can be one.
        var config = new CsvConfiguration(CultureInfo.InvariantCulture) { InjectionOptions = InjectionOptions.Escape };
        using (var csv = new CsvWriter(text, config)) write(csv);
        return Results.Text(text.ToString(), "text/csv; charset=utf-8");
    }
}
