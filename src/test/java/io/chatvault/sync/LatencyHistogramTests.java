package io.chatvault.sync;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LatencyHistogramTests {

	@Test
	void bucketsAreExactBelowSixteenAndWithinASixteenthOfAnOctaveAbove() {
		for (long millis : new long[] { 0, 1, 15, 16, 17, 31, 32, 33, 1000, 65_432, 3_600_000, 86_400_000L * 30 }) {
			int bucket = LatencyHistogram.bucket(millis);
			assertThat(LatencyHistogram.lowerBound(bucket)).isLessThanOrEqualTo(millis);
			assertThat(LatencyHistogram.upperBound(bucket)).isGreaterThanOrEqualTo(millis);
			assertThat(LatencyHistogram.upperBound(bucket) - LatencyHistogram.lowerBound(bucket))
				.isLessThanOrEqualTo(Math.max(0, millis / 16));
		}
	}

	@Test
	void percentilesOfCountedLatencies() {
		// given 100 latencies of 1..100 ms
		Map<Integer, Long> buckets = new HashMap<>();
		for (long millis = 1; millis <= 100; millis++) {
			buckets.merge(LatencyHistogram.bucket(millis), 1L, Long::sum);
		}

		// when / then
		assertThat(LatencyHistogram.percentile(buckets, 50, 100)).contains(51L);
		assertThat(LatencyHistogram.percentile(buckets, 95, 100)).contains(95L);
		assertThat(LatencyHistogram.percentile(buckets, 100, 100)).contains(100L);
		assertThat(LatencyHistogram.percentile(Map.of(), 50, 0)).isEmpty();
	}

}
