using System.Collections.Concurrent;
using ReplDash.Engine.Core.Consistency;

namespace ReplDash.Engine.Node;

/// <summary>
/// The consistency-check results a node holds: on a master its own and those its slaves sent back; on a slave its
/// own. The check coordinator reads and forgets them; a result nobody reads is dropped with its check.
/// </summary>
public sealed class CheckResultBook
{
    // Far above what a running check keeps in flight; a bound so that results of a check nobody reads cannot grow forever.
    private const int MaxChunksHeld = 10_000;

    private readonly ConcurrentDictionary<(string CheckId, int Chunk), ConcurrentDictionary<string, ChunkResult>> _results = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at the next result recorded (take it before looking, so none is missed).</summary>
    public Task Changed => Volatile.Read(ref _changed).Task;

    /// <summary>Records a node's result for a marker (a newer one for the same node replaces it).</summary>
    public void Record(ChunkResult result)
    {
        if (_results.Count >= MaxChunksHeld && !_results.ContainsKey((result.CheckId, result.Chunk)))
            return;
        _results.GetOrAdd((result.CheckId, result.Chunk), _ => new())[result.NodeId] = result;
        Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    /// <summary>The results received so far for one marker, by node id.</summary>
    public IReadOnlyDictionary<string, ChunkResult> For(string checkId, int chunk) =>
        _results.TryGetValue((checkId, chunk), out var byNode) ? new Dictionary<string, ChunkResult>(byNode) : new Dictionary<string, ChunkResult>();

    /// <summary>Forgets one marker's results.</summary>
    public void Forget(string checkId, int chunk) => _results.TryRemove((checkId, chunk), out _);

    /// <summary>Forgets every result of a check.</summary>
    public void ForgetCheck(string checkId)
    {
        foreach (var key in _results.Keys.Where(k => k.CheckId == checkId).ToList())
            _results.TryRemove(key, out _);
    }
}
