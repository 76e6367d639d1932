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
 * Settings of the vault write path ({@code chatvault.vault.*}).
 *
 * @param retention how long records are kept when no retention policy covers them, and
 * the object lock mode
 * @param media how media is chunked and compressed
 */
@Validated
@ConfigurationProperties("chatvault.vault")
public record VaultProperties(@Valid @DefaultValue Retention retention, @Valid @DefaultValue Media media) {

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
	 * Media chunking.
	 *
	 * @param chunkSize plaintext bytes per stored chunk object
	 * @param compressionLevel zstd level
	 * @param minimumSavingPercent a chunk is stored compressed only when that saves at
	 * least this share of its size
	 */
	public record Media(@NotNull @DefaultValue("4MB") DataSize chunkSize,
			@Min(1) @Max(19) @DefaultValue("3") int compressionLevel,
			@Min(0) @Max(99) @DefaultValue("10") int minimumSavingPercent) {
	}

	static VaultProperties defaults() {
		return new VaultProperties(new Retention(Period.ofYears(7), LockMode.COMPLIANCE),
				new Media(DataSize.ofMegabytes(4), 3, 10));
	}

}
