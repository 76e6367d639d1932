package io.chatvault.report;

import java.time.Duration;
import java.util.List;

import io.chatvault.report.AwaitedArea.Awaited;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The areas whose jobs are being built (retention and disposition, key rotation, the
 * regulator drill): until each lands its tables and its reading area, the report says
 * plainly that their figures are missing.
 */
@Configuration(proxyBeanMethods = false)
class AwaitedAreas {

	@Bean
	AwaitedArea keysArea(ReportEvidence evidence) {
		return new AwaitedArea(71, "keys", "Keys", "key-rotation", Duration.ofDays(92), List.of("key_rotation_run"),
				List.of(new Awaited("age of the key-encryption key", "days", Target.atMost(90, "days"))), evidence);
	}

	@Bean
	AwaitedArea searchArea(ReportEvidence evidence) {
		return new AwaitedArea(72, "search", "Regulator drill", "regulator-drill", Duration.ofDays(184),
				List.of("regulator_drill_run"), List.of(new Awaited("regulator drill recall", "%", Target.COMPLETE)),
				evidence);
	}

}
