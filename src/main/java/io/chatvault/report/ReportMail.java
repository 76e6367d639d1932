package io.chatvault.report;

import java.util.List;
import java.util.Locale;
import java.util.Properties;

import jakarta.activation.DataHandler;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;

/**
 * The mail of a report: a short HTML summary of the KPIs in the body, the workbook
 * attached, and a Message-ID derived from the report (its job instance, period and the
 * workbook's SHA-256), never a random one, so that the same report sent twice is
 * recognisably the same message.
 */
final class ReportMail {

	static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

	private ReportMail() {
	}

	/**
	 * The deterministic Message-ID of a report.
	 * @param instanceId the job instance
	 * @param period the period
	 * @param sha256 the workbook's SHA-256
	 * @param from the sender, whose domain ends the id
	 * @return {@code <compliance-report.monthly.2025-03.42.3f2a...@example.com>}
	 */
	static String messageId(long instanceId, ReportPeriod period, String sha256, String from) {
		int at = from.lastIndexOf('@');
		String domain = (at >= 0 && at < from.length() - 1) ? from.substring(at + 1).replace(">", "") : "chatvault";
		return "<" + ReportJobConfiguration.JOB + "." + period.kind().key() + "." + period.label() + "." + instanceId
				+ "." + sha256.substring(0, 16) + "@" + domain + ">";
	}

	static String subject(ReportPeriod period, List<Kpi> kpis) {
		return "ChatVault compliance report, " + period.describe() + ": " + count(kpis, Kpi.Status.MET) + " met, "
				+ count(kpis, Kpi.Status.MISSED) + " missed, " + count(kpis, Kpi.Status.FINDING) + " findings";
	}

	/**
	 * The message, ready to send.
	 * @param delivery the delivery
	 * @param kpis its KPIs
	 * @param workbook the workbook's bytes, as stored
	 * @param from the sender
	 * @return the message, whose Message-ID survives {@code saveChanges}
	 */
	static MimeMessage compose(ReportDelivery delivery, List<Kpi> kpis, byte[] workbook, String from)
			throws MessagingException {
		MimeMessage message = new FixedIdMessage(Session.getInstance(new Properties()), delivery.messageId());
		message.setFrom(new InternetAddress(from));
		for (String recipient : delivery.recipients()) {
			message.addRecipient(MimeMessage.RecipientType.TO, new InternetAddress(recipient.trim()));
		}
		message.setSubject(subject(delivery.period(), kpis), "UTF-8");
		MimeBodyPart body = new MimeBodyPart();
		body.setContent(html(delivery, kpis), "text/html; charset=UTF-8");
		MimeBodyPart attachment = new MimeBodyPart();
		attachment.setDataHandler(new DataHandler(new ByteArrayDataSource(workbook, XLSX)));
		attachment.setFileName(delivery.fileName());
		attachment.setDisposition(MimeBodyPart.ATTACHMENT);
		MimeMultipart multipart = new MimeMultipart("mixed");
		multipart.addBodyPart(body);
		multipart.addBodyPart(attachment);
		message.setContent(multipart);
		message.setHeader("X-ChatVault-Report-SHA256", delivery.sha256());
		message.saveChanges();
		return message;
	}

	static String html(ReportDelivery delivery, List<Kpi> kpis) {
		StringBuilder html = new StringBuilder("<!DOCTYPE html><html><body style=\"font-family:sans-serif\">");
		html.append("<h2>ChatVault compliance report, ").append(escape(delivery.period().describe())).append("</h2>");
		html.append("<p>")
			.append(count(kpis, Kpi.Status.MET))
			.append(" met, ")
			.append(count(kpis, Kpi.Status.MISSED))
			.append(" missed, ")
			.append(count(kpis, Kpi.Status.FINDING))
			.append(" findings (figures missing). The workbook is attached; its SHA-256 is <code>")
			.append(delivery.sha256())
			.append("</code>, as recorded in the audit log.</p>");
		html.append("<table cellpadding=\"4\" style=\"border-collapse:collapse\">")
			.append("<tr style=\"background:#1F3A5F;color:#fff\"><th>Area</th><th>KPI</th><th>Value</th>")
			.append("<th>Target</th><th>Status</th></tr>");
		for (Kpi kpi : kpis) {
			if (kpi.status() == Kpi.Status.INFO) {
				continue;
			}
			String colour = switch (kpi.status()) {
				case MET -> "#C6EFCE";
				case MISSED -> "#FFC7CE";
				default -> "#FFEB9C";
			};
			html.append("<tr><td>")
				.append(escape(kpi.area()))
				.append("</td><td>")
				.append(escape(kpi.name()))
				.append("</td><td>")
				.append(kpi.value().map((v) -> format(v) + " " + kpi.unit()).orElse("missing"))
				.append("</td><td>")
				.append(escape(kpi.targetText()))
				.append("</td><td style=\"background:")
				.append(colour)
				.append("\">")
				.append(kpi.status().key())
				.append((kpi.status() == Kpi.Status.FINDING) ? ": " + escape(kpi.note()) : "")
				.append("</td></tr>");
		}
		return html.append("</table></body></html>").toString();
	}

	private static String format(double value) {
		return (value == Math.rint(value)) ? String.format(Locale.ROOT, "%,d", (long) value)
				: String.format(Locale.ROOT, "%,.2f", value);
	}

	private static String escape(String text) {
		return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
	}

	private static long count(List<Kpi> kpis, Kpi.Status status) {
		return kpis.stream().filter((kpi) -> kpi.status() == status).count();
	}

	/** A message whose Message-ID is the report's, not one JavaMail makes up. */
	private static final class FixedIdMessage extends MimeMessage {

		private final String id;

		FixedIdMessage(Session session, String id) {
			super(session);
			this.id = id;
		}

		@Override
		protected void updateMessageID() throws MessagingException {
			setHeader("Message-ID", this.id);
		}

	}

}
