package io.chatvault.sync;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import io.chatvault.cli.UsageException;
import io.chatvault.custodian.CustodianGroup;
import io.chatvault.custodian.CustodianGroups;
import io.chatvault.jobs.JobParametersNormalizer;

import org.springframework.stereotype.Component;

/**
 * Derives the window end of {@code chatvault run sync group=<name>} from the group's
 * cadence and the clock (the last boundary at or before now), so that a scheduler passes
 * the group only and every start in one window is the same job instance. An explicit
 * {@code window-end=} (a catch-up by hand, a test) must be a boundary of the group and
 * not in the future.
 */
@Component
class SyncParametersNormalizer implements JobParametersNormalizer {

	private final CustodianGroups groups;

	private final Clock clock;

	SyncParametersNormalizer(CustodianGroups groups, Clock clock) {
		this.groups = groups;
		this.clock = clock;
	}

	@Override
	public String jobName() {
		return SyncJobConfiguration.JOB_NAME;
	}

	@Override
	public Map<String, String> normalize(Map<String, String> typed) {
		for (String key : typed.keySet()) {
			if (!Set.of(SyncParameters.GROUP, SyncParameters.WINDOW_END).contains(key)) {
				throw new UsageException("unknown parameter '" + key + "' for job sync; expected group=<name> "
						+ "[window-end=<ISO instant>]");
			}
		}
		String name = typed.get(SyncParameters.GROUP);
		if (name == null || name.isBlank()) {
			throw new UsageException("job sync needs group=<name>; groups: " + names());
		}
		if (this.groups.withoutCadence().contains(name)) {
			throw new UsageException("custodian group '" + name + "' is in the custodian registry but has no cadence: "
					+ "set chatvault.groups." + name + ".cadence (15m, 6h, ...)");
		}
		CustodianGroup group = this.groups.group(name)
			.orElseThrow(() -> new UsageException("unknown custodian group '" + name + "'; groups: " + names()));
		Instant now = this.clock.instant();
		Instant windowEnd;
		String given = typed.get(SyncParameters.WINDOW_END);
		if (given == null || given.isBlank()) {
			windowEnd = group.windowEndAtOrBefore(now);
		}
		else {
			try {
				windowEnd = SyncParameters.parseWindowEnd(given.trim());
			}
			catch (IllegalArgumentException ex) {
				throw new UsageException(ex.getMessage());
			}
			if (!group.isBoundary(windowEnd)) {
				throw new UsageException(
						"window-end " + windowEnd + " is not a boundary of group " + name + " (cadence "
								+ group.cadence() + "); the last one is " + group.windowEndAtOrBefore(windowEnd));
			}
			if (windowEnd.isAfter(now)) {
				throw new UsageException("window-end " + windowEnd + " is in the future (now " + now + ")");
			}
		}
		Map<String, String> parameters = new LinkedHashMap<>();
		parameters.put(SyncParameters.GROUP, name);
		parameters.put(SyncParameters.WINDOW_END, windowEnd.toString());
		return parameters;
	}

	private String names() {
		return this.groups.groups().isEmpty() ? "none configured (chatvault.groups.<name>.cadence=...)"
				: String.join(", ", this.groups.groups().stream().map(CustodianGroup::name).toList());
	}

}
