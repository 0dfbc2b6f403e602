using System.Text.RegularExpressions;

namespace Trajectories.Careers;

/// <summary>
/// Collects what is wrong with a request body before anything is read from the store, so a client hears about
/// every missing or malformed field at once (400, each error under its field name).
/// </summary>
public sealed partial class RequestErrors
{
    public sealed record Error(string Field, string Rule, string Message);

    public List<Error> Items { get; } = [];
    public bool Any => Items.Count > 0;

    public RequestErrors Add(string field, string rule, string message)
    {
        Items.Add(new Error(field, rule, message));
        return this;
    }

    /// <summary>One 400 rejection carrying every error; its rule and field are the first error's.</summary>
    public Rejection AsRejection() =>
        new(Items[0].Rule, 400, string.Join(" ", Items.Select(e => e.Message)), Items[0].Field)
    {
        FieldErrors = Items.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
    };

    public T? Required<T>(T? value, string field) where T : struct
    {
        if (value is null) Add(field, "missing-field", $"'{field}' is required.");
        return value;
    }

    public string Required(string? value, string field, int maxLength = 200)
    {
        if (string.IsNullOrWhiteSpace(value)) Add(field, "missing-field", $"'{field}' is required.");
        else if (value.Length > maxLength) Add(field, "too-long", $"'{field}' is longer than {maxLength} characters.");
        else Storable(value, field);
        return value?.Trim() ?? "";
    }

    public string? Optional(string? value, string field, int maxLength = 2000)
    {
        if (value is not null && value.Length > maxLength)
            Add(field, "too-long", $"'{field}' is longer than {maxLength} characters.");
        else if (value is not null) Storable(value, field);
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    /// <summary>
    /// Text PostgreSQL can store and people can read: no NUL or other control character (tab and line breaks aside)
    /// and no half of a surrogate pair. jsonb refuses "\\u0000" and lone surrogates, and a refusal at commit time
    /// would be a 500 for staff and a stuck batch for an integration; here it is a 400 naming the field. Nor
    /// Unicode's noncharacters (U+FFFE breaks an SVG download) or the invisible characters that make two equal-looking
    /// words differ ("Manager" and "Manager" + zero-width space) or reorder what is shown (bidirectional overrides).
    /// The joiners some scripts need (U+200C, U+200D) stay.
    /// </summary>
    private void Storable(string value, string field)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            var unpaired = char.IsHighSurrogate(c) ? i + 1 == value.Length || !char.IsLowSurrogate(value[i + 1])
                : char.IsLowSurrogate(c) && (i == 0 || !char.IsHighSurrogate(value[i - 1]));
            if (unpaired || (char.IsControl(c) && c is not ('\t' or '\n' or '\r')) || Invisible(c)
                || Noncharacter(value, i))
            {
                Add(field, "invalid-character",
                    $"'{field}' holds a character that cannot be stored or shown (U+{(int)c:X4} at position {i + 1}).");
                return;
            }
        }
    }

    private static bool Invisible(char c) =>
        c is '\u200B' or '\u2060' or '\uFEFF' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');

    /// <summary>U+FDD0-U+FDEF and every code point ending in FFFE or FFFF, in the plane of the pair at i too.</summary>
    private static bool Noncharacter(string value, int i)
    {
        var c = value[i];
        if (c is (>= '\uFDD0' and <= '\uFDEF') or '\uFFFE' or '\uFFFF') return true;
        return char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])
               && (char.ConvertToUtf32(c, value[i + 1]) & 0xFFFE) == 0xFFFE;
    }

    public string OneOf(string? value, IReadOnlyCollection<string> allowed, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(field, "missing-field", $"'{field}' is required (one of: {string.Join(", ", allowed)}).");
            return "";
        }
        var match = allowed.FirstOrDefault(a => string.Equals(a, value.Trim(), StringComparison.OrdinalIgnoreCase));
        if (match is null) Add(field, "invalid-value", $"'{field}' must be one of: {string.Join(", ", allowed)}.");
        return match ?? "";
    }

    public decimal? Range(decimal? value, Bounds bounds, bool required)
    {
        if (value is null)
        {
            if (required) Add(bounds.Field, "missing-field", $"'{bounds.Field}' is required.");
        }
        else if (!bounds.Holds(value))
            Add(bounds.Field, "out-of-range", bounds.Message);
        return value;
    }

    /// <summary>
    /// The earliest date any career event may have. Peer support certification began in the 2000s; 1970 leaves room
    /// for back-filled histories and still refuses typing slips such as 0202-03-01.
    /// </summary>
    public static readonly DateOnly Earliest = new(1970, 1, 1);

    public DateOnly? NotInFuture(DateOnly? value, string field, DateOnly today, bool required = true)
    {
        if (value is null)
        {
            if (required) Add(field, "missing-field", $"'{field}' is required (YYYY-MM-DD).");
        }
        else if (value > today)
            Add(field, "future-date",
                $"'{field}' ({value:yyyy-MM-dd}) is in the future; today is {today:yyyy-MM-dd}.");
        else if (value < Earliest)
            Add(field, "date-out-of-range",
                $"'{field}' ({value:yyyy-MM-dd}) is before {Earliest:yyyy-MM-dd}; "
                + "no peer career has an event that early.");
        return value;
    }

    /// <summary>The highest page any list answers: far past any real list, and its offset still fits an int.</summary>
    public const int MaxPage = 100_000;

    /// <summary>'page' (from 1 to <see cref="MaxPage"/>) and 'pageSize' (from 1 to the list's own maximum).</summary>
    public void Paging(int? page, int? pageSize, int maxPageSize)
    {
        if (page is < 1 or > MaxPage) Add("page", "out-of-range", $"'page' must be between 1 and {MaxPage:N0}.");
        if (pageSize is < 1 || pageSize > maxPageSize)
            Add("pageSize", "out-of-range", $"'pageSize' must be between 1 and {maxPageSize}.");
    }

    public string StateCode(string? value, string field)
    {
        var v = Required(value, field, 2).ToUpperInvariant();
        if (v.Length > 0 && !StateCodePattern().IsMatch(v)) Add(field, "invalid-value",
            $"'{field}' must be a two-letter state code such as OR.");
        return v;
    }

    [GeneratedRegex("^[A-Z]{2}$")]
    private static partial Regex StateCodePattern();
}
