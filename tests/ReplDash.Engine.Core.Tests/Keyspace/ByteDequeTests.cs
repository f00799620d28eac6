using ReplDash.Engine.Core.Keyspace;
using Xunit;

namespace ReplDash.Engine.Core.Tests.Keyspace;

public class ByteDequeTests
{
    [Fact]
    public void WrapsAroundAndGrows_KeepingOrderAndIndexes()
    {
        var deque = new ByteDeque(2);
        var model = new List<byte>();
        var random = new Random(3);
        for (int i = 0; i < 5000; i++)
        {
            byte b = (byte)i;
            switch (random.Next(4))
            {
                case 0: deque.PushFront([b]); model.Insert(0, b); break;
                case 1: deque.PushBack([b]); model.Add(b); break;
                case 2 when model.Count > 0: Assert.Equal(model[0], deque.PopFront()[0]); model.RemoveAt(0); break;
                case 3 when model.Count > 0: Assert.Equal(model[^1], deque.PopBack()[0]); model.RemoveAt(model.Count - 1); break;
            }
            Assert.Equal(model.Count, deque.Count);
        }
        Assert.Equal(model, deque.Items().Select(x => x[0]));
        for (int i = 0; i < model.Count; i++)
            Assert.Equal(model[i], deque[i][0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => deque[model.Count]);
    }
}
