using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ReplDash.Web.Store.Consistency;

/// <summary>Table, limits and indexes of <see cref="CheckRunRecord"/>.</summary>
public sealed class CheckRunRecordConfiguration : IEntityTypeConfiguration<CheckRunRecord>
{
    /// <inheritdoc />
    public void Configure(EntityTypeBuilder<CheckRunRecord> builder)
    {
        builder.ToTable("CheckRuns");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).ValueGeneratedOnAdd();
        builder.Property(r => r.StartedBy).IsRequired().HasMaxLength(256);
        builder.Property(r => r.Status).IsRequired().HasMaxLength(16);
        builder.Property(r => r.Outcome).IsRequired().HasMaxLength(2048);
        builder.Property(r => r.MasterId).IsRequired().HasMaxLength(64);
        builder.Property(r => r.Nodes).IsRequired().HasMaxLength(1024);
        builder.Property(r => r.BucketRanges).IsRequired();
        builder.Property(r => r.FirstMarkerPosition).HasMaxLength(64);
        builder.Property(r => r.LastMarkerPosition).HasMaxLength(64);
        builder.Property(r => r.RepairedBy).HasMaxLength(256);
        builder.HasMany(r => r.Findings).WithOne().HasForeignKey(f => f.RunId).OnDelete(DeleteBehavior.Cascade);

        // Lists are newest first; a restart looks for running runs.
        builder.HasIndex(r => r.StartedUtc);
        builder.HasIndex(r => r.Status);
    }
}
