using System.Diagnostics;
using System.Globalization;

namespace ReplDash.Engine.Resp;

/// <summary>
/// INFO memory and INFO cpu with Redis's field names, from the process's real figures: the managed heap for
/// used_memory, the resident set from /proc/self/statm for used_memory_rss, the process's CPU times for used_cpu_*. One
/// process may host several nodes; they all report the process's figures (docs/OPERATIONS.md).
/// </summary>
public static class ProcessFigures
{
    private static long _peakBytes;

    /// <summary>The memory section: used_memory, used_memory_rss, peaks, totals, the fragmentation ratio.</summary>
    public static void AppendMemory(Action<string, object> field)
    {
        long used = GC.GetTotalMemory(forceFullCollection: false);
        long peak = InterlockedMax(ref _peakBytes, used);
        long rss = ResidentBytes();
        long total = TotalSystemBytes();
        var gc = GC.GetGCMemoryInfo();
        field("used_memory", used);
        field("used_memory_human", Human(used));
        field("used_memory_rss", rss);
        field("used_memory_rss_human", Human(rss));
        field("used_memory_peak", peak);
        field("used_memory_peak_human", Human(peak));
        field("used_memory_peak_perc", (peak == 0 ? 0 : used * 100.0 / peak).ToString("F2", CultureInfo.InvariantCulture) + "%");
        field("total_system_memory", total);
        field("total_system_memory_human", Human(total));
        field("maxmemory", 0);
        field("maxmemory_human", "0B");
        field("maxmemory_policy", "noeviction");
        field("mem_fragmentation_ratio", (used == 0 ? 0 : (double)rss / used).ToString("F2", CultureInfo.InvariantCulture));
        field("mem_allocator", "dotnet-gc");
        field("gc_heap_size", gc.HeapSizeBytes);
        field("gc_committed", gc.TotalCommittedBytes);
    }

    /// <summary>The cpu section: seconds of CPU the process used, in system and user mode.</summary>
    public static void AppendCpu(Action<string, object> field)
    {
        using var process = Process.GetCurrentProcess();
        field("used_cpu_sys", Seconds(process.PrivilegedProcessorTime));
        field("used_cpu_user", Seconds(process.UserProcessorTime));
        field("used_cpu_sys_children", "0.000000");
        field("used_cpu_user_children", "0.000000");
    }

    private static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("F6", CultureInfo.InvariantCulture);

    /// <summary>Resident set size: /proc/self/statm's second field times the page size; the runtime's working set elsewhere.</summary>
    public static long ResidentBytes()
    {
        try
        {
            var fields = File.ReadAllText("/proc/self/statm").Split(' ');
            return long.Parse(fields[1], CultureInfo.InvariantCulture) * Environment.SystemPageSize;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return Environment.WorkingSet;
        }
    }

    private static long TotalSystemBytes()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/meminfo"))
                if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
                    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
        }
        return GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
    }

    /// <summary>Redis's bytesToHuman: 512B, 1.50K, 2.00M, 3.25G.</summary>
    public static string Human(long bytes)
    {
        string[] units = ["K", "M", "G", "T", "P"];
        if (bytes < 1024)
            return bytes.ToString(CultureInfo.InvariantCulture) + "B";
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return value.ToString("F2", CultureInfo.InvariantCulture) + units[unit];
    }

    private static long InterlockedMax(ref long target, long value)
    {
        long current = Interlocked.Read(ref target);
        while (value > current)
        {
            long seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
                return value;
            current = seen;
        }
        return current;
    }
}
