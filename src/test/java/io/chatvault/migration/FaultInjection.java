package io.chatvault.migration;

import java.io.InputStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.chatvault.message.ChatRecord;
import io.chatvault.message.QuarantinedRecord;
import io.chatvault.message.SourceLocation;
import io.chatvault.vault.ArchiveRequest;
import io.chatvault.vault.ArchiveSummary;
import io.chatvault.vault.ExportReceipt;
import io.chatvault.vault.ExportSubmission;
import io.chatvault.vault.OriginalsSummary;
import io.chatvault.vault.Vault;
import io.chatvault.message.SourcePlatform;
import java.util.Optional;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Makes the real vault fail a chosen chunk, after that chunk was stored: the worst case
 * of a crash, where the stores hold what the rolled-back transaction no longer counts.
 */
@TestConfiguration
class FaultInjection {

	/** Records archived before the failure; negative for no failure. */
	final AtomicInteger failAfter = new AtomicInteger(-1);

	/** What the failing chunk throws. */
	final AtomicReference<RuntimeException> failure = new AtomicReference<>();

	@Bean
	static BeanPostProcessor failingVault(ObjectProvider<FaultInjection> faults) {
		return new BeanPostProcessor() {
			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				return (bean instanceof Vault vault) ? new FailingVault(vault, faults) : bean;
			}
		};
	}

	/** Fails the chunk in which the given number of further records is exceeded. */
	void failAfter(int records) {
		failAfter(records, new IllegalStateException("injected failure after storing a chunk"));
	}

	/**
	 * Fails the chunk in which the given number of further records is exceeded with this
	 * exception.
	 */
	void failAfter(int records, RuntimeException failure) {
		this.failure.set(failure);
		this.failAfter.set(records);
	}

	record FailingVault(Vault vault, ObjectProvider<FaultInjection> faults) implements Vault {

		@Override
		public ArchiveRequest prepare(ChatRecord record, String custodian, ExportReceipt receipt) {
			return this.vault.prepare(record, custodian, receipt);
		}

		@Override
		public ExportReceipt receive(ExportSubmission submission) {
			return this.vault.receive(submission);
		}

		@Override
		public Optional<ExportReceipt> receipt(String intakeKey) {
			return this.vault.receipt(intakeKey);
		}

		@Override
		public OriginalsSummary storeOriginals(ExportReceipt receipt, SourcePlatform source) {
			return this.vault.storeOriginals(receipt, source);
		}

		@Override
		public ArchiveSummary archive(List<ArchiveRequest> requests) {
			ArchiveSummary summary = this.vault.archive(requests);
			AtomicInteger failAfter = this.faults.getObject().failAfter;
			int left = failAfter.get();
			if (left >= 0) {
				if (left < requests.size()) {
					failAfter.set(-1);
					throw this.faults.getObject().failure.get();
				}
				failAfter.addAndGet(-requests.size());
			}
			return summary;
		}

		@Override
		public boolean quarantine(QuarantinedRecord record, String custodian) {
			return this.vault.quarantine(record, custodian);
		}

		@Override
		public boolean quarantine(SourceLocation origin, String reason, InputStream raw, String custodian) {
			return this.vault.quarantine(origin, reason, raw, custodian);
		}

		@Override
		public InputStream openQuarantined(String fingerprint) {
			return this.vault.openQuarantined(fingerprint);
		}

		@Override
		public byte[] readCanonical(String messageId) {
			return this.vault.readCanonical(messageId);
		}

	}

}
