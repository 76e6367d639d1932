package io.chatvault.capture;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongPredicate;

import io.chatvault.message.Sha256;

/**
 * A load generator for {@code serve}: threads posting signed WhatsApp Cloud API webhook
 * bodies of realistic size (one text message each, unique ids, ~800 bytes) to one
 * endpoint, each thread waiting for its answer before the next (closed loop), and
 * recording every acknowledged delivery's dedupe key and its latency. Used by the crash
 * test and the benchmark; it runs in their JVM, serve in another.
 */
final class WebhookLoad {

	static final String PHONE_NUMBER_ID = "106540352242922";

	private final URI endpoint;

	private final byte[] secret;

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	WebhookLoad(URI endpoint, String secret) {
		this.endpoint = endpoint;
		this.secret = secret.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Runs threads until the deadline or until {@code stop} says so (tested after each
	 * answer with the acknowledgements so far).
	 * @param threads concurrent senders (connections)
	 * @param duration how long at most
	 * @param stop stops early when it returns true for the acknowledgements so far
	 * @param prefix message id prefix: a run with the same prefix sends the same bodies
	 * (ids {@code <prefix>-0}, {@code <prefix>-1}, ...), so it redelivers
	 * @param limit how many bodies at most
	 * @return what was sent and answered
	 */
	Result run(int threads, Duration duration, LongPredicate stop, String prefix, long limit)
			throws InterruptedException {
		AtomicLong ids = new AtomicLong();
		long deadline = System.nanoTime() + duration.toNanos();
		Set<String> acknowledged = ConcurrentHashMap.newKeySet();
		AtomicLong sent = new AtomicLong();
		AtomicLong failed = new AtomicLong();
		AtomicLong refused = new AtomicLong();
		List<long[]> latencies = new ArrayList<>();
		CountDownLatch done = new CountDownLatch(threads);
		long started = System.nanoTime();
		for (int t = 0; t < threads; t++) {
			long[][] mine = { new long[1024] };
			int[] count = { 0 };
			Thread sender = new Thread(() -> {
				try {
					while (System.nanoTime() < deadline && !stop.test(acknowledged.size())) {
						long sequence = ids.getAndIncrement();
						if (sequence >= limit) {
							break;
						}
						byte[] body = body(prefix + "-" + sequence);
						HttpRequest request = HttpRequest.newBuilder(this.endpoint)
							.timeout(Duration.ofSeconds(30))
							.header("Content-Type", "application/json")
							.header("X-Hub-Signature-256",
									"sha256=" + HexFormat.of().formatHex(Signatures.hmacSha256(this.secret, body)))
							.POST(HttpRequest.BodyPublishers.ofByteArray(body))
							.build();
						sent.incrementAndGet();
						long start = System.nanoTime();
						try {
							int status = this.http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
							long latency = System.nanoTime() - start;
							if (status / 100 == 2) {
								acknowledged.add("sha256:" + Sha256.hex(body));
								if (count[0] == mine[0].length) {
									mine[0] = Arrays.copyOf(mine[0], count[0] * 2);
								}
								mine[0][count[0]++] = latency;
							}
							else {
								refused.incrementAndGet();
							}
						}
						catch (java.io.IOException ex) {
							failed.incrementAndGet();
							Thread.sleep(50);
						}
					}
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				finally {
					synchronized (latencies) {
						latencies.add(Arrays.copyOf(mine[0], count[0]));
					}
					done.countDown();
				}
			}, "webhook-load-" + t);
			sender.setDaemon(true);
			sender.start();
		}
		done.await();
		Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
		long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
		return new Result(sent.get(), acknowledged, refused.get(), failed.get(), all, elapsed);
	}

	/** A Cloud API webhook body of one incoming text message, as Meta posts it. */
	static byte[] body(String id) {
		// A fixed time: a redelivery is the same bytes.
		long now = 1764493200L;
		String from = "4477009" + String.format("%05d", Math.abs(id.hashCode()) % 100000);
		return ("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"102290129340398\",\"changes\":[{\"value\":"
				+ "{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":\"15550783881\","
				+ "\"phone_number_id\":\"" + PHONE_NUMBER_ID + "\"},\"contacts\":[{\"profile\":{\"name\":\"Customer "
				+ from + "\"},\"wa_id\":\"" + from + "\"}],\"messages\":[{\"from\":\"" + from + "\",\"id\":\"wamid.HBgL"
				+ id + "\",\"timestamp\":\"" + now + "\",\"text\":{\"body\":\"Hello, I would like to confirm the order "
				+ "we discussed on the phone this morning: 200 units at the price in your last offer, delivery to the "
				+ "usual address before the end of the month. Please send the confirmation and the invoice to "
				+ "accounts as before. Thanks, " + id + "\"},\"type\":\"text\"}]},\"field\":\"messages\"}]}]}")
			.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * What a run sent and what was answered.
	 *
	 * @param sent requests sent
	 * @param acknowledged dedupe keys of the deliveries answered 2xx
	 * @param refused answered with another status (503 included)
	 * @param failed no answer (connection refused or reset, timeout)
	 * @param latencies nanoseconds to the acknowledgement of each 2xx, sorted
	 * @param elapsed wall time of the run
	 */
	record Result(long sent, Set<String> acknowledged, long refused, long failed, long[] latencies, Duration elapsed) {

		double perSecond() {
			return this.acknowledged.size() / (this.elapsed.toNanos() / 1e9);
		}

		double percentileMillis(double percentile) {
			if (this.latencies.length == 0) {
				return Double.NaN;
			}
			int index = (int) Math.min(this.latencies.length - 1,
					Math.ceil(percentile / 100 * this.latencies.length) - 1);
			return this.latencies[Math.max(0, index)] / 1e6;
		}

	}

}
