using System.IO.Pipelines;
using ReplDash.Engine.Core.Resp;
using ReplDash.Engine.Node;

namespace ReplDash.Engine.Resp;

/// <summary>
/// <c>DEBUG SET-LOCAL key value</c>, <c>DEBUG DEL-LOCAL key</c> and <c>DEBUG PEXPIREAT-LOCAL key unixMs</c>: change
/// this node's data behind replication's back (nothing is logged or replicated), to make a slave differ for
/// consistency-check tests and demos, in the client's selected database. Accepted only when ReplDash:Faults:Enabled is true.
/// </summary>
public sealed partial class RespSession
{
    private static readonly (string Name, string Command, int Arguments)[] LocalChanges =
    [
        ("SET-LOCAL", "SET", 2),
        ("DEL-LOCAL", "DEL", 1),
        ("PEXPIREAT-LOCAL", "PEXPIREAT", 2),
    ];

    private static bool IsLocalChange(byte[] subcommand) => LocalChanges.Any(c => IsName(subcommand, c.Name));

    private void DebugLocalChange(byte[][] args, PipeWriter output)
    {
        var change = LocalChanges.First(c => IsName(args[1], c.Name));
        if (!node.Faults.Enabled)
        {
            RespWriter.Error(output, $"ERR DEBUG {change.Name} is refused: faults are disabled (set ReplDash:Faults:Enabled to true, in tests only)");
            return;
        }
        if (args.Length != 2 + change.Arguments)
        {
            RespWriter.Error(output, $"ERR wrong number of arguments for 'debug|{change.Name.ToLowerInvariant()}' command");
            return;
        }
        try
        {
            // In the selected database, like any command of this client (SELECT 3, then DEBUG SET-LOCAL changes database 3).
            node.ChangeLocally([System.Text.Encoding.ASCII.GetBytes(change.Command), .. args[2..]], output, _database);
        }
        catch (NodeUnavailableException e)
        {
            RespWriter.Error(output, "ERR " + e.Message);
        }
    }
}
