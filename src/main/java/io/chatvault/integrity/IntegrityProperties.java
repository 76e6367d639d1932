package io.chatvault.integrity;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How much the daily checksum sampling reads ({@code chatvault.integrity.*}).
 *
 * @param sampleFraction the smallest share of every kind of item sampled (of the records,
 * for records blocks)
 * @param sampleMinimumRecords the fewest records sampled (all of them when the archive
 * holds fewer)
 * @param sampleMinimumItems the fewest items of every other kind sampled (all of them
 * when there are fewer)
 * @param gridSize partitions per kind of item, run on this many threads
 * @param chunkSize items checked per transaction
 */
@Validated
@ConfigurationProperties("chatvault.integrity")
record IntegrityProperties(@DecimalMin("0.0") @DecimalMax("1.0") @DefaultValue("0.005") double sampleFraction,
		@Min(0) @DefaultValue("100000") long sampleMinimumRecords,
		@Min(0) @DefaultValue("1000") long sampleMinimumItems, @Min(1) @DefaultValue("2") int gridSize,
		@Min(1) @DefaultValue("50") int chunkSize) {

}
