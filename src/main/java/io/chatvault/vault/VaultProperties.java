package io.chatvault.vault;

import java.time.Period;

import io.chatvault.storage.WriteOptions.LockMode;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the vault ({@code chatvault.vault.*}).
 *
 * @param retention how long records are kept when no retention policy covers them, and
 * the object lock mode
 * @param records how records are packed
 * @param originals how original export files are stored
 * @param media how media is compressed and packed
 */
@Validated
@ConfigurationProperties("chatvault.vault")
public record VaultProperties(@Valid @DefaultValue Retention retention, @Valid @DefaultValue Records records,
		@Valid @DefaultValue Originals originals, @Valid @DefaultValue Media media) {

	/**
	 * Default retention.
	 *
	 * @param defaultPeriod retention when no policy in {@code vault_retention_policy}
	 * covers a record (SEC 17a-4 and MiFID II: 7 years)
	 * @param lockMode COMPLIANCE (nobody can shorten retention) or GOVERNANCE
	 */
	public record Retention(@NotNull @DefaultValue("P7Y") Period defaultPeriod,
			@NotNull @DefaultValue("COMPLIANCE") LockMode lockMode) {
	}

	/**
	 * Record packing.
	 *
	 * @param blockSize canonical record bytes per block before compression: reading one
	 * record decrypts and decompresses its block
	 * @param compressionLevel zstd level of record blocks
	 */
	public record Records(@NotNull @DefaultValue("64KB") DataSize blockSize,
			@Min(1) @Max(19) @DefaultValue("3") int compressionLevel) {
	}

	/**
	 * Original export files.
	 *
	 * @param compressionLevel zstd level of their chunks
	 * @param packSize bytes of chunks per pack object
	 */
	public record Originals(@Min(1) @Max(19) @DefaultValue("3") int compressionLevel,
			@NotNull @DefaultValue("8MB") DataSize packSize) {
	}

	/**
	 * Media.
	 *
	 * @param compressionLevel zstd level
	 * @param minimumSavingPercent a chunk is stored compressed only when that saves at
	 * least this share of its size
	 * @param packSize bytes of chunks per pack object
	 */
	public record Media(@Min(1) @Max(19) @DefaultValue("3") int compressionLevel,
			@Min(0) @Max(99) @DefaultValue("10") int minimumSavingPercent,
			@NotNull @DefaultValue("4MB") DataSize packSize) {
	}

	static VaultProperties defaults() {
		return new VaultProperties(new Retention(Period.ofYears(7), LockMode.COMPLIANCE),
				new Records(DataSize.ofKilobytes(64), 3), new Originals(3, DataSize.ofMegabytes(8)),
				new Media(3, 10, DataSize.ofMegabytes(4)));
	}

}
