using ReplDash.Web.Events;
using ReplDash.Web.Store.Events;

namespace ReplDash.Web.Tests.Events;

/// <summary>The CSV escaper alone: which fields are quoted, and that every field reads back unchanged.</summary>
public sealed class EventCsvFormatTests
{
    [Theory]
    [InlineData("link-down", "link-down")]
    [InlineData("", "")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("line one\nline two", "\"line one\nline two\"")]
    [InlineData("cr\r\nlf", "\"cr\r\nlf\"")]
    [InlineData(" padded ", "\" padded \"")]
    [InlineData("\"", "\"\"\"\"")]
    public void Escape_QuotesOnlyWhatNeedsIt(string field, string expected) => Assert.Equal(expected, EventCsvFormat.Escape(field));

    [Fact]
    public void Escape_Null_IsEmptyField() => Assert.Equal("", EventCsvFormat.Escape(null));

    [Fact]
    public void Row_WithEveryAwkwardCharacter_ReadsBackAsTheSameFields()
    {
        var record = new EventRecord
        {
            Id = 42,
            TimeUtc = new DateTime(2026, 11, 21, 7, 8, 9, 123, DateTimeKind.Utc),
            NodeId = "s2",
            Kind = "link,down",
            Message = "Link to \"m1\" down:\r\nconnection reset, retrying\n ",
        };

        var records = CsvTestReader.Read(EventCsvFormat.Header + EventCsvFormat.LineEnd + EventCsvFormat.Row(record) + EventCsvFormat.LineEnd);

        Assert.Equal(2, records.Count);
        Assert.Equal(["id", "time_utc", "node", "kind", "message"], records[0]);
        Assert.Equal(["42", "2026-11-21T07:08:09.123Z", "s2", "link,down", record.Message], records[1]);
    }
}
