package io.chatvault.message;

import java.time.Instant;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IsoInstantTests {

	@Test
	void anInstantIsWrittenAsInstantToStringWritesIt() {
		// given instants of every kind of fraction, at the edges of the years it writes
		// itself and beyond them
		long[] seconds = { 0, -1, 1, 59, 60, 86_399, 86_400, 951_782_400L, -62_167_219_200L, -62_167_219_201L,
				253_402_300_799L, 253_402_300_800L, Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond() };
		int[] nanos = { 0, 1, 999_999_999, 1_000, 1_000_000, 100_000_000, 120_000_000, 123_400_000, 123_456_000,
				123_456_700, 5_000, 50_000_000 };
		for (long second : seconds) {
			for (int nano : nanos) {
				Instant instant = Instant.ofEpochSecond(second, nano);

				// when, then
				assertThat(IsoInstant.format(instant)).isEqualTo(instant.toString());
			}
		}
		SplittableRandom random = new SplittableRandom(13);
		for (int i = 0; i < 200_000; i++) {
			Instant instant = Instant.ofEpochSecond(random.nextLong(-63_000_000_000L, 254_000_000_000L),
					switch (random.nextInt(4)) {
						case 0 -> 0;
						case 1 -> random.nextInt(1000) * 1_000_000;
						case 2 -> random.nextInt(1_000_000) * 1_000;
						default -> random.nextInt(1_000_000_000);
					});
			assertThat(IsoInstant.format(instant)).isEqualTo(instant.toString());
		}
	}

}
