package io.chatvault.sync;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.chatvault.access.CustodianAccount;
import io.chatvault.access.Custodians;
import io.chatvault.custodian.AccountKind;
import io.chatvault.custodian.GroupMember;
import io.chatvault.custodian.PlatformAccount;
import io.chatvault.custodian.RegistryCustodianGroups;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * The last step of a window: sums up its tallies into the reconciliation, latencies and
 * late arrivals, counts the windows missed since the group's last one, raises the alerts,
 * stores it all where the compliance report reads it, and says in the step's exit status
 * how the run ends ({@code COMPLETED_WITH_FINDINGS} with alerts,
 * {@code COMPLETED_WITH_QUARANTINE} with quarantined records), and stamps the custodian
 * registry's open last-sync requests (a departure's) that this window fulfilled: those
 * for an account of the group requested at or before the window's end, whose messages up
 * to then the window has archived.
 */
class WindowReport implements Tasklet {

	static final String SUMMARY = "sync.summary";

	private final SyncWindow window;

	private final WindowTallies tallies;

	private final SyncWindows windows;

	private final SyncProperties.Alerts rules;

	private final Clock clock;

	private final boolean hasInbox;

	private final boolean hasDropFolder;

	private final Custodians registry;

	WindowReport(SyncWindow window, WindowTallies tallies, SyncWindows windows, SyncProperties.Alerts rules,
			Clock clock, boolean hasInbox, boolean hasDropFolder, Custodians registry) {
		this.window = window;
		this.tallies = tallies;
		this.windows = windows;
		this.rules = rules;
		this.clock = clock;
		this.hasInbox = hasInbox;
		this.hasDropFolder = hasDropFolder;
		this.registry = registry;
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
		boolean hasPolls = this.window.group()
			.accounts()
			.stream()
			.anyMatch((account) -> account.kind() != AccountKind.WHATSAPP_NUMBER);
		WindowFigures figures = WindowFigures.of(this.tallies.read(this.window.groupName(), this.window.windowEnd()),
				this.hasInbox, hasPolls, this.hasDropFolder);
		if (!figures.balanced()) {
			throw new IllegalStateException("window " + this.window.windowEnd() + " of group " + this.window.groupName()
					+ " does not reconcile: read " + figures.read() + " but archived " + figures.archived()
					+ " + duplicates " + figures.duplicates() + " + quarantined " + figures.quarantined());
		}
		Duration cadence = this.window.group().cadence();
		int missed = this.window.start()
			.map((start) -> (int) Math.max(0,
					Duration.between(start, this.window.windowEnd()).toMillis() / cadence.toMillis() - 1))
			.orElse(0);
		Map<String, String> accounts = new LinkedHashMap<>();
		for (GroupMember member : this.window.group().members()) {
			for (PlatformAccount account : member.accounts()) {
				accounts.put(account.key(), member.custodian());
			}
		}
		List<Alert> alerts = new ArrayList<>();
		burst(figures, alerts);
		volume(figures, missed, alerts);
		silence(figures, accounts, alerts);
		long jobInstanceId = chunkContext.getStepContext()
			.getStepExecution()
			.getJobExecution()
			.getJobInstance()
			.getInstanceId();
		this.windows.save(this.window, jobInstanceId, missed, figures, accounts, alerts, this.clock.instant());
		int lastSyncs = fulfilLastSyncs(accounts,
				chunkContext.getStepContext().getStepExecution().getJobExecution().getId());
		String summary = summary(figures, missed, alerts);
		if (lastSyncs > 0) {
			summary += "; last sync of " + lastSyncs + " departed custodian account(s) done";
		}
		chunkContext.getStepContext()
			.getStepExecution()
			.getJobExecution()
			.getExecutionContext()
			.putString(SUMMARY, summary);
		String code = !alerts.isEmpty() ? SyncJobListener.COMPLETED_WITH_FINDINGS : (figures.quarantined() > 0)
				? SyncJobListener.COMPLETED_WITH_QUARANTINE : ExitStatus.COMPLETED.getExitCode();
		contribution.setExitStatus(new ExitStatus(code, summary));
		return RepeatStatus.FINISHED;
	}

	/**
	 * Stamps the open last-sync requests for the group's accounts made at or before the
	 * window's end, in the step's transaction with the window's record.
	 * @return how many were stamped
	 */
	private int fulfilLastSyncs(Map<String, String> accounts, long jobExecutionId) {
		if (this.registry == null) {
			return 0;
		}
		int done = 0;
		for (Custodians.LastSyncRequest request : this.registry.openLastSyncRequests()) {
			PlatformAccount account = RegistryCustodianGroups
				.account(new CustodianAccount(request.platform(), request.accountId()));
			if (accounts.containsKey(account.key()) && !request.requestedAt().isAfter(this.window.windowEnd())
					&& this.registry.fulfilLastSync(request.id(), "job:sync#" + jobExecutionId + " group "
							+ this.window.groupName() + " window " + this.window.windowEnd())) {
				done++;
			}
		}
		return done;
	}

	/** Any run of minutes as long as the burst rule whose messages exceed its rate. */
	private void burst(WindowFigures figures, List<Alert> alerts) {
		long minutes = Math.max(1, (this.rules.burstDuration().toSeconds() + 59) / 60);
		long limit = this.rules.burstRate() * minutes * 60;
		TreeMap<Long, Long> perMinute = new TreeMap<>(figures.perMinute());
		for (Long start : perMinute.keySet()) {
			long sum = perMinute.subMap(start, start + minutes).values().stream().mapToLong(Long::longValue).sum();
			if (sum > limit) {
				alerts.add(new Alert(Alert.BURST, null,
						sum + " messages sent in the " + minutes + " minutes from "
								+ java.time.Instant.ofEpochSecond(start * 60) + ": more than " + this.rules.burstRate()
								+ "/s for " + minutes + " min"));
				return;
			}
		}
	}

	/** A window far above the median of the group's recent windows. */
	private void volume(WindowFigures figures, int missed, List<Alert> alerts) {
		List<Double> recent = this.windows.recentVolumes(this.window.groupName(), this.window.windowEnd(),
				this.rules.volumeHistory());
		if (recent.size() < 4) {
			return;
		}
		List<Double> sorted = recent.stream().sorted().toList();
		double median = sorted.get(sorted.size() / 2);
		double volume = (double) figures.records() / (1 + missed);
		if (median > 0 && volume > median * this.rules.volumeFactor()) {
			alerts.add(new Alert(Alert.VOLUME, null, String.format(java.util.Locale.ROOT,
					"%.0f records per window against a median of %.0f over the last %d windows (more than %d times)",
					volume, median, recent.size(), this.rules.volumeFactor())));
		}
	}

	/** Accounts without a message for several windows that used to be busy. */
	private void silence(WindowFigures figures, Map<String, String> accounts, List<Alert> alerts) {
		int silentBefore = this.rules.silentWindows() - 1;
		for (String account : accounts.keySet()) {
			if (figures.perAccount().getOrDefault(account, 0L) > 0) {
				continue;
			}
			List<Long> history = this.windows.accountHistory(this.window.groupName(), account, this.window.windowEnd(),
					silentBefore + this.rules.busyHistory());
			if (history.size() <= silentBefore) {
				continue;
			}
			if (history.subList(0, silentBefore).stream().anyMatch((messages) -> messages > 0)) {
				continue;
			}
			List<Long> before = history.subList(silentBefore, history.size());
			double average = before.stream().mapToLong(Long::longValue).average().orElse(0);
			if (average >= this.rules.busyAverage()) {
				alerts.add(new Alert(Alert.SILENT_ACCOUNT, account, String.format(java.util.Locale.ROOT,
						"no message for %d windows, after %.1f per window over the %d before: is capture broken?",
						this.rules.silentWindows(), average, before.size())));
			}
		}
	}

	private String summary(WindowFigures figures, int missed, List<Alert> alerts) {
		StringBuilder line = new StringBuilder("window ").append(this.window.windowEnd())
			.append(" of group ")
			.append(this.window.groupName());
		this.window.start().ifPresent((start) -> line.append(" (from ").append(start).append(')'));
		line.append(": inbox ")
			.append(text(figures.inbox()))
			.append(" + polled ")
			.append(text(figures.polled()))
			.append(" + dropped ")
			.append(text(figures.dropped()))
			.append(" = archived ")
			.append(figures.archived())
			.append(" + duplicates ")
			.append(figures.duplicates())
			.append(" + quarantined ")
			.append(figures.quarantined())
			.append(figures.balanced() ? " (balanced)" : " (NOT BALANCED)");
		if (figures.lateArrivals() != null && figures.lateArrivals() > 0) {
			line.append("; late arrivals ")
				.append(figures.lateArrivals())
				.append(" (max lag ")
				.append(WindowFigures.human(figures.lateMaxLagMillis()))
				.append(')');
		}
		if (missed > 0) {
			line.append("; caught up ")
				.append(missed)
				.append(" missed window")
				.append((missed > 1) ? "s" : "")
				.append(" (gap ")
				.append(WindowFigures.human(missed * this.window.group().cadence().toMillis()))
				.append(" after ")
				.append(this.window.windowStart())
				.append(')');
		}
		for (WindowFigures.Latency latency : figures.latencies()) {
			line.append("; ")
				.append(latency.measure().replace('_', ' '))
				.append(" p50 ")
				.append(WindowFigures.human(latency.p50()))
				.append(" p95 ")
				.append(WindowFigures.human(latency.p95()))
				.append(" max ")
				.append(WindowFigures.human(latency.max()));
		}
		if (!alerts.isEmpty()) {
			line.append("; alerts: ").append(String.join("; ", alerts.stream().map(Alert::toString).toList()));
		}
		return line.toString();
	}

	private static String text(Long value) {
		return (value != null) ? value.toString() : "-";
	}

}
