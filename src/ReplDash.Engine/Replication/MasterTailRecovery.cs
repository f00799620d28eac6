using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Replication;
using ReplDash.Engine.Node;

namespace ReplDash.Engine.Replication;

/// <summary>
/// Lesson L5 on the master's side of a link: after answering a TrySync with <see cref="TrySyncOutcome.SendBack"/>,
/// receive the slave's relay items (<see cref="TailItems"/>), take them back frame by frame as the master's own
/// history, make them durable, then decide the TrySync again (the slave is now level with the master).
/// </summary>
internal static class MasterTailRecovery
{
    /// <summary>
    /// Receives and restores the tail; returns the decision that follows (<paramref name="decide"/> asked again:
    /// Continue, or Diverged with the reason).
    /// </summary>
    public static async Task<TrySyncReply> TakeBackAsync(DataNode master, FrameChannel channel, string slaveId, TrySync request,
        TrySyncReply sendBack, Func<TrySync, TrySyncReply> decide, TimeSpan linkTimeout, CancellationToken cancellation)
    {
        var from = sendBack.From;
        var end = from;
        int items = 0;
        TransactionId first = TransactionId.None, last = TransactionId.None;
        string? problem = null;
        while (true)
        {
            ReplicationMessage message;
            using (var timeout = master.Time.Deadline(linkTimeout, cancellation))
                message = await channel.ReceiveAsync(timeout.Token);
            if (message is ErrorMessage error)
            {
                problem ??= $"the slave holds items beyond the master's end {from} but cannot send them back ({error.Code}: {error.Message})";
                break;
            }
            if (message is not TailItems tail)
                throw new IOException($"expected the slave's relay items (TailItems), got {message.GetType().Name} from slave {slaveId}");
            // After a refusal the rest is read and dropped, so that the slave hears the answer instead of a closed link.
            if (problem is null && tail.Items.Count > 0)
            {
                var (restoredEnd, refused) = master.RestoreTailItems(tail.Items);
                if (refused is null)
                {
                    items += tail.Items.Count;
                    end = restoredEnd;
                    if (first == TransactionId.None)
                        first = IdOf(tail.Items[0]);
                    last = IdOf(tail.Items[^1]);
                }
                else
                    problem = $"{refused}: not this master's own history";
            }
            if (tail.Final)
                break;
        }
        if (items > 0)
        {
            await master.WaitShippableAsync(end).WaitAsync(cancellation);
            master.RecordTailRecovered(slaveId, items, from, end, first, last);
        }
        if (problem is not null)
            return HistoryRules.Diverged(problem, end);
        var next = decide(request);
        return next.Outcome == TrySyncOutcome.Continue
            ? next
            : HistoryRules.Diverged($"after taking back {items} item(s) up to {end}, the slave's position {request.Received} (last {request.LastReceived}) " +
                $"still does not match: {next.Reason}", end);
    }

    private static TransactionId IdOf(ShippedItem item) =>
        BinlogItemCodec.TryDecode(item.Encoded, out var decoded, out _) == ItemDecodeStatus.Ok ? decoded!.Id : TransactionId.None;
}
