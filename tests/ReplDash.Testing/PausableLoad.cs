namespace ReplDash.Testing;

/// <summary>
/// Non-idempotent write load (INCR counter, APPEND per client) against a node, from several clients, that a
/// test can pause (waiting for writes in flight to be answered) and resume. Every write is checked.
/// </summary>
public sealed class PausableLoad : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _clients;
    private readonly object _gate = new();
    private TaskCompletionSource _running = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _active;
    private TaskCompletionSource? _idle;
    private long _acknowledged;

    public PausableLoad(int port, int clients)
    {
        _clients = Enumerable.Range(0, clients).Select(c => Task.Run(() => RunClientAsync(port, c))).ToArray();
    }

    /// <summary>INCRs acknowledged so far (the counter's expected value).</summary>
    public long Acknowledged => Interlocked.Read(ref _acknowledged);

    public void Resume()
    {
        lock (_gate)
            _running.TrySetResult();
    }

    /// <summary>Stops issuing writes and waits until every write in flight is answered.</summary>
    public async Task PauseAsync()
    {
        Task idle;
        lock (_gate)
        {
            _running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_active == 0)
                _idle.TrySetResult();
            idle = _idle.Task;
        }
        await idle.WaitAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>Waits until <paramref name="writes"/> more INCRs are acknowledged.</summary>
    public async Task WaitForProgressAsync(int writes)
    {
        long target = Acknowledged + writes;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (Acknowledged < target)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("the load made no progress");
            await Task.Delay(5);
        }
    }

    private async Task RunClientAsync(int port, int client)
    {
        using var connection = await RespTestClient.ConnectAsync(port);
        while (!_stop.IsCancellationRequested)
        {
            Task running;
            lock (_gate)
                running = _running.Task;
            await running.WaitAsync(_stop.Token);
            lock (_gate)
            {
                if (!_running.Task.IsCompleted)
                    continue;
                _active++;
            }
            try
            {
                if (await connection.CallAsync("INCR", "counter") is not long)
                    throw new InvalidOperationException("INCR failed");
                Interlocked.Increment(ref _acknowledged);
                if (await connection.CallAsync("APPEND", $"log{client}", "x") is not long)
                    throw new InvalidOperationException("APPEND failed");
            }
            finally
            {
                lock (_gate)
                {
                    _active--;
                    if (_active == 0)
                        _idle?.TrySetResult();
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        try
        {
            await Task.WhenAll(_clients).WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (OperationCanceledException)
        {
        }
    }
}
