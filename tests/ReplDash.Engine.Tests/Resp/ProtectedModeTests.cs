using System.Net;
using ReplDash.Engine.Resp;

namespace ReplDash.Engine.Tests.Resp;

/// <summary>Who protected mode lets in: loopback always; other addresses only when the node has a password or it is off.</summary>
public class ProtectedModeTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.8.9.10")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    public void Loopback_IsServedWithoutAPassword(string address) =>
        Assert.False(ProtectedMode.Refuses(true, null, new IPEndPoint(IPAddress.Parse(address), 50000)));

    [Theory]
    [InlineData("10.1.2.3")]
    [InlineData("192.168.0.7")]
    [InlineData("fe80::1")]
    [InlineData("::ffff:10.1.2.3")]
    public void OtherAddresses_AreRefusedWithoutAPassword_ServedWithOne_OrWithProtectedModeOff(string address)
    {
        var remote = new IPEndPoint(IPAddress.Parse(address), 50000);
        Assert.True(ProtectedMode.Refuses(true, null, remote));
        Assert.False(ProtectedMode.Refuses(true, "a-password", remote));
        Assert.False(ProtectedMode.Refuses(false, null, remote));
    }

    [Fact]
    public void TheRefusal_IsRedisDeniedError_NamingHowToFixIt()
    {
        Assert.StartsWith("DENIED Redis is running in protected mode", ProtectedMode.Error);
        Assert.Contains("ReplDash:Nodes:N:Password", ProtectedMode.Error);
    }
}
