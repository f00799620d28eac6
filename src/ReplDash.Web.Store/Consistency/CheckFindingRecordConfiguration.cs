using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ReplDash.Web.Store.Consistency;

/// <summary>Table and indexes of <see cref="CheckFindingRecord"/>.</summary>
public sealed class CheckFindingRecordConfiguration : IEntityTypeConfiguration<CheckFindingRecord>
{
    /// <inheritdoc />
    public void Configure(EntityTypeBuilder<CheckFindingRecord> builder)
    {
        builder.ToTable("CheckFindings");
        builder.HasKey(f => f.Id);
        builder.Property(f => f.Id).ValueGeneratedOnAdd();
        builder.Property(f => f.NodeId).IsRequired().HasMaxLength(64);
        builder.Property(f => f.Key).IsRequired();
        builder.Property(f => f.KeyHex).IsRequired();
        builder.Property(f => f.Difference).IsRequired().HasMaxLength(128);
        builder.Property(f => f.MasterType).HasMaxLength(16);
        builder.Property(f => f.SlaveType).HasMaxLength(16);
        builder.Property(f => f.MasterValueDigest).HasMaxLength(40);
        builder.Property(f => f.SlaveValueDigest).HasMaxLength(40);

        // A run's page lists its findings per node.
        builder.HasIndex(f => new { f.RunId, f.NodeId });
    }
}
