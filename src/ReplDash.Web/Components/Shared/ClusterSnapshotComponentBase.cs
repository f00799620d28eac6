using Microsoft.AspNetCore.Components;
using ReplDash.Web.Cluster;

namespace ReplDash.Web.Components.Shared;

/// <summary>
/// Base of pages that show live cluster status: takes the notifier's latest snapshot on first render
/// and re-renders on every change it pushes, until disposed.
/// </summary>
public abstract class ClusterSnapshotComponentBase : ComponentBase, IDisposable
{
    /// <summary>Pushes a snapshot a few times a second at most.</summary>
    [Inject]
    protected ClusterNotifier Notifier { get; set; } = default!;

    /// <summary>What the page renders.</summary>
    protected ClusterSnapshot Snapshot { get; private set; } = ClusterSnapshot.Empty;

    /// <inheritdoc />
    protected override void OnInitialized()
    {
        Snapshot = Notifier.Latest;
        OnSnapshot();
        Notifier.SnapshotChanged += OnSnapshotChanged;
    }

    /// <summary>
    /// Called on the renderer's thread with each new <see cref="Snapshot"/>, before the render: derive
    /// per-snapshot view data here (chart series), once per snapshot rather than once per render.
    /// </summary>
    protected virtual void OnSnapshot()
    {
    }

    /// <summary>Stops updates; the circuit is gone or the user navigated away.</summary>
    public void Dispose()
    {
        Notifier.SnapshotChanged -= OnSnapshotChanged;
        GC.SuppressFinalize(this);
    }

    // Called on the notifier's thread: hop onto the renderer's before touching state.
    private void OnSnapshotChanged(ClusterSnapshot snapshot) => _ = RenderSnapshotAsync(snapshot);

    private async Task RenderSnapshotAsync(ClusterSnapshot snapshot)
    {
        try
        {
            await InvokeAsync(() =>
            {
                Snapshot = snapshot;
                OnSnapshot();
                StateHasChanged();
            });
        }
        catch (ObjectDisposedException)
        {
            // The circuit closed between the notification and the render; nothing to update.
        }
    }
}
