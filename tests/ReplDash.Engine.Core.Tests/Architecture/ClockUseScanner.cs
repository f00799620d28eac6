using System.Text;
using System.Text.RegularExpressions;

namespace ReplDash.Engine.Core.Tests.Architecture;

/// <summary>
/// Finds, in C# source, every read of a clock and every wait that does not go through an injected
/// <see cref="TimeProvider"/>: the system clock's properties, Stopwatch, TickCount, Thread.Sleep, timers, CancelAfter, and
/// Task.Delay / WaitAsync / Wait / CancellationTokenSource with a time limit but no TimeProvider argument. Comments are
/// ignored. A source scan, not a compiler: an argument "names a clock" when it is <c>time</c>, <c>_time</c> or ends in
/// <c>.Time</c>, the engine's names for its provider.
/// </summary>
public static partial class ClockUseScanner
{
    /// <summary>One use: where, and which rule it breaks.</summary>
    public sealed record Finding(string File, int Line, string Rule, string Code)
    {
        public override string ToString() => $"{File}:{Line}: {Rule}: {Code}";
    }

    private static readonly (Regex Pattern, string Rule)[] Forbidden =
    [
        (SystemClockRead(), "reads the system clock (use the node's TimeProvider: GetUtcNow / GetTimestamp)"),
        (TickCount(), "reads Environment.TickCount (use the node's TimeProvider: GetTimestamp)"),
        (Stopwatch(), "uses Stopwatch (use the node's TimeProvider: GetTimestamp / GetElapsedTime)"),
        (ThreadSleep(), "sleeps on the system clock (use Task.Delay(span, time, token))"),
        (NewTimer(), "makes a system timer (use time.CreateTimer)"),
        (CancelAfter(), "CancelAfter runs on the system clock (use new CancellationTokenSource(span, time))"),
        (ProviderSystem(), "names TimeProvider.System (only the composition root wires it)"),
    ];

    /// <summary>Every finding in the .cs files under <paramref name="directory"/> (bin and obj skipped), except <paramref name="allowed"/> files.</summary>
    public static List<Finding> ScanDirectory(string directory, IReadOnlySet<string> allowed)
    {
        var findings = new List<Finding>();
        foreach (var path in Directory.EnumerateFiles(directory, "*.cs", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(directory, path).Replace('\\', '/');
            if (relative.StartsWith("bin/", StringComparison.Ordinal) || relative.StartsWith("obj/", StringComparison.Ordinal)
                || allowed.Contains(relative))
                continue;
            findings.AddRange(Scan(relative, File.ReadAllText(path)));
        }
        return findings;
    }

    /// <summary>Every finding in one file's text.</summary>
    public static IEnumerable<Finding> Scan(string file, string source)
    {
        var code = WithoutComments(source);
        foreach (var (pattern, rule) in Forbidden)
            foreach (Match match in pattern.Matches(code))
                yield return At(file, code, match.Index, rule);
        foreach (Match match in TimedCall().Matches(code))
        {
            var arguments = ArgumentsAt(code, match.Index + match.Length);
            if (arguments is null || arguments.Any(NamesAClock))
                continue;
            string call = Regex.Replace(match.Groups["call"].Value, @"\s+", "") switch
            {
                "Task.Delay" => "Task.Delay",
                "newCancellationTokenSource" => "new CancellationTokenSource",
                var name => name,
            };
            bool bypasses = call switch
            {
                "Task.Delay" => true, // every overload without a TimeProvider waits on the system clock
                // (timeout, token): a timeout on the system clock. Other WaitAsync methods with two arguments (the
                // engine's PositionWaiters.WaitAsync(position, waiter)) end in something else than a token.
                "WaitAsync" => arguments.Count >= 2 && LooksLikeToken(arguments[^1]),
                "Wait" => arguments.Count >= 1 && arguments[0] != "0" && !LooksLikeToken(arguments[0]),
                _ => arguments.Count == 1 && !LooksLikeToken(arguments[0]), // new CancellationTokenSource(delay)
            };
            if (bypasses)
                yield return At(file, code, match.Index, $"{call} with a time limit but no TimeProvider (pass the node's clock)");
        }
    }

    private static bool NamesAClock(string argument) => ClockArgument().IsMatch(argument);

    private static bool LooksLikeToken(string argument) =>
        argument.Contains("token", StringComparison.OrdinalIgnoreCase) || argument.Contains("cancel", StringComparison.OrdinalIgnoreCase)
        || argument.Contains("stopping", StringComparison.OrdinalIgnoreCase);

    private static Finding At(string file, string code, int index, string rule)
    {
        int line = 1 + code.AsSpan(0, index).Count('\n');
        int start = code.LastIndexOf('\n', Math.Max(0, index - 1)) + 1;
        int end = code.IndexOf('\n', index);
        return new Finding(file, line, rule, code[start..(end < 0 ? code.Length : end)].Trim());
    }

    /// <summary>The top-level arguments of the call whose '(' is at <paramref name="open"/> - 1; null when unbalanced.</summary>
    private static List<string>? ArgumentsAt(string code, int afterOpen)
    {
        var arguments = new List<string>();
        var current = new StringBuilder();
        int depth = 0;
        for (int i = afterOpen; i < code.Length; i++)
        {
            char c = code[i];
            if (c is '(' or '[' or '{')
                depth++;
            else if (c is ')' or ']' or '}')
            {
                if (depth == 0)
                {
                    if (current.ToString().Trim() is { Length: > 0 } last)
                        arguments.Add(last);
                    return arguments;
                }
                depth--;
            }
            else if (c == ',' && depth == 0)
            {
                arguments.Add(current.ToString().Trim());
                current.Clear();
                continue;
            }
            current.Append(c);
        }
        return null;
    }

    /// <summary>The source with comments blanked (line breaks kept, so line numbers stay right); strings are kept.</summary>
    public static string WithoutComments(string source)
    {
        var text = new StringBuilder(source.Length);
        int i = 0;
        while (i < source.Length)
        {
            char c = source[i];
            char next = i + 1 < source.Length ? source[i + 1] : '\0';
            if (c == '/' && next == '/')
            {
                while (i < source.Length && source[i] != '\n')
                {
                    text.Append(' ');
                    i++;
                }
            }
            else if (c == '/' && next == '*')
            {
                int end = source.IndexOf("*/", i + 2, StringComparison.Ordinal);
                end = end < 0 ? source.Length : end + 2;
                for (; i < end; i++)
                    text.Append(source[i] == '\n' ? '\n' : ' ');
            }
            else if (c == '"' || (c == '@' && next == '"'))
            {
                bool verbatim = c == '@';
                text.Append(c);
                i += verbatim ? 1 : 0;
                text.Append(source[i]);
                i++;
                while (i < source.Length)
                {
                    char s = source[i];
                    text.Append(s);
                    i++;
                    if (!verbatim && s == '\\' && i < source.Length)
                    {
                        text.Append(source[i]);
                        i++;
                    }
                    else if (s == '"')
                    {
                        if (verbatim && i < source.Length && source[i] == '"')
                        {
                            text.Append('"');
                            i++;
                        }
                        else
                            break;
                    }
                    else if (s == '\n' && !verbatim)
                        break;
                }
            }
            else if (c == '\'' && i + 2 < source.Length && (source[i + 2] == '\'' || (next == '\\' && i + 3 < source.Length)))
            {
                // A char literal ('"', '/', '\''): copied whole, so its quote or slash starts nothing.
                int end = source.IndexOf('\'', i + (next == '\\' ? 3 : 2));
                end = end < 0 ? source.Length : end + 1;
                text.Append(source, i, end - i);
                i = end;
            }
            else
            {
                text.Append(c);
                i++;
            }
        }
        return text.ToString();
    }

    [GeneratedRegex(@"\bDateTime(Offset)?\s*\.\s*(UtcNow|Now|Today)\b")]
    private static partial Regex SystemClockRead();

    [GeneratedRegex(@"\bEnvironment\s*\.\s*TickCount(64)?\b")]
    private static partial Regex TickCount();

    [GeneratedRegex(@"\bStopwatch\b")]
    private static partial Regex Stopwatch();

    [GeneratedRegex(@"\bThread\s*\.\s*Sleep\b")]
    private static partial Regex ThreadSleep();

    [GeneratedRegex(@"\bnew\s+(System\.Threading\.|System\.Timers\.)?(Timer|PeriodicTimer)\s*\(")]
    private static partial Regex NewTimer();

    [GeneratedRegex(@"\.\s*CancelAfter\s*\(")]
    private static partial Regex CancelAfter();

    [GeneratedRegex(@"\bTimeProvider\s*\.\s*System\b")]
    private static partial Regex ProviderSystem();

    [GeneratedRegex(@"(?<call>Task\s*\.\s*Delay|(?<=\.\s*)WaitAsync|(?<=\.\s*)Wait|new\s+CancellationTokenSource)\s*\(")]
    private static partial Regex TimedCall();

    [GeneratedRegex(@"^(_?time|[A-Za-z_][\w.]*\.Time)$")]
    private static partial Regex ClockArgument();
}
