package io.chatvault.sync;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.chatvault.cli.UsageException;
import io.chatvault.custodian.CustodianGroup;
import io.chatvault.custodian.CustodianGroups;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class SyncParametersNormalizerTests {

	static final CustodianGroup DESK = new CustodianGroup("desk", Duration.ofMinutes(15), List.of());

	final SyncParametersNormalizer normalizer = new SyncParametersNormalizer(new CustodianGroups() {
		@Override
		public Optional<CustodianGroup> group(String name) {
			return groups().stream().filter((group) -> group.name().equals(name)).findFirst();
		}

		@Override
		public List<CustodianGroup> groups() {
			return List.of(DESK);
		}
	}, Clock.fixed(Instant.parse("2024-03-12T09:29:59Z"), ZoneOffset.UTC));

	@Test
	void theWindowEndIsTheLastBoundarySoTwoStartsInAWindowAreOneInstance() {
		assertThat(this.normalizer.normalize(Map.of("group", "desk"))).containsExactly(Map.entry("group", "desk"),
				Map.entry("window-end", "2024-03-12T09:15:00Z"));
		assertThat(this.normalizer.normalize(Map.of("group", "desk", "window-end", "2024-03-12T08:45:00Z")))
			.containsEntry("window-end", "2024-03-12T08:45:00Z");
	}

	@Test
	void operatorMistakesAreOneLine() {
		assertThatExceptionOfType(UsageException.class).isThrownBy(() -> this.normalizer.normalize(Map.of()))
			.withMessage("job sync needs group=<name>; groups: desk");
		assertThatExceptionOfType(UsageException.class)
			.isThrownBy(() -> this.normalizer.normalize(Map.of("group", "sales")))
			.withMessage("unknown custodian group 'sales'; groups: desk");
		assertThatExceptionOfType(UsageException.class)
			.isThrownBy(() -> this.normalizer.normalize(Map.of("group", "desk", "window-end", "2024-03-12T09:20:00Z")))
			.withMessage("window-end 2024-03-12T09:20:00Z is not a boundary of group desk (cadence PT15M); "
					+ "the last one is 2024-03-12T09:15:00Z");
		assertThatExceptionOfType(UsageException.class)
			.isThrownBy(() -> this.normalizer.normalize(Map.of("group", "desk", "window-end", "2024-03-12T09:30:00Z")))
			.withMessage("window-end 2024-03-12T09:30:00Z is in the future (now 2024-03-12T09:29:59Z)");
		assertThatExceptionOfType(UsageException.class)
			.isThrownBy(() -> this.normalizer.normalize(Map.of("group", "desk", "path", "x")))
			.withMessageStartingWith("unknown parameter 'path' for job sync");
	}

}
