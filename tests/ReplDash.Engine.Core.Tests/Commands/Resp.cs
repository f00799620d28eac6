namespace ReplDash.Engine.Core.Tests.Commands;

/// <summary>Expected replies, written the way they go on the wire.</summary>
internal static class Resp
{
    public const string Ok = "+OK\r\n";
    public const string Nil = "$-1\r\n";
    public const string NilArray = "*-1\r\n";
    public const string EmptyArray = "*0\r\n";
    public const string WrongType = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";
    public const string NotInteger = "-ERR value is not an integer or out of range\r\n";
    public const string Syntax = "-ERR syntax error\r\n";

    public static string Int(long value) => $":{value}\r\n";

    public static string Bulk(string value) => $"${System.Text.Encoding.UTF8.GetByteCount(value)}\r\n{value}\r\n";

    public static string Error(string message) => $"-{message}\r\n";

    public static string Array(params string[] bulks) =>
        $"*{bulks.Length}\r\n" + string.Concat(bulks.Select(Bulk));
}
