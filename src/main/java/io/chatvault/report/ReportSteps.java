package io.chatvault.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.chatvault.ChatVaultHome;
import io.chatvault.audit.AuditActors;
import io.chatvault.audit.AuditEvent;
import io.chatvault.audit.AuditLog;
import io.chatvault.message.Sha256;
import io.chatvault.storage.ObjectStore;
import io.chatvault.storage.ObjectStoreException;
import io.chatvault.storage.PutOutcome;
import io.chatvault.storage.WriteOptions;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.io.ResourceLoader;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mail.MailException;
import org.springframework.mail.javamail.JavaMailSender;

/**
 * The three steps of a report, each idempotent: it reads the delivery's state first and
 * does only what is left. Build writes the workbook to staging and records its SHA-256
 * and KPIs (BUILT); store puts exactly those bytes in the write-once store under a key
 * derived from the report and the SHA-256, and appends {@code report.store} to the audit
 * log in the same transaction (STORED); send reads the stored object back, checks its
 * SHA-256, and mails it under the report's deterministic Message-ID, or writes the
 * operator's file (SENT, {@code report.send} in the audit log).
 *
 * <p>
 * What is left of "exactly once": a crash in the instant between the SMTP server's
 * acceptance and the commit of SENT makes the restart send the message again, with the
 * same Message-ID, which receiving servers and mail clients use to discard the duplicate.
 * A crash anywhere else sends once.
 */
final class ReportSteps {

	static final String FINDINGS = "report.findings";

	static final String SUMMARY = "report.summary";

	private static final Log logger = LogFactory.getLog(ReportSteps.class);

	private final ComplianceReport report;

	private final ReportDeliveries deliveries;

	private final ReportProperties properties;

	private final ChatVaultHome home;

	private final ObjectStore store;

	private final AuditLog audit;

	private final ObjectProvider<JavaMailSender> mail;

	private final ResourceLoader resources;

	private final Clock clock;

	private final ReportWorkbook workbook;

	ReportSteps(ComplianceReport report, ReportDeliveries deliveries, ReportProperties properties, ChatVaultHome home,
			ObjectStore store, AuditLog audit, ObjectProvider<JavaMailSender> mail, JdbcTemplate jdbc,
			ResourceLoader resources, Clock clock) {
		this.report = report;
		this.deliveries = deliveries;
		this.properties = properties;
		this.home = home;
		this.store = store;
		this.audit = audit;
		this.mail = mail;
		this.resources = resources;
		this.clock = clock;
		this.workbook = new ReportWorkbook(jdbc, properties.fetchSize(),
				Math.min(properties.detailRowsPerSheet(), ReportWorkbook.MAX_DETAIL_ROWS));
	}

	RepeatStatus build(StepContribution contribution, ChunkContext chunk) throws IOException {
		StepExecution step = contribution.getStepExecution();
		long instanceId = step.getJobExecution().getJobInstance().getInstanceId();
		Optional<ReportDelivery> existing = this.deliveries.find(instanceId);
		if (existing.isPresent() && (existing.get().state() != ReportDelivery.State.BUILT
				|| matches(existing.get().staging(), existing.get().sha256()))) {
			remember(step, existing.get());
			return RepeatStatus.FINISHED;
		}
		ReportPeriod period = ReportJobConfiguration.period(step.getJobParameters(), this.properties);
		String toFile = step.getJobParameters().getString(ReportJobConfiguration.TO_FILE);
		List<String> recipients = (toFile != null) ? List.of(toFile) : this.properties.recipients(period.kind());
		Instant generated = this.clock.instant();
		ComplianceReport.Contents contents = this.report.compute(period);
		Path staging = this.home.resolve("reports", "staging",
				ReportJobConfiguration.JOB + "-" + period.label() + "-" + instanceId + ".xlsx");
		Files.createDirectories(staging.getParent());
		Path partial = staging.resolveSibling(staging.getFileName() + ".partial");
		MessageDigest digest = Sha256.digest();
		long rows;
		try (InputStream template = this.resources.getResource(this.properties.template()).getInputStream();
				OutputStream out = new DigestOutputStream(Files.newOutputStream(partial), digest)) {
			rows = this.workbook.write(template, contents, generated, out);
		}
		Files.move(partial, staging, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		String sha256 = HexFormat.of().formatHex(digest.digest());
		ReportDelivery delivery = new ReportDelivery(instanceId, period, (toFile != null) ? "file" : "mail", recipients,
				ReportMail.messageId(instanceId, period, sha256, this.properties.from()), staging, sha256,
				Files.size(staging), contents.kpis().size(), (int) contents.count(Kpi.Status.MISSED),
				(int) contents.count(Kpi.Status.FINDING), Optional.empty(), ReportDelivery.State.BUILT);
		this.deliveries.built(delivery, contents.kpis(), step.getJobExecutionId());
		contribution.incrementReadCount();
		contribution.incrementWriteCount(rows);
		logger.info("Built the " + period.kind().key() + " report " + period.label() + ": " + delivery.kpis()
				+ " KPIs, " + rows + " detail rows, " + delivery.size() + " bytes, SHA-256 " + sha256);
		remember(step, delivery);
		return RepeatStatus.FINISHED;
	}

	RepeatStatus store(StepContribution contribution, ChunkContext chunk) throws IOException {
		StepExecution step = contribution.getStepExecution();
		ReportDelivery delivery = delivery(step);
		if (delivery.state() != ReportDelivery.State.BUILT) {
			return RepeatStatus.FINISHED;
		}
		byte[] bytes = Files.readAllBytes(delivery.staging());
		if (!sha256(bytes).equals(delivery.sha256())) {
			throw new IllegalStateException("The staged workbook " + delivery.staging()
					+ " no longer has the SHA-256 recorded when it was built; restart to build it again");
		}
		String key = "reports/" + ReportJobConfiguration.JOB + "/" + delivery.period().kind().key() + "/"
				+ delivery.period().label() + "/" + delivery.sha256() + ".xlsx";
		Instant retainUntil = this.clock.instant().plus(this.properties.retention());
		PutOutcome outcome = this.store.put(key, bytes,
				new WriteOptions(retainUntil, WriteOptions.LockMode.COMPLIANCE, false));
		this.deliveries.stored(delivery.instanceId(), key);
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("sha256", delivery.sha256());
		details.put("objectKey", key);
		details.put("bytes", bytes.length);
		details.put("kind", delivery.period().kind().key());
		details.put("period", delivery.period().label());
		details.put("kpis", delivery.kpis());
		details.put("missed", delivery.missed());
		details.put("findings", delivery.findings());
		this.audit.append(AuditEvent.of(AuditActors.job(ReportJobConfiguration.JOB), "report.store",
				"report:" + delivery.instanceId(), details));
		logger.info("Stored the report " + delivery.period().label() + " as " + key + " in " + this.store.name()
				+ ((outcome == PutOutcome.ALREADY_PRESENT) ? " (already there)" : ""));
		return RepeatStatus.FINISHED;
	}

	RepeatStatus send(StepContribution contribution, ChunkContext chunk) throws IOException, MessagingException {
		StepExecution step = contribution.getStepExecution();
		ReportDelivery delivery = delivery(step);
		if (delivery.state() == ReportDelivery.State.SENT) {
			return RepeatStatus.FINISHED;
		}
		String key = delivery.objectKey().orElseThrow();
		byte[] bytes;
		try (InputStream in = this.store.get(key)
			.orElseThrow(() -> new IllegalStateException(
					"The stored report " + key + " is missing from " + this.store.name()))) {
			bytes = in.readAllBytes();
		}
		if (!sha256(bytes).equals(delivery.sha256())) {
			throw new IllegalStateException("The stored report " + key + " does not have the SHA-256 in the audit log");
		}
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("sha256", delivery.sha256());
		details.put("objectKey", key);
		if (delivery.toFile()) {
			Path file = Path.of(delivery.recipients().get(0));
			Path partial = file.resolveSibling(file.getFileName() + ".partial");
			Files.write(partial, bytes);
			Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
			details.put("file", file.toString());
		}
		else {
			JavaMailSender sender = this.mail.getIfAvailable();
			if (sender == null) {
				throw new ReportUndeliverableException(
						"No mail server is configured (spring.mail.host); configure one and restart, or run with "
								+ "to-file=<path>");
			}
			if (delivery.recipients().isEmpty()) {
				throw new ReportUndeliverableException("No recipients for the " + delivery.period().kind().key()
						+ " report (chatvault.report." + delivery.period().kind().key()
						+ "); configure them and restart, or run with to-file=<path>");
			}
			MimeMessage message = ReportMail.compose(delivery, this.deliveries.kpis(delivery.instanceId()), bytes,
					this.properties.from());
			sender.send(message);
			details.put("messageId", delivery.messageId());
			details.put("recipients", delivery.recipients());
		}
		this.deliveries.sent(delivery.instanceId(), step.getJobExecutionId());
		this.audit.append(AuditEvent.of(AuditActors.job(ReportJobConfiguration.JOB), "report.send",
				"report:" + delivery.instanceId(), details));
		contribution.incrementWriteCount(1);
		logger.info("Delivered the report " + delivery.period().label() + " to "
				+ String.join(", ", delivery.recipients()) + " (" + delivery.messageId() + ")");
		return RepeatStatus.FINISHED;
	}

	/** Whether a failure is the infrastructure's: the mail server, the object store. */
	static boolean unavailable(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof MailException || cause instanceof ObjectStoreException
					|| cause instanceof ReportUndeliverableException) {
				return true;
			}
		}
		return false;
	}

	private ReportDelivery delivery(StepExecution step) {
		long instanceId = step.getJobExecution().getJobInstance().getInstanceId();
		ReportDelivery delivery = this.deliveries.find(instanceId)
			.orElseThrow(() -> new IllegalStateException("report " + instanceId + " was not built"));
		remember(step, delivery);
		return delivery;
	}

	private static void remember(StepExecution step, ReportDelivery delivery) {
		var context = step.getJobExecution().getExecutionContext();
		context.putInt(FINDINGS, delivery.missed() + delivery.findings());
		context.putString(SUMMARY,
				delivery.period().kind().key() + " report " + delivery.period().label() + ": " + delivery.kpis()
						+ " KPIs, " + delivery.missed() + " missed, " + delivery.findings() + " findings; SHA-256 "
						+ delivery.sha256() + "; " + delivery.state().name().toLowerCase(java.util.Locale.ROOT));
	}

	private static boolean matches(Path file, String sha256) {
		try {
			return Files.isRegularFile(file) && sha256(Files.readAllBytes(file)).equals(sha256);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String sha256(byte[] bytes) {
		return HexFormat.of().formatHex(Sha256.digest().digest(bytes));
	}

}
