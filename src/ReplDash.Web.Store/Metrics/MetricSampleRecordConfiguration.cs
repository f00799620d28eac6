using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ReplDash.Web.Store.Metrics;

/// <summary>Table and index of <see cref="MetricSampleRecord"/>.</summary>
public sealed class MetricSampleRecordConfiguration : IEntityTypeConfiguration<MetricSampleRecord>
{
    /// <summary>Longest node id stored (as for events).</summary>
    public const int NodeIdMaxLength = 64;

    /// <inheritdoc />
    public void Configure(EntityTypeBuilder<MetricSampleRecord> builder)
    {
        builder.ToTable("MetricSamples");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).ValueGeneratedOnAdd();
        builder.Property(s => s.NodeId).IsRequired().HasMaxLength(NodeIdMaxLength);

        // Every read and every prune is "this resolution, from this time on (for this node)".
        builder.HasIndex(s => new { s.ResolutionSeconds, s.TimeUnixMs, s.NodeId });
    }
}
