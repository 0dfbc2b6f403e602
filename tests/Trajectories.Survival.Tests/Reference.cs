using System.Globalization;
using CsvHelper;

namespace Trajectories.Survival.Tests;

/// <summary>Reads the R reference files (see Reference/VERSION.txt for the R and survival versions).</summary>
public static class Reference
{
    public static List<Dictionary<string, string>> Read(string file)
    {
        using var reader = new StreamReader(Path.Combine(AppContext.BaseDirectory, "Reference", file));
        using var csv = new CsvReader(reader, CultureInfo.InvariantCulture);
        csv.Read();
        csv.ReadHeader();
        var rows = new List<Dictionary<string, string>>();
        while (csv.Read())
            rows.Add(csv.HeaderRecord!.ToDictionary(h => h, h => csv.GetField(h) ?? ""));
        return rows;
    }

    public static double Num(this Dictionary<string, string> row, string column) =>
        double.Parse(row[column], CultureInfo.InvariantCulture);

    public static double? NumOrNull(this Dictionary<string, string> row, string column) =>
        row[column] is "" or "NA" ? null : double.Parse(row[column], CultureInfo.InvariantCulture);

    /// <summary>Right-censored (or, with an entry column, left-truncated) input grouped by its group column.</summary>
    public static Dictionary<string, List<Observation>> Observations(string file) =>
        Read(file).GroupBy(r => r["group"]).ToDictionary(g => g.Key, g => g.Select(r => new Observation(
            r.Num("time"), r["status"] == "1", r.TryGetValue("entry", out _) ? r.Num("entry") : null)).ToList());

    public static CiTransform Transform(string name) => name == "log" ? CiTransform.Log : CiTransform.LogLog;
}
