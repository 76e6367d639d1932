package io.chatvault.source.whatsappcloud;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.chatvault.message.ChatRecord;
import io.chatvault.message.SourceLocation;
import io.chatvault.message.SourceRecord;
import io.chatvault.sync.WebhookDeliveries;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mapping the inbox drain's delivery bodies alone (the body of InboxDrainBenchmark: one
 * incoming text message, 1,000 customers), on one thread: CPU per body through the tree
 * mapper and through the one-pass reading of text messages that {@link WebhookBodies}
 * uses, each warmed up first, several rounds alternating. The bytes allocated per body
 * are printed too (the garbage collector's share of the drain follows them). Run:
 *
 * <pre>
 * ./mvnw -B -o -Pbench test -Dtest=WebhookBodiesBenchmark -Dsurefire.failIfNoSpecifiedTests=false -DargLine=-Xmx1g
 * </pre>
 */
class WebhookBodiesBenchmark {

	static final int BODIES = Integer.getInteger("bench.bodies", 200_000);

	@Test
	void mapTextMessageBodies() {
		// given
		List<byte[]> bodies = new ArrayList<>(BODIES);
		for (int i = 0; i < BODIES; i++) {
			bodies.add(WebhookDeliveries.text("wamid.HBgLMTU1NTA3ODM4ODEVAgASGBQzQUI" + i, "1555" + (100_000 + i % 1000),
					Instant.ofEpochSecond(1_710_000_000L + i / 10), "Hello, can you confirm the order " + i + " for tomorrow morning? Thanks"));
		}
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		com.sun.management.ThreadMXBean allocations = (com.sun.management.ThreadMXBean) threads;
		long thread = Thread.currentThread().getId();

		// when: rounds alternating, the first two as warm-up
		double[] best = { Double.MAX_VALUE, Double.MAX_VALUE };
		double[] bytes = new double[2];
		for (int round = 0; round < 8; round++) {
			for (int way = 0; way < 2; way++) {
				WebhookBodies mapper = new WebhookBodies();
				long cpu = threads.getCurrentThreadCpuTime();
				long allocated = allocations.getThreadAllocatedBytes(thread);
				long records = 0;
				for (int i = 0; i < bodies.size(); i++) {
					SourceLocation origin = new SourceLocation("inbox", "whatsapp", i);
					List<SourceRecord> mapped = (way == 0) ? mapper.readTree(bodies.get(i), origin)
							: mapper.read(bodies.get(i), origin);
					records += mapped.size();
					assertThat(mapped.get(0)).isInstanceOf(ChatRecord.class);
				}
				double micros = (threads.getCurrentThreadCpuTime() - cpu) / 1e3 / bodies.size();
				double perBody = (double) (allocations.getThreadAllocatedBytes(thread) - allocated) / bodies.size();
				assertThat(records).isEqualTo(bodies.size());
				if (round >= 2) {
					best[way] = Math.min(best[way], micros);
					bytes[way] = perBody;
				}
			}
		}

		// then
		System.out.printf("%,d bodies of %d bytes: tree %.2f µs and %,.0f bytes a body, one pass %.2f µs and %,.0f bytes"
				+ " (best of 6 rounds each, CPU of one thread)%n", bodies.size(), bodies.get(0).length, best[0],
				bytes[0], best[1], bytes[1]);
	}

}
