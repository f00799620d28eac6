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
        Notifier.SnapshotChanged += OnSnapshotChanged;
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
                StateHasChanged();
            });
        }
        catch (ObjectDisposedException)
        {
            // The circuit closed between the notification and the render; nothing to update.
        }
    }
}
