package io.chatvault.integrity;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

import io.chatvault.message.Sha256;
import io.chatvault.vault.VaultCatalog.ItemKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class SampleDrawTests {

	private static final LocalDate DAY = LocalDate.parse("2026-11-30");

	@Test
	void theSameDayDrawsTheSameSampleTwiceAndAnotherDayAnother() {
		// given
		long[] weights = weights(50_000, 200, 1);

		// when
		long[] first = draw(DAY, weights, 100_000).ids();
		long[] again = draw(DAY, weights, 100_000).ids();
		long[] nextDay = draw(DAY.plusDays(1), weights, 100_000).ids();

		// then
		Arrays.sort(first);
		Arrays.sort(again);
		Arrays.sort(nextDay);
		assertThat(first).isNotEmpty().isEqualTo(again);
		assertThat(nextDay).isNotEqualTo(first);
	}

	@ParameterizedTest
	@CsvSource({ "0, 0", "1, 1", "99999, 99999", "100000, 100000", "2000000, 100000", "20000000, 100000",
			"20000001, 100001", "100000000, 500000", "1000000000, 5000000" })
	void theTargetIsHalfAPercentAndAtLeastAHundredThousandOrAll(long population, long target) {
		assertThat(SampleDraw.target(population, 0.005, 100_000)).isEqualTo(target);
	}

	@ParameterizedTest
	@CsvSource({ "10, 1", "700, 3", "5000, 40", "40000, 120" })
	void theDrawnBlocksHoldAtLeastTheTargetAndDroppingAnyWouldFallShort(int blocks, int maxRecordsPerBlock) {
		// given: blocks of 1..max records
		long[] weights = weights(blocks, maxRecordsPerBlock, blocks);
		long records = Arrays.stream(weights).sum();
		long target = SampleDraw.target(records, 0.005, 1_000);

		// when
		SampleDraw.Drawing drawing = draw(DAY, weights, target);

		// then
		assertThat(drawing.weight()).isGreaterThanOrEqualTo(target);
		assertThat(drawing.population()).isEqualTo(blocks);
		assertThat(drawing.populationWeight()).isEqualTo(records);
		// the sample is exactly the blocks with a key up to the threshold
		SampleDraw draw = new SampleDraw(DAY);
		long[] byThreshold = java.util.stream.LongStream.rangeClosed(1, blocks)
			.filter((id) -> draw.drawn(ItemKind.RECORD_BLOCK, id, drawing.threshold()))
			.toArray();
		long[] ids = drawing.ids();
		Arrays.sort(ids);
		assertThat(byThreshold).isEqualTo(ids);
		// minimal: without the block of the largest key the sample would fall short
		long largest = Arrays.stream(ids)
			.boxed()
			.max((a, b) -> Long.compareUnsigned(draw.key(ItemKind.RECORD_BLOCK, a), draw.key(ItemKind.RECORD_BLOCK, b)))
			.orElseThrow();
		if (target < records) {
			assertThat(drawing.weight() - weights[(int) largest - 1]).isLessThan(target);
		}
		else {
			assertThat(ids).hasSize(blocks);
		}
	}

	@ParameterizedTest
	@CsvSource({ "1, 1", "999, 999", "1000, 1000", "150000, 1000", "400000, 2000" })
	void itemsOfOtherKindsAreDrawnToTheirTarget(int items, int expected) {
		// given
		long target = SampleDraw.target(items, 0.005, 1_000);
		SampleDraw.Drawing drawing = new SampleDraw(DAY).new Drawing(ItemKind.MEDIA_CHUNK, target);

		// when
		for (long id = 1; id <= items; id++) {
			drawing.offer(id, 1);
		}

		// then
		assertThat(drawing.items()).isEqualTo(expected);
	}

	@Test
	void theKeyIsTheDocumentedFunctionAnAuditorCanRecompute() {
		// given
		SampleDraw draw = new SampleDraw(DAY);

		// when
		long key = draw.key(ItemKind.RECORD_BLOCK, 42);

		// then
		String expected = HexFormat.of()
			.formatHex(Sha256.digest()
				.digest("chatvault-sample-v1|2026-11-30|RECORD_BLOCK|42"
					.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
			.substring(0, 16);
		assertThat(SampleDraw.hex(key)).isEqualTo(expected);
		assertThat(draw.drawn(ItemKind.RECORD_BLOCK, 42, expected)).isTrue();
		assertThat(draw.drawn(ItemKind.RECORD_BLOCK, 42, SampleDraw.ALL)).isTrue();
		assertThat(draw.drawn(ItemKind.RECORD_BLOCK, 42, SampleDraw.NONE)).isFalse();
	}

	private static long[] weights(int blocks, int maxRecords, long seed) {
		Random random = new Random(seed);
		return random.ints(blocks, 1, maxRecords + 1).asLongStream().toArray();
	}

	private static SampleDraw.Drawing draw(LocalDate day, long[] weights, long target) {
		SampleDraw.Drawing drawing = new SampleDraw(day).new Drawing(ItemKind.RECORD_BLOCK, target);
		for (int i = 0; i < weights.length; i++) {
			drawing.offer(i + 1, weights[i]);
		}
		return drawing;
	}

}
