package io.chatvault.migration;

import java.nio.file.Path;
import java.util.Optional;

import io.chatvault.message.SourcePlatform;
import io.chatvault.source.SourceFormat;
import io.chatvault.vault.ExportReceipt;
import io.chatvault.vault.ExportSubmission;
import io.chatvault.vault.OriginalsSummary;
import io.chatvault.vault.Vault;
import org.springframework.batch.core.step.StepExecution;

/**
 * One export's way into the vault beside its records: received (every file hashed, the
 * receipt sealed) before its records are read, its files stored bit-exact once they are.
 * The intake key names the job instance and the partition, so a restarted partition finds
 * the receipt it made before, and a new import of the same export is a new receipt.
 */
final class ExportIntake {

	private final Vault vault;

	private final Path export;

	private final Optional<SourceFormat> format;

	private final String custodian;

	private final String key;

	ExportIntake(Vault vault, Path export, Optional<SourceFormat> format, String custodian, String key) {
		this.vault = vault;
		this.export = export;
		this.format = format;
		this.custodian = custodian;
		this.key = key;
	}

	/**
	 * The intake key of a partition's step execution.
	 * @param step the worker step's execution
	 * @return {@code migration:<job instance>:<step name>}
	 */
	static String key(StepExecution step) {
		return "migration:" + step.getJobExecution().getJobInstance().getInstanceId() + ":" + step.getStepName();
	}

	ExportReceipt receive() {
		return this.vault.receive(new ExportSubmission(this.export, this.custodian, this.key,
				this.format.map(SourceFormat::key).orElse(""), platform(this.format)));
	}

	OriginalsSummary storeOriginals() {
		ExportReceipt receipt = this.vault.receipt(this.key).orElseGet(this::receive);
		return this.vault.storeOriginals(receipt, platform(this.format));
	}

	static SourcePlatform platform(Optional<SourceFormat> format) {
		return format.map((known) -> switch (known) {
			case WHATSAPP -> SourcePlatform.WHATSAPP_EXPORT;
			case SLACK -> SourcePlatform.SLACK_EXPORT;
			case TEAMS -> SourcePlatform.TEAMS_GRAPH;
			case WHATSAPP_CLOUD -> SourcePlatform.WHATSAPP_CLOUD_API;
		}).orElse(null);
	}

}
