package io.chatvault.jobs;

import java.time.Instant;
import java.time.LocalTime;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class CadenceTests {

	private static final LocalTime HALF_PAST_TWO = LocalTime.of(2, 30);

	@Test
	void intervalsBecomeCronAndSystemdSchedules() {
		// when
		Cadence quarterHour = Cadence.parse("15m");
		Cadence sixHours = Cadence.parse("6h");
		Cadence hourly = Cadence.parse("hourly");

		// then
		assertThat(quarterHour.cron(LocalTime.MIDNIGHT)).contains("*/15 * * * *");
		assertThat(quarterHour.onCalendar(LocalTime.MIDNIGHT)).contains("*-*-* *:00/15:00 UTC");
		assertThat(sixHours.cron(LocalTime.MIDNIGHT)).contains("0 */6 * * *");
		assertThat(sixHours.onCalendar(LocalTime.MIDNIGHT)).contains("*-*-* 00/6:00:00 UTC");
		assertThat(hourly.cron(LocalTime.MIDNIGHT)).contains("0 * * * *");
		assertThat(quarterHour.describe(LocalTime.MIDNIGHT)).isEqualTo("every 15 minutes");
	}

	@Test
	void calendarCadencesRunAtTheirTimeOfDay() {
		assertThat(Cadence.parse("daily").cron(HALF_PAST_TWO)).contains("30 2 * * *");
		assertThat(Cadence.parse("weekly").cron(HALF_PAST_TWO)).contains("30 2 * * 1");
		assertThat(Cadence.parse("monthly").cron(HALF_PAST_TWO)).contains("30 2 1 * *");
		assertThat(Cadence.parse("quarterly").cron(HALF_PAST_TWO)).contains("30 2 1 1,4,7,10 *");
		assertThat(Cadence.parse("half-yearly").cron(HALF_PAST_TWO)).contains("30 2 1 1,7 *");
		assertThat(Cadence.parse("daily").onCalendar(HALF_PAST_TWO)).contains("*-*-* 02:30:00 UTC");
		assertThat(Cadence.parse("quarterly").onCalendar(HALF_PAST_TWO)).contains("*-01,04,07,10-01 02:30:00 UTC");
		assertThat(Cadence.parse("once").cron(HALF_PAST_TWO)).isEmpty();
	}

	@Test
	void theWindowEndIsNowRoundedDownToTheInterval() {
		// given
		Instant now = Instant.parse("2025-03-01T10:14:59.999Z");

		// then
		assertThat(Cadence.parse("15m").windowEnd(now)).isEqualTo(Instant.parse("2025-03-01T10:00:00Z"));
		assertThat(Cadence.parse("15m").windowEnd(Instant.parse("2025-03-01T10:15:00Z")))
			.isEqualTo(Instant.parse("2025-03-01T10:15:00Z"));
		assertThat(Cadence.parse("6h").windowEnd(now)).isEqualTo(Instant.parse("2025-03-01T06:00:00Z"));
		assertThat(Cadence.parse("daily").windowEnd(now)).isEqualTo(Instant.parse("2025-03-01T00:00:00Z"));
	}

	@Test
	void cadencesThatDoNotDivideTheDayAreRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> Cadence.parse("7m")).withMessageContaining("7m");
		assertThatIllegalArgumentException().isThrownBy(() -> Cadence.parse("5h")).withMessageContaining("a day");
		assertThatIllegalArgumentException().isThrownBy(() -> Cadence.parse("fortnightly"))
			.withMessageContaining("unknown cadence 'fortnightly'");
	}

}
