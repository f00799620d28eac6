using System.Runtime.CompilerServices;

namespace ReplDash.Engine.Core.Tests.Simulation;

/// <summary>Formats a trace line only when the run keeps a trace: bulk runs pay nothing for the trace calls.</summary>
[InterpolatedStringHandler]
internal ref struct TraceHandler
{
    private DefaultInterpolatedStringHandler _inner;

    public TraceHandler(int literalLength, int formattedCount, Simulation sim, out bool enabled)
    {
        enabled = sim.Tracing;
        _inner = enabled ? new DefaultInterpolatedStringHandler(literalLength, formattedCount) : default;
    }

    public void AppendLiteral(string value) => _inner.AppendLiteral(value);
    public void AppendFormatted<T>(T value) => _inner.AppendFormatted(value);
    public void AppendFormatted<T>(T value, string? format) => _inner.AppendFormatted(value, format);
    public void AppendFormatted<T>(T value, int alignment) => _inner.AppendFormatted(value, alignment);
    public void AppendFormatted<T>(T value, int alignment, string? format) => _inner.AppendFormatted(value, alignment, format);
    public string ToStringAndClear() => _inner.ToStringAndClear();
}
