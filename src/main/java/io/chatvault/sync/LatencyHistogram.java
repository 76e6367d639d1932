package io.chatvault.sync;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Latencies in milliseconds counted in buckets of 1/16 of an octave (exact below 16 ms),
 * so that a window of a million records is summed up in a few dozen counters that can be
 * added in each chunk's transaction and read back as percentiles within about 6%.
 */
final class LatencyHistogram {

	private LatencyHistogram() {
	}

	/** The bucket of a latency. */
	static int bucket(long millis) {
		long value = Math.max(0, millis);
		if (value < 16) {
			return (int) value;
		}
		int exponent = 63 - Long.numberOfLeadingZeros(value);
		int sub = (int) ((value >> (exponent - 4)) & 15);
		return 16 + (exponent - 4) * 16 + sub;
	}

	/** The smallest latency of a bucket. */
	static long lowerBound(int bucket) {
		if (bucket < 16) {
			return bucket;
		}
		int exponent = (bucket - 16) / 16 + 4;
		int sub = (bucket - 16) % 16;
		return (long) (16 + sub) << (exponent - 4);
	}

	/** The largest latency of a bucket. */
	static long upperBound(int bucket) {
		return lowerBound(bucket + 1) - 1;
	}

	/**
	 * A percentile of counted buckets: the largest latency of the bucket holding the
	 * value of that rank, but never more than the exact maximum.
	 * @param buckets counts by bucket
	 * @param percentile 0 to 100
	 * @param max the exact maximum
	 * @return the percentile, or empty when nothing was counted
	 */
	static Optional<Long> percentile(Map<Integer, Long> buckets, double percentile, long max) {
		TreeMap<Integer, Long> sorted = new TreeMap<>(buckets);
		long total = sorted.values().stream().mapToLong(Long::longValue).sum();
		if (total == 0) {
			return Optional.empty();
		}
		long rank = Math.max(1, (long) Math.ceil(total * percentile / 100.0));
		long seen = 0;
		for (Map.Entry<Integer, Long> entry : sorted.entrySet()) {
			seen += entry.getValue();
			if (seen >= rank) {
				return Optional.of(Math.min(upperBound(entry.getKey()), max));
			}
		}
		return Optional.of(max);
	}

}
