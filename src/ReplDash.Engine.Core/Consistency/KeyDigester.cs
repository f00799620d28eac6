using System.Buffers.Binary;
using System.Security.Cryptography;
using ReplDash.Engine.Core.Keyspace;
using ValueType = ReplDash.Engine.Core.Keyspace.ValueType;

namespace ReplDash.Engine.Core.Consistency;

/// <summary>
/// Computes a captured key's digests (docs/CONSISTENCY.md, "Digests"): value digest = SHA-1 of (type, element count,
/// each element with its length); key digest = SHA-1 of (key with its length, type, absolute expiry, value digest).
/// Each digest's input is laid out in one buffer and hashed in one call: the bytes are exactly those an incremental
/// hash of the same fields would see, at a fraction of the per-call cost on small keys.
/// </summary>
/// <remarks>
/// One SHA-1 instance is reused for every buffered digest (<see cref="Hash"/>): the one-shot <c>SHA1.HashData</c> sets up
/// and frees an OpenSSL context on each call, about 400 ns of CPU against 315 ns for append-and-reset on this machine,
/// and a check hashes twice per key on every node (docs/BENCHMARKS.md, "Where a check's CPU goes").
/// </remarks>
internal sealed class KeyDigester : IDisposable
{
    // Larger inputs are hashed incrementally rather than copied into one buffer (a big collection or string).
    private const int MaxBuffered = 1 << 20;

    private byte[] _buffer = new byte[512];

    private readonly IncrementalHash _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);

    /// <summary>Frees the reused hash.</summary>
    public void Dispose() => _sha.Dispose();

    /// <summary>Writes the key's digest to <paramref name="keyDigest"/> and its value digest to <paramref name="valueDigest"/>.</summary>
    public void Digest(in CapturedKey key, Span<byte> keyDigest, Span<byte> valueDigest)
    {
        ValueDigest(key, valueDigest);
        // A key outside database 0 hashes its database first (0xDB, i32); database 0 adds nothing, so digests of data
        // written before databases existed stay the same (docs/CONSISTENCY.md).
        int prefix = key.Database == 0 ? 0 : 5;
        int length = prefix + 4 + key.Key.Length + 1 + 8 + SHA1.HashSizeInBytes;
        if (length > MaxBuffered)
        {
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
            Span<byte> fields = stackalloc byte[9];
            if (prefix > 0)
            {
                fields[0] = 0xDB;
                BinaryPrimitives.WriteInt32LittleEndian(fields[1..], key.Database);
                sha.AppendData(fields[..5]);
            }
            AppendWithLength(sha, key.Key);
            fields[0] = (byte)key.Type;
            BinaryPrimitives.WriteInt64LittleEndian(fields[1..], key.ExpireAtMs);
            sha.AppendData(fields);
            sha.AppendData(valueDigest);
            sha.GetHashAndReset(keyDigest);
            return;
        }
        var buffer = Buffer(length);
        int at = 0;
        if (prefix > 0)
        {
            buffer[at++] = 0xDB;
            BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(at), key.Database);
            at += 4;
        }
        at = WriteWithLength(buffer, at, key.Key);
        buffer[at++] = (byte)key.Type;
        BinaryPrimitives.WriteInt64LittleEndian(buffer.AsSpan(at), key.ExpireAtMs);
        at += 8;
        valueDigest.CopyTo(buffer.AsSpan(at));
        at += SHA1.HashSizeInBytes;
        Hash(buffer.AsSpan(0, at), keyDigest);
    }

    private void ValueDigest(in CapturedKey key, Span<byte> valueDigest)
    {
        if (key.Value is { } value && 9 + value.Length <= MaxBuffered)
        {
            // A string: one element, without building an array for it.
            var single = Buffer(9 + value.Length);
            single[0] = (byte)key.Type;
            BinaryPrimitives.WriteInt32LittleEndian(single.AsSpan(1), 1);
            int end = WriteWithLength(single, 5, value);
            Hash(single.AsSpan(0, end), valueDigest);
            return;
        }
        var elements = Canonical(key);
        long length = 5;
        foreach (var element in elements)
            length += 4 + element.Length;
        if (length > MaxBuffered)
        {
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
            Span<byte> header = stackalloc byte[5];
            header[0] = (byte)key.Type;
            BinaryPrimitives.WriteInt32LittleEndian(header[1..], elements.Length);
            sha.AppendData(header);
            foreach (var element in elements)
                AppendWithLength(sha, element);
            sha.GetHashAndReset(valueDigest);
            return;
        }
        var buffer = Buffer((int)length);
        buffer[0] = (byte)key.Type;
        BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(1), elements.Length);
        int at = 5;
        foreach (var element in elements)
            at = WriteWithLength(buffer, at, element);
        Hash(buffer.AsSpan(0, at), valueDigest);
    }

    /// <summary>The elements in canonical order: hash pairs sorted by field, set members sorted; strings and lists as they are.</summary>
    private static byte[][] Canonical(in CapturedKey key)
    {
        switch (key.Type)
        {
            case ValueType.Set:
                Array.Sort(key.Elements!, ByteArrayComparer.Instance);
                return key.Elements!;
            case ValueType.Hash:
            {
                var elements = key.Elements!;
                int pairs = elements.Length / 2;
                var fields = new byte[pairs][];
                var values = new byte[pairs][];
                for (int i = 0; i < pairs; i++)
                {
                    fields[i] = elements[2 * i];
                    values[i] = elements[2 * i + 1];
                }
                Array.Sort(fields, values, ByteArrayComparer.Instance);
                var sorted = new byte[elements.Length][];
                for (int i = 0; i < pairs; i++)
                {
                    sorted[2 * i] = fields[i];
                    sorted[2 * i + 1] = values[i];
                }
                return sorted;
            }
            case ValueType.String:
                return [key.Value!];
            default:
                return key.Elements!;
        }
    }

    /// <summary>SHA-1 of <paramref name="input"/> into <paramref name="digest"/>, on the reused instance.</summary>
    private void Hash(ReadOnlySpan<byte> input, Span<byte> digest)
    {
        _sha.AppendData(input);
        _sha.GetHashAndReset(digest);
    }

    private byte[] Buffer(int length)
    {
        if (_buffer.Length < length)
            _buffer = new byte[Math.Max(length, _buffer.Length * 2)];
        return _buffer;
    }

    private static int WriteWithLength(byte[] buffer, int at, byte[] bytes)
    {
        BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(at), bytes.Length);
        bytes.CopyTo(buffer, at + 4);
        return at + 4 + bytes.Length;
    }

    private static void AppendWithLength(IncrementalHash sha, byte[] bytes)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, bytes.Length);
        sha.AppendData(length);
        sha.AppendData(bytes);
    }
}
