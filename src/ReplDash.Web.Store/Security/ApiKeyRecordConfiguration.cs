using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ReplDash.Web.Store.Security;

/// <summary>Table, limits and indexes of <see cref="ApiKeyRecord"/>.</summary>
public sealed class ApiKeyRecordConfiguration : IEntityTypeConfiguration<ApiKeyRecord>
{
    /// <summary>Longest key name.</summary>
    public const int NameMaxLength = 100;

    /// <summary>Longest role name.</summary>
    public const int RoleMaxLength = 32;

    /// <inheritdoc />
    public void Configure(EntityTypeBuilder<ApiKeyRecord> builder)
    {
        builder.ToTable("ApiKeys");
        builder.HasKey(k => k.Id);
        builder.Property(k => k.Id).ValueGeneratedOnAdd();
        builder.Property(k => k.Name).IsRequired().HasMaxLength(NameMaxLength);
        builder.Property(k => k.Role).IsRequired().HasMaxLength(RoleMaxLength);
        builder.Property(k => k.OwnerUserId).IsRequired().HasMaxLength(450);
        builder.Property(k => k.Prefix).IsRequired().HasMaxLength(16);
        builder.Property(k => k.HashHex).IsRequired().HasMaxLength(64);
        builder.Property(k => k.CreatedBy).IsRequired().HasMaxLength(256);

        // Every request with a key looks it up by its hash.
        builder.HasIndex(k => k.HashHex).IsUnique();
        builder.HasIndex(k => k.OwnerUserId);
    }
}
