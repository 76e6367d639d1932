package io.chatvault.vault;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.chatvault.message.ChatRecord;
import io.chatvault.message.Sha256;
import io.chatvault.message.SourceLocation;
import io.chatvault.source.whatsappcloud.WebhookBodies;
import io.chatvault.sync.WebhookDeliveries;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The canonical bytes of the inbox drain's records alone (the records of
 * InboxDrainBenchmark's bodies: one incoming text message, 1,000 customers, each body
 * mapped into its own conversation object as the inbox's mapper makes them), on one
 * thread: what {@code PackedVault.prepare} spends on a record's canonical JSON and its
 * SHA-256, CPU and bytes allocated per record, best of 6 rounds after 2 of warm-up. Run:
 *
 * <pre>
 * ./mvnw -B -o -Pbench test -Dtest=CanonicalRecordsBenchmark -Dsurefire.failIfNoSpecifiedTests=false -DargLine=-Xmx1g
 * </pre>
 */
class CanonicalRecordsBenchmark {

	static final int RECORDS = Integer.getInteger("bench.records", 200_000);

	@Test
	void encodeTheDrainsRecords() {
		// given
		WebhookBodies mapper = new WebhookBodies();
		List<ChatRecord> records = new ArrayList<>(RECORDS);
		for (int i = 0; i < RECORDS; i++) {
			byte[] body = WebhookDeliveries.text("wamid.HBgLMTU1NTA3ODM4ODEVAgASGBQzQUI" + i, "1555" + (100_000 + i % 1000),
					Instant.ofEpochSecond(1_710_000_000L + i / 10), "Hello, can you confirm the order " + i + " for tomorrow morning? Thanks");
			records.add((ChatRecord) mapper.read(body, new SourceLocation("inbox", "whatsapp", i)).get(0));
		}
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		com.sun.management.ThreadMXBean allocations = (com.sun.management.ThreadMXBean) threads;
		long thread = Thread.currentThread().getId();

		// when
		double best = Double.MAX_VALUE;
		double bytes = 0;
		long length = 0;
		for (int round = 0; round < 8; round++) {
			CanonicalRecords canonical = new CanonicalRecords();
			long cpu = threads.getCurrentThreadCpuTime();
			long allocated = allocations.getThreadAllocatedBytes(thread);
			length = 0;
			for (ChatRecord record : records) {
				byte[] encoded = canonical.encode(record, null);
				length += encoded.length + Sha256.hex(encoded).length();
			}
			double micros = (threads.getCurrentThreadCpuTime() - cpu) / 1e3 / records.size();
			if (round >= 2 && micros < best) {
				best = micros;
				bytes = (double) (allocations.getThreadAllocatedBytes(thread) - allocated) / records.size();
			}
		}

		// then
		assertThat(length).isGreaterThan(0);
		System.out.printf("%,d records, %.0f canonical bytes a record: %.2f µs and %,.0f bytes allocated a record"
				+ " (encode and SHA-256; best of 6 rounds, CPU of one thread)%n", records.size(),
				(double) length / records.size() - 64, best, bytes);
	}

}
