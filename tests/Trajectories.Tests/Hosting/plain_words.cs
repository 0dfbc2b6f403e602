using Trajectories.Hosting;

namespace Trajectories.Tests.Hosting;

public class plain_words
{
    [Fact]
    public void a_body_field_of_the_wrong_kind_is_named_without_dotnet_types()
    {
        var said = PlainWords.For("The JSON value could not be converted to Trajectories.Careers.Hiring.Hire. "
            + "Path: $.hoursPerWeek | LineNumber: 0 | BytePositionInLine: 22.");
        Assert.StartsWith("'hoursPerWeek' does not have the expected kind of value", said);
        Assert.DoesNotContain("Trajectories", said);
        Assert.Equal("The body is not a JSON object of the fields this endpoint takes.", PlainWords.For(
            "The JSON value could not be converted to Trajectories.Careers.Registering.RegisterSpecialist. Path: $ | "
            + "LineNumber: 0 | BytePositionInLine: 1."));
    }

    [Theory]
    [InlineData("int", "'page' must be a whole number.")]
    [InlineData("DateOnly", "'page' must be a date as YYYY-MM-DD.")]
    [InlineData("System.Guid", "'page' must be a value of the documented kind.")]
    public void a_query_value_that_does_not_parse_says_what_it_must_be(string type, string expected) =>
        Assert.Equal(expected, PlainWords.For(
            $"Query string parameter 'page' has the value 'abc' which cannot be parsed to the expected type {type}"));

    [Fact]
    public void other_details_are_left_as_they_are() =>
        Assert.Equal("'pageSize' must be between 1 and 200.", PlainWords.For("'pageSize' must be between 1 and 200."));
}
