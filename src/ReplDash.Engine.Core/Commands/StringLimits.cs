namespace ReplDash.Engine.Core.Commands;

/// <summary>How large a string value may grow (Redis's default proto-max-bulk-len, 512 MB).</summary>
internal static class StringLimits
{
    /// <summary>The largest string value in bytes.</summary>
    public const int MaxStringBytes = 512 * 1024 * 1024;
}
