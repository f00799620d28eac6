using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ReplDash.Web.Store.Events;

/// <summary>Table, limits and indexes of <see cref="EventRecord"/>.</summary>
public sealed class EventRecordConfiguration : IEntityTypeConfiguration<EventRecord>
{
    /// <summary>Longest node id stored; node ids come from configuration and are short.</summary>
    public const int NodeIdMaxLength = 64;

    /// <summary>Longest kind stored; kinds are short stable names.</summary>
    public const int KindMaxLength = 64;

    /// <summary>Longest message stored; longer messages are cut by the writer rather than rejected.</summary>
    public const int MessageMaxLength = 2048;

    /// <inheritdoc />
    public void Configure(EntityTypeBuilder<EventRecord> builder)
    {
        builder.ToTable("Events");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedOnAdd();
        builder.Property(e => e.TimeUtc).IsRequired();
        builder.Property(e => e.NodeId).IsRequired().HasMaxLength(NodeIdMaxLength);
        builder.Property(e => e.Kind).IsRequired().HasMaxLength(KindMaxLength);
        builder.Property(e => e.Message).IsRequired().HasMaxLength(MessageMaxLength);

        // The Events page and the API read newest first, optionally for one node.
        builder.HasIndex(e => e.TimeUtc);
        builder.HasIndex(e => e.NodeId);
    }
}
