using ReplDash.Engine.Core.Binlog;

namespace ReplDash.Engine.Binlog;

/// <summary>
/// Reads the items of one segment file in order, verifying each checksum. Forward only; opens the file
/// for reading while a writer may be appending to it.
/// </summary>
internal sealed class SegmentItemReader : IDisposable
{
    private readonly FileStream _file;
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;
    private long _bufferFileOffset;

    public SegmentItemReader(string path, long startOffset)
    {
        Path = path;
        _file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
        _file.Position = startOffset;
        _bufferFileOffset = startOffset;
    }

    public string Path { get; }

    /// <summary>File offset of the next item to read.</summary>
    public long Offset => _bufferFileOffset + _start;

    /// <summary>
    /// Reads the next item, stopping at <paramref name="limitOffset"/> (bytes beyond it are not looked at).
    /// Returns Incomplete at the limit or the end of the file.
    /// </summary>
    public ItemDecodeStatus ReadNext(long limitOffset, out BinlogItem? item, out int itemBytes)
    {
        item = null;
        var status = FrameNext(limitOffset, out itemBytes);
        if (status != ItemDecodeStatus.Ok)
            return status;
        if (!BinlogItemCodec.TryDecodeVerified(_buffer.AsSpan(_start, itemBytes), out item))
            return ItemDecodeStatus.Corrupt;
        _start += itemBytes;
        return status;
    }

    /// <summary>Reads the next item's bytes, checksum verified but body not decoded (for shipping as they are).</summary>
    public ItemDecodeStatus ReadNextRaw(long limitOffset, out byte[]? raw)
    {
        raw = null;
        var status = FrameNext(limitOffset, out int itemBytes);
        if (status != ItemDecodeStatus.Ok)
            return status;
        raw = _buffer.AsSpan(_start, itemBytes).ToArray();
        _start += itemBytes;
        return status;
    }

    /// <summary>Checks the next item's framing and checksum and steps over it, copying nothing (start-up verification).</summary>
    public ItemDecodeStatus VerifyNext(long limitOffset)
    {
        var status = FrameNext(limitOffset, out int itemBytes);
        if (status == ItemDecodeStatus.Ok)
            _start += itemBytes;
        return status;
    }

    /// <summary>
    /// Brings the next whole item into the buffer at <c>_start</c> and verifies its framing and checksum,
    /// reading more of the file as needed (never past <paramref name="limitOffset"/>).
    /// </summary>
    private ItemDecodeStatus FrameNext(long limitOffset, out int itemBytes)
    {
        while (true)
        {
            long available = Math.Min(_end - _start, limitOffset - Offset);
            var status = BinlogItemCodec.TryVerify(_buffer.AsSpan(_start, (int)Math.Max(0, available)), out itemBytes);
            if (status == ItemDecodeStatus.Ok || status == ItemDecodeStatus.Corrupt || available < _end - _start || !Fill())
                return status;
        }
    }

    /// <summary>Reads more of the file into the buffer; false at the end of the file.</summary>
    private bool Fill()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _bufferFileOffset += _start;
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            // An item larger than the buffer: grow to its declared size (bounded by MaxItemBytes).
            int want = BinlogItemCodec.TryReadSize(_buffer.AsSpan(0, _end), out int size) ? size : _buffer.Length * 2;
            Array.Resize(ref _buffer, Math.Max(want, _buffer.Length * 2));
        }
        int read = _file.Read(_buffer, _end, _buffer.Length - _end);
        _end += read;
        return read > 0;
    }

    public void Dispose() => _file.Dispose();
}
