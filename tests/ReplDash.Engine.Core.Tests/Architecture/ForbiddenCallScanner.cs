using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace ReplDash.Engine.Core.Tests.Architecture;

/// <summary>One call a scanned method makes to something on the forbidden list.</summary>
public sealed record ForbiddenCall(string Caller, string Callee)
{
    public override string ToString() => $"{Caller} calls {Callee}";
}

/// <summary>
/// Reads the IL of every method of an assembly (System.Reflection.Metadata, no loading) and lists the calls it makes
/// (call, callvirt, newobj, ldftn, ldvirtftn) to clocks, timers, threads, unseeded randomness, files, sockets and locks:
/// what a deterministic core must never do itself.
/// </summary>
public static class ForbiddenCallScanner
{
    // Type (full name) → forbidden members ("*": every member).
    private static readonly Dictionary<string, string[]> Forbidden = new(StringComparer.Ordinal)
    {
        ["System.DateTime"] = ["get_UtcNow", "get_Now", "get_Today"],
        ["System.DateTimeOffset"] = ["get_UtcNow", "get_Now"],
        ["System.Diagnostics.Stopwatch"] = ["*"],
        ["System.Environment"] = ["get_TickCount", "get_TickCount64"],
        ["System.TimeProvider"] = ["get_System", "GetUtcNow", "GetLocalNow", "GetTimestamp", "CreateTimer"],
        ["System.Threading.Tasks.Task"] = ["Delay", "Run", "Yield"],
        ["System.Threading.Thread"] = ["*"],
        ["System.Threading.ThreadPool"] = ["*"],
        ["System.Threading.Timer"] = ["*"],
        ["System.Timers.Timer"] = ["*"],
        ["System.Threading.Monitor"] = ["*"],
        ["System.Threading.Lock"] = ["*"],
        ["System.Random"] = ["get_Shared", ".ctor()"],
        ["System.Security.Cryptography.RandomNumberGenerator"] = ["*"],
        ["System.Guid"] = ["NewGuid"],
        ["System.IO.File"] = ["*"],
        ["System.IO.Directory"] = ["*"],
        ["System.IO.FileStream"] = ["*"],
        ["System.IO.FileInfo"] = ["*"],
        ["System.IO.DirectoryInfo"] = ["*"],
        ["System.Net.Sockets.Socket"] = ["*"],
        ["System.Net.Sockets.TcpClient"] = ["*"],
        ["System.Net.Sockets.TcpListener"] = ["*"],
        ["System.Net.Sockets.NetworkStream"] = ["*"],
    };

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes).GetFields()
        .Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value);

    /// <summary>Every forbidden call in the assembly at <paramref name="path"/>.</summary>
    public static List<ForbiddenCall> Scan(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var md = pe.GetMetadataReader();
        var found = new List<ForbiddenCall>();
        foreach (var typeHandle in md.TypeDefinitions)
        {
            var type = md.GetTypeDefinition(typeHandle);
            string typeName = FullName(md, typeHandle);
            foreach (var methodHandle in type.GetMethods())
            {
                var method = md.GetMethodDefinition(methodHandle);
                if (method.RelativeVirtualAddress == 0)
                    continue;
                var il = pe.GetMethodBody(method.RelativeVirtualAddress).GetILBytes()!;
                string caller = $"{typeName}.{md.GetString(method.Name)}";
                foreach (var token in CalledTokens(il))
                    if (Describe(md, MetadataTokens.EntityHandle(token)) is { } callee && IsForbidden(callee))
                        found.Add(new ForbiddenCall(caller, $"{callee.Type}.{callee.Member}"));
            }
        }
        return found;
    }

    private static bool IsForbidden((string Type, string Member) callee) =>
        Forbidden.TryGetValue(callee.Type, out var members) && members.Any(m => m == "*" || m == callee.Member);

    /// <summary>The method tokens of call-like instructions, walking the IL instruction by instruction.</summary>
    private static IEnumerable<int> CalledTokens(byte[] il)
    {
        int at = 0;
        while (at < il.Length)
        {
            short value = il[at] == 0xFE ? (short)(0xFE00 | il[at + 1]) : il[at];
            at += il[at] == 0xFE ? 2 : 1;
            if (!OpCodesByValue.TryGetValue(value, out var op))
                throw new InvalidDataException($"unknown IL opcode {value:x4}");
            if (op.OperandType == OperandType.InlineMethod)
                yield return BitConverter.ToInt32(il, at);
            at += op.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, at),
                _ => 4,
            };
        }
    }

    /// <summary>The declaring type and member name of a called method (a constructor with its parameter count: ".ctor(n)").</summary>
    private static (string Type, string Member)? Describe(MetadataReader md, EntityHandle handle)
    {
        switch (handle.Kind)
        {
            case HandleKind.MethodSpecification:
                return Describe(md, md.GetMethodSpecification((MethodSpecificationHandle)handle).Method);
            case HandleKind.MemberReference:
                var member = md.GetMemberReference((MemberReferenceHandle)handle);
                string name = md.GetString(member.Name);
                if (name == ".ctor")
                {
                    var blob = md.GetBlobReader(member.Signature);
                    blob.ReadSignatureHeader();
                    name = blob.ReadCompressedInteger() == 0 ? ".ctor()" : ".ctor(...)";
                }
                return TypeOf(md, member.Parent) is { } parent ? (parent, name) : null;
            case HandleKind.MethodDefinition:
                var definition = md.GetMethodDefinition((MethodDefinitionHandle)handle);
                return (FullName(md, definition.GetDeclaringType()), md.GetString(definition.Name));
            default:
                return null;
        }
    }

    private static string? TypeOf(MetadataReader md, EntityHandle parent) => parent.Kind switch
    {
        HandleKind.TypeReference => FullName(md, (TypeReferenceHandle)parent),
        HandleKind.TypeDefinition => FullName(md, (TypeDefinitionHandle)parent),
        HandleKind.TypeSpecification => GenericTypeOf(md, (TypeSpecificationHandle)parent),
        _ => null,
    };

    /// <summary>The generic type of an instantiated one (Task&lt;int&gt; → System.Threading.Tasks.Task`1).</summary>
    private static string? GenericTypeOf(MetadataReader md, TypeSpecificationHandle handle)
    {
        var blob = md.GetBlobReader(md.GetTypeSpecification(handle).Signature);
        if (blob.ReadSignatureTypeCode() != SignatureTypeCode.GenericTypeInstance)
            return null;
        blob.ReadSignatureTypeCode(); // class or value type
        var generic = blob.ReadTypeHandle();
        return TypeOf(md, generic);
    }

    private static string FullName(MetadataReader md, TypeReferenceHandle handle)
    {
        var type = md.GetTypeReference(handle);
        string name = md.GetString(type.Name);
        if (type.ResolutionScope.Kind == HandleKind.TypeReference)
            return FullName(md, (TypeReferenceHandle)type.ResolutionScope) + "+" + name;
        string ns = md.GetString(type.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }

    private static string FullName(MetadataReader md, TypeDefinitionHandle handle)
    {
        var type = md.GetTypeDefinition(handle);
        string name = md.GetString(type.Name);
        var declaring = type.GetDeclaringType();
        if (!declaring.IsNil)
            return FullName(md, declaring) + "+" + name;
        string ns = md.GetString(type.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }
}
