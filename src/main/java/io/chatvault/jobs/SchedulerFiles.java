package io.chatvault.jobs;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes the scheduler files of {@code ops/} from the job catalogue: per job and schedule
 * a Kubernetes CronJob, a systemd service and timer, a crontab line, and
 * {@code ops/README.md} listing them. A job without a schedule (run by hand) gets a
 * one-off Kubernetes Job and a systemd service to start by hand. Regenerate with
 * {@code ./mvnw -B -o test -Dtest=SchedulerFilesTests -Dchatvault.ops.write=true}; the
 * same test fails when {@code ops/} is stale.
 */
public final class SchedulerFiles {

	/**
	 * Exit codes a retry cannot fix: internal error, usage, failed, already running,
	 * completed with quarantine, not restartable, completed with findings, integrity
	 * failure, access denied, refused by policy. 4 (stopped) and 6 (infrastructure) are
	 * retried, and so is a killed pod (137): the retry resumes the run.
	 */
	static final List<Integer> NOT_RETRIED = List.of(1, 2, 3, 5, 7, 8, 9, 10, 11, 12);

	private static final String GENERATED = "Generated from src/main/resources/jobs/%s.yaml by SchedulerFiles: "
			+ "do not edit; change the catalogue and regenerate (ops/README.md).";

	private final String image;

	/**
	 * Files for an image.
	 * @param image the container image the manifests run, as Jib builds it
	 */
	public SchedulerFiles(String image) {
		this.image = image;
	}

	/**
	 * Every generated file.
	 * @param jobs the catalogue
	 * @return file contents by path below {@code ops/}, in a stable order
	 */
	public Map<String, String> render(Collection<JobDescription> jobs) {
		Map<String, String> files = new LinkedHashMap<>();
		StringBuilder crontab = new StringBuilder("""
				# ChatVault jobs from cron (crontab -e as the chatvault user), generated from the job
				# catalogue (src/main/resources/jobs) by SchedulerFiles: do not edit, regenerate.
				# Times are UTC: cronie reads CRON_TZ; with another cron, run it in UTC.
				# A start that overlaps a running one of the same job and parameters exits 5 ("already
				# running") without touching anything; a crashed run is resumed by the next start.
				# Periods (day=, month=, window-end=, ...) are derived by chatvault run itself.
				CRON_TZ=UTC
				CHATVAULT_HOME=/var/lib/chatvault
				# m  h  dom mon dow  command
				""");
		for (JobDescription job : jobs) {
			if (!job.scheduled()) {
				files.put("kubernetes/chatvault-" + job.name() + ".yaml", oneOffJob(job));
				files.put("systemd/chatvault-" + job.name() + ".service", service(job, null));
				crontab.append("# ")
					.append(job.name())
					.append(": by hand, ")
					.append(String.join(" ", byHand(job)))
					.append('\n');
				continue;
			}
			for (JobDescription.Schedule schedule : job.schedules()) {
				String unit = schedule.unitName(job);
				files.put("kubernetes/" + unit + ".yaml", cronJob(job, schedule));
				files.put("systemd/" + unit + ".service", service(job, schedule));
				files.put("systemd/" + unit + ".timer", timer(job, schedule));
				crontab.append(String.format("%-20s /opt/chatvault/chatvault %s >> /var/log/chatvault/%s.log 2>&1%n",
						schedule.cadence().cron(schedule.at()).orElseThrow(), String.join(" ", schedule.arguments(job)),
						unit));
			}
		}
		files.put("cron/crontab", crontab.toString());
		files.put("README.md", readme(jobs));
		return files;
	}

	private String cronJob(JobDescription job, JobDescription.Schedule schedule) {
		String unit = schedule.unitName(job);
		return """
				# %s
				# %s: %s
				# The exit code of `chatvault run` says how the run ended; podFailurePolicy turns it into
				# "retry" or "do not retry" (Kubernetes 1.31+). This job's exit codes:
				%s
				apiVersion: batch/v1
				kind: CronJob
				metadata:
				  name: %s
				  labels: { app.kubernetes.io/name: chatvault, app.kubernetes.io/component: %s }
				spec:
				  schedule: "%s"
				  timeZone: Etc/UTC
				  # Never two pods of this schedule at once. ChatVault refuses a second start of the same
				  # job and parameters anyway (exit 5), but Forbid avoids starting pods for nothing.
				  concurrencyPolicy: Forbid
				  startingDeadlineSeconds: %d
				  successfulJobsHistoryLimit: 3
				  failedJobsHistoryLimit: 5
				  jobTemplate:
				%s""".formatted(String.format(GENERATED, job.name()), job.name(),
				schedule.cadence().describe(schedule.at()), exitCodeComments(job), unit, job.name(),
				schedule.cadence().cron(schedule.at()).orElseThrow(), startingDeadline(schedule),
				jobSpec(job, schedule.arguments(job), "    "));
	}

	private String oneOffJob(JobDescription job) {
		return """
				# %s
				# %s: run by hand (no schedule). Fill in the parameters, then: kubectl create -f this file.
				# This job's exit codes:
				%s
				apiVersion: batch/v1
				kind: Job
				metadata:
				  generateName: chatvault-%s-
				  labels: { app.kubernetes.io/name: chatvault, app.kubernetes.io/component: %s }
				%s""".formatted(String.format(GENERATED, job.name()), job.name(), exitCodeComments(job), job.name(),
				job.name(), jobSpec(job, byHand(job), ""));
	}

	/** The Job spec shared by CronJobs and one-off Jobs, indented for its place. */
	private String jobSpec(JobDescription job, List<String> arguments, String indent) {
		String spec = """
				spec:
				  # Retries resume the run where it stopped (same identifying parameters); a pod killed
				  # with its node or by the OOM killer is retried too, and its run resumed.
				  backoffLimit: 3
				  podFailurePolicy:
				    rules:
				      # Not worth retrying; a person must look: %s
				      - action: FailJob
				        onExitCodes:
				          containerName: chatvault
				          operator: In
				          values: %s
				      # A drained node or a preemption stopped the run cleanly (exit 4): retry without
				      # counting it against backoffLimit. 4 and 6 (database or bucket unavailable) are
				      # retried under backoffLimit.
				      - action: Ignore
				        onPodConditions:
				          - type: DisruptionTarget
				  template:
				    metadata:
				      labels: { app.kubernetes.io/name: chatvault, app.kubernetes.io/component: %s }
				    spec:
				      restartPolicy: Never
				      # SIGTERM lets the current chunk finish and the run end STOPPED (exit 4), so that
				      # the next pod resumes it. Longer than chatvault.jobs.shutdown-wait below.
				      terminationGracePeriodSeconds: 300
				      containers:
				        - name: chatvault
				          image: %s
				          args: [%s]
				          env:
				            - name: CHATVAULT_DB_URL
				              value: jdbc:postgresql://postgres.chatvault.svc:5432/chatvault
				            - name: CHATVAULT_DB_USER
				              valueFrom: { secretKeyRef: { name: chatvault-db, key: user } }
				            - name: CHATVAULT_DB_PASSWORD
				              valueFrom: { secretKeyRef: { name: chatvault-db, key: password } }
				            - name: CHATVAULT_JOBS_SHUTDOWN_WAIT
				              value: 240s
				            # The run's metrics, pushed when it ends (docs/metrics.md); remove without one.
				            - name: CHATVAULT_METRICS_PUSHGATEWAY_URL
				              value: http://pushgateway.monitoring.svc:9091
				            # JSON lines on stderr for the log pipeline.
				            - name: LOGGING_STRUCTURED_FORMAT_CONSOLE
				              value: ecs
				          resources:
				            requests: { cpu: "500m", memory: "768Mi" }
				            limits: { memory: "1Gi" }
				""".formatted(
				NOT_RETRIED.stream().map(String::valueOf).collect(Collectors.joining(", ")) + " (ops/README.md)",
				NOT_RETRIED, job.name(), this.image,
				arguments.stream().map((argument) -> "\"" + argument + "\"").collect(Collectors.joining(", ")));
		return spec.lines().map((line) -> line.isEmpty() ? line : indent + line).collect(Collectors.joining("\n"))
				+ "\n";
	}

	private String service(JobDescription job, JobDescription.Schedule schedule) {
		List<String> arguments = (schedule != null) ? schedule.arguments(job) : byHand(job);
		String started = (schedule != null) ? "started by " + schedule.unitName(job) + ".timer"
				: "run by hand: fill in the parameters, then systemctl start chatvault-" + job.name();
		return """
				# %s
				# %s as a systemd one-shot service, %s.
				# Install: copy to /etc/systemd/system, then systemctl daemon-reload%s
				[Unit]
				Description=ChatVault %s
				Wants=network-online.target
				After=network-online.target postgresql.service

				[Service]
				Type=oneshot
				User=chatvault
				WorkingDirectory=/opt/chatvault
				Environment=CHATVAULT_HOME=/var/lib/chatvault
				# Leave CHATVAULT_DB_URL unset for the embedded PostgreSQL in CHATVAULT_HOME/postgres.
				# Metrics: CHATVAULT_METRICS_TEXTFILE_DIRECTORY=/var/lib/prometheus/node-exporter
				EnvironmentFile=-/etc/chatvault/chatvault.env
				ExecStart=/opt/chatvault/chatvault %s
				# systemctl stop sends SIGTERM: the current chunk finishes, the run ends STOPPED (exit 4)
				# and the next start resumes it. Allow longer than the slowest chunk.
				KillSignal=SIGTERM
				TimeoutStopSec=300
				# 7 and 9: completed with quarantined records or with findings; a success for systemd,
				# visible in the journal and in the metrics.
				SuccessExitStatus=7 9
				""".formatted(String.format(GENERATED, job.name()), job.name(), started,
				(schedule != null) ? " && systemctl enable --now " + schedule.unitName(job) + ".timer" : "", job.name(),
				String.join(" ", arguments));
	}

	private String timer(JobDescription job, JobDescription.Schedule schedule) {
		boolean frequent = schedule.cadence().kind() == Cadence.Kind.INTERVAL
				&& schedule.cadence().interval().toHours() == 0;
		return """
				# %s
				# Starts %s.service %s. systemd never starts a one-shot service that is still
				# running, so runs never overlap; Persistent catches up a start missed while the machine
				# was off.
				[Unit]
				Description=ChatVault %s, %s

				[Timer]
				OnCalendar=%s
				%sPersistent=true

				[Install]
				WantedBy=timers.target
				""".formatted(String.format(GENERATED, job.name()), schedule.unitName(job),
				schedule.cadence().describe(schedule.at()), job.name(), schedule.cadence().describe(schedule.at()),
				schedule.cadence().onCalendar(schedule.at()).orElseThrow(),
				// A late start still names its window (window ends round down), but not a
				// whole
				// interval late.
				frequent ? "" : "RandomizedDelaySec=60\n");
	}

	private String readme(Collection<JobDescription> jobs) {
		StringBuilder text = new StringBuilder("""
				# Running ChatVault on a schedule

				Generated from the job catalogue (`src/main/resources/jobs/*.yaml`, see docs/jobs.md) by
				`SchedulerFiles`: do not edit these files; change the catalogue and regenerate:

				    ./mvnw -B -o test -Dtest=SchedulerFilesTests -Dchatvault.ops.write=true

				The same test, in the normal suite, fails while `ops/` differs from the catalogue.

				| job | runs | command | Kubernetes | systemd | cron |
				|---|---|---|---|---|---|
				""");
		for (JobDescription job : jobs) {
			if (!job.scheduled()) {
				text.append(String.format(
						"| %s | by hand | `chatvault %s` | `kubernetes/chatvault-%s.yaml` (Job) | "
								+ "`systemd/chatvault-%s.service` | - |%n",
						job.name(), String.join(" ", byHand(job)), job.name(), job.name()));
				continue;
			}
			for (JobDescription.Schedule schedule : job.schedules()) {
				String unit = schedule.unitName(job);
				text.append(
						String.format(
								"| %s | %s | `chatvault %s` | `kubernetes/%s.yaml` | `systemd/%s.timer` | "
										+ "`%s` |%n",
								job.name(), schedule.cadence().describe(schedule.at()),
								String.join(" ", schedule.arguments(job)), unit, unit,
								schedule.cadence().cron(schedule.at()).orElseThrow()));
			}
		}
		text.append("""

				Every time is UTC. The schedules pass no dates: `chatvault run` derives a period the
				schedule leaves out (`day=` today, `month=` this month, a window end, ...) from the
				clock, so a retried or late start names the same job instance, and a completed one is
				not run twice ("already complete", exit 0).

				## Exit codes and retries

				A scheduler acts on the exit code (README.md, "Exit codes"). Retried: 4 (stopped by
				SIGTERM or a drained node: the retry resumes it), 6 (database, object store or keystore
				unavailable) and a killed process (137: the next start recovers the crashed execution
				and resumes it, see RECOVERY.md). Not retried: %s. 7 and 9 are
				completed runs that a person should look at (quarantine, findings); systemd counts them
				as success (`SuccessExitStatus=7 9`).

				## Kubernetes

				One CronJob per job and schedule (`kubernetes/`), running the image `%s` that
				`./mvnw -B -Pimage package` builds as a tarball without a Docker daemon (docs/image.md):
				load it into your registry and set `image:` accordingly. `podFailurePolicy` (Kubernetes
				1.31+) fails the Job at once for the exit codes that a retry cannot fix; `timeZone`
				needs 1.27+. Jobs run by hand have a one-off Job manifest (`kubectl create -f`, after
				filling in the parameters). Point `CHATVAULT_DB_URL` and the secrets at your PostgreSQL.

				## systemd

				Copy `systemd/<unit>.service` and `.timer` to `/etc/systemd/system`, then
				`systemctl daemon-reload && systemctl enable --now <unit>.timer`. The services run
				`/opt/chatvault/chatvault` (the launcher, or a symlink to a script running
				`java -jar chatvault.jar`) as user `chatvault` with `CHATVAULT_HOME=/var/lib/chatvault`;
				configuration in `/etc/chatvault/chatvault.env`.

				## cron

				`cron/crontab` has one line per schedule (`crontab -e` as the chatvault user). Output
				goes to `/var/log/chatvault/<unit>.log`.

				## Metrics

				Each run leaves its metrics (job and step timers, item counts, exit code) in a `.prom`
				file for the node exporter's textfile collector
				(`CHATVAULT_METRICS_TEXTFILE_DIRECTORY`), or pushes them to a Pushgateway
				(`CHATVAULT_METRICS_PUSHGATEWAY_URL`); see docs/metrics.md.

				## The capture server

				`chatvault serve` is a long-running service, not a scheduled job, so its files are
				written by hand and not generated: `serve/kubernetes.yaml` (a Deployment of two
				replicas with probes on the management port, and a Service) and
				`serve/chatvault-serve.service` (systemd). See docs/capture.md.

				## Recovery

				RECOVERY.md: what happens after a crash, and what to do by hand if you must.
				""".formatted(NOT_RETRIED.stream().map(String::valueOf).collect(Collectors.joining(", ")), this.image));
		return text.toString();
	}

	private static String exitCodeComments(JobDescription job) {
		return job.exitCodes()
			.entrySet()
			.stream()
			.map((entry) -> "#   " + entry.getKey() + ": " + entry.getValue())
			.collect(Collectors.joining("\n"));
	}

	/**
	 * A start more than a fifth of the interval late is skipped: the next one comes soon.
	 */
	private static long startingDeadline(JobDescription.Schedule schedule) {
		if (schedule.cadence().kind() == Cadence.Kind.INTERVAL) {
			return Math.max(60, schedule.cadence().interval().toSeconds() / 5);
		}
		return 3600;
	}

	/** The command of a job run by hand: its required parameters as placeholders. */
	private static List<String> byHand(JobDescription job) {
		List<String> arguments = new ArrayList<>(List.of("run", job.name()));
		job.parameters()
			.stream()
			.filter(JobDescription.Parameter::required)
			.forEach((parameter) -> arguments.add(parameter.name() + "=<" + parameter.type().key() + ">"));
		return arguments;
	}

}
