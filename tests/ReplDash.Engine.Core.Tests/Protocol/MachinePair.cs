using ReplDash.Engine.Core.Binlog;
using ReplDash.Engine.Core.Protocol;
using ReplDash.Engine.Core.Replication;
using ReplDash.Engine.Core.SemiSync;

namespace ReplDash.Engine.Core.Tests.Protocol;

/// <summary>An in-memory binlog for a master machine under test.</summary>
internal sealed class MemoryLog : IMasterLog
{
    public static readonly BinlogPosition First = new(1, BinlogFormat.SegmentHeaderSize);
    public List<AppendItem> Items { get; } = new();

    public IReadOnlyList<ShippedItem> Read(BinlogPosition from, BinlogPosition upTo, int maxItems, long maxBytes) =>
        Items.Where(i => i.Start >= from && i.End <= upTo).Take(maxItems).Select(i => new ShippedItem(i.Start, i.Encoded)).ToArray();

    public long LogicalOffsetOf(BinlogPosition position) => position.Offset - First.Offset;

    public MasterBinlogView View(BinlogPosition durableEnd, long lastSequence) =>
        new(First, true, durableEnd, p => p == durableEnd || Items.Any(i => i.Start == p),
            p => Items.FirstOrDefault(i => i.End == p)?.Id ?? TransactionId.None, default, "m1", lastSequence);
}

/// <summary>
/// One master machine and one slave machine wired by hand: each step's frames are handed to the other side only when the
/// test says so, so a test can hold, drop or reorder what it wants and look at every Ready.
/// </summary>
internal sealed class MachinePair
{
    public const long Link = 1;
    public static readonly byte[] Nonce = Enumerable.Range(0, 16).Select(i => (byte)i).ToArray();

    public MemoryLog Log { get; } = new();
    public MasterMachine Master { get; }
    public SlaveMachine Slave { get; }
    public long NowUs { get; set; } = 1_000_000;
    public List<LinkFrame> ToSlave { get; } = new();
    public List<LinkFrame> ToMaster { get; } = new();
    public List<long> Released { get; } = new();
    public MasterReady LastMaster { get; private set; } = new();
    public SlaveReady LastSlave { get; private set; } = new();

    public MachinePair(ProtocolOptions? options = null, SemiSyncConfig? semiSync = null, SlaveStart? start = null)
    {
        options ??= new ProtocolOptions();
        Master = new MasterMachine(new MasterIdentity("m1", "c1", "secret", ["s1"], semiSync ?? SemiSyncConfig.Default), options, Log, MemoryLog.First, 0);
        var none = new PositionMark(BinlogPosition.Zero, 0, TransactionId.None);
        Slave = new SlaveMachine(new SlaveIdentity("s1", "m1", "secret", ""), options, start ?? new SlaveStart(none, none), NowUs);
    }

    public MasterReady MasterStep(Action<MasterMachine> input)
    {
        input(Master);
        LastMaster = Master.TakeReady();
        Log.Items.AddRange(LastMaster.Appends);
        ToSlave.AddRange(LastMaster.Frames);
        Released.AddRange(LastMaster.Released);
        return LastMaster;
    }

    public SlaveReady SlaveStep(Action<SlaveMachine> input)
    {
        input(Slave);
        LastSlave = Slave.TakeReady();
        ToMaster.AddRange(LastSlave.Frames);
        return LastSlave;
    }

    /// <summary>Delivers every queued frame both ways until none is left; returns the frames that went to the master.</summary>
    public List<ReplicationMessage> Exchange()
    {
        var toMaster = new List<ReplicationMessage>();
        while (ToSlave.Count + ToMaster.Count > 0)
        {
            foreach (var frame in Take(ToSlave))
                SlaveStep(s => s.OnFrame(Link, frame.Message, NowUs));
            foreach (var frame in Take(ToMaster))
            {
                toMaster.Add(frame.Message);
                MasterStep(m => m.OnFrame(Link, frame.Message, NowUs));
            }
        }
        return toMaster;
    }

    /// <summary>Connects and runs the handshake and TrySync of a slave with nothing in flight.</summary>
    public void Connect()
    {
        var dial = SlaveStep(s => s.Start(NowUs));
        Assert.True(dial.Dial);
        SlaveStep(s => s.OnConnected(Link, NowUs));
        MasterStep(m => m.OnLinkUp(Link, Nonce, NowUs));
        Exchange();
        Assert.Equal(SlavePhase.Streaming, Slave.Phase);
    }

    public AppendItem Write(long requestId, string key)
    {
        AppendItem? appended = null;
        MasterStep(m => appended = m.Propose(requestId, BinlogItemType.Transaction, 0, [[ "SET"u8.ToArray(), System.Text.Encoding.ASCII.GetBytes(key), "v"u8.ToArray() ]], NowUs));
        return appended!;
    }

    private static List<LinkFrame> Take(List<LinkFrame> frames)
    {
        var taken = frames.ToList();
        frames.Clear();
        return taken;
    }
}
