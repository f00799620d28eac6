namespace ReplDash.Engine.Node;

/// <summary>
/// The only place in ReplDash.Engine that names the system clock: the default of the few constructors that tests and
/// tools call without a node (<see cref="Binlog.BinlogWriter"/>, <see cref="Binlog.BinlogRecovery"/>). A node always
/// passes its own <see cref="TimeProvider"/>, which the process wires to the system clock (ReplDash.Web's
/// EngineServiceExtensions) and a test may replace; the architecture test OneClockTests keeps every other clock API
/// out of the engine.
/// </summary>
internal static class DefaultClock
{
    /// <summary><paramref name="time"/>, or the system clock when none was given.</summary>
    public static TimeProvider Or(TimeProvider? time) => time ?? TimeProvider.System;
}
