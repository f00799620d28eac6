using System.Buffers;
using ReplDash.Engine.Core.Replication;

namespace ReplDash.Engine.Core.Tests.Simulation;

/// <summary>
/// The simulated network between the master and each slave, within what TCP allows: a link delivers its frames in
/// order (each encoded and decoded with the real codec) or breaks. A partition holds a slave's traffic until it heals
/// (a link that a side closed meanwhile is then found closed); a delay adds latency to a link for a while.
/// </summary>
internal sealed class SimNetwork(Simulation sim)
{
    private sealed class Link(long id, SimSlave slave)
    {
        public long Id { get; } = id;
        public SimSlave Slave { get; } = slave;
        public int SlaveEpoch { get; init; }
        public int MasterEpoch { get; init; }
        public bool Open { get; set; } = true;
        public long LastToSlaveUs { get; set; }
        public long LastToMasterUs { get; set; }
    }

    private readonly Dictionary<long, Link> _links = new();
    private readonly Dictionary<string, long> _healAtUs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long UntilUs, long ExtraUs)> _delays = new(StringComparer.Ordinal);
    private long _nextLinkId;

    public bool Partitioned(SimSlave slave) => _healAtUs.TryGetValue(slave.Id, out long heal) && heal > sim.NowUs;

    public void Partition(SimSlave slave, long durationUs) => _healAtUs[slave.Id] = sim.NowUs + durationUs;

    public void Delay(SimSlave slave, long durationUs, long extraUs) => _delays[slave.Id] = (sim.NowUs + durationUs, extraUs);

    public void HealAll()
    {
        foreach (var key in _healAtUs.Keys.ToArray())
            _healAtUs[key] = Math.Min(_healAtUs[key], sim.NowUs);
        _delays.Clear();
    }

    /// <summary>When something sent now on <paramref name="slave"/>'s link arrives (at the earliest).</summary>
    private long ArrivalUs(SimSlave slave)
    {
        long at = sim.NowUs + 30 + sim.Random.Next(400);
        if (_delays.TryGetValue(slave.Id, out var delay) && delay.UntilUs > sim.NowUs)
            at += delay.ExtraUs;
        if (_healAtUs.TryGetValue(slave.Id, out long heal) && heal > sim.NowUs)
            at = Math.Max(at, heal + 30);
        return at;
    }

    /// <summary>A slave dials: connected after a round trip, or refused (master down) / timed out (partition).</summary>
    public void Dial(SimSlave slave)
    {
        int slaveEpoch = slave.Epoch;
        if (!sim.Master.Up || Partitioned(slave))
        {
            long failAt = Partitioned(slave) ? sim.NowUs + sim.Options.LinkTimeoutMs * 1000 : sim.NowUs + 200;
            sim.At(failAt, () => { if (slave.Up && slave.Epoch == slaveEpoch) slave.Do(m => m.OnConnectFailed(sim.NowUs)); });
            return;
        }
        long at = ArrivalUs(slave);
        sim.At(at, () =>
        {
            if (!slave.Up || slave.Epoch != slaveEpoch)
                return;
            if (!sim.Master.Up || Partitioned(slave))
            {
                slave.Do(m => m.OnConnectFailed(sim.NowUs));
                return;
            }
            var link = new Link(++_nextLinkId, slave) { SlaveEpoch = slaveEpoch, MasterEpoch = sim.Master.Epoch };
            _links[link.Id] = link;
            sim.Trace($"net link {link.Id} up: {slave.Id} -> {SimMaster.Id}");
            var nonce = new byte[16];
            sim.Random.NextBytes(nonce);
            slave.Do(m => m.OnConnected(link.Id, sim.NowUs));
            sim.Master.OnLinkUp(link.Id, nonce);
        });
    }

    public void Send(bool fromMaster, long linkId, ReplicationMessage message)
    {
        if (!_links.TryGetValue(linkId, out var link) || !link.Open)
            return;
        var bytes = new ArrayBufferWriter<byte>(64);
        ReplicationCodec.Write(message, bytes);
        byte[] frame = bytes.WrittenSpan.ToArray();
        long at = ArrivalUs(link.Slave);
        if (fromMaster)
            link.LastToSlaveUs = at = Math.Max(at, link.LastToSlaveUs);
        else
            link.LastToMasterUs = at = Math.Max(at, link.LastToMasterUs);
        sim.At(at, () =>
        {
            if (!link.Open || !Alive(link))
                return;
            var status = ReplicationCodec.TryRead(new ReadOnlySequence<byte>(frame), out var decoded, out _, out var error);
            if (status != FrameStatus.Complete)
                throw new SimViolation($"a frame {message.GetType().Name} did not decode: {status} {error}");
            if (fromMaster)
                link.Slave.Do(m => m.OnFrame(linkId, decoded!, sim.NowUs));
            else
                sim.Master.OnFrame(linkId, decoded!);
        });
    }

    /// <summary>A side closes a link: the other side hears it after a latency (after the heal, across a partition).</summary>
    public void Close(bool fromMaster, long linkId, string reason)
    {
        if (!_links.TryGetValue(linkId, out var link) || !link.Open)
            return;
        link.Open = false;
        sim.Trace($"net link {linkId} closed by {(fromMaster ? SimMaster.Id : link.Slave.Id)}: {reason}");
        long at = ArrivalUs(link.Slave);
        sim.At(at, () => Notify(link, toMaster: !fromMaster, toSlave: fromMaster));
    }

    /// <summary>A link breaks (a reset): both sides hear it.</summary>
    public void Break(SimSlave slave)
    {
        foreach (var link in _links.Values.Where(l => l.Slave == slave && l.Open).ToArray())
        {
            link.Open = false;
            sim.Trace($"net link {link.Id} BROKEN");
            long at = ArrivalUs(slave);
            sim.At(at, () => Notify(link, toMaster: true, toSlave: true));
        }
    }

    /// <summary>A node crashed: its links close, and the peers hear it (a crash resets the sockets).</summary>
    public void NodeCrashed(SimSlave? slave)
    {
        foreach (var link in _links.Values.Where(l => l.Open && (slave is null || l.Slave == slave)).ToArray())
        {
            link.Open = false;
            long at = ArrivalUs(link.Slave);
            sim.At(at, () => Notify(link, toMaster: slave is not null, toSlave: slave is null));
        }
    }

    private bool Alive(Link link) => sim.Master.Up && sim.Master.Epoch == link.MasterEpoch && link.Slave.Up && link.Slave.Epoch == link.SlaveEpoch;

    private void Notify(Link link, bool toMaster, bool toSlave)
    {
        _links.Remove(link.Id);
        if (toMaster && sim.Master.Up && sim.Master.Epoch == link.MasterEpoch)
            sim.Master.OnLinkDown(link.Id);
        if (toSlave && link.Slave.Up && link.Slave.Epoch == link.SlaveEpoch)
            link.Slave.Do(m => m.OnLinkDown(link.Id, sim.NowUs));
    }
}
